"""Registering, confirming an email, approving, declining, cancelling and the waiting list.

Every change of place goes through ``eventapp.registration.capacity`` (lock, recount, change);
mail goes through the outbox in the same transaction (``eventapp.registration.mailing``).
Routes call these through ``uow.run``: one commit per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    FromClause,
    Integer,
    Join,
    Row,
    Select,
    Update,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from eventapp import audit, pipeline, tokens, uow
from eventapp.accounts.models import Council, User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.invitations.models import InvitationChannel, Invitee
from eventapp.mail import outbox
from eventapp.models.base import database_now, table_of, utcnow
from eventapp.questions import registrants
from eventapp.registration import capacity, mailing
from eventapp.registration.models import (
    ACTIVE,
    DEFAULT_RELEASE_HOURS,
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from eventapp.tokens import SecretToken, TokenPurpose

CONFIRM_EMAIL_HOURS = 48


def settings_for(event: Event) -> RegistrationSettings:
    """The event's registration settings (the defaults until the organiser saves some)."""
    return _or_defaults(event, db.session.get(RegistrationSettings, event.id))


def _or_defaults(event: Event, row: RegistrationSettings | None) -> RegistrationSettings:
    """The settings row loaded for the event, or the defaults if it has none."""
    if row is None:
        row = RegistrationSettings(
            event_id=event.id,
            mode=ApprovalMode.AUTOMATIC,
            release_hours=48,
            retention_days=90,
            instructions_note="",
            instructions_version=0,
        )
    return row


def closes_at(event: Event, settings: RegistrationSettings) -> datetime | None:
    """When registration closes: the organiser's deadline, or the start of the event."""
    if settings.closes_at is not None and event.starts_at is not None:
        return min(settings.closes_at, event.starts_at)
    return settings.closes_at or event.starts_at


def release_at(event: Event, settings: RegistrationSettings) -> datetime | None:
    """When confirmed attendees get the venue address or joining link."""
    if event.starts_at is None:
        return None
    return event.starts_at - timedelta(hours=settings.release_hours)


def is_released(event: Event, settings: RegistrationSettings, now: datetime) -> bool:
    moment = release_at(event, settings)
    return moment is not None and moment <= now


class Availability(StrEnum):
    """What the public page says about places."""

    OPEN = "open"
    WAITING_LIST = "waiting_list"  # full: new registrations join the waiting list
    CLOSED = "closed"  # the deadline passed, or the event is not open for registration
    NOT_OPEN = "not_open"  # not open for registration yet


def availability(event: Event, *, now: datetime | None = None) -> Availability:
    """Whether people can register now, and whether a place is left."""
    now = now or utcnow()
    if event.status in (EventStatus.DRAFT, EventStatus.PLANNING):
        return Availability.NOT_OPEN
    if event.status is not EventStatus.OPEN:
        return Availability.CLOSED
    closing = closes_at(event, settings_for(event))
    if closing is not None and closing <= now:
        return Availability.CLOSED
    left = capacity.places_left(event.id)
    if left is not None and left <= 0:
        return Availability.WAITING_LIST
    return Availability.OPEN


@dataclass(frozen=True)
class RegistrantDetails:
    """What the public form collects, already parsed."""

    name: str
    email: str
    organisation: str
    sector: Sector | None
    sector_other: str = ""
    role: str = ""
    access_needs: str = ""
    dietary_needs: str = ""
    question: str = ""


def _via(via: str | None) -> tuple[int | None, int | None]:
    """(channel id, invitee id) from the session's note of where the visitor came from."""
    kind, _, number = (via or "").partition(":")
    if not number.isdigit() or len(number) > 12:
        return None, None
    if kind == "channel":
        return int(number), None
    if kind == "invitee":
        return None, int(number)
    return None, None


