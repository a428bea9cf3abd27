"""Event queries and writes, always scoped to one council."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import joinedload, selectinload

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.calendars.ical import ics_status
from eventapp.dates import out_of_range
from eventapp.errors import DomainError, NotFoundError
from eventapp.events import lifecycle
from eventapp.events.models import (
    Event,
    EventAim,
    EventFormat,
    EventStatus,
    PresentationType,
    StatusChange,
)
from eventapp.events.signals import event_saved
from eventapp.extensions import db
from eventapp.formatting import LONDON
from eventapp.handbook import Aim, VideoEdit
from eventapp.models.base import utcnow


class Listing(enum.StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"
    DRAFTS = "drafts"


def local_to_utc(day: date, at: time) -> datetime:
    """A UK wall-clock date and time as a UTC instant."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def scoped(council_id: int) -> Select[tuple[Event]]:
    return select(Event).where(Event.council_id == council_id)


def get_event(council_id: int, event_id: int) -> Event:
    """The council's event, or 404: another council's id looks exactly like a missing one."""
    event = db.session.scalar(
        scoped(council_id).where(Event.id == event_id).options(selectinload(Event.aims))
    )
    if event is None:
        raise NotFoundError
    return event


# Events whose public pages may exist: a draft has never been announced, and an archived event
# is withdrawn. Each public page narrows this further (registration only while open, say).
PUBLIC_STATUSES = frozenset(
    {EventStatus.PLANNING, EventStatus.OPEN, EventStatus.HELD, EventStatus.EVALUATED}
)


@cache
def _public_event_query() -> Select[tuple[Event]]:
    """Built once, only the slug bound per request: every public page runs it, and building
    the statement and its cache key again each time cost more than running it."""
    return (
        select(Event)
        .where(Event.public_slug == bindparam("slug"), Event.status.in_(PUBLIC_STATUSES))
        # The public layout names the council: loaded in the same query.
        .options(joinedload(Event.council, innerjoin=True))
    )


def get_public_event(slug: str) -> Event:
    """The event a public URL names by its slug, or 404: never looked up by its id."""
    event = db.session.scalar(_public_event_query(), {"slug": slug})
    if event is None:
        raise NotFoundError
    return event


