"""Capacity is never oversold under concurrent place-taking (QUALITY 1–3), with a negative
control: the same race with the lock turned off oversells, so these tests can fail.

Each request runs in its own thread with its own application context, session and pooled
connection, like a request in its own worker. A test-only hook sleeps right after the places
are counted, holding the race window open (inside the statement, where one statement counts
and takes a place).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from eventapp import tokens
from eventapp.accounts.models import User
from eventapp.database import is_busy
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.registration import capacity, services
from eventapp.registration.models import ApprovalMode, Registration, RegistrationStatus
from eventapp.tokens import TokenPurpose

N = 200
PLACES = 50
WINDOW = 0.01  # seconds between counting the places and taking one


@pytest.fixture
def race_window() -> Iterator[None]:
    capacity.after_count = lambda: time.sleep(WINDOW)
    capacity.settle_pause = WINDOW  # inside the statement that counts and takes a place
    yield
    capacity.after_count = None
    capacity.settle_pause = 0.0
    capacity.LOCKING = True


def _unconfirmed(event: Event, count: int) -> dict[int, str]:
    """``count`` registrations waiting for their email confirmation: id -> raw token."""
    now = utcnow()
    rows = [
        Registration(
            event_id=event.id, name=f"Person {n:03}", email=f"person{n:03}@example.org",
            organisation="Grays Academy", created_at=now + timedelta(microseconds=n),
        )
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.flush()
    raws = tokens.issue_many(
        TokenPurpose.EMAIL_CONFIRMATION, [r.id for r in rows], ttl=timedelta(hours=1)
    )
    db.session.commit()
    return raws


def _concurrently(app: Flask, jobs: list[Callable[[], Any]]) -> list[BaseException]:
    """Run each job in its own thread and unit of work, all released together; a job the
    database turned away as busy is tried again, as a person would."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], Any]) -> None:
        with app.app_context():
            try:
                start.wait()
                for _attempt in range(20):
                    try:
                        job()
                        db.session.commit()
                        return
                    except DBAPIError as error:
                        db.session.rollback()
                        if not is_busy(error):
                            raise
            except BaseException as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _statuses(event: Event) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Registration).where(Registration.event_id == event.id))
    )


def _confirm_all(app: Flask, event: Event) -> list[Registration]:
    raws = _unconfirmed(event, N)
    jobs = [lambda raw=raw: services.confirm_email(raw) for raw in raws.values()]
    errors = _concurrently(app, jobs)
    assert errors == []
    return _statuses(event)


def _in_order(rows: list[Registration]) -> None:
    """Everyone promoted from the waiting list joined it before everyone still on it."""
    waiting = [r for r in rows if r.status is RegistrationStatus.WAITING]
    promoted = [
        r for r in rows if r.status is RegistrationStatus.CONFIRMED and r.waitlisted_at
    ]
    if waiting and promoted:
        last_promoted = max((r.waitlisted_at, r.id) for r in promoted)  # type: ignore[type-var]
        first_waiting = min((r.waitlisted_at, r.id) for r in waiting)  # type: ignore[type-var]
        assert last_promoted < first_waiting


