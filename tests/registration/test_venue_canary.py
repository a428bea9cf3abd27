"""The venue address and joining link reach confirmed attendees after the release time only
(QUALITY 13): a canary address and link are looked for in every page, calendar file and email
that everyone else can receive, and found where a confirmed attendee should see them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from flask.testing import FlaskClient
from icalendar import Calendar

from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.registration import instructions, services
from eventapp.registration.models import ApprovalMode, RegistrationStatus
from eventapp.tokens import TokenPurpose
from tests.registration.conftest import mails, register_and_confirm, registration

CANARY_ADDRESS = "7 Canary Wharf Lane ZZ9"
CANARY_LINK = "https://meet.example/canary-b1rd"
CANARIES = (CANARY_ADDRESS, CANARY_LINK, "canary-b1rd", "Canary Wharf")


def _has_canary(text: str) -> bool:
    return any(c in text for c in CANARIES)


def _mail_texts(to: str) -> list[str]:
    texts = []
    for message in mails(to=to):
        texts.append(message.subject + message.body_text + message.body_html)
        texts += [a.data.decode("utf-8", "replace") for a in message.attachments]
    return texts


def test_canary_is_only_where_it_belongs(
    client: FlaskClient, signed_in: FlaskClient, open_event: Callable[..., Event],
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=3)).date()
    event = open_event(
        capacity=1, mode=ApprovalMode.APPROVAL, format=EventFormat.HYBRID, day=tomorrow,
        start=time(18, 0), end=time(20, 0), venue_address=CANARY_ADDRESS,
        joining_link=CANARY_LINK, online_platform="Teams",
    )
    other = open_event(capacity=5, venue_address="2 Elsewhere Road", joining_link="")
    public = signed_in.application.test_client()
    pages = {
        "confirmed": register_and_confirm(public, event, "confirmed@example.org"),
        "waiting": register_and_confirm(public, event, "waiting@example.org"),
        "declined": register_and_confirm(public, event, "declined@example.org"),
        "cancelled": register_and_confirm(public, event, "cancelled@example.org"),
        "pending": register_and_confirm(public, event, "pending@example.org"),
        "other event": register_and_confirm(public, other, "other@example.org"),
    }
    url = f"/events/{event.id}/registrations/"
    ids = {k: registration(f"{k}@example.org").id for k in ("confirmed", "waiting", "declined",
                                                            "cancelled")}
    signed_in.post(url, data={"ids": [ids["confirmed"], ids["waiting"]], "action": "approve"})
    signed_in.post(url, data={"ids": [ids["declined"]], "action": "decline"})
    signed_in.post(url, data={"ids": [ids["cancelled"]], "action": "approve"})
    signed_in.post(url, data={"ids": [ids["cancelled"]], "action": "cancel"})
    assert registration("confirmed@example.org").status is RegistrationStatus.CONFIRMED
    assert registration("waiting@example.org").status is RegistrationStatus.WAITING

    checked_pages = checked_files = checked_mails = 0
    # Anonymous visitors: the public pages of both events.
    for ev in (event, other):
        for path in (f"/e/{ev.public_slug}", f"/e/{ev.public_slug}/register",
                     f"/e/{ev.public_slug}/register/check-your-email"):
            assert not _has_canary(client.get(path).get_data(as_text=True)), path
            checked_pages += 1
    # Before the release time (three days away, released 48 hours before): nobody.
    for who, page in pages.items():
        assert not _has_canary(public.get(page).get_data(as_text=True)), who
        checked_pages += 1
        ics = public.get(page.rstrip("/") + "/calendar.ics")
        assert not _has_canary(ics.get_data(as_text=True)), who
        checked_files += 1
    for who in pages:
        email = "other@example.org" if who == "other event" else f"{who}@example.org"
        for text in _mail_texts(email):
            assert not _has_canary(text), who
            checked_mails += 1

    # Time moves past the release time: the job sends the instructions.
    later = event.starts_at - timedelta(hours=47)  # type: ignore[operator]
    sent = instructions.send_due(now=later)
    db.session.commit()
    assert sent == 1  # the confirmed attendee only (the other event is not released)
    for who in ("waiting", "declined", "cancelled", "pending"):
        for text in _mail_texts(f"{who}@example.org"):
            assert not _has_canary(text), who
            checked_mails += 1
    for text in _mail_texts("other@example.org"):
        assert not _has_canary(text)
        checked_mails += 1
    # The positive control: the confirmed attendee has it, in the email and its .ics.
    [message] = mails("joining_instructions")
    assert message.recipient == "confirmed@example.org"
    assert CANARY_ADDRESS in message.body_text and CANARY_LINK in message.body_html
    [attachment] = message.attachments
    calendar = Calendar.from_ical(attachment.data)
    [vevent] = calendar.walk("VEVENT")
    assert CANARY_LINK in str(vevent.get("location"))
    first_uid, first_sequence = str(vevent["uid"]), int(vevent["sequence"])
    # An update: same UID, higher SEQUENCE, to confirmed attendees only.
    from eventapp.registration import organiser as organiser_services

    with signed_in.application.test_request_context():
        from eventapp.accounts.models import User

        actor = db.session.scalars(db.select(User)).first()
        assert actor is not None
        assert organiser_services.send_update(event=event, actor=actor, now=later) == 1
    db.session.commit()
    update = mails("joining_instructions")[-1]
    [vevent2] = Calendar.from_ical(update.attachments[0].data).walk("VEVENT")
    assert str(vevent2["uid"]) == first_uid and int(vevent2["sequence"]) > first_sequence
    assert len(mails("joining_instructions")) == 2
    print(f"\nvenue canary: {checked_pages} pages, {checked_files} calendar files, "
          f"{checked_mails} emails checked without it; found in the confirmed attendee's "
          "email and calendar file")


def test_confirmed_after_release_gets_instructions_at_once(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    soon = (datetime.now(UTC) + timedelta(days=1)).date()
    event = open_event(capacity=5, day=soon, start=time(23, 0), end=time(23, 30),
                       venue_address=CANARY_ADDRESS)
    page = register_and_confirm(client, event, "late@example.org")
    [message] = mails("joining_instructions")
    assert CANARY_ADDRESS in message.body_text
    assert CANARY_ADDRESS in client.get(page).get_data(as_text=True)
    ics = client.get(page.rstrip("/") + "/calendar.ics")
    assert ics.mimetype == "text/calendar" and "no-store" in ics.headers["Cache-Control"]
    assert CANARY_ADDRESS.split()[0] in ics.get_data(as_text=True)
    assert services.is_released(event, services.settings_for(event), utcnow())
    assert re.search(r"UID:registration-\d+@localhost", ics.get_data(as_text=True))
    assert TokenPurpose.REGISTRATION  # the page link is a registration token


def test_the_joining_link_is_held_back_until_there_is_one(
    client: FlaskClient, signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """"We will send you the joining link": an online event opened without one sends no
    joining instructions (they would have no link) and tells the organiser; once the link is
    added, the job sends it."""
    soon = (datetime.now(UTC) + timedelta(days=1)).date()
    event = open_event(capacity=5, format=EventFormat.ONLINE, day=soon, start=time(23, 0),
                       end=time(23, 30), joining_link="", online_platform="Teams")
    page = register_and_confirm(client, event, "early@example.org")
    assert mails("joining_instructions") == []
    assert instructions.send_due() == 0
    assert "joining link" in client.get(page).get_data(as_text=True)
    warning = signed_in.get(f"/events/{event.id}/registrations/").get_data(as_text=True)
    assert "This event has no joining link yet" in warning
    event.joining_link = CANARY_LINK
    db.session.commit()
    assert instructions.send_due() == 1
    db.session.commit()
    [message] = mails("joining_instructions")
    assert message.recipient == "early@example.org" and CANARY_LINK in message.body_text
    assert "no joining link yet" not in signed_in.get(
        f"/events/{event.id}/registrations/"
    ).get_data(as_text=True)