def lock_for_update(event: Event) -> None:
    """Make changes to one event's plan take turns until this transaction ends.

    Several requests may read and renumber the same agenda or checklist at once. PostgreSQL
    takes the event's row lock; SQLite has no row locks, so a no-op write takes its database
    write lock now, before the read, rather than at the first real write.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Event).where(Event.id == event.id).values(id=Event.id))
    else:
        db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def reread_locked(event: Event, *rows: object) -> None:
    """Lock the event's plan, then read it (and ``rows``) afresh: what is saved now, for a merge.

    Two saves of the same form at once take turns here, so the second compares with the
    first's result rather than with what both loaded (eventapp.edits).
    """
    lock_for_update(event)
    db.session.expire_all()
    for row in rows:
        try:
            db.session.refresh(row)
        except InvalidRequestError:
            raise NotFoundError from None  # a colleague deleted it meanwhile


def list_events(council_id: int, listing: Listing, *, now: datetime | None = None) -> list[Event]:
    now = now or utcnow()
    query = scoped(council_id).options(selectinload(Event.aims))
    if listing is Listing.DRAFTS:
        query = query.where(Event.status == EventStatus.DRAFT).order_by(Event.updated_at.desc())
    elif listing is Listing.UPCOMING:
        query = query.where(
            Event.status.not_in([EventStatus.DRAFT, EventStatus.ARCHIVED]),
            (Event.starts_at.is_(None)) | (Event.starts_at >= now),
        ).order_by(Event.starts_at.asc().nulls_last(), Event.id)
    else:
        query = query.where(
            Event.status != EventStatus.DRAFT,
            (Event.starts_at < now) | (Event.status == EventStatus.ARCHIVED),
        ).order_by(Event.starts_at.desc().nulls_last(), Event.id.desc())
    return list(db.session.scalars(query))


@dataclass
class EventDetails:
    """Everything the event form collects, already parsed."""

    title: str
    aims: list[Aim]
    other_aim: str = ""
    day: date | None = None
    start: time | None = None
    end: time | None = None
    format: EventFormat = EventFormat.IN_PERSON
    public_location: str = ""
    venue_name: str = ""
    venue_address: str = ""
    online_platform: str = ""
    joining_link: str = ""
    capacity: int | None = None
    chair_name: str = ""
    chair_role: str = ""
    home_office_speaking: bool = False
    presentation_type: PresentationType | None = None
    presentation_topic: str = ""
    intro_video: bool = False
    video_edit: VideoEdit | None = None


def check_details(details: EventDetails) -> None:
    """Raise DomainError for the first rule the details break."""
    if not details.title.strip():
        raise DomainError("Enter the event title", field="title")
    if Aim.OTHER in details.aims and not details.other_aim.strip():
        raise DomainError("Describe the other aim, or untick it", field="other_aim")
    if details.day is not None and (problem := out_of_range("Date of the event", details.day)):
        raise DomainError(problem, field="day")
    if details.day is not None and (details.start is None):
        raise DomainError("Enter a start time", field="start")
    if details.day is not None and details.end is None:
        raise DomainError("Enter an end time", field="end")
    if details.start and details.end and details.end <= details.start:
        raise DomainError("Enter an end time after the start time", field="end")
    if details.day is not None:
        # On the day the clocks go forward, 01:00 to 01:59 never happens in the UK.
        for name in ("start", "end"):
            at = getattr(details, name)
            if at is not None and local_to_utc(details.day, at).astimezone(LONDON).time() != at:
                raise DomainError(
                    "The clocks go forward at 1am on this date: enter a time from 2am", field=name
                )
    if details.capacity is not None and details.capacity < 0:
        raise DomainError("Enter a capacity of 0 or more", field="capacity")
    if (
        details.home_office_speaking
        and details.presentation_type is PresentationType.THEMATIC
        and not details.presentation_topic.strip()
    ):
        raise DomainError(
            "Enter the topic of the thematic presentation", field="presentation_topic"
        )


def calendar_view(event: Event) -> tuple[object, ...]:
    """What a calendar entry shows of the event: a change to any of it bumps the SEQUENCE."""
    in_person, online = event.is_in_person, event.is_online
    return (
        event.title,
        event.starts_at,
        event.ends_at,
        event.format,
        event.venue_name if in_person else "",
        event.venue_address if in_person else "",
        event.online_platform if online else "",
        event.joining_link if online else "",
        event.chair_name,
        ics_status(event.status.value),
    )


def bump_sequence_if_changed(event: Event, before: tuple[object, ...]) -> None:
    """Raise the iCalendar SEQUENCE when what a calendar shows of the event has changed."""
    if event.id is not None and calendar_view(event) != before:
        event.ics_sequence = (event.ics_sequence or 0) + 1


def set_format(event: Event, chosen: EventFormat) -> None:
    """Change how people attend; venue or joining details the format does not use are kept.

    Pages and calendars show only what the format uses (``is_in_person``, ``is_online``), so
    switching back to in person finds the venue still there.
    """
    event.format = chosen


def _apply(event: Event, details: EventDetails) -> None:
    check_details(details)
    before = calendar_view(event)
    event.title = details.title.strip()
    wanted = set(details.aims)
    event.aims = [a for a in event.aims if a.aim in wanted] + [
        EventAim(aim=aim) for aim in sorted(wanted - set(event.aim_values))
    ]
    event.other_aim = details.other_aim.strip() if Aim.OTHER in wanted else ""
    if details.day and details.start and details.end:
        event.starts_at = local_to_utc(details.day, details.start)
        event.ends_at = local_to_utc(details.day, details.end)
    else:
        event.starts_at = event.ends_at = None
    event.public_location = " ".join(details.public_location.split())[:100]
    event.venue_name = details.venue_name.strip()
    event.venue_address = details.venue_address.strip()
    event.online_platform = details.online_platform.strip()
    event.joining_link = details.joining_link.strip()
    set_format(event, details.format)
    event.capacity = details.capacity
    event.chair_name = details.chair_name.strip()
    event.chair_role = details.chair_role.strip()
    event.home_office_speaking = details.home_office_speaking
    # Kept while the Home Office is not speaking, so Yes -> No -> Yes loses nothing.
    event.presentation_type = details.presentation_type
    event.presentation_topic = details.presentation_topic.strip()
    event.intro_video = details.intro_video
    event.video_edit = details.video_edit if details.intro_video else None
    bump_sequence_if_changed(event, before)


def create_event(*, council_id: int, actor: User, details: EventDetails) -> Event:
    event = Event(council_id=council_id, created_by=actor, status=EventStatus.DRAFT, title="")
    _apply(event, details)
    db.session.add(event)
    db.session.flush()
    db.session.add(
        StatusChange(
            event=event,
            from_status=None,
            to_status=EventStatus.DRAFT,
            changed_by=actor,
            changed_at=utcnow(),
        )
    )
    audit.record(actor=actor, council_id=council_id, action="event.create", obj=event)
    event_saved.send(event=event, actor=actor)
    return event


def update_event(*, event: Event, actor: User, details: EventDetails) -> None:
    _apply(event, details)
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="event.update", obj=event)
    event_saved.send(event=event, actor=actor)


def was_held(event: Event) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    StatusChange.event_id == event.id, StatusChange.to_status == EventStatus.HELD
                )
            )
        )
    )


def facts(event: Event) -> lifecycle.EventFacts:
    return lifecycle.EventFacts(
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        was_held=was_held(event),
    )


def available_moves(
    event: Event, actor: User, *, now: datetime | None = None
) -> list[lifecycle.Move]:
    return lifecycle.moves(facts(event), now=now or utcnow(), can_evaluate=actor.can_evaluate)


def change_status(
    *, event: Event, to: EventStatus, actor: User, now: datetime | None = None
) -> StatusChange:
    """Move the event to a new status, if the rules allow it, and record who did it."""
    now = now or utcnow()
    reason = lifecycle.why_not(facts(event), to, now=now, can_evaluate=actor.can_evaluate)
    if reason:
        raise DomainError(reason)
    change = StatusChange(
        event=event, from_status=event.status, to_status=to, changed_by=actor, changed_at=now
    )
    db.session.add(change)
    before = calendar_view(event)
    event.status = to
    # Archiving cancels the calendar entry (and restoring reinstates it): calendars only
    # apply the change if the SEQUENCE goes up.
    bump_sequence_if_changed(event, before)
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="event.status",
        obj=event,
        summary=f"{change.from_status} -> {to}",
    )
    return change


def status_history(event: Event) -> list[StatusChange]:
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.event_id == event.id)
            .options(selectinload(StatusChange.changed_by))
            .order_by(StatusChange.id.desc())
        )
    )


def details_of(event: Event) -> dict[str, Any]:
    """The event as form data, in UK local time."""
    start = event.starts_at.astimezone(LONDON) if event.starts_at else None
    end = event.ends_at.astimezone(LONDON) if event.ends_at else None
    return {
        "title": event.title,
        "aims": [a.value for a in event.aim_values],
        "other_aim": event.other_aim,
        "day": start.date() if start else None,
        "start": start.time() if start else None,
        "end": end.time() if end else None,
        "format": event.format.value,
        "public_location": event.public_location,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "online_platform": event.online_platform,
        "joining_link": event.joining_link,
        "capacity": event.capacity,
        "chair_name": event.chair_name,
        "chair_role": event.chair_role,
        "home_office_speaking": "yes" if event.home_office_speaking else "no",
        "presentation_type": event.presentation_type.value if event.presentation_type else "",
        "presentation_topic": event.presentation_topic,
        "intro_video": "yes" if event.intro_video else "no",
        "video_edit": event.video_edit.value if event.video_edit else "",
    }
