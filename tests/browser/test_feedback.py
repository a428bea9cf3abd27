"""The Annex A form in a real browser at 375 px: open the short link, answer all ten
questions, check the answers, send, see the thank-you page. axe on each page (serious and
critical problems fail), no horizontal scrolling, and the stems in Annex A's order."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import annex_a
from eventapp.feedback.models import FeedbackAnswer
from eventapp.notices.accessibility import PUBLIC_DESIGN_WIDTH
from tests.browser.helpers import axe_check, problems_of, reflow_check
from tests.feedback.conftest import held_event  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PUBLIC_DESIGN_WIDTH


def test_answer_all_ten_questions_on_a_phone(page: Page, held_event: Callable[..., Event]) -> None:  # noqa: F811
    event = held_event()
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    page.goto(f"/e/{event.public_slug}/feedback")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Feedback Form")
    fits(page)
    axe_check(page)
    reflow_check(page)
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    legends = page.locator("legend").all_inner_texts()
    stems = [q.stem for q in annex_a.QUESTIONS if not q.pair]
    assert [legend for legend in legends if legend in stems] == stems

    choices = {
        "What is your gender?": "Prefer not to say",
        "What is your age?": "35 – 44 years",
        "Which of the following best represents the sector you currently work in?": "Other (please state)",
        "How did you hear about today's event?": "Word of mouth",
        "How interesting did you find the event you just attended?": "Very interesting",
        "Would you recommend attending this kind of event to a friend or family member?": "Yes",
        annex_a.QUESTIONS[6].stem: "Don't know",
        "Which element of the event did you find most interesting?": "Q&A with Home Office representative (if applicable)",
    }
    for legend, answer in choices.items():
        group = page.get_by_role("group", name=legend, exact=True)
        group.get_by_label(answer, exact=True).check()
    page.get_by_label("If you chose Other, please state your sector").fill("Youth work")
    for name, before, after in (
        ("knowledge", "Poor", "Very Good"),
        ("opinion", "Neutral", "Positive"),
    ):
        region = page.locator(f"#q-{name}")
        region.get_by_role("group").nth(0).get_by_label(before, exact=True).check()
        region.get_by_role("group").nth(1).get_by_label(after, exact=True).check()
        expect(region.locator("strong.app-when")).to_have_text(["BEFORE", "AFTER"])
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your feedback"
    )
    expect(page.locator("#answers")).to_contain_text("Other (please state): Youth work")
    fits(page)
    axe_check(page)
    page.get_by_role("button", name="Send feedback").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Feedback sent")
    fits(page)
    axe_check(page)
    stored = dict(db.session.execute(select(FeedbackAnswer.item, FeedbackAnswer.option)).all())
    assert stored["knowledge_before"] == "poor" and stored["knowledge_after"] == "very_good"
    assert stored["element"] == "home_office_qa" and stored["sector"] == "other"
    assert problems_of(page).console_errors == [] and problems_of(page).page_errors == []

    page.goto(f"/e/{event.public_slug}/feedback")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already sent feedback")
    axe_check(page)


def test_errors_are_shown_and_linked(page: Page, held_event: Callable[..., Event]) -> None:  # noqa: F811
    event = held_event()
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    page.goto(f"/e/{event.public_slug}/feedback")
    page.get_by_role(
        "group", name="How did you hear about today's event?", exact=True
    ).get_by_label("Other (please state)").check()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter how you heard about the event")
    fits(page)
    axe_check(page)


def _attendee_link(event: Event) -> str:
    from datetime import UTC, datetime

    from eventapp import tokens
    from eventapp.feedback.link_models import FeedbackLink
    from eventapp.feedback.links import hash_of
    from eventapp.registration.models import Registration, RegistrationStatus

    now = datetime.now(UTC)
    person = Registration(
        event_id=event.id, name="Amira Shah", email="a.shah@example.org",
        status=RegistrationStatus.CONFIRMED, confirmed_at=now, checked_in_at=now,
    )
    db.session.add(person)
    db.session.flush()
    raw = tokens.new_token()
    db.session.add(FeedbackLink(event_id=event.id, registration_id=person.id, token_hash=hash_of(raw)))
    db.session.commit()
    return raw


def test_a_personal_link_works_once(page: Page, held_event: Callable[..., Event]) -> None:  # noqa: F811
    event = held_event()
    raw = _attendee_link(event)
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    page.goto(f"/f/{raw}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Feedback Form")
    page.get_by_role("group", name="What is your gender?", exact=True).get_by_label("Female").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Feedback sent")
    page.goto(f"/f/{raw}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This feedback link has already been used")
    fits(page)
    axe_check(page)


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"() => document.activeElement?.matches({selector!r}) ?? false"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def test_two_paper_forms_with_the_keyboard_only(
    page: Page, held_event: Callable[..., Event], organiser: object  # noqa: F811
) -> None:
    from tests.browser.test_journey import sign_in

    event = held_event()
    sign_in(page, organiser, check=False)  # type: ignore[arg-type]
    page.goto(f"/events/{event.id}/feedback/paper")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter paper forms")
    axe_check(page)
    for form in (1, 2):
        _tab_to(page, "input[name=gender]")
        page.keyboard.press("ArrowDown")  # the second answer: Female
        _tab_to(page, "input[name=age]")
        page.keyboard.press("Space")  # the first answer: 0 – 14 years
        _tab_to(page, "input[name=knowledge_after]")
        page.keyboard.press("Space")
        _tab_to(page, "button.govuk-button, input[type=submit]")
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Form {form} saved.")
        expect(page.locator("#paper-count")).to_contain_text(
            f"{form} form{'s' if form > 1 else ''} entered in this batch"
        )
    stored = db.session.execute(
        select(FeedbackAnswer.option).where(FeedbackAnswer.item == "gender")
    ).scalars().all()
    assert stored == ["female", "female"]
    axe_check(page)
