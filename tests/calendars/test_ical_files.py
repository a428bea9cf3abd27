"""Whole calendar files, property by property: the event's .ics and the task feed.

Each case builds a file with the pure builders and compares every component with the one
written out here (order of properties aside), checks the raw text strictly (CRLF, folding at
75 octets, escaping, TZID on both times, one VTIMEZONE), reads it back with icalendar, and
has vobject, a parser that shares no code with it, read and validate it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import eventapp.models.registry  # noqa: F401  (every mapper, so an Event can be built unsaved)
from eventapp.calendars import ical
from eventapp.events.models import Event, EventFormat, EventStatus
from tests.calendars.icsfile import components, conformant, content_lines, escape

pytestmark = pytest.mark.timezone_sensitive

HOST = "events.council.example"
NOW = datetime(2027, 1, 2, 9, 30, tzinfo=UTC)
DTSTAMP = "DTSTAMP:20270102T093000Z"
LONDON = ZoneInfo("Europe/London")
TEAMS = "https://teams.example/l/meetup-join/19%3ameeting_Zm9v@thread.v2/0?context=%7b%22Tid%22%3a%22c0ffee%22%7d"

# What a calendar is told of each stage (one line to change if the mapping changes).
STATUS_OF = {
    EventStatus.DRAFT: "TENTATIVE",
    EventStatus.PLANNING: "TENTATIVE",
    EventStatus.OPEN: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.EVALUATED: "CONFIRMED",
    EventStatus.ARCHIVED: "CANCELLED",
}

CALENDAR_HEADER = [
    "VERSION:2.0",
    "PRODID:-//eventapp//Community events//EN",
    "CALSCALE:GREGORIAN",
]

# UK time, as every event file describes it: once, with yearly rules.
VTIMEZONE = [
    ("VCALENDAR/VTIMEZONE", ["TZID:Europe/London"]),
    (
        "VCALENDAR/VTIMEZONE/DAYLIGHT",
        sorted(
            [
                "DTSTART:19700329T010000",
                "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
                "TZNAME:BST",
                "TZOFFSETFROM:+0000",
                "TZOFFSETTO:+0100",
            ]
        ),
    ),
    (
        "VCALENDAR/VTIMEZONE/STANDARD",
        sorted(
            [
                "DTSTART:19701025T020000",
                "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
                "TZNAME:GMT",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0000",
            ]
        ),
    ),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    """An event, and what its file must say (the plain text; the tests escape it)."""

    id: str
    starts_at: datetime
    ends_at: datetime
    dtstart: str  # local time in Europe/London, as written after the TZID
    dtend: str
    location: str | None  # None: no LOCATION property at all
    description: list[str]
    fields: dict[str, object] = field(default_factory=dict)
    title: str = "Safer streets roundtable"
    status: EventStatus = EventStatus.PLANNING
    sequence: int = 0


ADDRESS = "  1 High Street\n\n   \nGrays  \r\nRM17 6SL\n"
CASES = [
    Case(
        "in-person-summer-with-chair",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        "Civic Hall, 1 High Street, Grays, RM17 6SL",
        ["Planning overview: {url}", "Chair: Cllr Jo Bloggs"],
        # Online details left over from before the switch to in person are not shown.
        {"venue_name": "Civic Hall", "venue_address": ADDRESS, "chair_name": "Cllr Jo Bloggs",
         "chair_role": "Chair of the Community Safety Partnership",
         "online_platform": "Microsoft Teams", "joining_link": TEAMS},
        sequence=3,
    ),
    Case(
        "in-person-winter-draft-venue-name-only",
        utc(2027, 12, 8, 18), utc(2027, 12, 8, 20), "20271208T180000", "20271208T200000",
        "Civic Hall", ["Planning overview: {url}"],
        {"venue_name": "Civic Hall"},
        status=EventStatus.DRAFT,
    ),
    Case(
        "in-person-address-only",
        utc(2027, 12, 8, 9, 30), utc(2027, 12, 8, 11), "20271208T093000", "20271208T110000",
        "Grays Library, Orsett Road", ["Planning overview: {url}"],
        {"venue_address": "Grays Library\nOrsett Road"},
    ),
    Case(
        "in-person-no-venue-yet",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        None, ["Planning overview: {url}"],
    ),
    Case(
        "online-with-link-and-chair",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        TEAMS,
        ["Planning overview: {url}", "Online platform: Microsoft Teams", f"Joining link: {TEAMS}",
         "Chair: Cllr Jo Bloggs"],
        # A venue left over from before the switch to online is not shown.
        {"format": EventFormat.ONLINE, "online_platform": "Microsoft Teams", "joining_link": TEAMS,
         "chair_name": "Cllr Jo Bloggs", "venue_name": "Civic Hall", "venue_address": ADDRESS},
        status=EventStatus.OPEN,
    ),
    Case(
        "online-platform-without-link",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        None, ["Planning overview: {url}", "Online platform: Zoom"],
        {"format": EventFormat.ONLINE, "online_platform": "Zoom"},
    ),
    Case(
        "online-nothing-decided",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        None, ["Planning overview: {url}"],
        {"format": EventFormat.ONLINE},
    ),
    Case(
        "hybrid-with-link",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        f"Civic Hall, 1 High Street, Grays, RM17 6SL / {TEAMS}",
        ["Planning overview: {url}", "Online platform: Microsoft Teams", f"Joining link: {TEAMS}"],
        {"format": EventFormat.HYBRID, "venue_name": "Civic Hall", "venue_address": ADDRESS,
         "online_platform": "Microsoft Teams", "joining_link": TEAMS},
    ),
    Case(
        "hybrid-without-link-with-chair",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        "Civic Hall, 1 High Street, Grays, RM17 6SL",
        ["Planning overview: {url}", "Online platform: Microsoft Teams", "Chair: Cllr Jo Bloggs"],
        {"format": EventFormat.HYBRID, "venue_name": "Civic Hall", "venue_address": ADDRESS,
         "online_platform": "Microsoft Teams", "chair_name": "Cllr Jo Bloggs"},
    ),
    Case(
        "hybrid-link-without-venue",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        TEAMS, ["Planning overview: {url}", f"Joining link: {TEAMS}"],
        {"format": EventFormat.HYBRID, "joining_link": TEAMS},
    ),
    Case(
        "archived-is-cancelled",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        "Civic Hall", ["Planning overview: {url}"],
        {"venue_name": "Civic Hall"},
        status=EventStatus.ARCHIVED, sequence=5,
    ),
    # The evening of the Sunday the clocks go forward (28 March 2027) is already BST...
    Case(
        "clocks-forward-evening",
        utc(2027, 3, 28, 17), utc(2027, 3, 28, 19), "20270328T180000", "20270328T200000",
        None, ["Planning overview: {url}"],
    ),
    # ...and a night event across the change lasts one real hour for two on the clock.
    Case(
        "across-clocks-forward",
        utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 1, 30), "20270328T003000", "20270328T023000",
        None, ["Planning overview: {url}"],
    ),
    # The evening of the Sunday the clocks go back (31 October 2027) is GMT again...
    Case(
        "clocks-back-evening",
        utc(2027, 10, 31, 18), utc(2027, 10, 31, 20), "20271031T180000", "20271031T200000",
        None, ["Planning overview: {url}"],
    ),
    # ...and 00:30 BST to 02:30 GMT is three real hours.
    Case(
        "across-clocks-back",
        utc(2027, 10, 30, 23, 30), utc(2027, 10, 31, 2, 30), "20271031T003000", "20271031T023000",
        None, ["Planning overview: {url}"],
    ),
    # Characters TEXT must escape, Welsh, and lines long enough to fold mid-character.
    Case(
        "escaping-and-folding",
        utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "20270616T180000", "20270616T200000",
        "Neuadd y Dref, Stryd Fawr; Llandeilo \\ SA19 6AA",
        ["Planning overview: {url}", "Chair: Cynghorydd Siân Ellis-Llŷr, Cadeirydd y Bartneriaeth "
         "Diogelwch Cymunedol ✓"],
        {"venue_name": "Neuadd y Dref", "venue_address": "Stryd Fawr; Llandeilo \\ SA19 6AA",
         "chair_name": "Cynghorydd Siân Ellis-Llŷr, Cadeirydd y Bartneriaeth Diogelwch Cymunedol ✓"},
        title='Cyfarfod bord gron: "Strydoedd mwy diogel", Ward 3; Q&A \\ Holi ac ateb – £0',
    ),
]


def make_event(case: Case, number: int) -> Event:
    values: dict[str, object] = {
        "format": EventFormat.IN_PERSON,
        "venue_name": "",
        "venue_address": "",
        "online_platform": "",
        "joining_link": "",
        "chair_name": "",
        "chair_role": "",
        **case.fields,
    }
    return Event(
        id=number, title=case.title, status=case.status, starts_at=case.starts_at,
        ends_at=case.ends_at, ics_sequence=case.sequence, **values,
    )


def url_of(number: int) -> str:
    return f"https://{HOST}/events/{number}"


def event_file(case: Case) -> tuple[int, bytes]:
    number = 100 + CASES.index(case)
    body = ical.event_to_ical(make_event(case, number), host=HOST, url=url_of(number), now=NOW)
    return number, body


def expected_event_file(case: Case, number: int) -> list[tuple[str, list[str]]]:
    description = "\n".join(line.format(url=url_of(number)) for line in case.description)
    vevent = [
        f"UID:event-{number}@{HOST}",
        DTSTAMP,
        f"SEQUENCE:{case.sequence}",
        f"SUMMARY:{escape(case.title)}",
        f"DTSTART;TZID=Europe/London:{case.dtstart}",
        f"DTEND;TZID=Europe/London:{case.dtend}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url_of(number)}",
        f"STATUS:{STATUS_OF[case.status]}",
    ]
    if case.location is not None:
        vevent.append(f"LOCATION:{escape(case.location)}")
    calendar = [*CALENDAR_HEADER, "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(case.title)}"]
    return sorted([("VCALENDAR", sorted(calendar)), *VTIMEZONE, ("VCALENDAR/VEVENT", sorted(vevent))])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_event_file_is_exactly_as_expected(case: Case) -> None:
    number, body = event_file(case)
    lines = content_lines(body)
    assert components(lines) == expected_event_file(case, number)
    assert sum(line == "BEGIN:VTIMEZONE" for line in lines) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_event_file_reads_back_with_icalendar(case: Case) -> None:
    number, body = event_file(case)
    calendar = Calendar.from_ical(body)
    (vevent,) = calendar.walk("VEVENT")
    assert len(calendar.walk("VTIMEZONE")) == 1
    for name, instant in (("DTSTART", case.starts_at), ("DTEND", case.ends_at)):
        assert vevent[name].params["TZID"] == "Europe/London"
        assert vevent[name].dt == instant
        assert getattr(vevent[name].dt.tzinfo, "key", None) == "Europe/London"
    assert vevent["DTSTAMP"].dt == NOW
    assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert str(vevent["UID"]) == f"event-{number}@{HOST}"
    assert vevent["SEQUENCE"] == case.sequence
    assert str(vevent["SUMMARY"]) == case.title
    assert (str(vevent["LOCATION"]) if "LOCATION" in vevent else None) == case.location
    assert str(vevent["DESCRIPTION"]).split("\n") == [
        line.format(url=url_of(number)) for line in case.description
    ]
    assert str(vevent["URL"]) == url_of(number)
    assert str(vevent["STATUS"]) == STATUS_OF[case.status]
    assert str(calendar["METHOD"]) == "PUBLISH"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_event_file_conforms_for_an_independent_parser(case: Case) -> None:
    number, body = event_file(case)
    calendar = conformant(body)
    assert calendar.version.value == "2.0"
    assert calendar.method.value == "PUBLISH"
    assert calendar.x_wr_calname.value == case.title
    vevent = calendar.vevent
    # vobject converts with the file's own VTIMEZONE: the instants must come out right.
    assert vevent.dtstart.value.astimezone(UTC) == case.starts_at
    assert vevent.dtend.value.astimezone(UTC) == case.ends_at
    assert vevent.dtstamp.value == NOW
    assert vevent.uid.value == f"event-{number}@{HOST}"
    assert int(vevent.sequence.value) == case.sequence
    assert vevent.summary.value == case.title
    assert vevent.status.value == STATUS_OF[case.status]
    assert vevent.url.value == url_of(number)
    assert vevent.description.value.splitlines() == [
        line.format(url=url_of(number)) for line in case.description
    ]
    if case.location is None:
        assert "location" not in vevent.contents
    else:
        assert vevent.location.value == case.location


def test_long_values_are_folded_within_75_octets_without_splitting_characters() -> None:
    (case,) = [c for c in CASES if c.id == "escaping-and-folding"]
    _, body = event_file(case)
    physical = body.split(b"\r\n")
    assert any(line.startswith(b" ") for line in physical), "something was long enough to fold"
    assert max(len(line) for line in physical) <= 75
    # Written out once by hand, so the escaping helper itself is checked.
    lines = content_lines(body)
    assert (
        'SUMMARY:Cyfarfod bord gron: "Strydoedd mwy diogel"\\, Ward 3\\; Q&A \\\\ Holi ac ateb – £0'
        in lines
    )
    assert (
        'X-WR-CALNAME:Cyfarfod bord gron: "Strydoedd mwy diogel"\\, Ward 3\\; Q&A \\\\ Holi ac ateb'
        " – £0" in lines
    )
    assert "LOCATION:Neuadd y Dref\\, Stryd Fawr\\; Llandeilo \\\\ SA19 6AA" in lines


@pytest.mark.parametrize("status", list(EventStatus))
def test_status_follows_the_event(status: EventStatus) -> None:
    case = Case(
        f"status-{status.value}", utc(2027, 6, 16, 17), utc(2027, 6, 16, 19), "", "", None, [],
        status=status,
    )
    body = ical.event_to_ical(make_event(case, 1), host=HOST, url=url_of(1), now=NOW)
    assert f"STATUS:{STATUS_OF[status]}" in content_lines(body)


def test_an_event_not_yet_saved_is_sequence_0() -> None:
    event = make_event(CASES[0], 1)
    event.ics_sequence = None  # the column default applies only when the row is inserted
    body = ical.event_to_ical(event, host=HOST, url=url_of(1), now=NOW)
    assert "SEQUENCE:0" in content_lines(body)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [(None, None), (utc(2027, 6, 16, 17), None), (None, utc(2027, 6, 16, 19))],
    ids=["no-times", "no-end", "no-start"],
)
def test_times_are_written_only_when_both_are_known(
    starts_at: datetime | None, ends_at: datetime | None
) -> None:
    event = make_event(CASES[0], 1)
    event.starts_at, event.ends_at = starts_at, ends_at
    lines = content_lines(ical.event_to_ical(event, host=HOST, url=url_of(1), now=NOW))
    (vevent,) = [props for path, props in components(lines) if path == "VCALENDAR/VEVENT"]
    assert not [line for line in vevent if line.startswith(("DTSTART", "DTEND"))]
    assert "SUMMARY:Safer streets roundtable" in vevent


def test_the_uk_time_zone_agrees_with_the_time_zone_database() -> None:
    """The VTIMEZONE's rules give the same offset as Europe/London, every year to 2050."""
    case = CASES[0]
    _, body = event_file(case)
    tz = conformant(body).vevent.dtstart.value.tzinfo
    checked = 0
    for year in range(2026, 2051):
        for month, day in ((3, 31), (10, 31)):
            last_sunday = date(year, month, day) - timedelta(days=(date(year, month, day).weekday() + 1) % 7)
            change = datetime.combine(last_sunday, datetime.min.time(), UTC) + timedelta(hours=1)
            for offset in (-61, -1, 0, 1, 61):
                instant = change + timedelta(minutes=offset)
                expected = instant.astimezone(LONDON).utcoffset()
                assert instant.astimezone(tz).utcoffset() == expected, instant
                checked += 1
    assert checked == 25 * 2 * 5


