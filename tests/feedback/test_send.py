"""Sending the public form reads the event once, as a few facts, not as the ORM event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from eventapp import uow
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.feedback import annex_a, services
from eventapp.feedback.answers import Answer, items_for
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse, Source
from tests.feedback.conftest import all_answered


def _responses() -> int:
    return int(db.session.scalar(select(func.count()).select_from(FeedbackResponse)) or 0)


def test_the_send_reads_the_event_and_its_window_in_one_statement(
    client: FlaskClient, held_event: Callable[..., Event], count_queries: Callable[..., object]
) -> None:
    event = held_event()
    slug = event.public_slug
    assert client.post(f"/e/{slug}/feedback", data=all_answered(event)).status_code == 302
    with count_queries() as counted:  # type: ignore[attr-defined]
        sent = client.post(f"/e/{slug}/feedback/check", data={})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/feedback/thanks")
    reads = [q for q in counted.statements if q.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, counted.statements
    assert "feedback_settings" in reads[0] and "council" not in reads[0]
    assert _responses() == 1


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.ARCHIVED])
def test_the_send_finds_no_event_that_is_not_public(
    client: FlaskClient, held_event: Callable[..., Event], status: EventStatus
) -> None:
    event = held_event()
    slug = event.public_slug
    client.post(f"/e/{slug}/feedback", data=all_answered(event))
    event.status = status
    db.session.commit()
    assert client.post(f"/e/{slug}/feedback/check", data={}).status_code == 404
    assert client.post("/e/no-such-event/feedback/check", data={}).status_code == 404
    assert _responses() == 0


def test_the_send_sees_the_window_as_the_event_page_does(
    held_event: Callable[..., Event], organiser: object
) -> None:
    """``Sending.window`` is ``window_of`` for every kind of saved settings (none, days,
    closed early, opened early, reopened), now and at the window's edges."""
    event = held_event(days_ago=3)
    upcoming = held_event(days_ago=-2)
    upcoming.status = EventStatus.OPEN
    db.session.commit()

    def same(target: Event) -> None:
        facts = services.sending(target.public_slug)
        assert facts is not None
        assert (facts.id, facts.public_slug) == (target.id, target.public_slug)
        assert facts.status is target.status
        assert services.applies(facts) == services.applies(target)
        base = datetime.now(UTC)
        for shift in (-3, 0, 1, 2, 3, 5, 20):
            now = base + timedelta(days=shift)
            assert facts.window(now=now) == services.window_of(target, now=now), shift
            assert facts.accepts_online(now=now) == services.accepts_online(target, now=now)

    for target in (event, upcoming):
        same(target)
    uow.run(services.save_settings, event=event, actor=organiser, days_open=2)
    same(event)
    uow.run(services.close_form, event=event, actor=organiser)
    same(event)
    uow.run(services.reopen_form, event=event, actor=organiser)
    same(event)
    uow.run(services.open_now, event=upcoming, actor=organiser)
    same(upcoming)


def test_a_send_after_the_form_closed_shows_the_closed_page_with_the_council(
    client: FlaskClient, held_event: Callable[..., Event], organiser: object
) -> None:
    """The send loads the event itself for the page it shows instead, in the public layout."""
    event = held_event()
    slug = event.public_slug
    client.post(f"/e/{slug}/feedback", data=all_answered(event))
    uow.run(services.close_form, event=event, actor=organiser)
    page = client.post(f"/e/{slug}/feedback/check", data={}).get_data(as_text=True)
    assert "The feedback form is closed" in page
    assert event.council.name in page
    assert _responses() == 0


def test_an_error_page_during_the_send_names_the_events_council(
    client: FlaskClient, held_event: Callable[..., Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The send loads no council; a page shown after an unexpected error reads its name then,
    so the public header still names the council running the event, not the service."""
    event = held_event()
    slug = event.public_slug
    council = event.council.name
    client.post(f"/e/{slug}/feedback", data=all_answered(event))

    def broken(**kwargs: Any) -> bool:
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(services, "submit_online", broken)
    response = client.post(f"/e/{slug}/feedback/check", data={})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert council in page
    assert _responses() == 0


def _rows(response_id: uuid.UUID) -> list[tuple[object, ...]]:
    response = db.session.get(FeedbackResponse, response_id)
    assert response is not None
    answers = db.session.execute(
        select(FeedbackAnswer.item, FeedbackAnswer.option, FeedbackAnswer.other_text)
        .where(FeedbackAnswer.response_id == response_id)
        .order_by(FeedbackAnswer.item)
    ).all()
    head = (response.event_id, response.channel, response.source, response.submitted_on)
    return [head, *(tuple(row) for row in answers)]


@pytest.mark.parametrize("source", [Source.OPEN_LINK, Source.PERSONAL_LINK, Source.PAPER])
def test_one_statement_and_two_store_the_same_rows_and_a_repeat_stores_nothing(
    app: object,
    held_event: Callable[..., Event],
    count_queries: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
    source: Source,
) -> None:
    """PostgreSQL stores a response with its answers in one statement, SQLite in two; both
    store the same rows, and a repeated id stores nothing more on either path."""
    event = held_event()
    answers = {
        key: Answer(None)
        for key in annex_a.ITEM_KEYS
        if key in {item.key for item, _ in items_for(services.applies(event))}
    }
    answers["sector"] = Answer("other", "Youth work")
    answers["gender"] = Answer("female")
    one_statement = db.engine.dialect.name == "postgresql"
    stored = {}
    for path in ("native", "two statements"):
        if path == "two statements":
            monkeypatch.setattr(services, "_in_one_statement", lambda: False)
        rid = uuid.uuid4()
        with count_queries() as counted:  # type: ignore[attr-defined]
            first = services.store_response(
                event=event, answers=answers, source=source, response_id=rid
            )
        db.session.commit()
        inserts = [q for q in counted.statements if "INSERT" in q.upper()]
        expected = 1 if one_statement and path == "native" else 2
        assert first is True and len(inserts) == expected, counted.statements
        again = services.store_response(
            event=event,
            answers=answers | {"gender": Answer("male")},
            source=source,
            response_id=rid,
        )
        db.session.commit()
        assert again is False
        stored[path] = _rows(rid)
    assert stored["native"] == stored["two statements"]
    assert stored["native"][1:] == sorted(
        (key, a.option, a.other_text) for key, a in answers.items()
    )
    assert _responses() == 2
    assert db.session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 2 * len(answers)


def test_on_postgresql_the_send_runs_without_begin_and_commit(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    """Its one read and its one write are each a statement on their own (autocommit) on
    PostgreSQL; SQLite keeps its transaction. Later requests get transactions as usual."""
    event = held_event()
    slug = event.public_slug
    client.post(f"/e/{slug}/feedback", data=all_answered(event))
    db.session.commit()
    autocommit: list[bool] = []

    def record(conn: Any, cursor: Any, *args: Any) -> None:
        driver = conn.connection.driver_connection
        autocommit.append(bool(getattr(driver, "autocommit", False)))

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.post(f"/e/{slug}/feedback/check", data={}).status_code == 302
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    postgres = db.engine.dialect.name == "postgresql"
    assert autocommit == ([True, True] if postgres else [False, False, False])
    assert _responses() == 1
    driver = db.session.connection().connection.driver_connection
    assert not getattr(driver, "autocommit", False)
    assert db.session().in_transaction()


def test_single_statement_leaves_a_transaction_already_begun(app: object) -> None:
    db.session.execute(select(1))
    uow.single_statement()
    driver = db.session.connection().connection.driver_connection
    assert not getattr(driver, "autocommit", False)
    db.session.rollback()
