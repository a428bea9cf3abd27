"""Check-in on the day: who is expected, ticking people arrived, and walk-ins."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.models.base import utcnow
from eventapp.registration.models import Registration, RegistrationStatus


def expected(event: Event, *, search: str = "") -> list[Registration]:
    """Confirmed people and walk-ins, by name; narrowed by a name or organisation search."""
    query = select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.purged_at.is_(None),
    )
    text = search.strip().lower().replace("%", "").replace("\\", "")[:100]
    if text:
        like = f"%{text}%"
        query = query.where(
            or_(
                func.lower(Registration.name).like(like),
                func.lower(Registration.organisation).like(like),
            )
        )
    return list(db.session.scalars(query.order_by(func.lower(Registration.name), Registration.id)))


def set_arrived(*, event: Event, actor: User, registration_id: int, arrived: bool) -> Registration:
    """Tick someone arrived (the first time is kept), or undo it."""
    registration = db.session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.id == registration_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .with_for_update()
    )
    if registration is None:
        raise NotFoundError
    if arrived:
        registration.checked_in_at = registration.checked_in_at or utcnow()
    else:
        registration.checked_in_at = None
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="registration.check_in" if arrived else "registration.check_in_undone",
        obj=registration,
    )
    return registration


def add_walk_in(
    *, event: Event, actor: User, name: str, organisation: str, sector: Sector | None
) -> Registration:
    """Someone who came without registering: confirmed and checked in at once. Walk-ins do
    not take a registered place (the room has them already)."""
    if not name.strip():
        raise DomainError("Enter their full name", field="name")
    now = utcnow()
    registration = Registration(
        event_id=event.id,
        status=RegistrationStatus.CONFIRMED,
        name=name,
        email=None,
        organisation=organisation,
        sector=sector,
        walk_in=True,
        confirmed_at=now,
        checked_in_at=now,
        created_at=now,
        updated_at=now,
    )
    db.session.add(registration)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="registration.walk_in",
        obj=registration,
    )
    return registration
