"""SMTP faults against a real local server (aiosmtpd): QUALITY 6 and 7.

421 and 451 replies, dropped connections and a server that hangs are retried with backoff
and then delivered once; 550 fails at once with the server's reply; a batch reuses one
connection; two workers draining one batch deliver every message exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask

from eventapp.extensions import db
from eventapp.mail import delivery
from eventapp.mail.models import MessageState
from tests.mail.conftest import Clock, row, smtp_delivery
from tests.mail.smtp_server import ScriptedHandler, silent_server


@pytest.mark.parametrize(
    ("action", "expected_in_error"),
    [
        ("421 4.7.0 Too busy, closing connection", "421"),
        ("451 4.3.0 Local error, try again later", "451"),
        ("drop", "closed the connection"),
        ("hang", "did not answer within 1 second"),
    ],
)
def test_temporary_failures_are_retried_then_sent_once(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
    action: str,
    expected_in_error: str,
) -> None:
    handler, port = smtp
    handler.script("ann@example.org", action)
    (message_id,) = queue_mail("ann@example.org")
    sender = smtp_delivery(port, clock)

    first = sender.run()
    message = row(message_id)
    assert (first.sent, first.retrying) == (0, 1)
    assert message.state is MessageState.RETRYING
    assert expected_in_error in message.last_error
    assert message.next_attempt_at > clock.now  # backoff: not due yet
    assert sender.run().claimed == 0
    assert handler.by_message_id == {}

    clock.advance(minutes=5)
    second = sender.run()
    message = row(message_id)
    assert second.sent == 1
    assert message.state is MessageState.SENT and message.attempts == 2
    assert message.last_error == ""
    assert list(handler.by_message_id.values()) == [1]
    assert handler.attempts["ann@example.org"] == 2


def test_550_fails_at_once_with_the_servers_reply(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    handler.script("nobody@example.org", "550 5.1.1 No such mailbox here")
    bad, good = queue_mail("nobody@example.org", "ann@example.org")
    report = smtp_delivery(port, clock).run()
    assert (report.sent, report.failed, report.retrying) == (1, 1, 0)
    failed = row(bad)
    assert failed.state is MessageState.FAILED
    assert failed.last_error == "550 5.1.1 No such mailbox here"
    assert failed.attempts == 1
    assert row(good).state is MessageState.SENT
    # The refusal did not cost the batch its connection.
    assert handler.connections == 1
    clock.advance(hours=5)
    assert smtp_delivery(port, clock).run().claimed == 0


def test_a_batch_reuses_one_connection(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    queue_mail(*(f"person{n}@example.org" for n in range(30)))
    report = smtp_delivery(port, clock, batch_size=10).run()
    assert report.sent == 30
    assert handler.connections == 1
    assert len(handler.by_message_id) == 30


def test_a_lost_connection_leaves_the_rest_of_the_batch_for_the_retry(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    handler.script("first@example.org", "drop")
    ids = queue_mail("first@example.org", "second@example.org", "third@example.org")
    report = smtp_delivery(port, clock).run()
    assert (report.sent, report.retrying, report.released) == (0, 1, 2)
    rest = [row(i) for i in ids[1:]]
    assert all(m.state is MessageState.RETRYING and m.attempts == 0 for m in rest)
    assert all(m.last_error.startswith("Not tried:") for m in rest)
    clock.advance(minutes=5)
    assert smtp_delivery(port, clock).run().sent == 3
    assert sorted(handler.by_message_id.values()) == [1, 1, 1]


def test_a_server_that_never_answers_times_out(
    app: Flask, queue_mail: Callable[..., list[int]], clock: Clock
) -> None:
    (message_id,) = queue_mail("ann@example.org")
    with silent_server() as port:
        report = smtp_delivery(port, clock, timeout=0.5).run()
    message = row(message_id)
    assert report.retrying == 1
    assert message.state is MessageState.RETRYING
    assert "did not answer within 0.5 seconds" in message.last_error


def test_tries_stop_at_the_cap_and_the_message_fails(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    handler.script("ann@example.org", *["451 4.3.0 Busy"] * 10)
    (message_id,) = queue_mail("ann@example.org")
    sender = smtp_delivery(port, clock, max_attempts=3)
    delays = []
    for _ in range(3):
        sender.run()
        message = row(message_id)
        if message.state is MessageState.RETRYING:
            delays.append((message.next_attempt_at - clock.now).total_seconds())
        clock.advance(hours=2)
    message = row(message_id)
    assert message.state is MessageState.FAILED
    assert message.attempts == 3
    assert message.last_error == "Gave up after 3 tries. Last reply: 451 4.3.0 Busy"
    assert len(delays) == 2 and delays[1] > delays[0]  # backoff grows
    assert handler.by_message_id == {}


def _drain_in_two_workers(app: Flask, port: int, clock: Clock) -> list[delivery.Report]:
    reports: list[delivery.Report] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        with app.app_context():
            barrier.wait()
            reports.append(smtp_delivery(port, clock, batch_size=10, timeout=5).run())
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return reports


def test_two_workers_deliver_each_message_exactly_once(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    ids = queue_mail(*(f"person{n}@example.org" for n in range(200)))
    reports = _drain_in_two_workers(app, port, clock)
    assert len(reports) == 2
    assert sum(r.sent for r in reports) == 200
    assert len(handler.by_message_id) == 200
    assert handler.duplicates == {}
    assert all(row(i).state is MessageState.SENT for i in ids[:5])


def test_without_the_claim_two_workers_send_twice(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Negative control: a claim that reads, then writes without re-checking the state (the
    race the real claim closes) lets both workers send the same messages."""
    from sqlalchemy import select, update

    from eventapp.mail.models import DUE_STATES, OutboxMessage

    barrier = threading.Barrier(2)

    def naive_claim(session, *, now, limit, ids=None):  # type: ignore[no-untyped-def]
        found = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.state.in_(DUE_STATES))
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
        session.commit()
        try:
            barrier.wait(timeout=2)  # both workers have read before either writes
        except threading.BrokenBarrierError:
            pass
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(found))
            .values(state=MessageState.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        )
        session.commit()
        return found

    monkeypatch.setattr(delivery, "claim", naive_claim)
    queue_mail(*(f"person{n}@example.org" for n in range(20)))
    _drain_in_two_workers(app, port=smtp[1], clock=clock)
    assert smtp[0].duplicates, "the unsafe claim should have sent some messages twice"


def test_a_job_delivered_twice_sends_once(
    app: Flask,
    queue_mail: Callable[..., list[int]],
    smtp: tuple[ScriptedHandler, int],
    clock: Clock,
) -> None:
    handler, port = smtp
    ids = queue_mail("ann@example.org", "bob@example.org")
    sender = smtp_delivery(port, clock)
    assert sender.run(ids).sent == 2
    assert sender.run(ids).claimed == 0
    assert sorted(handler.by_message_id.values()) == [1, 1]
