"""Two colleagues press Save on the event's edit page at the same moment.

The other edit tests send the two saves one after the other. Here both are released together
by a barrier, each through its own test client (its own request and database connection), and
a hook holds each save open for a moment after it has compared with what is saved, so without
the event lock both would compare with the same old values. The negative control disables the
lock and must let one save silently overwrite the other, so the first two tests can fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from eventapp import edits
from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.conftest import login_as
from tests.formreader import read_form

WINDOW = 0.2  # seconds each save waits between comparing and committing


@pytest.fixture
def slow_reconcile(monkeypatch: pytest.MonkeyPatch) -> None:
    original = edits.reconcile

    def compare_then_wait(*args: Any, **kwargs: Any) -> edits.Outcome:
        outcome = original(*args, **kwargs)
        time.sleep(WINDOW)
        return outcome

    monkeypatch.setattr(edits, "reconcile", compare_then_wait)


def _save_together(
    app: Flask, event: Event, organiser: User, changes: list[dict[str, str]]
) -> list[tuple[int, str]]:
    """Load one tab per change, then send them all at once; (status, page) of each."""
    clients = [app.test_client() for _ in changes]
    tabs = []
    for client, change in zip(clients, changes, strict=True):
        login_as(client, organiser)
        tab = read_form(client.get(f"/events/{event.id}/edit").text, having="loaded_version")
        tab.update(change)
        tabs.append(tab)
    start = threading.Barrier(len(changes))
    results: list[tuple[int, str]] = []

    def save(n: int) -> None:
        with app.app_context():
            start.wait()
            response = clients[n].post(f"/events/{event.id}/edit", data=tabs[n])
            results.append((response.status_code, response.text))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(changes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == len(changes), "a save failed before it got a response"
    return results


def _saved(event: Event) -> tuple[int | None, str]:
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved is not None
    return saved.capacity, saved.chair_role


@pytest.mark.usefixtures("slow_reconcile")
def test_saves_of_different_answers_at_once_keep_both(
    app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(capacity=40)

    results = _save_together(
        app, event, organiser, [{"capacity": "50"}, {"chair_role": "Head of Community Safety"}]
    )

    assert sorted(status for status, _ in results) == [302, 302]
    assert _saved(event) == (50, "Head of Community Safety")


@pytest.mark.usefixtures("slow_reconcile")
def test_saves_of_the_same_answer_at_once_show_the_second_a_clash(
    app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(capacity=40)

    results = _save_together(app, event, organiser, [{"capacity": "50"}, {"capacity": "60"}])

    assert sorted(status for status, _ in results) == [200, 302]
    [shown] = [page for status, page in results if status == 200]
    assert "Not saved yet" in shown
    kept = _saved(event)[0]
    assert kept in (50, 60)
    # The person shown the clash sees the colleague's saved answer and their own.
    other = 60 if kept == 50 else 50
    assert f"Keep your colleague’s answer: {kept}" in shown
    assert f"Keep your answer: {other}" in shown


@pytest.mark.usefixtures("slow_reconcile")
def test_without_the_lock_one_save_silently_overwrites_the_other(
    app: Flask,
    make_event: Callable[..., Event],
    organiser: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Negative control: both saves compare with 40, so neither sees the other's answer."""
    monkeypatch.setattr(event_services, "lock_for_update", lambda event: None)
    event = make_event(capacity=40)

    results = _save_together(app, event, organiser, [{"capacity": "50"}, {"capacity": "60"}])

    statuses = sorted(status for status, _ in results)
    # On PostgreSQL both saves go through; SQLite's own database lock may refuse one writer
    # with a 409 asking to try again. Either way nobody is shown the clash to choose from.
    assert statuses in ([302, 302], [302, 409]), statuses
    assert not any("Not saved yet" in page for _, page in results)
