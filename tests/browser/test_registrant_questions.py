"""Registrants' questions in a real browser, on an event for registrants only: two registrants
ask from their own pages on phones (one anonymously, one by name asking to be told of
follow-up), both vote and one vote is withdrawn; the public link is refused; the organiser
merges two questions, approves, opens the presenter view, marks one answered with an action
and marks the action done, which emails the named asker. axe on the registrant's pages at
375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from eventapp import tokens
from eventapp.accounts.models import User
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow
from eventapp.notices.accessibility import PUBLIC_DESIGN_WIDTH
from eventapp.questions import services
from eventapp.questions.models import Question, WhoMayAsk
from eventapp.registration.models import (
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from eventapp.tokens import TokenPurpose
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser


def _registrant(event: Event, name: str, email: str, organisation: str) -> str:
    """A confirmed registration; returns its own page's path."""
    now = utcnow()
    row = Registration(
        event_id=event.id,
        name=name,
        email=email,
        organisation=organisation,
        status=RegistrationStatus.CONFIRMED,
        email_confirmed_at=now,
        confirmed_at=now,
    )
    db.session.add(row)
    db.session.flush()
    return "/r/" + tokens.issue(TokenPurpose.REGISTRATION, row.id).raw


def _ask(phone: Page, own: str, text: str, *, named: bool = False, tell: bool = False) -> None:
    phone.goto(own)
    axe_check(phone)
    phone.get_by_role("link", name="Ask and vote on questions").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Questions")
    axe_check(phone)
    phone.get_by_role("button", name="Ask a question").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ask a question")
    axe_check(phone)
    phone.get_by_label("Your question").fill(text)
    if named:
        phone.get_by_label("With my first name").check()
        expect(phone.get_by_role("textbox", name="First name")).to_have_value("Priya")
    else:
        phone.get_by_label("Anonymously").check()
    if tell:
        phone.get_by_label(re.compile("Email me when the organiser")).check()
    phone.get_by_role("button", name="Send question").click()
    expect(phone.locator(".govuk-notification-banner")).to_contain_text("Your question was sent")
    expect(phone).to_have_url(re.compile(re.escape(own) + "/questions$"))


def test_registrants_ask_vote_and_are_told_of_follow_up(
    page: Page, browser: Browser, live_server: str, make_event, organiser: User
) -> None:
    event = make_event(capacity=20)
    event.status = EventStatus.OPEN
    db.session.add(RegistrationSettings(event_id=event.id, mode=ApprovalMode.AUTOMATIC))
    services.save_settings(
        event=event,
        actor=organiser,
        is_open=True,
        needs_approval=True,
        who_may_ask=WhoMayAsk.REGISTRANTS,
    )
    anon_own = _registrant(event, "Sam Okafor", "sam@example.org", "Grays Mosque")
    named_own = _registrant(event, "Priya Shah", "priya@example.org", "Grays Youth Club")
    db.session.commit()

    phones = []
    for _ in range(2):
        phone_context = new_context(browser, live_server)
        phone = new_page(phone_context)
        phone.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
        phones.append((phone_context, phone))
    (_, anon), (_, named) = phones

    # The public link is refused and points to the registrant's own page.
    anon.goto(f"/e/{event.public_slug}/questions")
    expect(anon.locator(".govuk-inset-text")).to_contain_text(
        "Ask and vote on your own registration page"
    )
    expect(anon.get_by_role("button", name="Ask a question")).to_have_count(0)

    _ask(anon, anon_own, "Does Prevent encourage spying on pupils?")
    _ask(named, named_own, "Will a referral give my son a criminal record?", named=True, tell=True)
    _ask(named, named_own, "Do referrals go on a criminal record?", named=True)
    expect(anon.get_by_text("Does Prevent encourage spying")).to_have_count(0)  # not approved

    # The organiser merges the duplicate and approves the rest.
    sign_in(page, organiser, check=False)
    page.goto(f"/events/{event.id}/questions/")
    expect(page.get_by_role("heading", name="Waiting for approval (3)")).to_be_visible()
    duplicate = page.locator(".govuk-summary-card", has_text="Do referrals go on")
    duplicate.get_by_role("link", name=re.compile("Merge")).click()
    page.get_by_label("Will a referral give my son a criminal record?").check()
    page.get_by_role("button", name="Merge questions").click()
    for text in ("Does Prevent encourage spying", "Will a referral give"):
        card = page.locator(".govuk-summary-card", has_text=text)
        card.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("heading", name="Approved (2)")).to_be_visible()

    # Both vote for both, from their own pages; one takes a vote back.
    for (_, phone), own in zip(phones, (anon_own, named_own), strict=True):
        phone.goto(f"{own}/questions")
        for text in ("Does Prevent encourage spying", "Will a referral give"):
            card = phone.locator(".app-question", has_text=text)
            card.get_by_role("button", name=re.compile("^Vote for this question")).click()
            expect(card.get_by_text("You voted for this")).to_be_visible()
    spying = anon.locator(".app-question", has_text="Does Prevent encourage spying")
    spying.get_by_role("button", name=re.compile("^Take back your vote")).click()
    expect(anon.get_by_text("You voted for this")).to_have_count(1)
    referral = anon.locator(".app-question", has_text="Will a referral give")
    expect(referral.locator(".app-question__meta")).to_contain_text("Priya, Grays Youth Club")
    expect(referral.locator(".app-question__meta")).to_contain_text("2 votes")
    expect(spying.locator(".app-question__meta")).to_contain_text("Anonymous")
    expect(spying.locator(".app-question__meta")).to_contain_text("1 vote")
    axe_check(anon)
    # The same registration in another browser still has its one vote.
    laptop_context = new_context(browser, live_server)
    laptop = new_page(laptop_context)
    laptop.goto(f"{anon_own}/questions")
    expect(laptop.get_by_text("You voted for this")).to_have_count(1)
    laptop_context.close()

    # The presenter view: most voted first.
    page.goto(f"/events/{event.id}/questions/present")
    items = page.locator(".app-present__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Will a referral give my son a criminal record?")

    # The chair records an action against the top question and marks it answered.
    page.goto(f"/events/{event.id}/questions/chair")
    top = page.locator(".govuk-summary-card", has_text="Will a referral give")
    top.get_by_role("link", name=re.compile("Add a follow-up action")).click()
    expect(page.locator(".govuk-inset-text", has_text="chose to be emailed")).to_be_visible()
    page.get_by_label("What needs to be done?").fill("Send the Channel leaflet to Priya's club")
    page.get_by_role("button", name="Save action").click()
    page.goto(f"/events/{event.id}/questions/chair")
    page.locator(".govuk-summary-card", has_text="Will a referral give").get_by_role(
        "button", name=re.compile("^Mark answered")
    ).click()
    expect(page.locator(".govuk-summary-card", has_text="Will a referral give")).to_have_count(0)

    # Marking the action done emails the named asker who agreed, and nobody else.
    page.goto(f"/events/{event.id}/questions/#actions")
    page.get_by_role("button", name=re.compile("^Mark done")).click()
    expect(page.get_by_role("cell", name="Done", exact=True)).to_be_visible()
    db.session.expire_all()
    sent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "question_action_done")
    ).all()
    assert [m.recipient for m in sent] == ["priya@example.org"]
    assert "Send the Channel leaflet" in sent[0].body_text
    anonymous = db.session.scalar(select(Question).where(Question.text.like("Does Prevent%")))
    assert anonymous is not None and anonymous.asker_registration_id is None

    for phone_context, _ in phones:
        phone_context.close()
    assert problems_of(page).page_errors == []
