"""Calendar entries follow the event: cancellation, stable UIDs, no stale joining links."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from sqlalchemy.exc import IntegrityError

from eventapp.calendars import ical
from eventapp.checklist import services as checklist_services
from eventapp.events import services as event_services
from eventapp.events.models import EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.formats import services as format_services
from eventapp.routing import REQUEST_LOGGERS
from tests.conftest import signed_in_session

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _vevent(event):
    return vobject.readOne(
        ical.event_to_ical(event, host="h", url="u", now=NOW).decode()
    ).vevent


@pytest.mark.timezone_sensitive
def test_archiving_cancels_with_a_higher_sequence_and_restoring_reinstates(
    app, make_event, organiser
) -> None:
    event = make_event()
    assert int(_vevent(event).sequence.value) == 0
    event_services.change_status(event=event, to=EventStatus.ARCHIVED, actor=organiser)
    db.session.commit()
    cancelled = _vevent(event)
    assert cancelled.status.value == "CANCELLED"
    assert int(cancelled.sequence.value) == 1
    event_services.change_status(event=event, to=EventStatus.DRAFT, actor=organiser)
    db.session.commit()
    restored = _vevent(event)
    assert restored.status.value == "TENTATIVE"  # restored as a draft
    assert int(restored.sequence.value) == 2


def test_a_status_change_a_calendar_cannot_see_leaves_the_sequence(app, make_event, organiser):
    event = make_event()
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    db.session.commit()
    assert event.ics_sequence == 0


def test_uid_does_not_depend_on_the_host_name(app, make_event, organiser) -> None:
    event = make_event()
    uids = set()
    for host in ("localhost", "127.0.0.1:5000", "events.council.example"):
        client = app.test_client()
        with client.session_transaction(base_url=f"http://{host}") as session:
            session.update(signed_in_session(organiser))
        response = client.get(f"/events/{event.id}/calendar.ics", base_url=f"http://{host}")
        assert response.status_code == 200, host
        uids.add(vobject.readOne(response.get_data(as_text=True)).vevent.uid.value)
    assert uids == {f"event-{event.id}@{app.config['CALENDAR_UID_DOMAIN']}"}


def test_switching_to_in_person_leaves_the_joining_link_out(app, make_event, organiser) -> None:
    event = make_event(
        format=EventFormat.HYBRID, online_platform="Teams", joining_link="https://t.example/j"
    )
    format_services.record_decision(
        event=event, actor=organiser, pros=["engaging"], chosen=EventFormat.IN_PERSON,
        rationale="A sensitive topic", actions=[],
    )
    db.session.commit()
    assert event.joining_link == "https://t.example/j"  # kept, for a switch back
    vevent = _vevent(event)
    assert "t.example" not in vevent.description.value
    assert "Civic Hall" in vevent.location.value
    assert event.ics_sequence == 1


def test_feed_tokens_are_redacted_from_request_logs(app) -> None:
    token = "AbC-123_xyz" * 4
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s',
        ("127.0.0.1", f"GET /calendar/{token}.ics HTTP/1.1", "200"), None,
    )
    for name in REQUEST_LOGGERS:
        for log_filter in logging.getLogger(name).filters:
            assert log_filter.filter(record)
    assert token not in record.getMessage()
    assert "/calendar/[redacted].ics" in record.getMessage()


def test_a_conflicting_write_gets_a_try_again_page_not_a_500(app, client, monkeypatch) -> None:
    def conflict():
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setitem(app.view_functions, "main.healthz", conflict)
    response = client.get("/healthz")
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)


@pytest.mark.timezone_sensitive
@pytest.mark.parametrize("change", ["archive", "undated"])
def test_my_tasks_leaves_out_archived_and_undated_events(app, make_event, organiser, change) -> None:
    event = make_event(day=(datetime.now(UTC) + timedelta(days=40)).date())
    other = make_event(day=date.today() + timedelta(days=50))
    for e in (event, other):
        for row in checklist_services.checklist(e).weeks[0].rows:
            checklist_services.set_owner(task=row.task, actor=organiser, owner_id=organiser.id)
    db.session.commit()
    before = {row.task.event_id for row in checklist_services.my_tasks(organiser)}
    assert before == {event.id, other.id}
    if change == "archive":
        event_services.change_status(event=event, to=EventStatus.ARCHIVED, actor=organiser)
    else:
        event.starts_at = event.ends_at = None
    db.session.commit()
    after = {row.task.event_id for row in checklist_services.my_tasks(organiser)}
    assert after == {other.id}
