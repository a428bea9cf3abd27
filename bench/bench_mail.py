"""Mail-out of 5,000 invitations: the outbox and its worker against a plain smtplib loop.

Both send the same 5,000 messages to one local SMTP sink (aiosmtpd), in the same run:

- baseline: the messages, already built, sent by a bare ``smtplib`` loop over one
  connection, with nothing recorded anywhere;
- ours: the same invitations queued in the outbox (SQLite, the embedded default, or
  ``BENCH_DATABASE_URL``), then drained by the worker: claim in batches, build each
  message (both parts, Message-ID, Date), send over one connection, record every outcome.

The invariant is exactly-once at the server: every outbox message arrives once, none twice.
Prints both rates, the ratio and the counts, then one JSON line.
"""

from __future__ import annotations

import json
import os
import smtplib
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from datetime import time as clock_time
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller

COUNT = int(os.environ.get("BENCH_MAIL_COUNT", "5000"))
TARGET = 0.5


class Sink:
    """Accepts everything; counts messages by Message-ID."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message_id = str(self.parser.parsebytes(envelope.content)["Message-ID"])
        with self.lock:
            self.ids[message_id] += 1
        return "250 OK"

    def reset(self) -> None:
        with self.lock:
            self.ids.clear()


def _app(tmp: str) -> Any:
    from config import TestConfig
    from eventapp import create_app

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    config = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "MAIL_FILE_DIR": f"{tmp}/mail", "TESTING": False},
    )
    return create_app(config)


def _queue_invitations(app: Any) -> list[int]:
    """Set up an event with COUNT invitees and queue the letter to all (not sent)."""
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from eventapp import uow
    from eventapp.accounts import services as accounts
    from eventapp.accounts.models import Role
    from eventapp.events import services as events
    from eventapp.events.models import EventStatus
    from eventapp.extensions import db
    from eventapp.handbook import Aim
    from eventapp.invitations import sending
    from eventapp.invitations.models import Invitee
    from eventapp.mail import jobs
    from eventapp.mail.models import OutboxMessage

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade()
    council = accounts.get_or_create_council("Bench Council", "Benchshire")
    organiser = accounts.create_user(
        council=council,
        email="organiser@bench.example",
        role=Role.ORGANISER,
        password="bench password 123",  # noqa: S106 - a scratch benchmark account
    )
    event = events.create_event(
        council_id=council.id,
        actor=organiser,
        details=events.EventDetails(
            title="Prevent roundtable",
            aims=[Aim.AWARENESS],
            day=date.today() + timedelta(days=30),
            start=clock_time(18),
            end=clock_time(20),
            public_location="Grays",
        ),
    )
    events.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
    db.session.add_all(
        Invitee(
            event_id=event.id,
            name=f"Invitee {n}",
            email=f"invitee{n}@bench.example",
            organisation=f"Organisation {n % 40}",
        )
        for n in range(COUNT)
    )
    db.session.commit()
    held = jobs.dispatch
    jobs.dispatch = lambda ids: None  # queue only: the worker is timed separately
    try:
        with app.test_request_context():
            uow.run(sending.send_invitations, event=event, actor=organiser, invitee_ids=None)
    finally:
        jobs.dispatch = held
    return list(db.session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))


def _prebuilt(ids: list[int]) -> list[tuple[str, str, bytes]]:
    """The same messages, built once, for the baseline loop."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from eventapp.extensions import db
    from eventapp.mail.delivery import _parts
    from eventapp.mail.message import build_email, split_sender
    from eventapp.mail.models import OutboxMessage
    from eventapp.models.base import utcnow

    now = utcnow()
    built = []
    rows = db.session.scalars(
        select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .where(OutboxMessage.id.in_(ids))
    )
    for row in rows:
        parts = _parts(row)
        built.append((split_sender(row.sender)[1], row.recipient, build_email(parts, date=now)))
    return built


def baseline(port: int, messages: list[tuple[str, str, bytes]]) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as connection:
        for sender, recipient, data in messages:
            connection.sendmail(sender, [recipient], data)
    return time.perf_counter() - start


def ours(port: int) -> tuple[float, Any]:
    from eventapp.mail.delivery import Delivery
    from eventapp.mail.models import Channel
    from eventapp.mail.senders import SmtpSender, SmtpSettings

    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=30)
    worker = Delivery(senders={Channel.EMAIL: lambda: SmtpSender(settings)})
    start = time.perf_counter()
    report = worker.run()
    return time.perf_counter() - start, report


def main() -> int:
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = _app(tmp)
            with app.app_context():
                from sqlalchemy import func, select

                from eventapp.extensions import db
                from eventapp.mail.models import MessageState, OutboxMessage

                ids = _queue_invitations(app)
                messages = _prebuilt(ids)
                base_seconds = baseline(port, messages)
                base_received = sum(sink.ids.values())
                sink.reset()
                our_seconds, report = ours(port)
                sent_rows = db.session.scalar(
                    select(func.count()).where(OutboxMessage.state == MessageState.SENT)
                )
                database = db.engine.dialect.name
    finally:
        controller.stop()
    distinct = len(sink.ids)
    duplicates = sum(n - 1 for n in sink.ids.values() if n > 1)
    invariant = (
        base_received == COUNT and distinct == COUNT and duplicates == 0 and sent_rows == COUNT
    )
    base_rate, our_rate = COUNT / base_seconds, COUNT / our_seconds
    ratio = our_rate / base_rate
    print(f"mail-out of {COUNT:,} invitations to a local aiosmtpd sink ({database})")
    print(f"  baseline, plain smtplib loop over one connection: {base_rate:,.0f} messages/s")
    print(f"  outbox + worker (claim, build, send, record):     {our_rate:,.0f} messages/s")
    print(f"  ratio {ratio:.2f} (target at least {TARGET}); worker report: {report.sent} sent")
    print(
        f"  at the server: {distinct:,} distinct messages, {duplicates} duplicates; "
        f"{sent_rows:,} rows marked sent"
    )
    print(
        json.dumps(
            {
                "bench": "mail_outbox_5000",
                "unit": "messages/s",
                "baseline": round(base_rate, 1),
                "ours": round(our_rate, 1),
                "ratio": round(ratio, 3),
                "target": TARGET,
                "invariant": invariant,
            }
        )
    )
    sys.stdout.flush()
    return 0 if invariant else 1


if __name__ == "__main__":
    raise SystemExit(main())
