"""An organiser plans the handbook's example event in a real browser, with axe on every page.

The example runs through "First, consider your objectives", "Understand your audience" and
"Virtual or in-person?": a roundtable on mental health and radicalisation for safeguarding
leads in 15 local schools.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from eventapp.accounts.models import User
from eventapp.handbook import AIM_LABELS, Aim
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

VENUE = "Civic Centre, Committee Rooms 2 & 3"
ADDRESS = ["1 Town Hall Square", "Testborough", "TB1 1AA"]
TITLE = "Mental health and radicalisation: a roundtable for safeguarding leads"
AWARENESS = AIM_LABELS[Aim.AWARENESS]
OBJECTIVE = (
    "Raise awareness of the links between mental health and vulnerability to radicalisation "
    "amongst safeguarding leads in 15 local schools, leading to an increased understanding "
    "by the end of the event."
)
SCHOOLS = [
    "Hall Lane Primary School",
    "St Mary's Church of England Primary School",
    "Riverside Academy",
    "Oakfield Secondary School",
    "Northgate High School",
    "Westbrook Primary School",
    "Holy Trinity Catholic Primary School",
    "Meadowbank Infant School",
    "Kingsway Junior School",
    "Parkside Community College",
    "Greenhill Sixth Form College",
    "Brook Street Primary School",
    "Millfield Academy",
    "Ashworth Grammar School",
    "Town Further Education College",
]


def event_day() -> date:
    """About five weeks ahead, as in the handbook's planning timeline."""
    return (datetime.now(UTC) + timedelta(days=35)).date()


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def sign_in(page: Page, user: User, *, check: bool = True) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    if check:
        axe_check(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/events/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")


def task_status(page: Page, name: str) -> str:
    item = page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )
    return item.locator(".govuk-task-list__status").inner_text().strip()