def register(
    *, event: Event, details: RegistrantDetails, via: str | None = None, now: datetime | None = None
) -> None:
    """Register someone, or, if that email is already registered, email them their link.

    Returns nothing: the page says the same ("check your email") whatever happened, so it
    reveals nothing about who else registered.
    """
    now = now or utcnow()
    if availability(event, now=now) in (Availability.CLOSED, Availability.NOT_OPEN):
        raise DomainError("Registration for this event has closed", field="name")
    if not details.name.strip():
        raise DomainError("Enter your full name", field="name")
    email = details.email.strip().lower()
    existing = _by_email(event, email)
    if existing is not None:
        _remind(existing, now=now)
        return
    channel_id, invitee_id = _via(via)
    values = {
        "event_id": event.id,
        "status": RegistrationStatus.UNCONFIRMED,
        "name": details.name,
        "email": email,
        "organisation": details.organisation,
        "sector": details.sector,
        "sector_other": details.sector_other if details.sector is Sector.OTHER else "",
        "role": details.role,
        "access_needs": details.access_needs,
        "dietary_needs": details.dietary_needs if event.is_in_person else "",
        "question": details.question,
        "channel_id": _existing(InvitationChannel, channel_id, event),
        "invitee_id": _existing(Invitee, invitee_id, event),
        "walk_in": False,
        "instructions_sent_version": -1,
        "created_at": now,
        "updated_at": now,
    }
    # ON CONFLICT DO NOTHING: the same email registering at the same moment in another
    # request gives one registration and the same answer, without aborting the transaction.
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    new_id = db.session.scalar(
        insert(Registration)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["event_id", "email"])
        .returning(Registration.id)
    )
    if new_id is None:
        existing = _by_email(event, email)
        if existing is not None:
            _remind(existing, now=now)
        return
    registration = db.session.get_one(Registration, new_id)
    _send_confirmation(registration, now=now)


def _existing(
    model: type[InvitationChannel] | type[Invitee], row_id: int | None, event: Event
) -> int | None:
    """The id if that channel or invitee exists for this event (a stale session may not)."""
    if row_id is None:
        return None
    found = db.session.scalar(
        select(model.id).where(model.id == row_id, model.event_id == event.id)
    )
    return int(found) if found is not None else None


def _by_email(event: Event, email: str) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.email == email)
    )


def _send_confirmation(registration: Registration, *, now: datetime) -> None:
    issued = tokens.issue(
        TokenPurpose.EMAIL_CONFIRMATION,
        registration.id,
        ttl=timedelta(hours=CONFIRM_EMAIL_HOURS),
        replace=True,
        now=now,
    )
    mailing.confirm_email(registration, issued.raw, hours=CONFIRM_EMAIL_HOURS)


def _remind(registration: Registration, *, now: datetime) -> None:
    """Someone registered again with an email already registered: tell that address only."""
    if registration.status is RegistrationStatus.UNCONFIRMED:
        _send_confirmation(registration, now=now)
        return
    mailing.already_registered(registration, own_link(registration, now=now))


def own_link(registration: Registration, *, now: datetime | None = None) -> str:
    """A fresh secret token for the registrant's own page."""
    return tokens.issue(TokenPurpose.REGISTRATION, registration.id, now=now).raw


def registration_for_confirmation(raw: str) -> Registration | None:
    """The registration an email-confirmation link belongs to, if the link still works."""
    row = tokens.find(TokenPurpose.EMAIL_CONFIRMATION, raw)
    return _live(row.subject_id) if row is not None else None


def registration_for_page(raw: str) -> Registration | None:
    """The registration whose own-page link this is (None once purged or revoked)."""
    row = tokens.find(TokenPurpose.REGISTRATION, raw)
    return _live(row.subject_id) if row is not None else None


