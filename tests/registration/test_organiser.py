"""The organiser's pages: approval, settings, check-in, walk-ins, export, purge, the stage."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp import stages
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from eventapp.registration import instructions, purge, queries
from eventapp.registration.models import (
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from tests.registration.conftest import mails, register_and_confirm, registration


def test_approval_mode_waits_for_the_organiser(
    client: FlaskClient, signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=1, mode=ApprovalMode.APPROVAL)
    client.get("/sign-out")
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "one@example.org")
    register_and_confirm(public, event, "two@example.org")
    register_and_confirm(public, event, "three@example.org")
    assert registration("one@example.org").status is RegistrationStatus.PENDING
    page = signed_in.get(f"/events/{event.id}/registrations/")
    text = page.get_data(as_text=True)
    assert "0 confirmed of 1" in " ".join(text.split()).replace("</span>", "").replace(
        '<span class="app-tally">', ""
    )
    ids = [registration(e).id for e in ("one@example.org", "two@example.org")]
    response = signed_in.post(
        f"/events/{event.id}/registrations/", data={"ids": ids, "action": "approve"}
    )
    assert response.status_code == 302
    assert registration("one@example.org").status is RegistrationStatus.CONFIRMED
    assert registration("two@example.org").status is RegistrationStatus.WAITING
    response = signed_in.post(
        f"/events/{event.id}/registrations/",
        data={
            "ids": [registration("three@example.org").id],
            "action": "decline",
            "message": "The room is small.",
        },
    )
    assert registration("three@example.org").status is RegistrationStatus.DECLINED
    declined = mails("registration_status", to="three@example.org")[-1]
    assert "The room is small." in declined.body_text
    # Cancelling the confirmed one promotes the waiting one, in the same request.
    signed_in.post(f"/events/{event.id}/registrations/", data={"ids": [ids[0]], "action": "cancel"})
    assert registration("two@example.org").status is RegistrationStatus.CONFIRMED
    overview = signed_in.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 confirmed of 1, 0 waiting" in overview


def test_an_approval_queues_behind_the_waiting_list_whatever_the_app_servers_clock(
    client: FlaskClient,
    signed_in: FlaskClient,
    open_event: Callable[..., Event],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A confirmation stamps the waiting list with the database's clock under the place lock;
    an organiser's approval onto the list must read the same clock, or an app server whose
    clock is behind would put the person approved now ahead of those already waiting."""
    event = open_event(capacity=1, mode=ApprovalMode.APPROVAL)
    client.get("/sign-out")
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "held@example.org")
    register_and_confirm(public, event, "approved-later@example.org")
    held = registration("held@example.org").id
    signed_in.post(f"/events/{event.id}/registrations/", data={"ids": [held], "action": "approve"})
    assert registration("held@example.org").status is RegistrationStatus.CONFIRMED
    # The organiser switches to automatic places; the next confirmation joins the list.
    settings = db.session.get(RegistrationSettings, event.id)
    assert settings is not None
    settings.mode = ApprovalMode.AUTOMATIC
    db.session.commit()
    register_and_confirm(public, event, "waiting-first@example.org")
    first = registration("waiting-first@example.org")
    assert first.status is RegistrationStatus.WAITING and first.waitlisted_at is not None
    time.sleep(0.01)  # SQLite's clock counts milliseconds
    # This app server's clock is an hour behind the database's.
    behind = utcnow() - timedelta(hours=1)
    monkeypatch.setattr("eventapp.registration.services.utcnow", lambda: behind)
    later = registration("approved-later@example.org").id
    response = signed_in.post(
        f"/events/{event.id}/registrations/", data={"ids": [later], "action": "approve"}
    )
    assert response.status_code == 302
    approved = registration("approved-later@example.org")
    assert approved.status is RegistrationStatus.WAITING
    assert approved.waitlisted_at is not None and approved.waitlisted_at > first.waitlisted_at
    queue = db.session.scalars(
        select(Registration.email)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .order_by(Registration.waitlisted_at, Registration.id)
    ).all()
    assert queue == ["waiting-first@example.org", "approved-later@example.org"]
    # A place freed now goes to the one who waited first.
    signed_in.post(f"/events/{event.id}/registrations/", data={"ids": [held], "action": "cancel"})
    assert registration("waiting-first@example.org").status is RegistrationStatus.CONFIRMED
    assert registration("approved-later@example.org").status is RegistrationStatus.WAITING


