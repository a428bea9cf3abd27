"""The place lock is held for as little as possible: confirming an email does its other work
(the link, the registration, the own-page token, the email for the likely outcome) before
taking it, and a wrong guess at the outcome is put right under it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError

from eventapp import uow
from eventapp.database import is_busy
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registration import capacity, services
from eventapp.registration.models import Registration, RegistrationStatus
from tests.conftest import impatient
from tests.registration.conftest import link_in, mails, register, register_and_confirm


def _confirm_link(client: FlaskClient, event: Event, email: str) -> str:
    assert register(client, event, email=email, name="Person").status_code == 302
    return link_in(mails("registration_confirm", to=email)[-1], "/r/confirm/")


def _status(email: str) -> RegistrationStatus:
    db.session.expire_all()
    return db.session.scalars(select(Registration.status).where(Registration.email == email)).one()


def _status_subjects(email: str) -> list[str]:
    return [m.subject for m in mails("registration_status", to=email)]


def test_only_the_counting_change_happens_under_the_place_lock(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    assert register(client, event, email="a@example.org", question="").status_code == 302
    link = link_in(mails("registration_confirm", to="a@example.org")[-1], "/r/confirm/")
    statements: list[str] = []

    def sent(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    def committed(conn: Any) -> None:
        statements.append("COMMIT")

    sa_event.listen(db.engine, "before_cursor_execute", sent)
    sa_event.listen(db.engine, "commit", committed)
    try:
        assert client.post(link, data={"submit": "y"}).status_code == 302
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", sent)
        sa_event.remove(db.engine, "commit", committed)
    locks = [
        n
        for n, s in enumerate(statements)
        if "pg_advisory_xact_lock" in s or s.startswith("UPDATE event SET id=event.id")
    ]
    assert len(locks) == 1, statements
    # From the lock to the commit that releases it: the token, the own-page link and the
    # email were all written before.
    under_lock = statements[locks[0] + 1 : statements.index("COMMIT", locks[0])]
    assert len(under_lock) == 1, under_lock
    # One statement counts the places held and makes the change.
    assert under_lock[0].startswith("UPDATE registration SET status=CASE"), under_lock
    assert "count(" in under_lock[0] and "RETURNING" in under_lock[0]
    # Before the lock: the link used, the own-page token and the reading (one statement on
    # PostgreSQL), then the email for the likely outcome.
    assert any(s.startswith("INSERT INTO outbox_message") for s in statements[: locks[0]])
    assert _status("a@example.org") is RegistrationStatus.CONFIRMED
    assert _status_subjects("a@example.org") == [f"Your place at {event.title} is confirmed"]


@pytest.fixture
def wrong_guess(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    """Make the count taken before the lock (the guess) say ``left`` places, whatever the
    count under the lock finds."""

    def set_guess(left: int) -> None:
        monkeypatch.setattr(capacity, "guess_left", lambda capacity, held: left)

    yield set_guess


def test_a_guess_of_a_free_place_that_has_gone_tells_of_the_waiting_list(
    client: FlaskClient, open_event: Callable[..., Event], wrong_guess: Callable[[int], None]
) -> None:
    event = open_event(capacity=1)
    register_and_confirm(client, event, "first@example.org")
    link = _confirm_link(client, event, "second@example.org")
    wrong_guess(1)
    assert client.post(link, data={"submit": "y"}).status_code == 302
    assert _status("second@example.org") is RegistrationStatus.WAITING
    assert _status_subjects("second@example.org") == [
        f"You are on the waiting list for {event.title}"
    ]
    (message,) = mails("registration_status", to="second@example.org")
    assert "you are on the waiting list" in message.body_text
    assert "Your place is confirmed" not in message.body_text


def test_a_guess_of_a_full_event_that_has_a_place_confirms_it(
    client: FlaskClient, open_event: Callable[..., Event], wrong_guess: Callable[[int], None]
) -> None:
    event = open_event(capacity=1)
    link = _confirm_link(client, event, "only@example.org")
    wrong_guess(0)
    assert client.post(link, data={"submit": "y"}).status_code == 302
    assert _status("only@example.org") is RegistrationStatus.CONFIRMED
    assert _status_subjects("only@example.org") == [f"Your place at {event.title} is confirmed"]


def test_a_registration_declined_before_the_lock_gets_no_status_email(
    client: FlaskClient, open_event: Callable[..., Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The organiser declined it between the link being used and the lock being taken: the
    change under the lock finds it no longer unconfirmed, nothing changes and the email
    written for it is taken back."""
    event = open_event(capacity=5)
    link = _confirm_link(client, event, "late@example.org")
    lock = capacity.lock_step

    def declined_meanwhile(event_id: int) -> Any:
        db.session.execute(
            update(Registration)
            .where(Registration.email == "late@example.org")
            .values(status=RegistrationStatus.DECLINED)
            .execution_options(synchronize_session=False)
        )
        return lock(event_id)

    monkeypatch.setattr(capacity, "lock_step", declined_meanwhile)
    assert client.post(link, data={"submit": "y"}).status_code == 302
    assert _status("late@example.org") is RegistrationStatus.DECLINED
    assert _status_subjects("late@example.org") == []


def test_a_confirmation_that_cannot_get_the_place_lock_in_time_keeps_its_link(
    app: Flask, client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """PostgreSQL, where the link, the email, the lock and the change go in two round trips:
    a lock wait that runs out is "busy, try again" and undoes the whole transaction, so the
    same link works once the lock is free."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the place lock's wait is bounded by PostgreSQL's lock_timeout")
    event = open_event(capacity=5)
    raw = _confirm_link(client, event, "patient@example.org").rstrip("/").rsplit("/", 1)[-1]
    holder = create_engine(db.engine.url)
    try:
        with impatient(app, 200) as other, other.app_context():
            with holder.connect() as conn:
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:namespace, :event_id)"),
                    {"namespace": capacity.LOCK_NAMESPACE, "event_id": event.id},
                )
                with pytest.raises(DBAPIError) as raised:
                    uow.run(services.confirm_email, raw)
                assert is_busy(raised.value)
                conn.rollback()
            assert _status("patient@example.org") is RegistrationStatus.UNCONFIRMED
            assert _status_subjects("patient@example.org") == []
            confirmed = uow.run(services.confirm_email, raw)
            assert confirmed is not None and confirmed.status is RegistrationStatus.CONFIRMED
    finally:
        holder.dispose()
