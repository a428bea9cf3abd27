"""iCalendar documents built by pure functions (no database, no request)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Timezone, vText
from icalendar import Event as VEvent

from eventapp.events.models import Event
from eventapp.formatting import LONDON

PRODID = "-//eventapp//Community events//EN"

# UK time as calendar programs conventionally describe it: GMT, with BST from the last Sunday
# of March to the last Sunday of October. Rules rather than a list of dates, because some
# readers (vobject among them) misread icalendar's generated per-year definitions.
EUROPE_LONDON = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


# Control characters RFC 5545 does not allow in text; line breaks are the library's to escape.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> vText:
    """A TEXT value escaped by icalendar: no raw CR or LF can end its line and start another."""
    return vText(_UNWRITABLE.sub("", value))


@dataclass(frozen=True)
class TaskEntry:
    """What a feed shows of one checklist task."""

    id: int
    title: str
    due_on: date
    event_title: str
    url: str
    # One more each time the due date changed, so a calendar replaces its copy of the entry.
    sequence: int = 0


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property is TEXT, but icalendar writes unknown names raw: a comma would split it.
    calendar.add("x-wr-calname", _text(name))
    return calendar


# A draft or an event still being planned may yet move or not happen: tentative, until it is
# open for registration; an archived one is withdrawn.
_ICS_STATUS = {"draft": "TENTATIVE", "planning": "TENTATIVE", "archived": "CANCELLED"}


def ics_status(status: str) -> str:
    """The iCalendar STATUS for an event's stage (its value, such as "planning")."""
    return _ICS_STATUS.get(status, "CONFIRMED")


def event_to_ical(event: Event, *, host: str, url: str, now: datetime) -> bytes:
    """The event as a single VEVENT with UK times, a stable UID and its SEQUENCE.

    For council staff only: it includes the private venue and joining link.
    """
    calendar = _calendar(event.title)
    calendar.add("method", "PUBLISH")
    entry = VEvent()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", now)
    entry.add("sequence", event.ics_sequence or 0)
    entry.add("summary", _text(event.title))
    if event.starts_at is not None and event.ends_at is not None:
        entry.add("dtstart", event.starts_at.astimezone(LONDON))
        entry.add("dtend", event.ends_at.astimezone(LONDON))
    place = ""
    if event.is_in_person:
        address = ", ".join(
            line.strip() for line in event.venue_address.splitlines() if line.strip()
        )
        place = ", ".join(part for part in (event.venue_name, address) if part)
    if event.is_online and event.joining_link:
        place = f"{place} / {event.joining_link}" if place else event.joining_link
    if place:
        entry.add("location", _text(place))
    lines = [f"Planning overview: {url}"]
    if event.is_online and event.online_platform:
        lines.append(f"Online platform: {event.online_platform}")
    if event.is_online and event.joining_link:
        lines.append(f"Joining link: {event.joining_link}")
    if event.chair_name:
        lines.append(f"Chair: {event.chair_name}")
    entry.add("description", _text("\n".join(lines)))
    entry.add("url", url)
    entry.add("status", ics_status(event.status.value))
    calendar.add_component(Timezone.from_ical(EUROPE_LONDON.replace("\n", "\r\n")))
    calendar.add_component(entry)
    return calendar.to_ical()


def tasks_to_ical(tasks: Iterable[TaskEntry], *, host: str, name: str, now: datetime) -> bytes:
    """Each task as an all-day entry on its due date."""
    calendar = _calendar(name)
    for task in tasks:
        entry = VEvent()
        entry.add("uid", f"task-{task.id}@{host}")
        entry.add("dtstamp", now)
        entry.add("sequence", task.sequence)
        entry.add("summary", _text(f"{task.title} ({task.event_title})"))
        entry.add("dtstart", task.due_on)
        entry.add("dtend", task.due_on + timedelta(days=1))
        entry.add("description", _text(f"Due by the end of this day. {task.url}"))
        entry.add("url", task.url)
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()


def attendee_event_to_ical(
    event: Event,
    *,
    uid: str,
    sequence: int,
    url: str,
    now: datetime,
    venue: Iterable[tuple[str, str]] = (),
) -> bytes:
    """The event for one attendee: the general location only, unless ``venue`` is given
    (the private details, for a confirmed attendee after the release time).

    ``uid`` stays the same for the attendee and ``sequence`` rises with each update, so a
    calendar updates its entry rather than adding another.
    """
    calendar = _calendar(event.title)
    calendar.add("method", "PUBLISH")
    entry = VEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", now)
    entry.add("sequence", sequence)
    entry.add("summary", _text(event.title))
    if event.starts_at is not None:
        entry.add("dtstart", event.starts_at.astimezone(LONDON))
        entry.add(
            "dtend", (event.ends_at or event.starts_at + timedelta(hours=2)).astimezone(LONDON)
        )
    details = list(venue)
    place = ", ".join(
        " ".join(line.strip() for line in value.splitlines() if line.strip())
        for label, value in details
        if label in ("Venue", "Address", "Joining link")
    )
    location = place or event.general_location
    if location:
        entry.add("location", _text(location))
    lines = [f"{label}: {value}" for label, value in details]
    lines.append(f"Your registration: {url}")
    entry.add("description", _text("\n".join(lines)))
    entry.add("url", url)
    entry.add("status", "CONFIRMED")
    calendar.add_component(Timezone.from_ical(EUROPE_LONDON.replace("\n", "\r\n")))
    calendar.add_component(entry)
    return calendar.to_ical()
