"""Demo registrations: the handbook's example event open for registration (approval mode)
with people in every state (confirmed, waiting, to approve, declined, cancelled,
unconfirmed); a second, online event starting tomorrow whose confirmed attendees have their
joining instructions in the mail folder (sent by the scheduled job's own function, through
the outbox); and the held demo event's attendance (check-ins and walk-ins). Loaded once
(idempotent)."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Aim, Sector
from eventapp.models.base import utcnow
from eventapp.registration import instructions
from eventapp.registration.models import (
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)

ONLINE_TITLE = "Online roundtable: Prevent and online harms"
CHECKED_IN = 49  # of the held event's 52 confirmed registrants

FIRST = (
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
)
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


def _add(
    event: Event,
    people: list[tuple[str, str, str, Sector]],
    status: RegistrationStatus,
    **extra: object,
) -> list[Registration]:
    now = utcnow()
    rows = []
    for n, (name, email, organisation, sector) in enumerate(people):
        rows.append(
            Registration(
                event_id=event.id,
                name=name,
                email=email,
                organisation=organisation,
                sector=sector,
                role="Designated safeguarding lead" if sector is Sector.EDUCATION_SCHOOLS else "",
                status=status,
                email_confirmed_at=now,
                confirmed_at=now if status is RegistrationStatus.CONFIRMED else None,
                waitlisted_at=now + timedelta(seconds=n)
                if status is RegistrationStatus.WAITING
                else None,
                decided_at=now if status is RegistrationStatus.DECLINED else None,
                cancelled_at=now if status is RegistrationStatus.CANCELLED else None,
                created_at=now - timedelta(days=3, minutes=-n),
                updated_at=now,
                **extra,
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    return rows


def load(event: Event, organiser: User) -> list[str]:
    """Add the demo registrations unless the example event already has some."""
    if db.session.scalar(select(Registration.id).where(Registration.event_id == event.id).limit(1)):
        return []
    created = []
    if event.status is EventStatus.PLANNING:
        event_services.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
    db.session.merge(
        RegistrationSettings(
            event_id=event.id,
            mode=ApprovalMode.APPROVAL,
            instructions_note="Step-free entrance on Orsett "
            "Road. Tea from 5.45pm; we start at 6pm sharp.",
        )
    )
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
    # 49 of the 52 confirmed came, and 3 walked in: 52 attended, 48 of them gave feedback.
    for n, registration in enumerate(confirmed[:CHECKED_IN]):
        registration.checked_in_at = start - timedelta(minutes=20 - n % 25)
    for name, organisation, sector in (
        ("Walk-in One", "Grays Library", Sector.GOVERNMENT),
        ("Walk-in Two", "Thurrock Mind", Sector.CHARITY),
        ("Walk-in Three", "", Sector.PREFER_NOT),
    ):
        db.session.add(
            Registration(
                event_id=event.id,
                name=name,
                organisation=organisation,
                sector=sector,
                status=RegistrationStatus.CONFIRMED,
                walk_in=True,
                confirmed_at=start,
                checked_in_at=start + timedelta(minutes=5),
                created_at=start,
                updated_at=start,
            )
        )
    uow.commit()
    return [f"attendance for the held event ({CHECKED_IN} checked in, 3 walk-ins)"]


def load_online(council_id: int, organiser: User) -> list[str]:
    """An online event tomorrow: its confirmed attendees are sent their joining instructions
    by ``instructions.send_due`` (what the scheduled job runs), so the mail folder has them."""
    existing = db.session.scalar(
        select(Event).where(Event.council_id == council_id, Event.title == ONLINE_TITLE)
    )
    if existing is not None:
        return []
    day = (utcnow() + timedelta(days=1)).date()
    event = event_services.create_event(
        council_id=council_id,
        actor=organiser,
        details=event_services.EventDetails(
            title=ONLINE_TITLE,
            aims=[Aim.AWARENESS],
            day=day,
            start=time(18, 0),
            end=time(19, 30),
            format=EventFormat.ONLINE,
            capacity=12,
            online_platform="Microsoft Teams",
            joining_link="https://teams.example.com/l/meetup-join/demo-roundtable",
        ),
    )
    event.public_location = "Online"
    event_services.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    event_services.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
    db.session.add(
        RegistrationSettings(
            event_id=event.id,
            mode=ApprovalMode.AUTOMATIC,
            instructions_note="Join five minutes early to test your sound. The session is not "
            "recorded.",
        )
    )
    people = _people(14, "example.net")
    _add(event, people[:12], RegistrationStatus.CONFIRMED)
    _add(event, people[12:], RegistrationStatus.WAITING)
    uow.commit()
    sent = uow.run(instructions.send_due)
    return [f"an online event tomorrow, its joining instructions sent to {sent} attendees"]


__all__ = ["CHECKED_IN", "load", "load_online", "load_past"]