# --- The task feed ---------------------------------------------------------------------------

FEED_NAME = "My event planning tasks"


@dataclass(frozen=True)
class TaskCase:
    task: ical.TaskEntry
    dtstart: str
    dtend: str  # the day after: all-day entries end at the start of the next day


def task_url(event_id: int, task_id: int) -> str:
    return f"https://{HOST}/events/{event_id}/checklist/{task_id}"


TASKS = [
    TaskCase(
        ical.TaskEntry(11, "Book the venue", date(2027, 3, 28), "Safer streets roundtable",
                       task_url(3, 11)),
        "20270328", "20270329",
    ),
    TaskCase(
        # Its due date was changed twice.
        ical.TaskEntry(12, "Send invitations", date(2027, 10, 31), "Safer streets roundtable",
                       task_url(3, 12), 2),
        "20271031", "20271101",
    ),
    TaskCase(
        ical.TaskEntry(13, "Share the feedback form", date(2027, 12, 31), "Year-end review",
                       task_url(4, 13)),
        "20271231", "20280101",
    ),
    TaskCase(
        ical.TaskEntry(14, "Confirm speakers; brief the chair, and print name badges \\ signs",
                       date(2028, 2, 29), 'Cyfarfod bord gron: "Ward 3", Llandeilo', task_url(5, 14)),
        "20280229", "20280301",
    ),
]