def _needs_postgres(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the threaded race runs on PostgreSQL; SQLite has its own test below")


def test_confirmations_never_oversell(
    app: Flask, make_event: Callable[..., Event], race_window: None
) -> None:
    _needs_postgres(app)
    event = make_event(capacity=PLACES)
    rows = _confirm_all(app, event)
    confirmed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
    waiting = [r for r in rows if r.status is RegistrationStatus.WAITING]
    print(f"\nrace with lock: {N} confirmations, {PLACES} places -> "
          f"{len(confirmed)} confirmed, {len(waiting)} waiting")
    assert len(confirmed) == PLACES
    assert len(waiting) == N - PLACES
    # Confirmed places were taken before anyone joined the waiting list.
    assert max(r.confirmed_at for r in confirmed) <= min(  # type: ignore[type-var]
        r.waitlisted_at for r in waiting  # type: ignore[misc]
    )


def test_negative_control_without_the_lock_oversells(
    app: Flask, make_event: Callable[..., Event], race_window: None
) -> None:
    _needs_postgres(app)
    capacity.LOCKING = False
    event = make_event(capacity=PLACES)
    rows = _confirm_all(app, event)
    confirmed = sum(1 for r in rows if r.status is RegistrationStatus.CONFIRMED)
    print(f"\nrace without lock: {N} confirmations, {PLACES} places -> {confirmed} confirmed")
    assert confirmed > PLACES, "the race did not oversell without the lock: it cannot fail"


def test_mixed_approvals_and_cancellations_keep_the_invariant(
    app: Flask, make_event: Callable[..., Event], organiser: User, race_window: None
) -> None:
    _needs_postgres(app)
    event = make_event(capacity=PLACES)
    db.session.add(services.settings_for(event))
    services.settings_for(event).mode = ApprovalMode.APPROVAL
    db.session.commit()
    now = utcnow()
    rows = [
        Registration(
            event_id=event.id, name=f"Person {n:03}", email=f"p{n:03}@example.org",
            status=RegistrationStatus.PENDING, email_confirmed_at=now,
            created_at=now + timedelta(microseconds=n),
        )
        for n in range(N)
    ]
    db.session.add_all(rows)
    db.session.commit()
    ids = [r.id for r in rows]
    organiser_id, event_id = organiser.id, event.id
    rng = random.Random(10)

    def approve(chunk: list[int]) -> Callable[[], Any]:
        def job() -> None:
            ev = db.session.get_one(Event, event_id)
            actor = db.session.get_one(User, organiser_id)
            services.decide(event=ev, actor=actor, ids=chunk, action=services.Action.APPROVE)
        return job

    # Approvals in single ids and in batches, in a random order, all at once.
    shuffled = ids[:]
    rng.shuffle(shuffled)
    chunks = [shuffled[i : i + rng.choice((1, 1, 3, 7))] for i in range(0, N, 4)]
    chunks += [shuffled[i + 1 : i + 4] for i in range(0, N, 4)]
    errors = _concurrently(app, [approve(c) for c in chunks])
    assert errors == []
    after_approval = _statuses(event)
    assert sum(r.status is RegistrationStatus.CONFIRMED for r in after_approval) == PLACES

    # Now confirmed people cancel while the organiser cancels others, all at once.
    confirmed_ids = [r.id for r in after_approval if r.status is RegistrationStatus.CONFIRMED]
    cancels = confirmed_ids[:20]
    own = {rid: tokens.issue(TokenPurpose.REGISTRATION, rid).raw for rid in cancels[:10]}
    db.session.commit()
    jobs: list[Callable[[], Any]] = [lambda raw=raw: services.cancel_own(raw) for raw in own.values()]

    def organiser_cancel(rid: int) -> Callable[[], Any]:
        def job() -> None:
            ev = db.session.get_one(Event, event_id)
            actor = db.session.get_one(User, organiser_id)
            services.decide(event=ev, actor=actor, ids=[rid], action=services.Action.CANCEL)
        return job

    jobs += [organiser_cancel(rid) for rid in cancels[10:]]
    errors = _concurrently(app, jobs)
    assert errors == []
    final = _statuses(event)
    confirmed = [r for r in final if r.status is RegistrationStatus.CONFIRMED]
    cancelled = [r for r in final if r.status is RegistrationStatus.CANCELLED]
    waiting = [r for r in final if r.status is RegistrationStatus.WAITING]
    print(f"\nmixed race: {len(confirmed)} confirmed, {len(waiting)} waiting, "
          f"{len(cancelled)} cancelled, {sum(1 for r in confirmed if r.waitlisted_at)} promoted")
    assert len(cancelled) == 20
    assert len(confirmed) == PLACES
    assert len(waiting) == N - PLACES - 20
    _in_order(final)


def test_sqlite_keeps_the_same_invariant(
    app: Flask, make_event: Callable[..., Event]
) -> None:
    """On SQLite one writer at a time: confirming in sequence from separate sessions."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    event = make_event(capacity=3)
    raws = _unconfirmed(event, 8)
    errors = _concurrently(app, [lambda raw=raw: services.confirm_email(raw)
                                 for raw in raws.values()])
    assert errors == []
    rows = _statuses(event)
    assert sum(r.status is RegistrationStatus.CONFIRMED for r in rows) == 3
    assert sum(r.status is RegistrationStatus.WAITING for r in rows) == 5
