"""The attendee's calendar file (/r/<token>/calendar.ics and the joining instructions), whole.

Each case builds the file with ``attendee_event_to_ical`` and compares every component with
the one written out here (order of properties aside), checks the raw text strictly, reads it
back with icalendar and has vobject read and validate it. The private details (venue, address,
joining link) are in the file only when they are passed; otherwise only the general location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

import eventapp.models.registry  # noqa: F401  (every mapper, so an Event can be built unsaved)
from eventapp.calendars import ical
from eventapp.events.models import Event, EventFormat, EventStatus
from tests.calendars.icsfile import components, conformant, content_lines, escape
from tests.calendars.test_ical_files import CALENDAR_HEADER, DTSTAMP, HOST, NOW, TEAMS, VTIMEZONE

pytestmark = pytest.mark.timezone_sensitive

URL = f"https://{HOST}/e/safer-streets-x7k2"
TITLE = "Safer streets roundtable"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    """An event and the details passed, and what the file must say (plain text, unescaped)."""

    id: str
    starts_at: datetime | None
    ends_at: datetime | None
    dtstart: str | None  # local time in Europe/London, as written after the TZID
    dtend: str | None
    location: str | None  # None: no LOCATION property at all
    description: str
    venue: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)
    title: str = TITLE
    summary: str = TITLE  # the title as the file must give it back
    sequence: int = 0
    uid: str = f"registration-41@{HOST}"


MESSY_ADDRESS = "  1 High Street\n\n   \nGrays  \r\nRM17 6SL\n"
MINE = f"Your registration: {URL}"
CASES = [
    Case(
        "in-person-released-winter",
        utc(2027, 1, 15, 18),
        utc(2027, 1, 15, 20),
        "20270115T180000",
        "20270115T200000",
        "Civic Hall, 1 High Street Grays RM17 6SL",
        f"Venue: Civic Hall\nAddress: 1 High Street\nGrays\nRM17 6SL\n{MINE}",
        [("Venue", "Civic Hall"), ("Address", "1 High Street\nGrays\nRM17 6SL")],
        {"public_location": "Grays town centre"},
        sequence=2,
    ),
    Case(
        "online-released-summer",
        utc(2027, 6, 16, 17),
        utc(2027, 6, 16, 19),
        "20270616T180000",
        "20270616T200000",
        TEAMS,
        f"Online platform: Microsoft Teams\nJoining link: {TEAMS}\n{MINE}",
        [("Online platform", "Microsoft Teams"), ("Joining link", TEAMS)],
        {"format": EventFormat.ONLINE},
        sequence=1,
        uid="registration-7@events.other.example",
    ),
    Case(
        "hybrid-released",
        utc(2027, 6, 16, 17, 30),
        utc(2027, 6, 16, 19),
        "20270616T183000",
        "20270616T200000",
        f"Civic Hall, 1 High Street Grays, {TEAMS}",
        f"Venue: Civic Hall\nAddress: 1 High Street\nGrays\nOnline platform: Zoom\n"
        f"Joining link: {TEAMS}\n{MINE}",
        [
            ("Venue", "Civic Hall"),
            ("Address", "1 High Street\nGrays"),
            ("Online platform", "Zoom"),
            ("Joining link", TEAMS),
        ],
        {"format": EventFormat.HYBRID, "public_location": "Grays"},
        sequence=4,
    ),
    Case(
        "in-person-not-released",
        utc(2027, 1, 15, 18),
        utc(2027, 1, 15, 20),
        "20270115T180000",
        "20270115T200000",
        "Grays town centre",
        MINE,
        fields={
            "public_location": "Grays town centre",
            "venue_name": "Civic Hall",
            "venue_address": "1 High Street",
            "joining_link": TEAMS,
        },
    ),
    Case(
        "online-not-released",
        utc(2027, 6, 16, 17),
        utc(2027, 6, 16, 19),
        "20270616T180000",
        "20270616T200000",
        "Online",
        MINE,
        fields={
            "format": EventFormat.ONLINE,
            "joining_link": TEAMS,
            "online_platform": "Microsoft Teams",
        },
        sequence=3,
    ),
    Case(
        "hybrid-not-released-no-general-location",
        utc(2027, 6, 16, 17),
        utc(2027, 6, 16, 19),
        "20270616T180000",
        "20270616T200000",
        None,
        MINE,
        fields={
            "format": EventFormat.HYBRID,
            "venue_name": "Civic Hall",
            "venue_address": "1 High Street",
            "joining_link": TEAMS,
        },
    ),
    # Released, but only the platform is known: no LOCATION from it; the general location.
    Case(
        "online-released-platform-only",
        utc(2027, 6, 16, 17),
        utc(2027, 6, 16, 19),
        "20270616T180000",
        "20270616T200000",
        "Online",
        f"Online platform: Zoom\n{MINE}",
        [("Online platform", "Zoom")],
        {"format": EventFormat.ONLINE},
    ),
    Case(
        "no-end-two-hours",
        utc(2027, 1, 15, 18),
        None,
        "20270115T180000",
        "20270115T200000",
        "Grays town centre",
        MINE,
        fields={"public_location": "Grays town centre"},
    ),
    # Two real hours from 00:30 GMT on the night the clocks go forward end at 03:30 BST.
    Case(
        "no-end-across-clocks-forward",
        utc(2027, 3, 28, 0, 30),
        None,
        "20270328T003000",
        "20270328T033000",
        None,
        MINE,
    ),
    Case(
        "no-times",
        None,
        None,
        None,
        None,
        None,
        MINE,
    ),
    Case(
        "multi-line-address",
        utc(2027, 1, 15, 18),
        utc(2027, 1, 15, 20),
        "20270115T180000",
        "20270115T200000",
        "1 High Street Grays RM17 6SL",
        # The description keeps the address as given; the library writes CRLF as one \n.
        f"Address: {MESSY_ADDRESS.replace(chr(13), '')}\n{MINE}",
        [("Address", MESSY_ADDRESS)],
    ),
    Case(
        "escaping-and-control-characters",
        utc(2027, 1, 15, 18),
        utc(2027, 1, 15, 20),
        "20270115T180000",
        "20270115T200000",
        "Hall 2, Stryd Fawr; Llandeilo \\ SA19 6AA",
        "Venue: Hall 2\nAddress: Stryd Fawr; Llandeilo \\ SA19 6AA\n"
        "Joining link: https://meet.example/x?a=1,b=2;c\nSTATUS:CANCELLED\n"
        f"{MINE}",
        [
            ("Venue", "Hall\x00 2\x1b"),
            ("Address", "Stryd Fawr; Llandeilo \\\x7f SA19 6AA"),
            ("Joining link", "https://meet.example/x?a=1,b=2;c\r\nSTATUS:CANCELLED"),
        ],
        {"format": EventFormat.HYBRID},
        title="Roundtable: Ward 3, Grays; Q&A \\ £0\r\nMETHOD:CANCEL\rBEGIN:VALARM\n\x01\x08\x0b\x0c\x0e\x1f\x7f",
        summary="Roundtable: Ward 3, Grays; Q&A \\ £0\nMETHOD:CANCEL\nBEGIN:VALARM\n",
    ),
]
# The location of the escaping case: its link's line break becomes a space in LOCATION.
CASES[-1] = Case(
    **{
        **CASES[-1].__dict__,
        "location": "Hall 2, Stryd Fawr; Llandeilo \\ SA19 6AA, "
        "https://meet.example/x?a=1,b=2;c STATUS:CANCELLED",
    }
)


def make_event(case: Case) -> Event:
    values: dict[str, object] = {
        "format": EventFormat.IN_PERSON,
        "public_location": "",
        "venue_name": "",
        "venue_address": "",
        "online_platform": "",
        "joining_link": "",
        **case.fields,
    }
    return Event(
        id=9,
        title=case.title,
        status=EventStatus.OPEN,
        starts_at=case.starts_at,
        ends_at=case.ends_at,
        ics_sequence=11,
        **values,
    )


def attendee_file(case: Case) -> bytes:
    return ical.attendee_event_to_ical(
        make_event(case),
        uid=case.uid,
        sequence=case.sequence,
        url=URL,
        now=NOW,
        venue=iter(case.venue),  # any iterable, read once
    )


def expected_file(case: Case) -> list[tuple[str, list[str]]]:
    vevent = [
        f"UID:{case.uid}",
        DTSTAMP,
        f"SEQUENCE:{case.sequence}",
        f"SUMMARY:{escape(case.summary)}",
        f"DESCRIPTION:{escape(case.description)}",
        f"URL:{URL}",
        "STATUS:CONFIRMED",
    ]
    if case.dtstart is not None:
        vevent.append(f"DTSTART;TZID=Europe/London:{case.dtstart}")
        vevent.append(f"DTEND;TZID=Europe/London:{case.dtend}")
    if case.location is not None:
        vevent.append(f"LOCATION:{escape(case.location)}")
    calendar = [*CALENDAR_HEADER, "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(case.summary)}"]
    return sorted(
        [("VCALENDAR", sorted(calendar)), *VTIMEZONE, ("VCALENDAR/VEVENT", sorted(vevent))]
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_attendee_file_is_exactly_as_expected(case: Case) -> None:
    body = attendee_file(case)
    assert isinstance(body, bytes)
    lines = content_lines(body)
    assert components(lines) == expected_file(case)
    assert sum(line == "BEGIN:VTIMEZONE" for line in lines) == 1
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_attendee_file_reads_back_with_icalendar(case: Case) -> None:
    calendar = Calendar.from_ical(attendee_file(case))
    (vevent,) = calendar.walk("VEVENT")
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert str(calendar["METHOD"]) == "PUBLISH"
    if case.starts_at is None:
        assert "DTSTART" not in vevent and "DTEND" not in vevent
    else:
        ends_at = case.ends_at or case.starts_at + timedelta(hours=2)
        for name, instant in (("DTSTART", case.starts_at), ("DTEND", ends_at)):
            assert vevent[name].params["TZID"] == "Europe/London"
            assert vevent[name].dt == instant
            assert getattr(vevent[name].dt.tzinfo, "key", None) == "Europe/London"
    assert vevent["DTSTAMP"].dt == NOW
    assert str(vevent["UID"]) == case.uid
    assert vevent["SEQUENCE"] == case.sequence
    assert str(vevent["SUMMARY"]) == case.summary
    assert (str(vevent["LOCATION"]) if "LOCATION" in vevent else None) == case.location
    assert str(vevent["DESCRIPTION"]) == case.description
    assert str(vevent["URL"]) == URL
    assert str(vevent["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.starts_at], ids=[c.id for c in CASES if c.starts_at]
)
def test_attendee_file_conforms_for_an_independent_parser(case: Case) -> None:
    vcalendar = conformant(attendee_file(case))
    assert vcalendar.method.value == "PUBLISH"
    vevent = vcalendar.vevent
    assert case.starts_at is not None
    assert vevent.dtstart.value.astimezone(UTC) == case.starts_at
    ends_at = case.ends_at or case.starts_at + timedelta(hours=2)
    assert vevent.dtend.value.astimezone(UTC) == ends_at
    assert vevent.uid.value == case.uid
    assert int(vevent.sequence.value) == case.sequence
    assert vevent.summary.value == case.summary
    assert vevent.description.value == case.description
    assert vevent.status.value == "CONFIRMED"
    if case.location is None:
        assert "location" not in vevent.contents
    else:
        assert vevent.location.value == case.location


def test_private_details_are_not_in_the_file_before_release() -> None:
    for case in CASES:
        if case.venue:
            continue
        text = attendee_file(case).decode("utf-8")
        for secret in ("Civic Hall", "High Street", "teams.example", "Microsoft Teams"):
            assert secret not in text, (case.id, secret)


def test_control_characters_never_reach_the_file() -> None:
    (case,) = [c for c in CASES if c.id == "escaping-and-control-characters"]
    body = attendee_file(case)
    for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]:
        assert bytes([code]) not in body, hex(code)
    lines = content_lines(body)
    assert not [line for line in lines if line.startswith(("METHOD:CANCEL", "BEGIN:VALARM"))]
    assert [line for line in lines if line.startswith("STATUS:")] == ["STATUS:CONFIRMED"]


@pytest.mark.parametrize("code", [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
def test_each_control_character_is_dropped_from_text(code: int) -> None:
    body = ical.attendee_event_to_ical(
        make_event(CASES[0]),
        uid="u",
        sequence=0,
        url=URL,
        now=NOW,
        venue=[("Venue", f"Civic{chr(code)}Hall")],
    )
    lines = content_lines(body)
    # str.splitlines takes these for line breaks: the location joins the "lines" with a space.
    joined = "Civic Hall" if chr(code) in "\x0b\x0c\x1c\x1d\x1e" else "CivicHall"
    assert f"LOCATION:{joined}" in lines
    assert f"DESCRIPTION:Venue: CivicHall\\n{escape(MINE)}" in lines


def test_a_tab_is_kept() -> None:
    body = ical.attendee_event_to_ical(
        make_event(CASES[0]),
        uid="u",
        sequence=0,
        url=URL,
        now=NOW,
        venue=[("Venue", "Civic\tHall")],
    )
    assert "LOCATION:Civic\tHall" in body.decode("utf-8").split("\r\n")


# --- The task feed: defaults and control characters ---------------------------------------


def test_a_task_entry_is_sequence_0_by_default() -> None:
    task = ical.TaskEntry(1, "Book the venue", date(2027, 3, 1), TITLE, URL)
    assert task.sequence == 0
    body = ical.tasks_to_ical([task], host=HOST, name="Tasks", now=NOW)
    (vevent,) = [
        props for path, props in components(content_lines(body)) if path.endswith("VEVENT")
    ]
    assert [line for line in vevent if line.startswith("SEQUENCE")] == ["SEQUENCE:0"]


def test_a_control_character_in_a_task_title_never_reaches_the_feed() -> None:
    task = ical.TaskEntry(1, "Book\x00 the\x1b venue\x7f\x07", date(2027, 3, 1), "Ward\x0b 3", URL)
    body = ical.tasks_to_ical([task], host=HOST, name="Tasks\x01 feed", now=NOW)
    lines = content_lines(body)  # fails on any control character
    assert "SUMMARY:Book the venue (Ward 3)" in lines
    assert "X-WR-CALNAME:Tasks feed" in lines
