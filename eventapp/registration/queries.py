"""Read-only questions about an event's registrations, answered in SQL.

For other areas (feedback, evaluation, numbers) these are the API; each takes an event id
and never loads more rows than it returns:

- ``attendance(event_id) -> Attendance``: registered, confirmed, waiting, pending, declined,
  cancelled, attended (checked in, walk-ins included) and walk-ins, in one query.
- ``confirmed_attendees(event_id) -> list[Registration]``: confirmed people whose personal
  data is still held (not purged), by name: e.g. for personal feedback links.
- ``attended_attendees(event_id) -> list[Registration]``: those checked in, by name.
- ``attended_by(event_id, "sector" | "organisation") -> list[tuple[str | None, int]]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Integer, Select, case, func, select

from eventapp.extensions import db
from eventapp.registration.models import Registration, RegistrationStatus

S = RegistrationStatus


@dataclass(frozen=True)
class Attendance:
    """An event's registration and attendance figures."""

    registered: int  # every registration except unconfirmed emails and walk-ins
    confirmed: int  # holding a place now (walk-ins excluded)
    waiting: int
    pending: int  # waiting for the organiser's approval
    declined: int
    cancelled: int
    attended: int  # checked in on the day, walk-ins included
    walk_ins: int


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0)).cast(Integer)


def attendance(event_id: int) -> Attendance:
    """The figures, in one aggregate query (purged rows still count)."""
    r = Registration
    row = db.session.execute(
        select(
            _count_where((r.status != S.UNCONFIRMED) & r.walk_in.is_(False)),
            _count_where((r.status == S.CONFIRMED) & r.walk_in.is_(False)),
            _count_where(r.status == S.WAITING),
            _count_where(r.status == S.PENDING),
            _count_where(r.status == S.DECLINED),
            _count_where(r.status == S.CANCELLED),
            _count_where(r.checked_in_at.is_not(None)),
            _count_where(r.walk_in.is_(True)),
        ).where(r.event_id == event_id)
    ).one()
    return Attendance(*(int(v or 0) for v in row))


def registered_by_event(event_ids: Select[tuple[int]]) -> dict[int, tuple[int, int]]:
    """Per event of ``event_ids`` that has any: (registrations, check-ins), counted as
    ``attendance`` counts them, in one grouped query."""
    r = Registration
    return {
        event_id: (int(registered or 0), int(attended or 0))
        for event_id, registered, attended in db.session.execute(
            select(
                r.event_id,
                _count_where((r.status != S.UNCONFIRMED) & r.walk_in.is_(False)),
                _count_where(r.checked_in_at.is_not(None)),
            )
            .where(r.event_id.in_(event_ids))
            .group_by(r.event_id)
        )
    }


def confirmed_attendees(event_id: int) -> list[Registration]:
    """Confirmed registrants (walk-ins too) whose personal data is still held, by name."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == S.CONFIRMED,
                Registration.purged_at.is_(None),
            )
            .order_by(func.lower(Registration.name), Registration.id)
        )
    )


def attended_attendees(event_id: int) -> list[Registration]:
    """People checked in on the day whose personal data is still held, by name."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.checked_in_at.is_not(None),
                Registration.purged_at.is_(None),
            )
            .order_by(func.lower(Registration.name), Registration.id)
        )
    )


def attended_by(
    event_id: int, by: Literal["sector", "organisation"]
) -> list[tuple[str | None, int]]:
    """How many attended, per sector value or per organisation name (largest first)."""
    column = Registration.sector if by == "sector" else Registration.organisation
    rows = db.session.execute(
        select(column, func.count(Registration.id))
        .where(Registration.event_id == event_id, Registration.checked_in_at.is_not(None))
        .group_by(column)
        .order_by(func.count(Registration.id).desc(), column)
    )
    return [(str(key) if key is not None else None, int(n)) for key, n in rows]


def status_counts(event_id: int) -> dict[RegistrationStatus, int]:
    """How many registrations are in each status."""
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    )
    counts = {status: 0 for status in RegistrationStatus}
    counts.update({status: int(n) for status, n in rows})
    return counts
