"""The sending side: claim due messages, send them over one connection, record the outcome.

Exactly once, as far as a sender can promise it:

- ``claim`` moves due rows to "sending" in one statement that only matches rows still due,
  and commits before anything is sent. On PostgreSQL the rows are picked with
  ``FOR UPDATE SKIP LOCKED`` so two workers take different rows without waiting; on SQLite
  the conditional UPDATE runs under the database's single write lock. Either way a row is
  claimed by one worker, however many jobs name it.
- Each outcome is written (and committed) right after its message is sent, and only if the
  row is still this worker's claim, keeping the window in which a crash could cause a
  resend to one message.
- ``sweep`` returns rows stuck in "sending" (their worker died) to "retrying", counting each
  such recovery on the row: a recovered message may already have been delivered once.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, selectinload

from eventapp.extensions import db
from eventapp.mail import senders as senders_module
from eventapp.mail.message import Attachment, Parts
from eventapp.mail.models import DUE_STATES, Channel, MessageState, OutboxMessage
from eventapp.mail.senders import Outcome, Result, Sender
from eventapp.models.base import utcnow

log = logging.getLogger("eventapp.mail")

Clock = Callable[[], datetime]
# Marks the worker's own session: it is a job's unit of work, not a request's.
JOB_SESSION = "eventapp.job"


def retry_delay(
    attempts: int, *, base: float, cap: float, jitter: float = 0.2, rng: random.Random | None = None
) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: doubling from ``base``, never
    more than ``cap``, spread by ``jitter`` so a server's backlog is not retried at once."""
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    spread = (rng or random).uniform(1 - jitter, 1 + jitter) if jitter else 1.0
    return timedelta(seconds=min(cap, delay * spread))


@dataclass
class Report:
    """What one delivery run did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0
    lost_claims: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        for name in ("claimed", "sent", "retrying", "failed", "released", "lost_claims"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def claim(
    session: Session, *, now: datetime, limit: int, ids: Sequence[int] | None = None
) -> list[int]:
    """Take up to ``limit`` due messages (of ``ids``, if given) for this worker; commits."""
    due = select(OutboxMessage.id).where(
        OutboxMessage.state.in_(DUE_STATES), OutboxMessage.next_attempt_at <= now
    )
    if ids is not None:
        due = due.where(OutboxMessage.id.in_(list(ids)))
    due = due.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.state.in_(DUE_STATES))
        .values(state=MessageState.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(session.scalars(statement).all())
    session.commit()
    return claimed


def _parts(row: OutboxMessage) -> Parts:
    return Parts(
        sender=row.sender,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        message_id=row.message_id,
        reply_to=row.reply_to,
        kind=row.kind,
        attachments=tuple(
            Attachment(filename=a.filename, content_type=a.content_type, data=a.data)
            for a in row.attachments
        ),
    )


def _record(session: Session, row_id: int, claimed_at: datetime, values: dict[str, Any]) -> bool:
    """Write an outcome if the row is still this worker's claim (the caller commits)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.state == MessageState.SENDING,
            OutboxMessage.claimed_at == claimed_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


