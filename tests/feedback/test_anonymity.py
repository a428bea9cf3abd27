"""Anonymity that holds (QUALITY 18): the response table can hold nothing that points to a
person, a link or a time, and responses sent in a known order leave no trace of it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Date, inspect, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse
from tests.feedback.conftest import send

RESPONSE_COLUMNS = {"id", "event_id", "channel", "source", "submitted_on"}
ANSWER_COLUMNS = {"response_id", "item", "option", "other_text"}


def test_response_table_holds_only_answers_event_source_and_day(app: object) -> None:
    inspector = inspect(db.engine)
    columns = {c["name"]: c for c in inspector.get_columns("feedback_response")}
    assert set(columns) == RESPONSE_COLUMNS
    assert isinstance(columns["submitted_on"]["type"], Date)  # a day, never a time
    foreign = inspector.get_foreign_keys("feedback_response")
    assert [(f["constrained_columns"], f["referred_table"]) for f in foreign] == [
        (["event_id"], "event")
    ]
    answer_columns = {c["name"] for c in inspector.get_columns("feedback_answer")}
    assert answer_columns == ANSWER_COLUMNS
    assert [f["referred_table"] for f in inspector.get_foreign_keys("feedback_answer")] == [
        "feedback_response"
    ]
    # No serial number anywhere: the answer's key is (response, item).
    assert inspector.get_pk_constraint("feedback_answer")["constrained_columns"] == [
        "response_id",
        "item",
    ]
    suspicious = (
        "user",
        "person",
        "registration",
        "invitee",
        "token",
        "ip",
        "agent",
        "email",
        "name",
        "time",
        "created",
        "updated",
        "seq",
        "position",
    )
    for name in RESPONSE_COLUMNS | ANSWER_COLUMNS:
        assert not any(word in name.split("_") for word in suspicious), name


def test_response_ids_are_random_uuids(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    for _ in range(3):
        with client.session_transaction() as s:
            s.clear()
        send(client, event, {})
    ids = list(db.session.scalars(select(FeedbackResponse.id)))
    assert len(ids) == 3
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)


N = 12


def test_a_known_order_leaves_no_trace(
    client: FlaskClient, held_event: Callable[..., Event], caplog: pytest.LogCaptureFixture
) -> None:
    """Twelve people answer in a known order, each recognisable by their text. Nothing the
    service stores or logs puts them back in that order: every column of both tables is
    either equal for all of them or unrelated to the order, and the log and the browser's
    session carry neither the response ids nor the answers."""
    event = held_event()
    caplog.set_level(logging.DEBUG)
    for n in range(N):
        with client.session_transaction() as s:
            s.clear()
        sent = send(client, event, {"heard": "other", "heard_other": f"Person {n:02d}"})
        assert sent.status_code == 302
        with client.session_transaction() as s:
            assert set(s) <= {"feedback.sent", "_fresh", "csrf_token"}, dict(s)
    responses = list(db.session.scalars(select(FeedbackResponse)))
    order_of = {
        a.response_id: int(a.other_text.split()[1])
        for a in db.session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.item == "heard"))
        if a.other_text
    }
    assert sorted(order_of.values()) == list(range(N))
    # Every stored value of a response is the same for all twelve, except the random id.
    for column in RESPONSE_COLUMNS - {"id"}:
        assert len({getattr(r, column) for r in responses}) == 1, column
    # Sorting by the only differing value (the id) does not give back the order.
    by_id = [order_of[r.id] for r in sorted(responses, key=lambda r: r.id)]
    assert by_id != list(range(N)) and by_id != list(range(N))[::-1]
    # The answers of the others are equal too: only the text each person chose differs.
    for item in {"gender", "age", "sector", "element"}:
        values = set(
            db.session.scalars(select(FeedbackAnswer.option).where(FeedbackAnswer.item == item))
        )
        assert values == {None}
    logged = caplog.text
    for rid in order_of:
        assert str(rid) not in logged and rid.hex not in logged
    assert "Person " not in logged


def test_storage_keeps_no_arrival_order(
    app, client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    """Twelve responses in a known order. SQLite keeps no counter of arrival (the tables have
    no rowid) and reads them back in key order; PostgreSQL appends rows in arrival order
    until the nightly rewrite (eventapp.arrival), after which its storage order is key order."""
    from sqlalchemy import text

    from eventapp import arrival

    event = held_event()
    for n in range(N):
        with client.session_transaction() as s:
            s.clear()
        assert (
            send(client, event, {"heard": "other", "heard_other": f"Person {n:02d}"}).status_code
            == 302
        )
    order_of = {
        str(a.response_id): int(a.other_text.split()[1])
        for a in db.session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.item == "heard"))
        if a.other_text
    }

    def stored_order(sql: str) -> list[int]:
        return [order_of[str(uuid.UUID(str(rid)))] for (rid,) in db.session.execute(text(sql))]

    arrived = list(range(N))
    if db.engine.dialect.name == "sqlite":
        assert arrival.forget_arrival_order() == []
        with pytest.raises(Exception, match="rowid"):
            db.session.execute(text("SELECT rowid FROM feedback_response")).all()
        db.session.rollback()
        scan = stored_order("SELECT id FROM feedback_response")
    else:
        # Before the rewrite the storage still says who came when (each row's xmin counts up;
        # where a row lands on disk depends on free space other tests left): the risk it removes.
        assert stored_order(XMIN_ORDER) == arrived
        assert "feedback_response" in arrival.forget_arrival_order()
        # One transaction wrote every row: xmin is the same for all, so it orders nothing.
        assert (
            db.session.execute(
                text("SELECT count(DISTINCT xmin::text) FROM feedback_response")
            ).scalar_one()
            == 1
        )
        scan = stored_order("SELECT id FROM feedback_response ORDER BY ctid")
        answers = stored_order(
            "SELECT response_id FROM feedback_answer WHERE item = 'heard' ORDER BY ctid"
        )
        assert answers != arrived and answers != arrived[::-1]
    assert sorted(scan) == arrived
    assert scan != arrived and scan != arrived[::-1]
    assert scan == stored_order("SELECT id FROM feedback_response ORDER BY id")


# The transaction that wrote each row, as a number (xmin counts up; no wraparound in a test).
XMIN_ORDER = "SELECT id FROM feedback_response ORDER BY xmin::text::bigint"


def test_forget_order_command_says_what_it_did(app) -> None:
    result = app.test_cli_runner().invoke(args=["data", "forget-order"])
    assert result.exit_code == 0, result.output
    if db.engine.dialect.name == "sqlite":
        assert "Nothing to do" in result.output
    else:
        assert "feedback_response, feedback_answer, question, question_vote" in result.output
