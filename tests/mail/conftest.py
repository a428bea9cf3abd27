"""Mail fixtures: messages in the outbox, a scripted SMTP server, a clock to move on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from eventapp import pipeline, uow
from eventapp.mail import delivery, jobs, outbox
from eventapp.mail.models import Channel, OutboxMessage
from eventapp.mail.senders import SmtpSender, SmtpSettings
from eventapp.models.base import utcnow
from tests.mail.smtp_server import ScriptedHandler, smtp_server


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # A moment ahead of the wall clock, so messages queued during the test are already due.
    return Clock(utcnow() + timedelta(seconds=5))


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Keep committed messages in the outbox (no inline send); records what would be sent."""
    dispatched: list[list[int]] = []
    monkeypatch.setattr(jobs, "dispatch", lambda ids: dispatched.append(list(ids)))
    return dispatched


def content(n: int = 1) -> outbox.Rendered:
    return outbox.Rendered(f"Message {n}", f"Plain text {n}", f"<p>HTML {n}</p>")


@pytest.fixture
def queue_mail(app: Flask, held: list[list[int]]) -> Callable[..., list[int]]:
    """Queue messages to the given addresses (committed, not yet sent); returns their ids."""

    def queue(*addresses: str, kind: str = "test") -> list[int]:
        rows = [
            outbox.enqueue(to=address, name=f"Person {n}", content=content(n), kind=kind)
            for n, address in enumerate(addresses)
        ]
        uow.commit()
        return [row.id for row in rows]

    return queue


@pytest.fixture
def smtp() -> Iterator[tuple[ScriptedHandler, int]]:
    with smtp_server() as running:
        yield running


def smtp_delivery(
    port: int, clock: Clock, *, timeout: float = 1.0, batch_size: int = 50, max_attempts: int = 4
) -> delivery.Delivery:
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=timeout)
    return delivery.Delivery(
        senders={Channel.EMAIL: lambda: SmtpSender(settings)},
        clock=clock,
        batch_size=batch_size,
        max_attempts=max_attempts,
        retry_base=30,
        retry_cap=600,
    )


def row(message_id: int) -> OutboxMessage:
    from eventapp.extensions import db

    db.session.expire_all()
    found = db.session.get(OutboxMessage, message_id)
    assert found is not None
    return found


def insert(**fields: Any) -> int:
    """A message written as the place-taking request writes its letter: ``outbox.insert_step``
    run through ``eventapp.pipeline``, its row given to ``outbox.inserted``."""
    return outbox.inserted(pipeline.run(outbox.insert_step(**fields))[0])
