"""The organiser's side: the list with filters, settings, updates, export and check-in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.csvsafe import Lines
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations.models import CHANNEL_LABELS, InvitationChannel
from eventapp.mail.models import STATE_LABELS, MessageState, OutboxMessage
from eventapp.models.base import utcnow
from eventapp.registration import instructions, services
from eventapp.registration.models import (
    STATUS_LABELS,
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from eventapp.routing import whole_number


@dataclass(frozen=True)
class Filters:
    """What the organiser narrowed the list to (empty: everything)."""

    status: str = ""
    sector: str = ""
    organisation: str = ""
    channel: str = ""  # "invitation", "direct", "walk_in" or a channel id
    search: str = ""


def _filtered(event: Event, filters: Filters) -> Select[tuple[Registration]]:
    query = select(Registration).where(Registration.event_id == event.id)
    if filters.status in {s.value for s in RegistrationStatus}:
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    if filters.sector in {s.value for s in Sector}:
        query = query.where(Registration.sector == Sector(filters.sector))
    if filters.organisation:
        query = query.where(
            func.lower(Registration.organisation) == filters.organisation.strip().lower()
        )
    if filters.channel == "invitation":
        query = query.where(Registration.invitee_id.is_not(None))
    elif filters.channel == "walk_in":
        query = query.where(Registration.walk_in.is_(True))
    elif filters.channel == "direct":
        query = query.where(
            Registration.invitee_id.is_(None),
            Registration.channel_id.is_(None),
            Registration.walk_in.is_(False),
        )
    elif (channel_id := whole_number(filters.channel)) is not None:
        query = query.where(Registration.channel_id == channel_id)
    if filters.search:
        like = "%" + filters.search.strip().lower().replace("\\", "").replace("%", "")[:100] + "%"
        query = query.where(
            or_(
                func.lower(Registration.name).like(like),
                func.lower(Registration.email).like(like),
                func.lower(Registration.organisation).like(like),
            )
        )
    return query


def list_registrations(
    event: Event, filters: Filters, *, offset: int = 0, limit: int = 200
) -> tuple[list[Registration], int]:
    """One page of the filtered list (waiting list in its order, then by time) and the total."""
    query = _filtered(event, filters)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = db.session.scalars(
        query.order_by(
            Registration.status,
            Registration.waitlisted_at.nulls_last(),
            Registration.created_at,
            Registration.id,
        )
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


def delivery_states(ids: list[int]) -> dict[int, str]:
    """The state of the latest email to each of these registrations, in one query."""
    if not ids:
        return {}
    latest = (
        select(func.max(OutboxMessage.id))
        .where(OutboxMessage.related_type == "registration", OutboxMessage.related_id.in_(ids))
        .group_by(OutboxMessage.related_id)
    )
    rows = db.session.execute(
        select(OutboxMessage.related_id, OutboxMessage.state).where(OutboxMessage.id.in_(latest))
    )
    return {int(rid): STATE_LABELS[MessageState(state)] for rid, state in rows if rid}


def channel_choices(event: Event) -> list[tuple[str, str]]:
    channels = db.session.execute(
        select(InvitationChannel.id, InvitationChannel.label, InvitationChannel.kind)
        .where(InvitationChannel.event_id == event.id)
        .order_by(InvitationChannel.label)
    )
    return [
        ("invitation", "Their invitation"),
        ("direct", "The event's page"),
        ("walk_in", "Walk-in on the day"),
        *((str(cid), f"{label} ({CHANNEL_LABELS[kind]})") for cid, label, kind in channels),
    ]


def organisations(event: Event) -> list[str]:
    return [
        str(name)
        for name in db.session.scalars(
            select(Registration.organisation)
            .where(Registration.event_id == event.id, Registration.organisation != "")
            .group_by(Registration.organisation)
            .order_by(Registration.organisation)
        )
    ]


@dataclass(frozen=True)
class SettingsDetails:
    mode: ApprovalMode
    closes_at: datetime | None
    release_hours: int
    retention_days: int
    instructions_note: str


def save_settings(*, event: Event, actor: User, details: SettingsDetails) -> RegistrationSettings:
    """Save how the event takes registrations."""
    if (
        details.closes_at is not None
        and event.starts_at is not None
        and (details.closes_at > event.starts_at)
    ):
        raise DomainError("The closing date must be before the event starts", field="closes_on")
    settings = db.session.get(RegistrationSettings, event.id, with_for_update=True)
    if settings is None:
        settings = services.settings_for(event)
        db.session.add(settings)
    settings.mode = details.mode
    settings.closes_at = details.closes_at
    settings.release_hours = details.release_hours
    settings.retention_days = details.retention_days
    settings.instructions_note = details.instructions_note
    db.session.flush()
    audit.record(
        actor=actor, council_id=event.council_id, action="registration.settings", obj=event
    )
    return settings


def send_update(*, event: Event, actor: User, now: datetime | None = None) -> int:
    """Send the current instructions again to confirmed attendees (a room change, a new link).

    Raises the version, so calendars update (SEQUENCE) and anyone confirmed later gets this
    version. Before the release time nothing goes out yet: everyone gets the newest version
    then. Returns how many were emailed now.
    """
    now = now or utcnow()
    settings = db.session.get(RegistrationSettings, event.id, with_for_update=True)
    if settings is None:
        settings = services.settings_for(event)
        db.session.add(settings)
    settings.instructions_version += 1
    db.session.flush()
    sent = 0
    if instructions.is_due(event, settings, now):
        for registration in db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.purged_at.is_(None),
            )
            .order_by(Registration.id)
        ):
            if instructions.send(registration, settings=settings, now=now):
                sent += 1
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="registration.instructions_update",
        obj=event,
        summary=f"update sent to {sent} confirmed attendee(s)",
    )
    return sent


EXPORT_HEADING = [
    "name",
    "email",
    "organisation",
    "sector",
    "role",
    "status",
    "registered",
    "access needs",
    "dietary needs",
    "checked in",
]


def export_rows(event: Event, *, batch: int = 500) -> Iterator[str]:
    """The registrations as CSV, streamed in batches, formulas neutralised (QUALITY 16)."""
    lines = Lines()
    yield lines.row(EXPORT_HEADING)
    last_id = 0
    while True:
        chunk = list(
            db.session.scalars(
                select(Registration)
                .where(Registration.event_id == event.id, Registration.id > last_id)
                .order_by(Registration.id)
                .limit(batch)
            )
        )
        if not chunk:
            return
        yield lines.rows(_export_row(r) for r in chunk)
        last_id = chunk[-1].id


def _export_row(r: Registration) -> tuple[object, ...]:
    return (
        r.name,
        r.email or "",
        r.organisation,
        SECTOR_LABELS[r.sector] if r.sector else "",
        r.role,
        STATUS_LABELS[r.status],
        r.created_at.date().isoformat(),
        r.access_needs,
        r.dietary_needs,
        r.checked_in_at.isoformat(timespec="minutes") if r.checked_in_at else "",
    )


@dataclass(frozen=True)
class TargetMatch:
    """Target organisations from the audience profile matched against registrations."""

    total: int
    matched: list[str]
    missing: list[str]

    @property
    def summary(self) -> str:
        return f"{len(self.matched):,} of {self.total:,} target organisations"


def organisation_key(name: str) -> str:
    """How organisation names are compared: ignoring case and spacing."""
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class TargetPresence:
    """One target organisation, and whether a registration (or a check-in) matches it."""

    id: int
    event_id: int
    name: str
    present: bool


def target_presence(
    event_ids: Select[Any] | Sequence[int], *, attended: bool
) -> list[TargetPresence]:
    """The target organisations of these events, each marked present when a registration's
    organisation matches it (with ``attended``, a checked-in attendee's, walk-ins included).

    Names are compared with ``organisation_key``; cancelled and declined registrations do not
    count. Two queries whatever the number of events or registrations: registrations are
    grouped by organisation in the database, never loaded one by one.
    """
    from eventapp.audience.models import TargetOrganisation

    targets = db.session.execute(
        select(TargetOrganisation.id, TargetOrganisation.event_id, TargetOrganisation.name)
        .where(TargetOrganisation.event_id.in_(event_ids))
        .order_by(TargetOrganisation.event_id, TargetOrganisation.id)
    ).all()
    if not targets:
        return []
    query = select(Registration.event_id, Registration.organisation).where(
        Registration.event_id.in_(event_ids), Registration.organisation != ""
    )
    if attended:
        query = query.where(Registration.checked_in_at.is_not(None))
    else:
        query = query.where(
            Registration.status.in_(
                [
                    RegistrationStatus.CONFIRMED,
                    RegistrationStatus.WAITING,
                    RegistrationStatus.PENDING,
                ]
            )
        )
    present = {
        (int(event_id), organisation_key(str(name)))
        for event_id, name in db.session.execute(
            query.group_by(Registration.event_id, Registration.organisation)
        )
    }
    return [
        TargetPresence(
            int(tid),
            int(event_id),
            str(name),
            (int(event_id), organisation_key(str(name))) in present,
        )
        for tid, event_id, name in targets
    ]


def target_matches(event: Event, *, attended: bool) -> TargetMatch:
    """Which target organisations have registered (or, with ``attended``, were represented)."""
    rows = target_presence([event.id], attended=attended)
    matched = [t.name for t in rows if t.present]
    missing = [t.name for t in rows if not t.present]
    return TargetMatch(len(rows), matched, missing)
