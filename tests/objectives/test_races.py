"""Twenty organisers adding objectives to one event at the same moment all keep their typing.

Each thread posts the real form through its own test client (its own request, session and
database connection). A hook sleeps after the last position is read, holding the race open;
the negative control disables the event lock and must lose input, so the first test can fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.objectives import services
from eventapp.objectives.models import Objective
from tests.conftest import login_as

AT_ONCE = 20
WINDOW = 0.05  # seconds between reading the last position and writing after it


def _post_at_once(app: Flask, event_id: int, organiser: User) -> list[int]:
    """POST AT_ONCE new objectives together; the status code of each response."""
    clients = [app.test_client() for _ in range(AT_ONCE)]
    for client in clients:
        login_as(client, organiser)
    start = threading.Barrier(AT_ONCE)
    statuses: list[int] = []

    def add(n: int) -> None:
        with app.app_context():  # a thread starts with no context; the client wants one
            start.wait()
            response = clients[n].post(
                f"/events/{event_id}/objectives/new", data={"statement": f"Objective {n}"}
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == AT_ONCE, "a request thread failed before it got a response"
    return statuses


def _slow(original: Callable[..., int]) -> Callable[..., int]:
    def read_then_wait(event: Any) -> int:
        position = original(event)
        time.sleep(WINDOW)
        return position

    return read_then_wait


def _saved(event_id: int) -> list[tuple[int, str]]:
    from eventapp.extensions import db

    db.session.expire_all()
    rows = db.session.execute(
        select(Objective.position, Objective.statement)
        .where(Objective.event_id == event_id)
        .order_by(Objective.position)
    )
    return [(position, statement) for position, statement in rows]


def test_objectives_added_at_once_are_all_kept(app, make_event, organiser, monkeypatch) -> None:
    event = make_event()
    monkeypatch.setattr(services, "_next_position", _slow(services._next_position))

    statuses = _post_at_once(app, event.id, organiser)

    assert statuses == [302] * AT_ONCE
    saved = _saved(event.id)
    assert [position for position, _ in saved] == list(range(1, AT_ONCE + 1))
    assert {statement for _, statement in saved} == {f"Objective {n}" for n in range(AT_ONCE)}


def test_without_the_lock_objectives_are_lost(app, make_event, organiser, monkeypatch) -> None:
    """Negative control: the same race with the event lock disabled loses input."""
    event = make_event()
    monkeypatch.setattr(event_services, "lock_for_update", lambda event: None)
    monkeypatch.setattr(services, "_next_position", _slow(services._next_position))

    statuses = _post_at_once(app, event.id, organiser)

    assert 409 in statuses, statuses
    assert len(_saved(event.id)) == statuses.count(302) < AT_ONCE
