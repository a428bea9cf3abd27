"""Concurrent votes never lose or double a count (issue 11, §2), on PostgreSQL.

N browsers vote for one question at the same moment, each through its own test client
(its own request, cookie and database connection). A hook sleeps between counting the votes
and storing the count, holding the race open. With the question's row lock every count is
kept; the negative control disables the lock and must lose counts, so the first test can
fail. The same browser voting twice at once counts once either way (the primary key).

SQLite takes its database write lock at the first write, before the count is read, so the
race cannot be shown there: these tests run on PostgreSQL only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.questions import services
from eventapp.questions.models import QuestionVote
from tests.questions.conftest import ask, question_by_text

AT_ONCE = 12
WINDOW = 0.05  # seconds between counting the votes and storing the count


@pytest.fixture(autouse=True)
def _postgres_only(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the vote race needs PostgreSQL's row locks (see the module docstring)")


def _slow(original: Callable[..., int]) -> Callable[..., int]:
    def count_then_wait(question: Any) -> int:
        total = db.session.scalar(
            select(func.count())
            .select_from(QuestionVote)
            .where(QuestionVote.question_id == question.id)
        )
        time.sleep(WINDOW)
        question.vote_count = int(total or 0)
        db.session.flush()
        return question.vote_count

    return count_then_wait


def _vote_at_once(app: Flask, url: str, clients: list[Any]) -> list[int]:
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(n: int) -> None:
        with app.app_context():
            start.wait()
            statuses.append(clients[n].post(url, data={"vote": "up"}).status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == len(clients), "a request thread failed before it got a response"
    return statuses


def _race(app: Flask, open_event: Any, clients: list[Any]) -> tuple[list[int], int, int]:
    asked = ask(app.test_client(), open_event, "Race?")
    import re as _re

    assert asked.status_code == 302, (
        asked.status_code,
        _re.findall(r"<h1.*?</h1>|govuk-error-message.*?</p>", asked.get_data(as_text=True), _re.S),
    )
    question = question_by_text("Race?")
    url = f"/e/{open_event.public_slug}/questions/{question.id}/vote"
    statuses = _vote_at_once(app, url, clients)
    db.session.expire_all()
    rows = db.session.scalar(select(func.count()).select_from(QuestionVote)) or 0
    return statuses, question_by_text("Race?").vote_count, rows


def test_votes_at_once_are_all_counted(app, open_event, monkeypatch) -> None:
    monkeypatch.setattr(services, "recount", _slow(services.recount))
    statuses, count, rows = _race(app, open_event, [app.test_client() for _ in range(AT_ONCE)])
    print(f"\nwith the lock: {AT_ONCE} votes at once -> count {count}, rows {rows}")
    assert statuses == [302] * AT_ONCE
    assert count == rows == AT_ONCE


def test_without_the_lock_counts_are_lost(app, open_event, monkeypatch) -> None:
    """Negative control: the same race with the row lock disabled loses counts."""
    monkeypatch.setattr(services, "recount", _slow(services.recount))
    monkeypatch.setattr(services, "lock_question", lambda question: None)
    statuses, count, rows = _race(app, open_event, [app.test_client() for _ in range(AT_ONCE)])
    print(f"\nwithout the lock: {AT_ONCE} votes at once -> count {count}, rows {rows}")
    assert rows == AT_ONCE
    assert count < rows


def test_one_browser_voting_twice_at_once_counts_once(app, open_event, monkeypatch) -> None:
    monkeypatch.setattr(services, "recount", _slow(services.recount))
    first = app.test_client()
    ask(first, open_event, "Twice at once?")  # gives the browser its cookie
    question = question_by_text("Twice at once?")
    url = f"/e/{open_event.public_slug}/questions/{question.id}/vote"
    twin = app.test_client()
    twin.set_cookie(
        first.get_cookie("eventapp_voter").key, first.get_cookie("eventapp_voter").value
    )
    statuses = _vote_at_once(app, url, [first, twin])
    assert statuses == [302, 302]
    assert question_by_text("Twice at once?").vote_count == 1