def task_feed(tasks: list[TaskCase]) -> bytes:
    return ical.tasks_to_ical([t.task for t in tasks], host=HOST, name=FEED_NAME, now=NOW)


def expected_task_feed(tasks: list[TaskCase]) -> list[tuple[str, list[str]]]:
    calendar = [*CALENDAR_HEADER, f"X-WR-CALNAME:{FEED_NAME}"]
    entries = [
        (
            "VCALENDAR/VEVENT",
            sorted(
                [
                    f"UID:task-{t.task.id}@{HOST}",
                    DTSTAMP,
                    f"SEQUENCE:{t.task.sequence}",
                    f"SUMMARY:{escape(f'{t.task.title} ({t.task.event_title})')}",
                    f"DTSTART;VALUE=DATE:{t.dtstart}",
                    f"DTEND;VALUE=DATE:{t.dtend}",
                    f"DESCRIPTION:{escape(f'Due by the end of this day. {t.task.url}')}",
                    f"URL:{t.task.url}",
                    "TRANSP:TRANSPARENT",
                ]
            ),
        )
        for t in tasks
    ]
    return sorted([("VCALENDAR", sorted(calendar)), *entries])


def test_task_feed_is_exactly_as_expected() -> None:
    lines = content_lines(task_feed(TASKS))
    assert components(lines) == expected_task_feed(TASKS)
    assert "BEGIN:VTIMEZONE" not in lines  # all-day dates have no time zone