def test_check_in_walk_in_and_attendance(
    signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "a@example.org", name="Alice Arrives")
    register_and_confirm(public, event, "b@example.org", name="Bob Absent")
    page = signed_in.get(f"/events/{event.id}/registrations/check-in?q=alice")
    text = page.get_data(as_text=True)
    assert "Alice Arrives" in text and "Bob Absent" not in text
    alice = registration("a@example.org")
    url = f"/events/{event.id}/registrations/check-in/{alice.id}"
    assert signed_in.post(url, data={"action": "arrived"}).status_code == 302
    assert registration("a@example.org").checked_in_at is not None
    signed_in.post(url, data={"action": "undo"})
    assert registration("a@example.org").checked_in_at is None
    signed_in.post(url, data={"action": "arrived"})
    response = signed_in.post(
        f"/events/{event.id}/registrations/check-in/walk-in",
        data={"name": "Walter Walkin", "organisation": "Grays Mosque", "sector": "faith"},
    )
    assert response.status_code == 302
    figures = queries.attendance(event.id)
    assert (figures.confirmed, figures.attended, figures.walk_ins) == (2, 2, 1)
    assert dict(queries.attended_by(event.id, "sector")) == {"education_schools": 1, "faith": 1}
    sheet = signed_in.get(f"/events/{event.id}/registrations/sign-in-sheet")
    assert "Bob Absent" in sheet.get_data(as_text=True)


@pytest.mark.parametrize("sector", ["\r", " ", "\t\n", "not-a-sector"])
def test_a_walk_in_with_a_blank_or_unknown_sector_is_asked_again(
    signed_in: FlaskClient, open_event: Callable[..., Event], sector: str
) -> None:
    # Found by the security fuzzer: name=0, sector=\r gave a server error.
    event = open_event(capacity=5)
    response = signed_in.post(
        f"/events/{event.id}/registrations/check-in/walk-in", data={"name": "0", "sector": sector}
    )
    assert response.status_code == 200
    assert queries.attendance(event.id).walk_ins == 0


def test_export_neutralises_formulas(
    signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event()
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "f@example.org", name="=HYPERLINK(1)")
    response = signed_in.get(f"/events/{event.id}/registrations/registrations.csv")
    body = response.get_data(as_text=True)
    assert "'=HYPERLINK(1)" in body
    assert response.mimetype == "text/csv"


def test_settings_and_purge(signed_in: FlaskClient, open_event: Callable[..., Event]) -> None:
    event = open_event()
    response = signed_in.post(
        f"/events/{event.id}/registrations/settings",
        data={
            "mode": "approval",
            "release_hours": "24",
            "retention_days": "30",
            "instructions_note": "Use the side door.",
        },
    )
    assert response.status_code == 302
    public = signed_in.application.test_client()
    own = register_and_confirm(public, event, "p@example.org", name="Pat Purged")
    assert registration("p@example.org").status is RegistrationStatus.PENDING
    # A queued message to them is withheld by the purge.
    queued = mails(to="p@example.org")[-1]
    queued.state = MessageState.QUEUED
    db.session.commit()
    assert purge.due_events() == []
    later = event.ends_at + timedelta(days=31)  # type: ignore[operator]
    assert [e.id for e in purge.due_events(later)] == [event.id]
    signed_in.post(f"/events/{event.id}/registrations/purge", data={"submit": "y"})
    row = db.session.scalar(select(Registration).where(Registration.event_id == event.id))
    assert row is not None
    db.session.refresh(row)
    assert (row.name, row.email, row.access_needs, row.question) == ("", None, "", "")
    assert row.organisation == "Grays Academy" and row.sector is not None
    assert public.get(own).status_code == 404
    message = db.session.get(OutboxMessage, queued.id)
    assert message is not None
    db.session.refresh(message)
    assert message.state is MessageState.WITHHELD and message.recipient == ""
    assert purge.due_events(later) == []
    assert queries.attendance(event.id).pending == 1


def test_stage_summary(app: Flask, open_event: Callable[..., Event]) -> None:
    event = open_event(capacity=30)
    now = utcnow()
    db.session.add_all(
        [
            Registration(
                event_id=event.id,
                name=f"P{n}",
                email=f"p{n}@example.org",
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=now,
            )
            for n in range(23)
        ]
        + [
            Registration(
                event_id=event.id,
                name=f"W{n}",
                email=f"w{n}@example.org",
                status=RegistrationStatus.WAITING,
                waitlisted_at=now,
            )
            for n in range(4)
        ]
    )
    db.session.commit()
    with app.test_request_context():
        [stage] = [s for s in stages.stages_for(event) if s.title == "Registration"]
    assert stage.hint == "23 confirmed of 30, 4 waiting."


