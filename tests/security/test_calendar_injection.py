"""Nothing typed into the service can end a line of a calendar file early (QUALITY 26).

The forms keep single-line fields on one line, but text saved before that rule, or by any
other path, must still be escaped by icalendar: no property may bypass its escaping.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import vobject
from icalendar import Calendar

from eventapp.calendars import ical
from eventapp.calendars import services as calendar_services
from eventapp.checklist.models import ChecklistTask
from eventapp.events.models import EventFormat
from eventapp.extensions import db
from tests.conftest import login_as

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
# Each tries to start a new line that a lenient reader would take as a property of its own.
BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028"]
INJECTED = "X-INJECTED:yes"
# Control characters RFC 5545 does not allow in a TEXT value (HTAB is allowed).
CTL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def assert_well_formed(body: bytes) -> Calendar:
    """Only CRLF ends a line; no line starts a property that was typed in; both parsers agree."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    for line in lines:
        assert not CTL.search(line), f"a raw control character in {line!r}"
        assert not line.startswith(INJECTED), f"an injected property: {line!r}"
    vobject.readOne(text)  # a parser that did not write the file
    return Calendar.from_ical(body)


@pytest.mark.parametrize("brk", BREAKS, ids=repr)
def test_event_file_escapes_every_typed_value(app, make_event, brk: str) -> None:
    event = make_event(
        title=f"Roundtable{brk}{INJECTED}",
        day=date(2027, 6, 16),
        format=EventFormat.HYBRID,
        venue_name=f"Civic Hall{brk}{INJECTED}",
        venue_address=f"1 High Street{brk}{INJECTED}",
        online_platform=f"Teams{brk}{INJECTED}",
        joining_link="https://meet.example/abc",
        chair_name=f"Sam Chair{brk}{INJECTED}",
    )

    parsed = assert_well_formed(
        ical.event_to_ical(event, host="h", url="https://x/e", now=NOW)
    )

    # The name the calendar shows (X-WR-CALNAME) once gave a 500 with a line break.
    assert "Roundtable" in str(parsed["X-WR-CALNAME"])
    vevent = parsed.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]).startswith("Roundtable")
    assert INJECTED in str(vevent["SUMMARY"])  # kept as text, not as a property
    assert "X-INJECTED" not in vevent


def test_task_feed_escapes_titles_and_its_name(app) -> None:
    entries = [
        ical.TaskEntry(
            id=n, title=f"Book the room{brk}{INJECTED}", due_on=date(2027, 6, 1),
            event_title=f"Roundtable{brk}{INJECTED}", url="https://x/t",
        )
        for n, brk in enumerate(BREAKS)
    ]
    body = ical.tasks_to_ical(entries, host="h", name=f"My tasks\r{INJECTED}", now=NOW)
    parsed = assert_well_formed(body)
    assert len(parsed.walk("VEVENT")) == len(BREAKS)


def test_event_calendar_download_with_a_line_break_in_the_title(
    app, client, make_event, organiser
) -> None:
    """Text saved before the forms kept titles on one line still downloads, escaped."""
    event = make_event(title="Roundtable\nfor schools\rX-INJECTED:yes", day=date(2027, 6, 16))
    login_as(client, organiser)

    response = client.get(f"/events/{event.id}/calendar.ics")

    assert response.status_code == 200
    parsed = assert_well_formed(response.data)
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == "Roundtable\nfor schools\nX-INJECTED:yes"


def test_task_feed_download_with_control_characters(app, client, make_event, organiser) -> None:
    event = make_event(title="Roundtable\r\nX-INJECTED:yes", day=date(2027, 6, 16))
    tasks = db.session.scalars(
        db.select(ChecklistTask).where(ChecklistTask.event_id == event.id)
    ).all()
    for task in tasks:
        task.owner_id = organiser.id
        task.title = f"{task.title}\r{INJECTED}\x1b"
    token = calendar_services.issue_feed_token(organiser)
    db.session.commit()

    response = app.test_client().get(f"/calendar/{token}.ics")

    assert response.status_code == 200
    assert len(assert_well_formed(response.data).walk("VEVENT")) == len(tasks)
