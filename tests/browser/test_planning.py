"""An organiser builds the agenda and works through the checklist in a real browser.

Follows "Setting the agenda" (the handbook's example agenda for an 18:00 to 20:00 slot) and
the week-by-week planning checklist, then the chair's briefing pack and the calendar feed,
with axe on every page. The event is made through the services: creating one through the
form is covered in test_journey.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from eventapp.accounts.models import User
from eventapp.agenda import services as agenda_services
from eventapp.agenda.template import example_items
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.browser.test_journey import event_day, sign_in, task_status

pytestmark = pytest.mark.browser

TITLE = "Mental health and radicalisation: a roundtable for safeguarding leads"
# The handbook's example: 10 + 20 + 10 + 70 + 5 + 5 minutes from 18:00.
EXAMPLE_STARTS = ["18:00", "18:10", "18:30", "18:40", "19:50", "19:55"]
EXAMPLE_TIMES = [
    "18:00–18:10",
    "18:10–18:30",
    "18:30–18:40",
    "18:40–19:50",
    "19:50–19:55",
    "19:55–20:00",
]
# Item 3 (10 minutes) moved above item 2 (20 minutes): only those two times change.
MOVED_TIMES = [
    "18:00–18:10",
    "18:10–18:20",
    "18:20–18:40",
    "18:40–19:50",
    "19:50–19:55",
    "19:55–20:00",
]
# Set BROWSER_SCREENSHOTS to a folder to save full-page screenshots there for a person to check.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "")


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def agenda_rows(page: Page) -> Locator:
    return page.locator("table.app-agenda tbody tr")


def agenda_titles(page: Page) -> list[str]:
    return [t.strip() for t in agenda_rows(page).locator(".app-agenda__title").all_inner_texts()]


def open_task(page: Page, overview_url: str, name: str) -> None:
    """From the event overview, follow a planning stage in the task list."""
    page.goto(overview_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    axe_check(page)
    page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True).click()


def task_hint(page: Page, name: str) -> str:
    item = page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )
    return item.locator(".govuk-task-list__hint").inner_text().strip()


def test_organiser_builds_the_agenda_and_works_through_the_checklist(
    page: Page,
    live_server: str,
    organiser: User,
    make_event: Callable[..., Event],
) -> None:
    event = make_event(title=TITLE, day=event_day(), start=time(18, 0), end=time(20, 0))
    overview_url = f"/events/{event.id}"
    titles = [spec.title for spec in example_items(event)]

    sign_in(page, organiser)
    axe_check(page)

    # Setting the agenda: start from the handbook's example.
    open_task(page, overview_url, "Agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.locator("#example-preview li")).to_have_count(6)
    axe_check(page)
    page.get_by_role("button", name="Start from the handbook's example").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The handbook's example agenda has been added."
    )
    rows = agenda_rows(page)
    expect(rows).to_have_count(6)
    expect(rows.locator("td.app-agenda__time:nth-child(5)")).to_have_text(EXAMPLE_TIMES)
    starts = [t.split("–")[0] for t in rows.locator("td:nth-child(5)").all_inner_texts()]
    assert starts == EXAMPLE_STARTS
    assert agenda_titles(page) == titles
    expect(page.get_by_text("The agenda ends at 20:00; the event ends at 20:00.")).to_be_visible()
    expect(page.locator("#agenda-total")).to_have_text("Planned 120 minutes of a 120-minute slot.")
    axe_check(page)

    # Move item 3 up: it becomes item 2 and the times after it are worked out again.
    page.get_by_role("button", name="Move up item 3").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"“{titles[2]}” moved up to number 2."
    )
    expect(rows.locator("td:nth-child(5)")).to_have_text(MOVED_TIMES)
    expect(rows.locator("td:nth-child(1)")).to_have_text([str(n) for n in range(1, 7)])
    moved = [titles[0], titles[2], titles[1], *titles[3:]]
    assert agenda_titles(page) == moved
    axe_check(page)
    screenshot(page, "agenda")

    # The printable agenda, laid out like the handbook's example.
    page.get_by_role("link", name="Printable agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    printable = page.get_by_role("table", name="Agenda").locator("tbody tr")
    expect(printable.locator("td:nth-child(2)")).to_have_text(moved)
    expect(printable.locator("td:nth-child(4)").first).to_have_text("18:00–18:10 (10 mins)")
    expect(printable.locator("td:nth-child(4)").nth(3)).to_have_text("18:40–19:50 (1 hour 10 mins)")
    axe_check(page)

    # The planning checklist: two tasks done, one given an owner and a note.
    open_task(page, overview_url, "Planning checklist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning checklist")
    progress = page.locator("#progress")
    expect(progress).to_have_text(re.compile(r"^0 of \d+ done$"))
    total = int(progress.inner_text().split()[2])
    assert total > 3
    axe_check(page)
    todo = page.locator("tr[data-status='todo']")
    first, second, third = (todo.nth(i).get_by_role("link").inner_text().strip() for i in range(3))
    for title in (first, second):
        # Chromium names the button "Mark as done : <task>": the hidden text is out of flow.
        name = re.compile(rf"^Mark as done ?: {re.escape(title)}$")
        page.get_by_role("button", name=name).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"Marked as done: {title}"
        )
        row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))
        expect(row).to_have_attribute("data-status", "done")
        expect(row.locator(".govuk-tag")).to_have_text("Done")
        expect(row.get_by_role("button")).to_have_count(0)
        axe_check(page)

    page.get_by_role("link", name=third, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(third)
    axe_check(page)
    page.get_by_label("Owner", exact=True).select_option(label=organiser.display_name)
    page.get_by_label("Note (optional)").fill("Asked the civic centre for two rooms.")
    page.get_by_role("button", name="Save task").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Task saved: {third}")
    owned = page.locator("tbody tr").filter(has=page.get_by_role("link", name=third, exact=True))
    expect(owned.locator("td:nth-child(3)")).to_have_text(organiser.display_name)
    expect(owned).to_have_attribute("data-status", "todo")
    expect(progress).to_have_text(f"2 of {total} done")
    axe_check(page)
    screenshot(page, "checklist")

    # The overview's task list shows the same progress.
    page.goto(overview_url)
    assert task_hint(page, "Planning checklist") == f"2 of {total} done."
    assert task_status(page, "Planning checklist") == "In progress"
    assert task_status(page, "Agenda") == "Completed"
    axe_check(page)

    # My tasks: the owned task, with its event.
    page.get_by_role("link", name="My tasks", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    mine = page.locator("tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("link", name=third, exact=True)).to_be_visible()
    expect(mine.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    axe_check(page)

    # The chair's briefing pack includes the agenda as it now stands.
    page.goto(overview_url)
    axe_check(page)
    page.get_by_role("link", name="Chair's briefing pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-caption-l")).to_have_text("Chair's briefing pack")
    pack_rows = page.get_by_role("table").locator("tbody tr")
    expect(pack_rows).to_have_count(6)
    expect(pack_rows.nth(1)).to_contain_text(titles[2])
    expect(pack_rows.nth(1)).to_contain_text("18:10–18:20")
    axe_check(page)

    # The calendar feed: create an address and see it once.
    page.get_by_role("link", name="Calendar feed", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed")
    axe_check(page)
    page.get_by_role("button", name="Create my feed address").click()
    feed = page.get_by_label("Feed address")
    expect(feed).to_have_value(re.compile(rf"^{re.escape(live_server)}/calendar/[^/]+\.ics$"))
    expect(page.get_by_role("button", name="Create a new feed address")).to_be_visible()
    axe_check(page)
    response = page.request.get(feed.input_value())
    assert response.status == 200
    assert third in response.text()

    assert problems_of(page).page_errors == []
    assert problems_of(page).console_errors == []


def test_agenda_moves_without_javascript(
    browser: Browser,
    live_server: str,
    organiser: User,
    make_event: Callable[..., Event],
) -> None:
    """The Move buttons are plain forms: they work with JavaScript turned off."""
    event = make_event(title=TITLE, day=event_day(), start=time(18, 0), end=time(20, 0))
    agenda_services.start_from_example(event=event, actor=organiser)
    db.session.commit()
    titles = [spec.title for spec in example_items(event)]

    context = new_context(browser, live_server, java_script_enabled=False)
    try:
        page = new_page(context)
        sign_in(page, organiser, check=False)  # axe needs JavaScript
        page.goto(f"/events/{event.id}/agenda/")
        assert agenda_titles(page) == titles
        page.get_by_role("button", name="Move down item 1").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"“{titles[0]}” moved down to number 2."
        )
        assert agenda_titles(page) == [titles[1], titles[0], *titles[2:]]
        expect(agenda_rows(page).locator("td:nth-child(5)").first).to_have_text("18:00–18:20")
    finally:
        context.close()