def _live(registration_id: int) -> Registration | None:
    """The registration unless purged."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.purged_at is not None:
        return None
    return registration


def _confirmation_columns(left: FromClause) -> tuple[list[Any], Join]:
    """What confirming an email reads, as columns (no instance): the registration, its
    event and council, the event's registration settings (NULL without a row: the
    defaults) and the places held, by a count without the lock (only a guess); and the
    joins from ``left`` (the registration table, or a statement that gives its id) that
    reach them."""
    registration = table_of(Registration)
    event = table_of(Event)
    council = table_of(Council)
    settings = table_of(RegistrationSettings)
    held = capacity.held_count(registration.c.event_id)
    columns = [
        registration.c.id,
        registration.c.event_id,
        registration.c.status,
        registration.c.name,
        registration.c.email,
        registration.c.question,
        registration.c.invitee_id,
        registration.c.purged_at,
        event.c.council_id,
        event.c.title,
        event.c.starts_at,
        event.c.ends_at,
        event.c.public_location,
        event.c.format,
        event.c.capacity,
        council.c.name.label("council_name"),
        settings.c.mode,
        settings.c.release_hours,
        held.label("held"),
    ]
    joined = (
        left.join(event, event.c.id == registration.c.event_id)
        .join(council, council.c.id == event.c.council_id)
        .outerjoin(settings, settings.c.event_id == registration.c.event_id)
    )
    return columns, joined


@cache
def _confirmation_query() -> Select[Any]:
    """Built once (the request binds the registration's id): ``_confirmation_columns``."""
    registration = table_of(Registration)
    columns, joined = _confirmation_columns(registration)
    return (
        select(*columns)
        .select_from(joined)
        .where(registration.c.id == bindparam("registration_id", type_=Integer))
    )


@cache
def _use_issue_and_load_statement() -> Select[Any]:
    """PostgreSQL, built once: in one statement, the link used (``tokens.use_statement`` in a
    WITH clause), the own-page token written for its registration unless purged, and
    ``_confirmation_columns`` with the used token's id. Binds ``tokens.use_params`` and
    ``own_purpose``, ``own_hash``."""
    registration = table_of(Registration)
    token = table_of(SecretToken)
    used = tokens.use_statement().cte("used")
    own = (
        insert(token)
        .from_select(
            ["purpose", "token_hash", "subject_id", "created_at"],
            select(
                bindparam("own_purpose", type_=token.c.purpose.type),
                bindparam("own_hash", type_=token.c.token_hash.type),
                registration.c.id,
                bindparam("now", type_=token.c.created_at.type),
            )
            .select_from(used.join(registration, registration.c.id == used.c.subject_id))
            .where(registration.c.purged_at.is_(None)),
        )
        .cte("own")
    )
    columns, joined = _confirmation_columns(
        used.join(registration, registration.c.id == used.c.subject_id)
    )
    return select(*columns, used.c.id.label("token_id")).select_from(joined).add_cte(own)


def _use_issue_and_load(raw: str, *, now: datetime | None) -> tuple[Row[Any], str] | None:
    """Use the confirmation link, issue the own-page token and read what confirming needs:
    one statement on PostgreSQL, three elsewhere (SQLite runs no UPDATE in a WITH clause).
    None if the link does not work or its registration is gone or purged."""
    params = tokens.use_params(TokenPurpose.EMAIL_CONFIRMATION, raw, now=now)
    if params is None:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        link = tokens.new_token()
        row = db.session.execute(
            _use_issue_and_load_statement(),
            {
                **params,
                "own_purpose": TokenPurpose.REGISTRATION,
                "own_hash": tokens.hash_token(TokenPurpose.REGISTRATION, link),
            },
        ).one_or_none()
        if row is None:
            return None
        tokens.forget_loaded(row.token_id)
        return (row, link) if row.purged_at is None else None
    subject_id = tokens.use(TokenPurpose.EMAIL_CONFIRMATION, raw, now=params["now"])
    if subject_id is None:
        return None
    row = db.session.execute(_confirmation_query(), {"registration_id": subject_id}).one_or_none()
    if row is None or row.purged_at is not None:
        return None
    return row, tokens.issue_raw(TokenPurpose.REGISTRATION, row.id, now=params["now"])


@cache
def _settle_statement(approval: bool, pause: float = 0.0) -> Update:
    """Built once per mode: the change that confirming an email makes, deciding the outcome
    itself. Run straight after the place lock's statement (in the same round trip on
    PostgreSQL: ``eventapp.pipeline``), it counts the places held as that lock's earlier
    holders left them, reads the clock (the waiting list's order is the order of the lock)
    and changes the registration, if it is still unconfirmed, to confirmed when a place is
    left or to the end of the waiting list when none is; in approval mode, to pending. Binds
    ``b_registration_id``, ``b_event_id`` and ``b_now`` (None: the database's clock). Returns the
    status and the time, or no row if the registration had changed (declined, say) before.

    ``pause`` (tests only, PostgreSQL) holds the race window open between the count and the
    change, as ``capacity.after_count`` does in the other paths."""
    registration = table_of(Registration)
    event = table_of(Event)
    facts = [
        event.c.id.label("event_id"),
        event.c.capacity.label("capacity"),
        capacity.held_count(event.c.id).label("held"),
        func.coalesce(
            bindparam("b_now", type_=registration.c.email_confirmed_at.type), database_now()
        ).label("at"),
    ]
    if pause:
        facts.append(func.pg_sleep(pause).label("pause"))
    places = (
        select(*facts)
        .where(event.c.id == bindparam("b_event_id", type_=Integer))
        .subquery("places")
    )
    at = places.c.at
    status_type = registration.c.status.type
    values: list[tuple[Any, Any]]
    if approval:
        values = [
            (registration.c.status, literal(RegistrationStatus.PENDING, status_type)),
            (registration.c.email_confirmed_at, at),
        ]
    else:
        has_place = or_(places.c.capacity.is_(None), places.c.held < places.c.capacity)
        values = [
            (
                registration.c.status,
                case(
                    (has_place, literal(RegistrationStatus.CONFIRMED, status_type)),
                    else_=literal(RegistrationStatus.WAITING, status_type),
                ),
            ),
            (registration.c.email_confirmed_at, at),
            (registration.c.confirmed_at, case((has_place, at), else_=registration.c.confirmed_at)),
            (
                registration.c.waitlisted_at,
                case(
                    (has_place, registration.c.waitlisted_at),
                    else_=func.coalesce(registration.c.waitlisted_at, at),
                ),
            ),
        ]
    values.append((registration.c.updated_at, at))
    return (
        update(registration)
        .where(
            registration.c.id == bindparam("b_registration_id", type_=Integer),
            registration.c.event_id == places.c.event_id,
            registration.c.status == literal(RegistrationStatus.UNCONFIRMED, status_type),
        )
        .ordered_values(*values)
        .returning(registration.c.status, registration.c.email_confirmed_at.label("at"))
    )


@cache
def _invitee_responded_statement() -> Update:
    invitee = table_of(Invitee)
    return (
        update(invitee)
        .where(
            invitee.c.id == bindparam("invitee_id", type_=Integer),
            invitee.c.responded_at.is_(None),
        )
        .values(responded_at=bindparam("now", type_=invitee.c.responded_at.type))
    )


@dataclass(frozen=True)
class Confirmed:
    """A confirmation link used: the registration, where it now stands, and a token for its
    own page."""

    registration_id: int
    status: RegistrationStatus
    link: str


def confirm_email(raw: str, *, now: datetime | None = None) -> Confirmed | None:
    """Use an email-confirmation link: the registration takes a place, joins the waiting
    list or waits for approval. Returns it with a token for its own page (None if the link
    does not work).

    Everything that does not need the place lock is done before taking it: using the link,
    loading the registration and settings, issuing the own-page token and writing the email
    for the likely outcome. Under it, one statement counts the places and makes the change
    (``_settle_statement``); the commit releases it.

    The place-taking request of a popular event, so every statement is a Core statement
    built once, of columns (no instance loaded, no unit-of-work flush): on PostgreSQL one for
    the link, the own-page token and the reading, then the email, the lock and the change
    together in one round trip (``eventapp.pipeline``). A registration with a question to
    pass on, or confirmed once the joining instructions are due, takes the slower path for
    that step only.
    """
    loaded = _use_issue_and_load(raw, now=now)
    if loaded is None:
        return None
    row, link = loaded
    registration_id = int(row.id)
    mode = row.mode or ApprovalMode.AUTOMATIC
    # The outcome is guessed before the lock (a count without it, loaded with the
    # registration) and its email written with the change; only a wrong guess (near the
    # last place) costs another write.
    if mode is ApprovalMode.APPROVAL:
        expected = RegistrationStatus.PENDING
    else:
        guess = capacity.guess_left(row.capacity, row.held)
        expected = (
            RegistrationStatus.CONFIRMED
            if guess is None or guess > 0
            else RegistrationStatus.WAITING
        )
    event = mailing.EventFacts(
        event_id=row.event_id,
        council_id=row.council_id,
        title=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        public_location=row.public_location,
        format=row.format,
        council_name=row.council_name,
    )
    registrant = mailing.Registrant(
        id=registration_id, name=row.name, email=row.email, purged=False
    )
    letter = mailing.expected_status(registrant, event, link, expected)
    lock = capacity.lock_step(row.event_id)
    settle = pipeline.Step(
        _settle_statement(mode is ApprovalMode.APPROVAL, _settle_pause()),
        {"b_registration_id": registration_id, "b_event_id": row.event_id, "b_now": now},
    )
    *before, settled = pipeline.run(*(step for step in (letter, lock) if step), settle)
    queued = outbox.inserted(before[0]) if letter is not None else None
    if settled is None:
        # Changed before the lock was taken (declined, say): nothing to tell.
        if queued is not None:
            outbox.withdraw(queued)
        return Confirmed(registration_id, _stored_status(registration_id), link)
    status, now = settled.status, settled.at
    uow.expire_if_loaded(Registration, registration_id)
    if status is not RegistrationStatus.PENDING and row.question.strip():
        # With a place or on the waiting list, their form's question joins the event's
        # questions (rare: through the instance, as the other paths do).
        registrants.pass_on_registration_question(db.session.get_one(Registration, registration_id))
    if row.invitee_id is not None:
        db.session.execute(
            _invitee_responded_statement(), {"invitee_id": row.invitee_id, "now": now}
        )
        uow.expire_if_loaded(Invitee, row.invitee_id)
    mailing.settled_status(registrant, event, link, queued, expected, status)
    if status is RegistrationStatus.CONFIRMED and _may_be_released(row, now):
        registration = db.session.get_one(Registration, registration_id)
        settings = settings_for(registration.event)
        mailing.instructions_if_due(registration, settings=settings, now=now)
    return Confirmed(registration_id, status, link)


def _settle_pause() -> float:
    """The test-only pause inside the change (PostgreSQL's pg_sleep; none elsewhere)."""
    if capacity.settle_pause and db.session.get_bind().dialect.name == "postgresql":
        return capacity.settle_pause
    return 0.0


def _stored_status(registration_id: int) -> RegistrationStatus:
    return db.session.scalars(
        select(Registration.status).where(Registration.id == registration_id)
    ).one()


def _may_be_released(row: Row[Any], now: datetime) -> bool:
    """Whether the joining instructions may be due (the release time has come): only then
    are the event and settings loaded to decide."""
    if row.starts_at is None:
        return False
    hours = row.release_hours if row.release_hours is not None else DEFAULT_RELEASE_HOURS
    return bool(row.starts_at - timedelta(hours=hours) <= now)


def _take_place_or_wait(registration: Registration, *, now: datetime, left: int | None) -> None:
    """Under the place lock: a place if one is left (``left``, just counted under the same
    lock), else the end of the waiting list."""
    if left is None or left > 0:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITING
        registration.waitlisted_at = registration.waitlisted_at or now
    db.session.flush()
    # With a place or on the waiting list, their form's question joins the event's questions.
    registrants.pass_on_registration_question(registration)


def _fill_places(event: Event, *, now: datetime) -> list[Registration]:
    """Under the place lock: promote the waiting list, strictly in order, into free places."""
    promoted: list[Registration] = []
    left = capacity.places_left(event.id)
    if left == 0:
        return promoted
    query = (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITING,
        )
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    if left is not None:
        query = query.limit(left)
    settings = settings_for(event)
    for registration in db.session.scalars(query):
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        mailing.status_changed(
            registration,
            own_link(registration, now=now),
            settings=settings,
            now=now,
            promoted=True,
        )
    return promoted


def cancel_own(raw: str, *, now: datetime | None = None) -> Registration | None:
    """The registrant cancels through their own page; the next on the waiting list moves up."""
    registration = registration_for_page(raw)
    if registration is None:
        return None
    capacity.lock_places(registration.event_id)
    _cancel([registration], event=registration.event, now=now or utcnow())
    return registration


def _cancel(
    registrations: list[Registration], *, event: Event, now: datetime
) -> list[Registration]:
    """Under the place lock: cancel, then give the freed places to the waiting list."""
    capacity.lock_places(event.id)
    changed = []
    for registration in registrations:
        db.session.refresh(registration)
        if registration.status not in ACTIVE:
            continue
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        changed.append(registration)
    db.session.flush()
    _fill_places(event, now=now)
    return changed


class Action(StrEnum):
    """What an organiser does to one or several registrations."""

    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"


def registrations_of(event: Event, ids: Iterable[int]) -> list[Registration]:
    """The event's registrations with these ids, in the order they registered."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.id.in_(wanted))
            .order_by(Registration.id)
        )
    )


def get_registration(event: Event, registration_id: int) -> Registration:
    registration = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.id == registration_id
        )
    )
    if registration is None:
        raise NotFoundError
    return registration


def decide(
    *,
    event: Event,
    actor: User,
    ids: Iterable[int],
    action: Action,
    message: str = "",
    now: datetime | None = None,
) -> int:
    """Approve, decline or cancel registrations (one or several): returns how many changed.

    Approving takes places in the order people registered; those who find the event full
    join the waiting list. The lock is taken once, so a bulk approval never oversells.
    """
    chosen = registrations_of(event, ids)
    if not chosen:
        raise DomainError("Select at least one registration", field="ids")
    settings = settings_for(event)
    capacity.lock_places(event.id)
    # Read under the lock from the database's clock, as a confirmation's time is: someone
    # approved onto the waiting list queues behind everyone already on it.
    now = now or capacity.clock()
    if action is Action.CANCEL:
        cancelled = _cancel(chosen, event=event, now=now)
        for registration in cancelled:
            mailing.cancelled_by_organiser(registration, message)
        changed = len(cancelled)
    else:
        changed = 0
        for registration in chosen:
            db.session.refresh(registration)
            if action is Action.APPROVE:
                if registration.status is not RegistrationStatus.PENDING:
                    continue
                registration.decided_at = now
                _take_place_or_wait(
                    registration, now=now, left=capacity.places_left(registration.event_id)
                )
                mailing.status_changed(
                    registration, own_link(registration, now=now), settings=settings, now=now
                )
            else:
                if registration.status not in (
                    RegistrationStatus.PENDING,
                    RegistrationStatus.WAITING,
                    RegistrationStatus.UNCONFIRMED,
                ):
                    continue
                registration.status = RegistrationStatus.DECLINED
                registration.decided_at = now
                if registration.email_confirmed_at is not None:
                    mailing.declined(registration, message)
            changed += 1
        db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action=f"registration.{action.value}",
        obj=event,
        summary=f"{action.value}: {changed} registration(s)",
    )
    return changed


def refill_after_capacity_change(event: Event, *, now: datetime | None = None) -> int:
    """After the capacity went up: promote from the waiting list into the new places."""
    now = now or utcnow()
    capacity.lock_places(event.id)
    return len(_fill_places(event, now=now))


@dataclass(frozen=True)
class NeedsUpdate:
    access_needs: str
    dietary_needs: str


def needs_data(registration: Registration) -> dict[str, str]:
    """The needs saved now, as the own page's form data (for eventapp.edits)."""
    return {
        "access_needs": registration.access_needs,
        "dietary_needs": registration.dietary_needs,
    }


def reread_needs_locked(raw: str) -> Registration | None:
    """The registration of this own-page link, locked and read afresh: two saves of the
    needs form at once take turns, the second comparing with the first's result."""
    registration = registration_for_page(raw)
    if registration is None:
        return None
    return db.session.get(
        Registration, registration.id, with_for_update=True, populate_existing=True
    )


def update_needs(raw: str, update: NeedsUpdate) -> Registration | None:
    """The registrant changes their access or dietary needs on their own page."""
    registration = registration_for_page(raw)
    if registration is None:
        return None
    if registration.status not in ACTIVE:
        raise DomainError(
            "This registration is cancelled: there is nothing to update", field="access_needs"
        )
    registration.access_needs = update.access_needs
    registration.dietary_needs = update.dietary_needs if registration.event.is_in_person else ""
    db.session.flush()
    return registration
