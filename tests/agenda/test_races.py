"""Two organisers changing one agenda at the same moment take turns (with a negative control).

Each thread has its own application context and so its own database session and connection,
like two requests. A hook sleeps after the agenda is read, to hold the race window open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from eventapp.agenda import services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db

WINDOW = 0.3  # seconds each request waits between reading the agenda and writing to it


def _add_concurrently(app: Flask, event_id: int, actor_id: int, count: int) -> list[BaseException]:
    from eventapp.accounts.models import User

    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def request(n: int) -> None:
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                actor = db.session.get(User, actor_id)
                start.wait()
                services.add_item(
                    event=event,
                    actor=actor,
                    details=services.ItemDetails(
                        title=f"Item from request {n}",
                        introduced_by="Chair",
                        duration_minutes=10,
                        part=AgendaPart.ENGAGE,
                    ),
                )
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def _slow_read(original: Callable[..., Any]) -> Callable[..., Any]:
    def read_then_wait(event: Event) -> Any:
        items = original(event)
        time.sleep(WINDOW)
        return items

    return read_then_wait


def _positions(event_id: int) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AgendaItem.position)
            .where(AgendaItem.event_id == event_id)
            .order_by(AgendaItem.position)
        )
    )


def test_concurrent_additions_take_turns(app, make_event, organiser, monkeypatch) -> None:
    event = make_event()
    monkeypatch.setattr(services, "_lock", _slow_read(services._lock))
    errors = _add_concurrently(app, event.id, organiser.id, 3)
    assert errors == []
    assert _positions(event.id) == [1, 2, 3]


def test_without_the_lock_the_race_is_lost(app, make_event, organiser, monkeypatch) -> None:
    """Negative control: the same race with locking disabled must fail, so the test above can."""
    event = make_event()
    monkeypatch.setattr(event_services, "lock_for_update", lambda event: None)
    monkeypatch.setattr(services, "_lock", _slow_read(services._lock))
    errors = _add_concurrently(app, event.id, organiser.id, 2)
    assert errors, "both requests read the same last position; one must be refused"
    assert _positions(event.id) == [1]
    assert all("UNIQUE" in str(e) or "unique" in str(e) for e in errors)
