"""An organiser invites people in a real browser: a CSV with bad rows, the good ones imported,
a preview, the send; then the letters on disk and an invitee's personal link. Axe on every page.
"""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from datetime import time
from email import policy
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import EventStatus
from eventapp.extensions import db
from eventapp.handbook import Aim
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.browser.test_journey import event_day, sign_in

pytestmark = pytest.mark.browser

CSV = """name,email,organisation,sector,role
Asha Khan,asha.khan@example.org,Grays Community Centre,Charity,Manager
Tom Reed,t.reed@example.org,Aveley Primary School,Education (Primary/ Secondary/ Further),Safeguarding lead
No Address,,Somewhere,,
Broken Email,broken@,Nowhere,,
Tom Reed again,T.Reed@example.org,,,Head of year
Priya Nair,priya.nair@example.org,Thurrock Mosque,Faith,Trustee
"""
LINK = re.compile(r"(http://[^/\s]+/i/[A-Za-z0-9_-]{22,})")


def test_organiser_uploads_previews_and_sends_invitations(
    page: Page, browser: Browser, live_server: str, app: Flask,
    make_user: Callable[..., User], tmp_path: Path,
) -> None:
    organiser = make_user()
    event = event_services.create_event(
        council_id=organiser.council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title="Prevent roundtable for community leaders", aims=[Aim.AWARENESS],
            day=event_day(), start=time(18), end=time(20), public_location="Grays",
            venue_name="Thameside Theatre", venue_address="Orsett Road, Grays",
        ),
    )
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = live_server
    sign_in(page, organiser)

    page.goto(f"/events/{event.id}/invitations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(page.get_by_text("Nobody is on the list yet.")).to_be_visible()
    axe_check(page)

    # The upload: bad rows reported with their line numbers, nothing imported yet.
    page.get_by_role("link", name="Upload a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload invitees")
    axe_check(page)
    upload = tmp_path / "invitees.csv"
    upload.write_text(CSV)
    page.get_by_label("Upload a CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the upload")
    expect(page.locator("#upload-summary")).to_contain_text("3 people can be imported")
    rejected = page.locator("#rejected-rows tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text("4")
    expect(rejected.nth(0)).to_contain_text("There is no email address")
    expect(rejected.nth(1)).to_contain_text("“broken@” is not an email address")
    expect(page.get_by_text("Same email address as line 3: merged into it")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 invitees imported.")
    expect(page.locator("#invitation-counts")).to_contain_text("On the list")
    axe_check(page)

    # The letter and its preview for a chosen invitee.
    page.get_by_role("link", name="Letter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation letter")
    axe_check(page)
    page.get_by_role("link", name="Preview", exact=True).click()
    page.get_by_label("Preview for").select_option(label="Priya Nair, Thurrock Mosque")
    page.get_by_role("button", name="Show the preview").click()
    expect(page.locator("#preview-letter")).to_contain_text("Dear Priya Nair,")
    expect(page.locator("#preview-letter")).to_contain_text(
        "Grays (details are sent to confirmed attendees before the event)"
    )
    expect(page.locator("#preview-letter")).not_to_contain_text("Orsett Road")
    axe_check(page)

    # A channel with its flyer, and the numbers page.
    page.get_by_role("link", name="Channels and flyers").click()
    page.get_by_label("Flyers at CSO centres or offices").check()
    page.get_by_label("Name (optional)").fill("Flyers at Grays library")
    page.get_by_role("button", name="Add channel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Channel added")
    axe_check(page)
    page.get_by_role("link", name="A5 flyer for Flyers at Grays library").click()
    expect(page.locator(".app-flyer svg")).to_be_visible()
    axe_check(page)

    # Send.
    page.goto(f"/events/{event.id}/invitations/")
    page.get_by_role("button", name="Send to everyone not yet invited (3)").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "3 invitations queued for sending."
    )
    expect(page.locator("#delivery-progress")).to_contain_text("3 sent")
    axe_check(page)
    page.get_by_role("link", name="Week 3 numbers").click()
    expect(page.locator("#numbers-totals")).to_contain_text("Invited by email")
    expect(page.locator("#summary")).to_contain_text("Invited by email: 3")
    axe_check(page)

    # One .eml per invitee, with both parts and the personal link.
    files = sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))
    assert len(files) == 3
    links = []
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        (link,) = LINK.findall(plain)
        assert link in html
        assert "Orsett Road" not in plain + html
        links.append(link)
    assert len(set(links)) == 3

    # An invitee opens their link in their own browser: the public page, no address.
    visitor_context = new_context(browser, live_server)
    try:
        visitor = new_page(visitor_context)
        visitor.goto(links[0])
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "Prevent roundtable for community leaders"
        )
        expect(visitor.locator("#event-facts")).to_contain_text("Grays")
        expect(visitor.locator("body")).not_to_contain_text("Orsett Road")
        axe_check(visitor)
        assert not problems_of(visitor).console_errors
    finally:
        visitor_context.close()
    page.goto(f"/events/{event.id}/invitations/numbers")
    expect(page.locator("#summary")).to_contain_text("Opened their personal link: 1")
    assert not problems_of(page).console_errors, problems_of(page).console_errors
    assert not problems_of(page).page_errors
