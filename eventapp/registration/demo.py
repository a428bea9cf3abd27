"""Demo registrations: the handbook's example event open for registration (approval mode)
with people in every state (confirmed, waiting, to approve, declined, cancelled,
unconfirmed), and the held demo event's attendance (check-ins and walk-ins). Loaded once
(idempotent)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.models.base import utcnow
from eventapp.registration.models import (
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)

ONLINE_TITLE = "Online roundtable: Prevent and online harms"

FIRST = ("Aisha", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hamza", "Isla", "Jack",
         "Kiran", "Leah", "Mo", "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq")
LAST = ("Ali", "Brown", "Clarke", "Das", "Evans", "Fofana", "Green", "Hussain")
ORGANISATIONS = (
    ("Aveley Primary School", Sector.EDUCATION_SCHOOLS),
    ("Belmont Castle Academy", Sector.EDUCATION_SCHOOLS),
    ("Chafford Hundred Academy", Sector.EDUCATION_SCHOOLS),
    ("Gable Hall School", Sector.EDUCATION_SCHOOLS),
    ("Grays Convent High School", Sector.EDUCATION_SCHOOLS),
    ("Thurrock Mind", Sector.CHARITY),
    ("Grays Mosque", Sector.FAITH),
    ("Essex Police", Sector.POLICE),
    ("Thurrock Council Children's Services", Sector.SOCIAL_CARE),
    ("Mid and South Essex NHS Trust", Sector.HEALTH),
)


def _people(count: int, domain: str) -> list[tuple[str, str, str, Sector]]:
    people = []
    for n in range(count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST) + n) % len(LAST)]
        organisation, sector = ORGANISATIONS[n % len(ORGANISATIONS)]
        email = f"{first}.{last}.{n}@{domain}".lower()
        people.append((f"{first} {last}", email, organisation, sector))
    return people


def _add(event: Event, people: list[tuple[str, str, str, Sector]], status: RegistrationStatus,
         **extra: object) -> list[Registration]:
    now = utcnow()
    rows = []
    for n, (name, email, organisation, sector) in enumerate(people):
        rows.append(
            Registration(
                event_id=event.id, name=name, email=email, organisation=organisation,
                sector=sector, role="Designated safeguarding lead"
                if sector is Sector.EDUCATION_SCHOOLS else "",
                status=status, email_confirmed_at=now,
                confirmed_at=now if status is RegistrationStatus.CONFIRMED else None,
                waitlisted_at=now + timedelta(seconds=n)
                if status is RegistrationStatus.WAITING else None,
                decided_at=now if status is RegistrationStatus.DECLINED else None,
                cancelled_at=now if status is RegistrationStatus.CANCELLED else None,
                created_at=now - timedelta(days=3, minutes=-n), updated_at=now, **extra,
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    return rows


def load(event: Event, organiser: User) -> list[str]:
    """Add the demo registrations unless the example event already has some."""
    if db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id).limit(1)
    ):
        return []
    created = []
    if event.status is EventStatus.PLANNING:
        event_services.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
    db.session.merge(RegistrationSettings(event_id=event.id, mode=ApprovalMode.APPROVAL,
                                          instructions_note="Step-free entrance on Orsett "
                                          "Road. Tea from 5.45pm; we start at 6pm sharp."))
    capacity = event.capacity or 40
    people = _people(capacity + 14, "example.org")
    confirmed = _add(event, people[:capacity], RegistrationStatus.CONFIRMED)
    confirmed[0].access_needs = "Wheelchair user: step-free access please"
    confirmed[1].dietary_needs = "Vegetarian"
    rest = people[capacity:]
    _add(event, rest[:4], RegistrationStatus.WAITING)
    to_approve = _add(event, rest[4:7], RegistrationStatus.PENDING)
    # Joins the event's questions, anonymously, when the organiser approves them.
    to_approve[0].question = "Will the slides be shared after the event?"
    _add(event, rest[7:9], RegistrationStatus.DECLINED)
    _add(event, rest[9:11], RegistrationStatus.CANCELLED)
    unconfirmed = _add(event, rest[11:12], RegistrationStatus.UNCONFIRMED)
    unconfirmed[0].email_confirmed_at = None
    uow.commit()
    created.append("registrations in every state for the example event")
    return created


def load_past(council_id: int, organiser: User) -> list[str]:
    """Registrations and attendance for the held demo event (the feedback area's): most of
    those confirmed were checked in, a few walked in, a few cancelled."""
    from eventapp.feedback.demo import PAST_TITLE

    event = db.session.scalar(
        select(Event).where(Event.council_id == council_id, Event.title == PAST_TITLE)
    )
    if event is None or db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id).limit(1)
    ):
        return []
    people = _people(56, "example.com")
    confirmed = _add(event, people[:52], RegistrationStatus.CONFIRMED)
    _add(event, people[52:], RegistrationStatus.CANCELLED)
    start = event.starts_at or utcnow()
    for n, registration in enumerate(confirmed[:45]):
        registration.checked_in_at = start - timedelta(minutes=20 - n % 25)
    for name, organisation, sector in (
        ("Walk-in One", "Grays Library", Sector.GOVERNMENT),
        ("Walk-in Two", "Thurrock Mind", Sector.CHARITY),
        ("Walk-in Three", "", Sector.PREFER_NOT),
    ):
        db.session.add(Registration(
            event_id=event.id, name=name, organisation=organisation, sector=sector,
            status=RegistrationStatus.CONFIRMED, walk_in=True, confirmed_at=start,
            checked_in_at=start + timedelta(minutes=5), created_at=start, updated_at=start,
        ))
    uow.commit()
    return ["attendance for the held event (45 checked in, 3 walk-ins)"]


__all__ = ["load", "load_past"]