def test_organiser_plans_the_handbook_example_event(
    page: Page, live_server: str, make_user: Callable[..., User]
) -> None:
    organiser = make_user()
    day = event_day()

    # Sign in through the sign-in page.
    sign_in(page, organiser)
    axe_check(page)

    # "Create an event": the handbook's example, with 18:00 to 20:00 filled in already.
    page.get_by_role("button", name="Create an event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an event")
    expect(page.get_by_label("Start time")).to_have_value("18:00")
    expect(page.get_by_label("End time")).to_have_value("20:00")
    expect(page.get_by_label("In person", exact=True)).to_be_checked()
    axe_check(page)
    page.get_by_label("Event title").fill(TITLE)
    page.get_by_label(AWARENESS).check()
    fill_date(page, "Date of the event", day)
    page.get_by_label("End time").fill("17:00")  # before the start: one validation error
    page.get_by_label("Venue name").fill(VENUE)
    page.get_by_label("Venue address").fill("\n".join(ADDRESS))
    page.get_by_label("Capacity").fill("30")
    page.get_by_role("button", name="Save event").click()

    # The form comes back with the error summary, keeping what was typed.
    expect(page).to_have_title(re.compile(r"^Error: Create an event"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an end time after the start time")
    expect(page.get_by_label("Event title")).to_have_value(TITLE)
    expect(page.get_by_role("group", name="Date of the event").get_by_label("Year")).to_have_value(
        str(day.year)
    )
    axe_check(page)
    summary.get_by_role("link", name="Enter an end time after the start time").click()
    expect(page.get_by_label("End time")).to_be_focused()
    page.get_by_label("End time").fill("20:00")
    page.get_by_role("button", name="Save event").click()

    # The overview: a draft with its planning stages.
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Event created as a draft")
    overview_url = page.url
    # The venue and address show one line each, escaped, not as literal "<br>".
    venue = page.locator(".govuk-summary-list__row").filter(has_text="Venue (private)")
    expect(venue.locator(".govuk-summary-list__value")).to_have_text(
        re.compile(r"^\s*" + r"\s*".join(re.escape(line) for line in [VENUE, *ADDRESS]) + r"\s*$")
    )
    assert venue.locator(".govuk-summary-list__value br").count() == len(ADDRESS)
    assert task_status(page, "Objectives") == "Not started"
    axe_check(page)

    # "First, consider your objectives": one SMART objective.
    page.get_by_role("link", name="Objectives", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives")
    expect(page.get_by_text("There are no objectives yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Add an objective").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an objective")
    axe_check(page)
    page.get_by_label("Objective", exact=True).fill(OBJECTIVE)
    page.get_by_label("Specific: who is it for?").fill("Safeguarding leads in 15 local schools")
    page.get_by_label("Specific: what should change?").fill(
        "Increased understanding of the links between mental health and radicalisation"
    )
    page.get_by_label("Number of target organisations represented").check()
    page.get_by_label("Target", exact=True).fill("15")
    page.get_by_label("Attainable: why is it achievable?").fill(
        "The schools' safeguarding network has agreed to promote the event to every school"
    )
    page.get_by_role("group", name="Relevant: which aim does it serve?").get_by_label(
        AWARENESS
    ).check()
    fill_date(page, "Time-bound: by when will you measure it?", day)
    page.get_by_role("button", name="Save objective").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Objective added.")
    card = page.locator(".govuk-summary-card")
    expect(card).to_have_count(1)
    expect(card.locator(".govuk-summary-card__title")).to_contain_text("SMART")
    expect(card).to_contain_text("Number of target organisations represented")
    expect(card).to_contain_text("15 organisations")
    checks = card.locator(".app-smart-check li")
    expect(checks).to_have_text(
        [
            "Specific: met",
            "Measurable: met",
            "Attainable: met",
            "Relevant: met",
            "Time-bound: met",
        ]
    )
    axe_check(page)

    # "Understand your audience": the profile, then the 15 schools pasted in.
    page.goto(overview_url)
    assert task_status(page, "Objectives") == "Completed"
    axe_check(page)
    page.get_by_role("link", name="Audience", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Understand your audience")
    axe_check(page)
    page.get_by_label("Primary audience sector").select_option(
        label="Education (Primary/ Secondary/ Further)"
    )
    page.get_by_label("Profession or role").fill("Teachers and safeguarding leads")
    page.get_by_label("What are they?").fill(
        "About 15 designated safeguarding leads, one per school, plus deputies"
    )
    page.get_by_label("Where are they?").fill("Primary and secondary schools across the borough")
    page.get_by_label("Barriers").fill("Busy during the school day; little time for training")
    page.get_by_label("Motivations and needs").fill(
        "Practical guidance on spotting and referring concerns"
    )
    page.get_by_label("Who influences them?").fill("The local authority designated officer")
    page.get_by_role("button", name="Save audience profile").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audience profile saved.")
    expect(page.get_by_label("Profession or role")).to_have_value("Teachers and safeguarding leads")
    axe_check(page)

    # The target organisations have a page of their own, so adding them cannot discard
    # the profile's typing. Sending an empty list shows an error, and says so in the title.
    page.get_by_role("link", name="Add target organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Target organisations")
    page.get_by_role("button", name="Add these organisations").click()
    expect(page).to_have_title(re.compile(r"^Error: Target organisations"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Paste at least one organisation")
    axe_check(page)
    summary.get_by_role("link", name="Paste at least one organisation").click()
    expect(page.get_by_label("Paste a list of organisations")).to_be_focused()
    page.get_by_label("Paste a list of organisations").fill("\n".join(SCHOOLS))
    page.get_by_role("button", name="Add these organisations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("15 organisations added.")
    table = page.get_by_role("table", name="15 organisations")
    expect(table.locator("tbody tr")).to_have_count(15)
    expect(table).to_contain_text("St Mary's Church of England Primary School")
    axe_check(page)

    # "Virtual or in-person?": weigh the pros, see the tally, decide.
    page.goto(overview_url)
    assert task_status(page, "Audience") == "Completed"
    axe_check(page)
    page.get_by_role("link", name="Virtual or in person", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Virtual or in person?")
    axe_check(page)
    in_person = page.get_by_role("group", name="What matters about meeting in person?")
    for pro in (
        "More engaging (and empowering)",
        "Body language cues (reading the room)",
        "More nuance to the conversation",
        "Conversations 'in the margins'",
    ):
        in_person.get_by_label(pro).check()
    page.get_by_role("group", name="What matters about an online event?").get_by_label(
        "No travel time required"
    ).check()
    page.get_by_role("button", name="Update the tally").click()
    tally = page.locator("#tally")
    expect(tally).to_contain_text("Online: 1 of 7. In person: 4 of 7.")
    expect(tally).to_contain_text("More of what matters (4 to 1) favours meeting in person.")
    expect(in_person.get_by_label("Conversations 'in the margins'")).to_be_checked()
    axe_check(page)
    page.get_by_role("group", name="What have you decided?").get_by_label(
        "In person", exact=True
    ).check()
    page.get_by_label("Why?").fill(
        "Safeguarding leads value talking to each other in the margins, and the subject "
        "needs nuance and trust that are easier to build in the room."
    )
    page.get_by_role("button", name="Save decision").click()

    # Back on the overview, the three stages are done.
    expect(page).to_have_url(overview_url)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Format decision saved.")
    assert task_status(page, "Objectives") == "Completed"
    assert task_status(page, "Audience") == "Completed"
    assert task_status(page, "Virtual or in person") == "Completed"
    axe_check(page)

    assert problems_of(page).page_errors == []
    assert problems_of(page).console_errors == []


def test_pages_work_without_javascript(
    browser: Browser, live_server: str, make_user: Callable[..., User]
) -> None:
    """Sign in and create an event with JavaScript turned off: plain forms and redirects."""
    organiser = make_user()
    context = new_context(browser, live_server, java_script_enabled=False)
    try:
        page = new_page(context)
        sign_in(page, organiser, check=False)  # axe needs JavaScript
        assert "govuk-frontend-supported" not in (page.locator("body").get_attribute("class") or "")
        page.get_by_role("button", name="Create an event").click()
        page.get_by_label("Event title").fill(TITLE)
        page.get_by_label(AWARENESS).check()
        fill_date(page, "Date of the event", event_day())
        page.get_by_label("Venue name").fill("Civic Centre")
        page.get_by_role("button", name="Save event").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Event created as a draft"
        )
        assert task_status(page, "Event details") == "Completed"
    finally:
        context.close()


def test_govuk_frontend_javascript_initialises(
    page: Page, live_server: str, make_user: Callable[..., User]
) -> None:
    """GOV.UK Frontend starts on the overview, with no console errors or CSP violations."""
    organiser = make_user()
    sign_in(page, organiser, check=False)
    page.get_by_role("button", name="Create an event").click()
    page.get_by_label("Event title").fill(TITLE)
    page.get_by_label(AWARENESS).check()
    fill_date(page, "Date of the event", event_day())
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    # A council service: the generic header without the crown, and Arial, not GDS Transport.
    expect(page.locator(".govuk-generic-header")).to_be_visible()
    expect(page.locator("header svg, .govuk-header__logotype")).to_have_count(0)
    font = page.locator("h1").evaluate("(el) => getComputedStyle(el).fontFamily")
    assert font.lower().startswith("arial"), font
    assert page.evaluate("() => [...document.fonts].map((f) => f.family)") == []
    # initAll() marks every component it starts with data-<module>-init.
    modules = page.eval_on_selector_all(
        "[data-module]",
        """(elements) => elements.map((el) => ({
            module: el.dataset.module,
            started: el.hasAttribute(`data-${el.dataset.module}-init`),
        }))""",
    )
    assert {m["module"] for m in modules} >= {
        "govuk-notification-banner",
        "govuk-service-navigation",
    }
    assert [m for m in modules if not m["started"]] == []
    # The success banner takes focus so screen reader users hear it.
    expect(page.locator(".govuk-notification-banner")).to_be_focused()
    assert problems_of(page).page_errors == []
    assert problems_of(page).console_errors == []