@dataclass
class _Outcomes:
    """Outcomes waiting to be written: one short transaction for several messages, so the
    database (SQLite's single write lock especially) is never held while a server talks."""

    session: Session
    every: int
    seconds: float
    report: Report
    pending: list[tuple[int, datetime, dict[str, Any]]] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def add(self, row_id: int, claimed_at: datetime, values: dict[str, Any]) -> None:
        self.pending.append((row_id, claimed_at, values))
        if len(self.pending) >= self.every or time.monotonic() - self.since >= self.seconds:
            self.write()

    def write(self) -> None:
        """One statement per kind of outcome, for all its rows, then one commit."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row_id, claimed_at, values in self.pending:
            groups[tuple(sorted(values))].append(
                {
                    "row_id": row_id,
                    "claimed": claimed_at,
                    **{f"new_{k}": v for k, v in values.items()},
                }
            )
        table = cast(Table, OutboxMessage.__table__)
        connection = self.session.connection()
        for keys, params in groups.items():
            statement = (
                table.update()
                .where(
                    table.c.id == bindparam("row_id"),
                    table.c.state == MessageState.SENDING,
                    table.c.claimed_at == bindparam("claimed", type_=table.c.claimed_at.type),
                )
                .values({key: bindparam(f"new_{key}", type_=table.c[key].type) for key in keys})
            )
            matched = int(connection.execute(statement, params).rowcount)
            if matched < len(params):
                # A sweeper took rows back while this worker was still sending them.
                self.report.lost_claims += len(params) - matched
                log.warning(
                    "%d mail row(s) were recovered by a sweeper during their send",
                    len(params) - matched,
                )
        self.session.commit()
        self.pending.clear()
        self.since = time.monotonic()


class Delivery:
    """One worker's run over the due messages, with a sender per channel opened lazily.

    The run has its own database session, apart from any request's: committing it never
    touches (or expires) the objects of the unit of work that queued the messages.
    Outcomes are written every ``record_every`` messages or ``record_seconds``, whichever
    comes first, and whenever a batch ends: a worker killed mid-batch leaves at most that
    many sent messages unrecorded, which the sweeper returns and counts as recoveries.
    """

    def __init__(
        self,
        *,
        senders: dict[Channel, Callable[[], Sender]],
        clock: Clock = utcnow,
        batch_size: int = 50,
        max_attempts: int = 8,
        retry_base: float = 30.0,
        retry_cap: float = 3600.0,
        record_every: int = 50,
        record_seconds: float = 1.0,
    ) -> None:
        self.senders = senders
        self.clock = clock
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.record_every = record_every
        self.record_seconds = record_seconds

    def run(self, ids: Sequence[int] | None = None, *, limit: int | None = None) -> Report:
        """Send due messages (only ``ids``, if given) until none is left or ``limit`` is hit."""
        report = Report()
        with Session(db.engine, info={JOB_SESSION: True}) as session, ExitStack() as stack:
            outcomes = _Outcomes(session, self.record_every, self.record_seconds, report)
            opened: dict[Channel, Sender] = {}
            try:
                while limit is None or report.claimed < limit:
                    size = self.batch_size
                    if limit is not None:
                        size = min(size, limit - report.claimed)
                    claimed = claim(session, now=self.clock(), limit=size, ids=ids)
                    if not claimed:
                        break
                    report.claimed += len(claimed)
                    rows = session.scalars(
                        select(OutboxMessage)
                        .options(selectinload(OutboxMessage.attachments))
                        .where(OutboxMessage.id.in_(claimed))
                        .order_by(OutboxMessage.id)
                    )
                    work = [
                        (r.id, r.claimed_at or self.clock(), r.attempts, r.channel, _parts(r))
                        for r in rows
                    ]
                    session.expunge_all()
                    finished = self._send_batch(work, opened, stack, outcomes)
                    outcomes.write()
                    if not finished:
                        break
            finally:
                if outcomes.pending:
                    outcomes.write()
        return report

    def _send_batch(
        self,
        work: list[tuple[int, datetime, int, Channel, Parts]],
        opened: dict[Channel, Sender],
        stack: ExitStack,
        outcomes: _Outcomes,
    ) -> bool:
        """Send claimed rows in order; False if a connection was lost (the rest waits)."""
        for position, (row_id, claimed_at, attempts, channel, parts) in enumerate(work):
            sender = opened.get(channel)
            if sender is None:
                factory = self.senders.get(channel)
                if factory is None:
                    result = Result(
                        Outcome.FAILED, f"No sender is set up for the {channel} channel"
                    )
                else:
                    sender = opened[channel] = stack.enter_context(factory())
            if sender is not None:
                try:
                    result = sender.send(parts, ident=row_id, date=self.clock())
                except Exception as error:  # a bug, not a delivery problem: try again later
                    log.exception("Sending mail %s failed unexpectedly", parts.message_id)
                    result = Result(Outcome.RETRY, f"Internal error: {type(error).__name__}")
            outcomes.add(row_id, claimed_at, self._values(attempts, result, outcomes.report))
            if result.connection_lost:
                rest = [(r, c, a) for r, c, a, _, _ in work[position + 1 :]]
                self._release(rest, result, outcomes)
                return False
        return True

    def _values(self, attempts: int, result: Result, report: Report) -> dict[str, Any]:
        """The row's new state after one try."""
        now = self.clock()
        if result.outcome is Outcome.SENT:
            report.sent += 1
            return {
                "state": MessageState.SENT,
                "sent_at": now,
                "finished_at": now,
                "last_error": "",
            }
        if result.outcome is Outcome.RETRY and attempts < self.max_attempts:
            report.retrying += 1
            delay = retry_delay(attempts, base=self.retry_base, cap=self.retry_cap)
            return {
                "state": MessageState.RETRYING,
                "next_attempt_at": now + delay,
                "last_error": result.detail[:1000],
            }
        detail = result.detail
        if result.outcome is Outcome.RETRY:
            detail = f"Gave up after {attempts} tries. Last reply: {detail}"
        report.failed += 1
        report.errors.append(detail)
        return {"state": MessageState.FAILED, "finished_at": now, "last_error": detail[:1000]}

    def _release(
        self, rest: list[tuple[int, datetime, int]], cause: Result, outcomes: _Outcomes
    ) -> None:
        """Give claimed but untried rows back, tries not counted, to wait for the retry."""
        later = self.clock() + retry_delay(1, base=self.retry_base, cap=self.retry_cap)
        for row_id, claimed_at, attempts in rest:
            outcomes.add(
                row_id,
                claimed_at,
                {
                    "state": MessageState.RETRYING,
                    "attempts": attempts - 1,
                    "next_attempt_at": later,
                    "last_error": f"Not tried: {cause.detail}"[:1000],
                },
            )
            outcomes.report.released += 1