def test_an_empty_task_feed_is_still_a_calendar() -> None:
    body = task_feed([])
    assert components(content_lines(body)) == expected_task_feed([])
    assert conformant(body).x_wr_calname.value == FEED_NAME


def test_task_feed_reads_back_with_icalendar() -> None:
    calendar = Calendar.from_ical(task_feed(TASKS))
    entries = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in entries] == [f"task-{t.task.id}@{HOST}" for t in TASKS]
    for entry, case in zip(entries, TASKS, strict=True):
        start, end = entry["DTSTART"].dt, entry["DTEND"].dt
        assert type(start) is date and type(end) is date
        assert start == case.task.due_on
        assert end == case.task.due_on + timedelta(days=1)
        assert entry["DTSTAMP"].dt == NOW
        assert int(entry["SEQUENCE"]) == case.task.sequence
        assert str(entry["SUMMARY"]) == f"{case.task.title} ({case.task.event_title})"
        assert str(entry["URL"]) == case.task.url
        assert str(entry["TRANSP"]) == "TRANSPARENT"


def test_task_feed_conforms_for_an_independent_parser() -> None:
    calendar = conformant(task_feed(TASKS))
    assert calendar.x_wr_calname.value == FEED_NAME
    assert "method" not in calendar.contents
    entries = calendar.contents["vevent"]
    assert len(entries) == len(TASKS)
    for entry, case in zip(entries, TASKS, strict=True):
        assert entry.uid.value == f"task-{case.task.id}@{HOST}"
        assert entry.dtstart.value == case.task.due_on
        assert entry.dtend.value == case.task.due_on + timedelta(days=1)
        assert entry.dtstamp.value == NOW
        assert entry.summary.value == f"{case.task.title} ({case.task.event_title})"
        assert entry.description.value == f"Due by the end of this day. {case.task.url}"
        assert entry.url.value == case.task.url
        assert entry.transp.value == "TRANSPARENT"
