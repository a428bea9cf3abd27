"""`flask demo load`: the held demo event's report takes its attendance from check-ins, and
the mail folder has joining instructions sent through the outbox (issue 10's done-when)."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from eventapp.evaluation import services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.feedback.demo import PAST_TITLE
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow
from eventapp.registration.demo import ONLINE_TITLE
from eventapp.registration.models import Registration, RegistrationStatus


def test_demo_reports_check_in_attendance_and_mails_joining_instructions(
    app: Flask, runner: FlaskCliRunner
) -> None:
    for _ in range(2):  # idempotent: the second load adds nothing
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output

    # Every held demo event with registrations has check-ins, at least one per response.
    held = db.session.scalars(
        select(Event).where(Event.status.in_([EventStatus.HELD, EventStatus.EVALUATED]))
    ).all()
    with_registrations = [
        e
        for e in held
        if db.session.scalar(select(Registration.id).where(Registration.event_id == e.id).limit(1))
    ]
    assert [e.title for e in with_registrations] == [PAST_TITLE]
    for event in with_registrations:
        report = services.build_report(event, today=utcnow().date())
        reach = report.reach
        assert reach.attendance_source == services.CHECKED_IN
        assert reach.attended is not None and reach.attended >= report.feedback.responses > 0
        assert reach.by_sector is not None and not reach.by_sector.withheld
        assert reach.by_sector.total.value == reach.attended
        assert any(row.cell.text == "fewer than 5" for row in reach.by_sector.rows)
    past = with_registrations[0]
    reach = services.build_report(past, today=utcnow().date()).reach
    assert (reach.attended, report.feedback.responses) == (52, 48)
    # Two schools matched by their staff's check-ins, two ticked by the organiser.
    assert (reach.represented, len(reach.organisations)) == (4, 6)
    assert reach.organisations_source == services.REPRESENTED_BY_CHECK_IN

    # Joining instructions for the online event tomorrow, one per confirmed attendee, sent
    # through the outbox to the mail folder.
    online = db.session.scalars(select(Event).where(Event.title == ONLINE_TITLE)).one()
    confirmed = set(
        db.session.scalars(
            select(Registration.email).where(
                Registration.event_id == online.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
    )
    queued = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "joining_instructions")
    ).all()
    assert {m.recipient for m in queued} == confirmed and len(queued) == len(confirmed) == 12
    files = sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*-joining_instructions.eml"))
    assert len(files) == 12
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert str(message["To"]).split("<")[-1].rstrip(">") in confirmed
    assert message["Subject"] == f"Joining instructions for {ONLINE_TITLE}"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert "https://teams.example.com/l/meetup-join/demo-roundtable" in text.get_content()
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert any(name and name.endswith(".ics") for name in attachments)
