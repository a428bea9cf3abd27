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
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from eventapp.extensions import db
from eventapp.mail import senders as senders_module
from eventapp.mail.message import Parts
from eventapp.mail.models import DUE_STATES, Channel, MessageState, OutboxMessage
from eventapp.mail.senders import Outcome, Result, Sender
from eventapp.models.base import utcnow

log = logging.getLogger("eventapp.mail")

Clock = Callable[[], datetime]


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


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def claim(*, now: datetime, limit: int, ids: Sequence[int] | None = None) -> list[int]:
    """Take up to ``limit`` due messages (of ``ids``, if given) for this worker; commits."""
    due = select(OutboxMessage.id).where(
        OutboxMessage.state.in_(DUE_STATES), OutboxMessage.next_attempt_at <= now
    )
    if ids is not None:
        due = due.where(OutboxMessage.id.in_(list(ids)))
    due = due.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if _is_postgres():
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.state.in_(DUE_STATES))
        .values(state=MessageState.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(db.session.scalars(statement).all())
    db.session.commit()
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
    )


def _record(row_id: int, claimed_at: datetime, values: dict[str, object]) -> bool:
    """Write an outcome if the row is still this worker's claim; commit at once."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.state == MessageState.SENDING,
            OutboxMessage.claimed_at == claimed_at,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


class Delivery:
    """One worker's run over the due messages, with a sender per channel opened lazily."""

    def __init__(
        self,
        *,
        senders: dict[Channel, Callable[[], Sender]],
        clock: Clock = utcnow,
        batch_size: int = 50,
        max_attempts: int = 8,
        retry_base: float = 30.0,
        retry_cap: float = 3600.0,
    ) -> None:
        self.senders = senders
        self.clock = clock
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap

    def run(self, ids: Sequence[int] | None = None, *, limit: int | None = None) -> Report:
        """Send due messages (only ``ids``, if given) until none is left or ``limit`` is hit."""
        report = Report()
        with ExitStack() as stack:
            opened: dict[Channel, Sender] = {}
            while limit is None or report.claimed < limit:
                size = (
                    self.batch_size
                    if limit is None
                    else min(self.batch_size, limit - report.claimed)
                )
                claimed = claim(now=self.clock(), limit=size, ids=ids)
                if not claimed:
                    break
                report.claimed += len(claimed)
                rows = list(
                    db.session.scalars(
                        select(OutboxMessage)
                        .where(OutboxMessage.id.in_(claimed))
                        .order_by(OutboxMessage.id)
                    )
                )
                if not self._send_batch(rows, opened, stack, report):
                    break
        return report

    def _send_batch(
        self,
        rows: list[OutboxMessage],
        opened: dict[Channel, Sender],
        stack: ExitStack,
        report: Report,
    ) -> bool:
        """Send claimed rows in order; False if a connection was lost (the rest waits)."""
        # Plain values first: each commit below expires the ORM rows.
        work = [
            (row.id, row.claimed_at or self.clock(), row.attempts, row.channel, _parts(row))
            for row in rows
        ]
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
            self._apply(row_id, claimed_at, attempts, result, report)
            if result.connection_lost:
                rest = [(r, c, a) for r, c, a, _, _ in work[position + 1 :]]
                self._release(rest, result, report)
                return False
        return True

    def _apply(
        self, row_id: int, claimed_at: datetime, attempts: int, result: Result, report: Report
    ) -> None:
        now = self.clock()
        values: dict[str, object]
        if result.outcome is Outcome.SENT:
            values = {
                "state": MessageState.SENT,
                "sent_at": now,
                "finished_at": now,
                "last_error": "",
            }
            report.sent += 1
        elif result.outcome is Outcome.RETRY and attempts < self.max_attempts:
            delay = retry_delay(attempts, base=self.retry_base, cap=self.retry_cap)
            values = {
                "state": MessageState.RETRYING,
                "next_attempt_at": now + delay,
                "last_error": result.detail[:1000],
            }
            report.retrying += 1
        else:
            detail = result.detail
            if result.outcome is Outcome.RETRY:
                detail = f"Gave up after {attempts} tries. Last reply: {detail}"
            values = {"state": MessageState.FAILED, "finished_at": now, "last_error": detail[:1000]}
            report.failed += 1
            report.errors.append(detail)
        if not _record(row_id, claimed_at, values):
            # A sweeper took the row back while this worker was still sending it.
            report.lost_claims += 1
            log.warning("Mail row %s was recovered by a sweeper during its send", row_id)

    def _release(
        self, rest: list[tuple[int, datetime, int]], cause: Result, report: Report
    ) -> None:
        """Give claimed but untried rows back, tries not counted, to wait for the retry."""
        if not rest:
            return
        later = self.clock() + retry_delay(1, base=self.retry_base, cap=self.retry_cap)
        for row_id, claimed_at, attempts in rest:
            if _record(
                row_id,
                claimed_at,
                {
                    "state": MessageState.RETRYING,
                    "attempts": attempts - 1,
                    "next_attempt_at": later,
                    "last_error": f"Not tried: {cause.detail}"[:1000],
                },
            ):
                report.released += 1


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
    )


def deliver(ids: Sequence[int] | None = None, *, limit: int | None = None) -> Report:
    """Send the due messages (of ``ids``, if given) with the configured senders."""
    return configured().run(ids, limit=limit)


def send_due(*, limit: int | None = None) -> tuple[int, Report]:
    """The operator's and scheduler's run: recover stuck rows, then send everything due."""
    stuck_after = timedelta(minutes=float(current_app.config["MAIL_STUCK_AFTER_MINUTES"]))
    recovered = sweep(now=utcnow(), stuck_after=stuck_after)
    return recovered, deliver(limit=limit)
