"""The event's .ics download: stable UID, rising SEQUENCE, UK times, parsable by vobject."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import vobject
from icalendar import Calendar

from eventapp.calendars import ical
from eventapp.events import services as event_services
from eventapp.events.models import EventFormat
from eventapp.extensions import db
from eventapp.formatting import LONDON
from tests.calendars.icsfile import conformant, content_lines
from tests.conftest import login_as

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def _parse_independently(body: bytes):
    """Parse with vobject, a parser that did not write the file."""
    return vobject.readOne(body.decode("utf-8"))


def test_event_ics_parses_with_vobject_and_keeps_uk_time(app, make_event) -> None:
    event = make_event(day=date(2027, 6, 16), start=time(18, 0), end=time(20, 0))
    body = ical.event_to_ical(event, host="council.example", url="https://x/e", now=NOW)
    parsed = _parse_independently(body)
    vevent = parsed.vevent
    assert vevent.uid.value == f"event-{event.id}@council.example"
    start = vevent.dtstart.value
    assert start.tzinfo is not None
    assert start.astimezone(LONDON).hour == 18
    assert start.astimezone(UTC) == datetime(2027, 6, 16, 17, 0, tzinfo=UTC)
    assert vevent.dtend.value.astimezone(UTC) == datetime(2027, 6, 16, 19, 0, tzinfo=UTC)
    assert "TZID=Europe/London" in body.decode()
    assert hasattr(parsed, "vtimezone")
    assert int(vevent.sequence.value) == 0
    assert "Civic Hall" in vevent.location.value


def test_winter_event_is_gmt(app, make_event) -> None:
    event = make_event(day=date(2027, 12, 8), start=time(18, 0), end=time(20, 0))
    vevent = _parse_independently(
        ical.event_to_ical(event, host="h", url="https://x/e", now=NOW)
    ).vevent
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2027, 12, 8, 18, 0, tzinfo=UTC)


def test_sequence_rises_when_what_the_calendar_shows_changes(app, make_event, organiser) -> None:
    event = make_event(day=date(2027, 6, 16))
    uid_before = Calendar.from_ical(
        ical.event_to_ical(event, host="h", url="u", now=NOW)
    ).walk("VEVENT")[0]["UID"]
    details = event_services.EventDetails(
        **{
            **{k: v for k, v in vars(_details(event)).items()},
            "start": time(18, 30),
        }
    )
    event_services.update_event(event=event, actor=organiser, details=details)
    db.session.commit()
    assert event.ics_sequence == 1
    # Saving without a visible change leaves it alone.
    event_services.update_event(event=event, actor=organiser, details=details)
    db.session.commit()
    assert event.ics_sequence == 1
    vevent = _parse_independently(ical.event_to_ical(event, host="h", url="u", now=NOW)).vevent
    assert int(vevent.sequence.value) == 1
    assert vevent.uid.value == str(uid_before)


def test_online_event_carries_the_private_joining_link(app, make_event) -> None:
    event = make_event(
        format=EventFormat.ONLINE, online_platform="Teams",
        joining_link="https://teams.example/join/abc", venue_name="", venue_address="",
    )
    vevent = _parse_independently(ical.event_to_ical(event, host="h", url="u", now=NOW)).vevent
    assert "https://teams.example/join/abc" in vevent.description.value
    assert "https://teams.example/join/abc" in vevent.location.value


def test_download_route_is_for_the_council_only(app, client, make_event, make_user, organiser) -> None:
    event = make_event()
    login_as(client, organiser)
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert _parse_independently(response.data).vevent.summary.value == event.title

    stranger = make_user()
    login_as(client, stranger)
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404


def test_downloaded_file_with_a_chair_and_a_hybrid_venue_is_valid(
    app, client, make_event, organiser
) -> None:
    event = make_event(
        day=date(2027, 10, 31), format=EventFormat.HYBRID, chair_name="Cllr Jo Bloggs",
        chair_role="Chair of the Community Safety Partnership", online_platform="Teams",
        joining_link="https://teams.example/join/abc",
    )
    login_as(client, organiser)
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    lines = content_lines(response.data)
    assert "DTSTART;TZID=Europe/London:20271031T180000" in lines
    assert "DTEND;TZID=Europe/London:20271031T200000" in lines
    vevent = conformant(response.data).vevent
    assert vevent.description.value.splitlines()[1:] == [
        "Online platform: Teams", "Joining link: https://teams.example/join/abc",
        "Chair: Cllr Jo Bloggs",
    ]
    assert vevent.location.value.endswith(" / https://teams.example/join/abc")


def test_event_without_a_date_has_no_calendar_file(app, client, make_event, organiser) -> None:
    event = make_event(day=None, start=None, end=None)
    login_as(client, organiser)
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404


def _details(event) -> event_services.EventDetails:
    from eventapp.handbook import Aim

    data = event_services.details_of(event)
    return event_services.EventDetails(
        title=data["title"],
        aims=[Aim(a) for a in data["aims"]],
        day=data["day"],
        start=data["start"],
        end=data["end"],
        format=EventFormat(data["format"]),
        venue_name=data["venue_name"],
        venue_address=data["venue_address"],
        capacity=data["capacity"],
    )
