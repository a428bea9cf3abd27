"""Registration in a real browser: an invitee follows their emailed link, registers (axe at
375 px and on desktop), confirms the email, is approved, receives the joining instructions
at the release time (time moved in the test), downloads the calendar file; the organiser
checks them in on a tablet-sized page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp import tokens
from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import EventStatus
from eventapp.extensions import db
from eventapp.handbook import Aim
from eventapp.invitations.models import Invitee
from eventapp.mail.models import OutboxMessage
from eventapp.notices.accessibility import PUBLIC_DESIGN_WIDTH
from eventapp.registration import instructions
from eventapp.registration.models import ApprovalMode, RegistrationSettings
from eventapp.tokens import TokenPurpose
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser

VENUE = "Orsett Road, Grays RM17 5DX"


def _last_mail(kind: str) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.scalars(
        select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .where(OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, kind
    return message


def _path(message: OutboxMessage, prefix: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}[A-Za-z0-9_\-]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_invitee_registers_is_approved_gets_instructions_and_is_checked_in(
    page: Page, browser: Browser, live_server: str, app: Flask,
    make_user: Callable[..., User],
) -> None:
    organiser = make_user()
    day = (datetime.now(UTC) + timedelta(days=5)).date()
    event = event_services.create_event(
        council_id=organiser.council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title="Prevent roundtable for community leaders", aims=[Aim.AWARENESS],
            day=day, start=time(18), end=time(20), public_location="Grays",
            venue_name="Thameside Theatre", venue_address=VENUE, capacity=20,
        ),
    )
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    event_services.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
    db.session.add(RegistrationSettings(event_id=event.id, mode=ApprovalMode.APPROVAL))
    invitee = Invitee(event_id=event.id, name="Asha Khan", email="asha@example.org",
                      organisation="Grays Community Centre")
    db.session.add(invitee)
    db.session.flush()
    invitation = tokens.issue(TokenPurpose.INVITATION, invitee.id).raw
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = live_server

    # The invitee, on a phone.
    phone = new_page(new_context(browser, live_server))
    phone.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    phone.goto(f"/i/{invitation}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(event.title)
    assert VENUE not in phone.content()
    axe_check(phone)
    phone.get_by_role("button", name="Register for a place").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Register for a place")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PUBLIC_DESIGN_WIDTH
    axe_check(phone)
    phone.get_by_role("button", name="Register").click()  # empty: errors, as instructions
    expect(phone.locator(".govuk-error-summary")).to_contain_text("Enter your full name")
    axe_check(phone)
    phone.get_by_label("Full name").fill("Asha Khan")
    phone.get_by_label("Email address").fill("asha@example.org")
    phone.get_by_label("Organisation", exact=True).fill("Grays Community Centre")
    phone.get_by_label("Charity").check()
    phone.get_by_label("Access needs (optional)").fill("Hearing loop")
    phone.get_by_label("I have read the privacy notice").check()
    phone.get_by_role("button", name="Register").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe_check(phone)

    phone.goto(_path(_last_mail("registration_confirm"), "/r/confirm/"))
    axe_check(phone)
    phone.get_by_role("button", name="Confirm my email address").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(phone.locator("#status")).to_have_text("Waiting for approval")
    axe_check(phone)
    own = phone.url

    # The organiser approves, on a desktop.
    sign_in(page, organiser)
    page.goto(f"/events/{event.id}/registrations/")
    axe_check(page)
    page.get_by_label("Select Asha Khan").check()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 registration changed")

    phone.goto(own)
    expect(phone.locator("#status")).to_have_text("Confirmed")
    assert VENUE not in phone.content()  # not released yet

    # The release time comes (48 hours before the start): the job sends the instructions.
    db.session.expire_all()
    later = event.starts_at - timedelta(hours=47)  # type: ignore[operator]
    assert instructions.send_due(now=later) == 1
    db.session.commit()
    message = _last_mail("joining_instructions")
    assert VENUE in message.body_text
    assert message.attachments[0].filename == "event.ics"

    # The organiser checks them in on a tablet.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"/events/{event.id}/registrations/check-in")
    page.get_by_label("Search by name or organisation").fill("asha")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("button", name=re.compile("Arrived")).click()
    expect(page.locator("#check-in-list")).to_contain_text("Arrived at")
    expect(page.locator("#attended-count")).to_contain_text("1 arrived")
    assert problems_of(phone).page_errors == []
    assert problems_of(page).page_errors == []


def test_public_pages_desktop_axe(page: Page, live_server: str, make_user: Callable[..., User]
                                  ) -> None:
    organiser = make_user()
    event = event_services.create_event(
        council_id=organiser.council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title="Desktop roundtable", aims=[Aim.AWARENESS],
            day=(datetime.now(UTC) + timedelta(days=20)).date(), start=time(18), end=time(20),
            capacity=10,
        ),
    )
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    event_services.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in (f"/e/{event.public_slug}", f"/e/{event.public_slug}/register",
                 f"/e/{event.public_slug}/register/check-your-email"):
        page.goto(path)
        axe_check(page)