def test_target_organisations_registered_and_represented(
    signed_in: FlaskClient, open_event: Callable[..., Event], organiser: object
) -> None:
    from eventapp.audience.models import TargetOrganisation
    from eventapp.registration import organiser as organiser_services

    event = open_event(capacity=10)
    db.session.add_all(
        TargetOrganisation(event_id=event.id, name=n)
        for n in ("Grays Academy", "Aveley Primary School", "Thurrock Mind")
    )
    db.session.commit()
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "g@example.org")  # organisation: Grays Academy
    registered = organiser_services.target_matches(event, attended=False)
    assert (registered.matched, registered.missing) == (
        ["Grays Academy"],
        ["Aveley Primary School", "Thurrock Mind"],
    )
    page = signed_in.get(f"/events/{event.id}/registrations/").get_data(as_text=True)
    assert "1 of 3 target organisations registered" in page
    assert organiser_services.target_matches(event, attended=True).matched == []
    signed_in.post(
        f"/events/{event.id}/registrations/check-in/{registration('g@example.org').id}",
        data={"action": "arrived"},
    )
    check_in = signed_in.get(f"/events/{event.id}/registrations/check-in").get_data(as_text=True)
    assert "1 of 3 target organisations represented" in check_in


def test_a_pending_registrant_is_emailed_when_the_organiser_decides(
    signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """The promise to someone waiting for approval: "we will email you when they have decided",
    whichever way the organiser decides."""
    event = open_event(capacity=5, mode=ApprovalMode.APPROVAL)
    public = signed_in.application.test_client()
    for email in ("yes@example.org", "no@example.org"):
        register_and_confirm(public, event, email)
        [waiting] = mails("registration_status", to=email)
        assert "we will email you when they have decided" in waiting.body_text
    url = f"/events/{event.id}/registrations/"
    signed_in.post(url, data={"ids": [registration("yes@example.org").id], "action": "approve"})
    signed_in.post(url, data={"ids": [registration("no@example.org").id], "action": "decline"})
    assert registration("yes@example.org").status is RegistrationStatus.CONFIRMED
    assert registration("no@example.org").status is RegistrationStatus.DECLINED
    approved = mails("registration_status", to="yes@example.org")[1:]
    declined = mails("registration_status", to="no@example.org")[1:]
    assert [m.subject for m in approved] == [f"Your place at {event.title} is confirmed"]
    assert [m.subject for m in declined] == [f"Your registration for {event.title}"]
    assert "not able to offer you a place" in declined[0].body_text


def test_an_update_before_the_release_time_goes_with_the_joining_instructions(
    signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """The settings promise "Confirmed attendees get it then" (the chosen hours before the
    start), and "Update saved: confirmed attendees get it with their joining instructions"."""
    event = open_event(capacity=5)
    settings_url = f"/events/{event.id}/registrations/settings"
    signed_in.post(
        settings_url,
        data={"mode": "automatic", "release_hours": "24", "retention_days": "30",
              "instructions_note": "Use the side door."},
    )
    public = signed_in.application.test_client()
    register_and_confirm(public, event, "early@example.org")
    # The room changes weeks ahead: the organiser saves the note and sends the update.
    signed_in.post(
        settings_url,
        data={"mode": "automatic", "release_hours": "24", "retention_days": "30",
              "instructions_note": "We have moved to Room 4."},
    )
    page = signed_in.post(
        f"/events/{event.id}/registrations/send-update", data={}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Update saved: confirmed attendees get it with their joining instructions." in page
    assert mails("joining_instructions") == []
    starts = event.starts_at
    assert starts is not None
    assert instructions.send_due(now=starts - timedelta(hours=25)) == 0
    assert instructions.send_due(now=starts - timedelta(hours=23)) == 1
    db.session.commit()
    [message] = mails("joining_instructions")
    assert message.recipient == "early@example.org"
    assert "We have moved to Room 4." in message.body_text
    assert "Use the side door." not in message.body_text
    assert "1 High Street" in message.body_text
    # Once only.
    assert instructions.send_due(now=starts - timedelta(hours=22)) == 0
