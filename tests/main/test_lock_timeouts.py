"""Lock waits are bounded: a write that cannot get its lock in time is a "try again" page.

Another connection holds a lock the request needs; the request gives up after the lock
timeout and answers 503 with Retry-After, promptly, with nothing half-written, and the same
request succeeds once the lock is released (QUALITY 2). Both databases.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem
from eventapp.database import engine_options
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.conftest import impatient, login_as

LOCK_TIMEOUT_MS = 300
NEW_EVENT = {
    "title": "Half-written roundtable", "aims": ["awareness"], "format": "in_person",
    "home_office_speaking": "no", "intro_video": "no",
}
NEW_ITEM = {"title": "Welcome", "duration_minutes": "10", "part": "scene", "is_speaker": "no",
            "collects_feedback": "no"}


@pytest.fixture
def impatient_app(app: Flask) -> Iterator[Flask]:
    """The app on the test database, giving up on a lock after 300 milliseconds."""
    with impatient(app, LOCK_TIMEOUT_MS, WTF_CSRF_ENABLED=False) as other:
        yield other


def _dialect() -> str:
    return db.engine.dialect.name


@contextmanager
def holding(lock: str) -> Iterator[None]:
    """Hold a lock in another connection until the block ends.

    ``write``: the lock every write needs first (the event's row; SQLite's database write
    lock). ``late``: a lock the request meets only after it has written something (the
    audit table; SQLite's commit, which waits for readers).
    """
    url = db.engine.url
    if _dialect() == "sqlite":
        path = make_url(url).database
        assert path, "the lock tests need an SQLite file"
        holder = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            if lock == "write":
                holder.execute("BEGIN IMMEDIATE")
            else:
                holder.execute("BEGIN")
                holder.execute("SELECT count(*) FROM event").fetchone()  # a shared lock
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if lock == "write":
                conn.execute(text("SELECT id FROM event FOR UPDATE"))
            else:
                conn.execute(text("LOCK TABLE audit_entry IN EXCLUSIVE MODE"))
            yield
            conn.rollback()
    finally:
        engine.dispose()


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def _assert_try_again(response: object, elapsed: float) -> None:
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.headers["Retry-After"] == "5"  # type: ignore[attr-defined]
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Sorry, the service is busy" in page
    assert "Nothing you entered on the last page has been saved" in page
    assert "Traceback" not in page
    # Bounded: the request gave up after the lock timeout, not after minutes.
    assert elapsed < 5, f"the request waited {elapsed:.1f}s"


def test_a_write_waiting_for_a_held_lock_is_asked_to_try_again(
    impatient_app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    client = impatient_app.test_client()
    login_as(client, organiser)
    url = f"/events/{event.id}/agenda/new"
    with holding("write"):
        response, elapsed = _timed(lambda: client.post(url, data=NEW_ITEM))
    _assert_try_again(response, elapsed)
    assert db.session.scalars(select(AgendaItem)).all() == []
    # Control: once the lock is free, the same request goes through.
    assert client.post(url, data=NEW_ITEM).status_code == 302
    assert [i.title for i in db.session.scalars(select(AgendaItem))] == ["Welcome"]


def test_a_write_that_meets_a_lock_half_way_keeps_nothing(
    impatient_app: Flask, organiser: User
) -> None:
    """The request has inserted the event before it waits (for the audit table, or for
    SQLite's commit): the whole transaction is rolled back, not just the last statement."""
    client = impatient_app.test_client()
    login_as(client, organiser)
    with holding("late"):
        response, elapsed = _timed(lambda: client.post("/events/new", data=NEW_EVENT))
    _assert_try_again(response, elapsed)
    db.session.expire_all()
    titles = db.session.scalars(select(Event.title)).all()
    assert NEW_EVENT["title"] not in titles
    # Control: without the lock the event is created.
    assert client.post("/events/new", data=NEW_EVENT).status_code == 302
    assert NEW_EVENT["title"] in db.session.scalars(select(Event.title)).all()


def test_every_connection_has_its_timeouts(app: Flask) -> None:
    with db.engine.connect() as conn:
        if _dialect() == "postgresql":
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "5s"
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        else:
            busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert busy == 5000


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+psycopg://u@h/db", {"options": "-c lock_timeout=5000 -c statement_timeout=30000"}),
        ("sqlite:///instance/x.db", {"timeout": 5.0}),
        ("sqlite://", {"timeout": 5.0}),
    ],
)
def test_engine_options_for_each_database(url: str, expected: dict) -> None:
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "connect_args": {"x": 1}},
        "DATABASE_LOCK_TIMEOUT_MS": 5000,
        "DATABASE_STATEMENT_TIMEOUT_MS": 30000,
    }
    options = engine_options(config)
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {"x": 1, **expected}
    # The configuration's own dictionary is left alone.
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"x": 1}
