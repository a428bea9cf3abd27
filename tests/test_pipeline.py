"""eventapp.pipeline: several statements in one round trip on PostgreSQL, one after another
elsewhere, with the same results either way (both databases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta

import pytest
from flask import Flask
from flask_sqlalchemy.record_queries import get_recorded_queries
from sqlalchemy import bindparam, create_engine, func, insert, select, text, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError

from config import TestConfig
from eventapp import create_app, database, pipeline
from eventapp.database import is_busy
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.models.base import database_now, table_of, utcnow
from eventapp.tokens import SecretToken, TokenPurpose
from tests.conftest import impatient

EVENT = table_of(Event)
READ = select(EVENT.c.id, EVENT.c.status, EVENT.c.title, EVENT.c.created_at).where(
    EVENT.c.id == bindparam("b_id")
)
RENAME = update(EVENT).where(EVENT.c.id == bindparam("b_id")).values(title=bindparam("b_title"))
NOW = select(database_now().label("now"))


@contextmanager
def statements() -> Iterator[list[str]]:
    sent: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        sent.append(" ".join(statement.split()))

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)


def test_each_step_gives_its_first_row_with_the_columns_types_applied(
    make_event: Callable[..., Event],
) -> None:
    event = make_event(title="Roundtable")
    db.session.commit()
    found, missing = pipeline.run(
        pipeline.Step(READ, {"b_id": event.id}), pipeline.Step(READ, {"b_id": -1})
    )
    assert missing is None
    assert (found.id, found.title) == (event.id, "Roundtable")
    assert found.status is EventStatus.DRAFT  # the enum, not the stored string
    assert found.created_at.tzinfo is not None
    assert found.created_at.utcoffset() == timedelta(0)  # aware, in UTC, on both databases
    assert found.created_at == event.created_at
    db.session.rollback()


def test_a_column_set_by_a_python_function_on_update_is_set_as_the_session_sets_it(
    make_event: Callable[..., Event],
) -> None:
    """``Event.updated_at`` has an ``onupdate`` computed in Python: RENAME does not set it."""
    event = make_event()
    db.session.commit()
    before = db.session.scalar(select(Event.updated_at).where(Event.id == event.id))
    pipeline.run(  # two steps: one alone would run through the session
        pipeline.Step(RENAME, {"b_id": event.id, "b_title": "Renamed"}),
        pipeline.Step(READ, {"b_id": event.id}),
    )
    after = db.session.scalar(select(Event.updated_at).where(Event.id == event.id))
    assert before is not None and after is not None and after > before
    db.session.rollback()


def test_the_steps_run_in_order_in_the_sessions_transaction(
    make_event: Callable[..., Event],
) -> None:
    event = make_event(title="Before")
    db.session.commit()
    changed, read = pipeline.run(
        pipeline.Step(RENAME, {"b_id": event.id, "b_title": "After"}),
        pipeline.Step(READ, {"b_id": event.id}),
    )
    assert changed is None  # a statement without rows gives none
    assert read.title == "After"  # the second step sees the first one's change
    db.session.rollback()  # the steps were in the session's transaction: all undone
    assert db.session.scalar(select(Event.title).where(Event.id == event.id)) == "Before"


def test_every_statement_is_seen_by_the_engines_listeners(
    make_event: Callable[..., Event],
) -> None:
    """Query counts kept by listeners (tests, diagnostics) include pipelined statements."""
    event_id = make_event().id
    db.session.commit()
    with statements() as sent:
        pipeline.run(
            pipeline.Step(RENAME, {"b_id": event_id, "b_title": "Renamed"}),
            pipeline.Step(READ, {"b_id": event_id}),
        )
    assert [s.split()[:2] for s in sent] == [["UPDATE", "event"], ["SELECT", "event.id,"]]
    db.session.rollback()


def test_the_database_clock_is_read_when_the_statement_runs(app: Flask) -> None:
    before = utcnow()
    (row,) = pipeline.run(pipeline.Step(NOW, {}))
    after = utcnow()
    assert row.now.tzinfo is not None
    # SQLite's clock gives milliseconds: allow for the rounding.
    assert before - timedelta(milliseconds=1) <= row.now.astimezone(UTC) <= after
    db.session.rollback()


def _needs_postgres() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pipeline mode is PostgreSQL's; SQLite runs the steps one by one")


def test_a_statement_with_an_in_list_of_values_is_refused_on_postgresql(app: Flask) -> None:
    _needs_postgres()
    listed = select(EVENT.c.id).where(EVENT.c.status.in_([EventStatus.DRAFT]))
    with pytest.raises(ValueError, match="IN list"):
        pipeline.run(pipeline.Step(listed, {}), pipeline.Step(NOW, {}))
    db.session.rollback()


@pytest.fixture
def impatient_app(app: Flask) -> Iterator[Flask]:
    """The app on the test database, giving up on a lock after 200 milliseconds."""
    with impatient(app, 200) as other:
        yield other


def test_a_lock_wait_that_runs_out_is_told_as_the_database_being_busy(
    impatient_app: Flask, make_event: Callable[..., Event]
) -> None:
    """As a statement run through the session would be: an error the web layer answers with
    "busy, try again" (503), and the transaction is rolled back whole."""
    _needs_postgres()
    event = make_event(title="Before")
    db.session.commit()
    lock = text("SELECT pg_advisory_xact_lock(1, :b_id)")
    holder = create_engine(db.engine.url)
    try:
        with holder.connect() as conn, impatient_app.app_context():
            conn.execute(lock, {"b_id": event.id})
            with pytest.raises(DBAPIError) as raised:
                pipeline.run(
                    pipeline.Step(RENAME, {"b_id": event.id, "b_title": "After"}),
                    pipeline.Step(lock, {"b_id": event.id}),
                )
            assert is_busy(raised.value)
            db.session.rollback()
            assert db.session.scalar(select(Event.title).where(Event.id == event.id)) == ("Before")
            conn.rollback()
    finally:
        holder.dispose()


def test_a_driver_error_is_told_without_the_values_it_concerned(app: Flask) -> None:
    """PostgreSQL's message for a unique violation quotes the value (here a token's hash):
    the error is SQLAlchemy's, so what logs and failed jobs keep of it
    (``database.describe``) names the statements, never the value."""
    _needs_postgres()
    token = table_of(SecretToken)
    add = insert(token).values(
        purpose=bindparam("b_purpose"),
        token_hash=bindparam("b_hash"),
        subject_id=bindparam("b_subject"),
        created_at=bindparam("b_at"),
    )
    values = {"b_purpose": TokenPurpose.REGISTRATION, "b_hash": "f" * 64, "b_subject": 1}
    with pytest.raises(DBAPIError) as raised:
        pipeline.run(
            pipeline.Step(add, {**values, "b_at": utcnow()}),
            pipeline.Step(add, {**values, "b_at": utcnow()}),
        )
    told = database.describe(raised.value)
    assert "f" * 64 not in told
    assert "IntegrityError" in told and "INSERT INTO secret_token" in told
    assert database.sqlstate(raised.value) == "23505"
    db.session.rollback()
    # The session goes on working after the failed round trip.
    assert db.session.scalar(select(func.count()).select_from(token)) == 0


def test_listeners_that_time_statements_see_each_one_begin_and_end(app: Flask) -> None:
    """Flask-SQLAlchemy's query recording keeps its start time on the execution context and
    reads it back after the statement: pipelined statements are recorded like the others."""
    recording = create_app(
        type(
            "RecordingConfig",
            (TestConfig,),
            {
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SQLALCHEMY_RECORD_QUERIES": True,
            },
        )
    )
    with recording.app_context():
        pipeline.run(pipeline.Step(NOW, {}), pipeline.Step(NOW, {}))
        recorded = [q for q in get_recorded_queries() if "now" in q.statement]
        assert len(recorded) == 2
        assert all(q.end_time >= q.start_time for q in recorded)
        db.session.rollback()
        db.engine.dispose()
