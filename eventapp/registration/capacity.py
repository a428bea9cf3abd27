"""Places at an event: one lock per event's pool of places, held only for check-and-change.

Every step that takes or frees a place (confirming an email in automatic mode, approving,
cancelling, promoting from the waiting list, changing the capacity) first calls
``lock_places``; under it, the places held are recounted from the rows and the change is made
in the same transaction. The lock is released at commit, so confirmed places never exceed
the capacity however many requests arrive at once (QUALITY 1).

- PostgreSQL: a transaction-level advisory lock keyed on the event (as pretix locks quotas),
  bounded by the connection's ``lock_timeout``: a wait that runs out is a "busy, try again"
  page (503), never a half-written row (QUALITY 2). Other work on the event is not blocked.
- SQLite: a no-op write takes the database's write lock before the count (its busy timeout
  bounds the wait); SQLite has one writer at a time, so that serialises the pool.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    ScalarSelect,
    TextClause,
    Update,
    bindparam,
    func,
    literal,
    select,
    text,
    update,
)

from eventapp import pipeline
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.models.base import database_now, table_of
from eventapp.registration.models import HOLDS_PLACE, Registration

# The first key of the two-key advisory lock: "places" (other areas use other namespaces).
LOCK_NAMESPACE = 0x504C

# Test-only switches: the negative control turns locking off, and a hook called right after
# the count widens the race window (``settle_pause``, in seconds, does the same inside the
# statement that counts and takes a place in one, on PostgreSQL). Never set in the
# application.
LOCKING = True
after_count: Callable[[], None] | None = None
settle_pause = 0.0


def lock_places(event_id: int) -> None:
    """Take the event's place lock until this transaction ends."""
    step = lock_step(event_id)
    if step is not None:
        db.session.execute(step.statement, dict(step.params))


def lock_step(event_id: int) -> pipeline.Step | None:
    """The statement that takes the event's place lock, to run alone (``lock_places``) or
    with the statements after it in one round trip (``eventapp.pipeline``); None when
    locking is off (the negative control)."""
    if not LOCKING:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        return pipeline.Step(_pg_lock(), {"namespace": LOCK_NAMESPACE, "event_id": event_id})
    return pipeline.Step(_sqlite_lock(), {"event_id": event_id})


def clock() -> datetime:
    """The database's clock, read now (under the place lock if this transaction holds it).

    Both paths that put someone on the waiting list stamp them with this clock unless given a
    time (tests): a confirmation's change reads it under the lock
    (``services._settle_statement``), an organiser's approval through this function after
    taking the lock. The list's order is then the order in which the lock's holders settled
    places, whichever path and whichever app server's clock."""
    return db.session.scalars(select(database_now())).one()


@cache
def _pg_lock() -> TextClause:
    return text("SELECT pg_advisory_xact_lock(:namespace, :event_id)")


@cache
def _sqlite_lock() -> Update:
    event = table_of(Event)
    return (
        update(event)
        .where(event.c.id == bindparam("event_id", type_=Integer))
        .values(id=event.c.id)
    )


def held_count(event_id: int | ColumnElement[int]) -> ScalarSelect[int]:
    """Places held now at an event (walk-ins added on the day do not take a registered
    place): the one count every check of places uses. Over an alias of the registration
    table, so ``event_id`` may be a column of an enclosing query's registration row (a
    correlated count) as well as a value or a bound parameter."""
    other = table_of(Registration).alias("held")
    return (
        select(func.count(other.c.id))
        .where(
            other.c.event_id == event_id,
            # Each status a bound value of its own (no IN list expanded per execution), so
            # that eventapp.pipeline can run the statements this count is part of.
            other.c.status.in_(
                [literal(status, other.c.status.type) for status in sorted(HOLDS_PLACE)]
            ),
            other.c.walk_in.is_(False),
        )
        .scalar_subquery()
    )


def guess_left(capacity: int | None, held: int | None) -> int | None:
    """Free places by a count taken without the lock (None: no limit): never acted on, only
    used to prepare for the likely outcome."""
    if capacity is None:
        return None
    return max(0, capacity - int(held or 0))


def _capacity(event_id: int | BindParameter[int]) -> ScalarSelect[int | None]:
    return select(Event.capacity).where(Event.id == event_id).scalar_subquery()


def _left(capacity: int | None, held: int | None) -> int | None:
    if after_count is not None:
        after_count()
    if capacity is None:
        return None
    return max(0, capacity - int(held or 0))


def places_held(event_id: int) -> int:
    """Places held now (walk-ins added on the day do not take a registered place)."""
    return int(db.session.scalar(select(held_count(event_id))) or 0)


def places_left(event_id: int) -> int | None:
    """Free places (None: no capacity set, so no limit), in one query. Call under
    ``lock_places`` to act."""
    capacity, held = db.session.execute(select(_capacity(event_id), held_count(event_id))).one()
    return _left(capacity, held)