def sweep(*, now: datetime, stuck_after: timedelta) -> int:
    """Return messages stuck in "sending" to "retrying" (their worker died); commits.

    Each recovery is counted on the row, since the message may already have been accepted
    by the server before the worker died.
    """
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.state == MessageState.SENDING,
            OutboxMessage.claimed_at < now - stuck_after,
        )
        .values(
            state=MessageState.RETRYING,
            next_attempt_at=now,
            recoveries=OutboxMessage.recoveries + 1,
            last_error="Recovered: the sender stopped during its send, so this may arrive twice",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        log.warning("Recovered %d mail message(s) stuck in sending", count)
    return count


# Wiring to the app's configuration --------------------------------------------------


def sender_factories() -> dict[Channel, Callable[[], Sender]]:
    """The configured sender for each channel that has one (email only, for now)."""
    config = current_app.config
    if config.get("MAIL_BACKEND") == "smtp":
        settings = senders_module.SmtpSettings(
            host=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            use_ssl=bool(config["MAIL_USE_SSL"]),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            timeout=float(config["MAIL_TIMEOUT"]),
        )
        return {Channel.EMAIL: lambda: senders_module.SmtpSender(settings)}
    directory = config.get("MAIL_FILE_DIR") or f"{current_app.instance_path}/mail"
    return {Channel.EMAIL: lambda: senders_module.FileSender(directory)}


def configured(clock: Clock = utcnow) -> Delivery:
    config = current_app.config
    return Delivery(
        senders=sender_factories(),
        clock=clock,
        batch_size=int(config["MAIL_BATCH_SIZE"]),
        max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
        retry_base=float(config["MAIL_RETRY_BASE_SECONDS"]),
        retry_cap=float(config["MAIL_RETRY_CAP_SECONDS"]),
        record_every=int(config["MAIL_RECORD_EVERY"]),
    )


def deliver(ids: Sequence[int] | None = None, *, limit: int | None = None) -> Report:
    """Send the due messages (of ``ids``, if given) with the configured senders."""
    return configured().run(ids, limit=limit)


def send_due(*, limit: int | None = None) -> tuple[int, Report]:
    """The operator's and scheduler's run: recover stuck rows, then send everything due."""
    stuck_after = timedelta(minutes=float(current_app.config["MAIL_STUCK_AFTER_MINUTES"]))
    recovered = sweep(now=utcnow(), stuck_after=stuck_after)
    return recovered, deliver(limit=limit)
