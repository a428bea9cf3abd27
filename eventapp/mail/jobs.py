"""Job functions and how they are run: inline after commit (embedded), or RQ on Redis.

The same functions run either way. In production a web request only makes sure a job is
waiting on the ``mail`` queue to send what is due (``dispatch``); ``rq worker mail
--with-scheduler`` runs it and the retries it schedules, and ``rq cron eventapp/mail/cron.py``
runs the periodic sweep. If Redis cannot be reached, nothing is lost: the rows are in the
outbox, and the next sweep (``send_due_job`` or ``flask mail send-due``) sends them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from eventapp.mail import delivery

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

log = logging.getLogger("eventapp.mail")

QUEUE_NAME = "mail"
JOB_TIMEOUT = 30 * 60  # seconds: a batch of thousands over a slow server
# Set while a job to send what is due waits on the queue (see ``dispatch``); it expires in
# case that job is lost, so that a later request queues another.
WAITING_KEY = "eventapp:mail:job-waiting"
WAITING_SECONDS = 60


@cache
def _redis(url: str) -> Redis:
    """One client (and its connection pool) per Redis URL and process, shared by threads: a
    request that queues a job reuses an open connection instead of connecting again."""
    from redis import Redis

    return Redis.from_url(url)


def queue(app: Flask | None = None) -> Queue:
    """The RQ queue for mail jobs, on REDIS_URL."""
    return _queue((app or current_app).config["REDIS_URL"])


@cache
def _queue(url: str) -> Queue:
    """One queue object per Redis URL and process (it holds only its name and client): a
    request that queues a job does not build one again."""
    from rq import Queue

    return Queue(QUEUE_NAME, connection=_redis(url))


def dispatch(ids: Sequence[int]) -> None:
    """Send these messages now (inline), or make sure a job to send what is due is waiting
    on the queue (RQ).

    With RQ, a request that commits messages while such a job is still waiting queues no
    other: the waiting job sends them too. The job clears the mark before it reads what is
    due (``deliver_due_job``), so a message committed before a request found the mark set is
    read by that job, and a request after the clearing queues a new one. One Redis command
    per request, and a job only when none is waiting, instead of a job per request.
    """
    if current_app.config.get("JOBS_INLINE", True):
        # Embedded mode has no scheduler: any earlier message now due for its retry goes
        # out with these (and `flask mail send-due` sends them at any time).
        report = delivery.deliver()
        if report.failed:
            log.warning("%d mail message(s) failed; see the outbox page", report.failed)
        return
    try:
        mail = queue()
        if mail.connection.set(WAITING_KEY, "1", nx=True, ex=WAITING_SECONDS):
            try:
                # One round trip: RQ's enqueue alone sends the queue's registration and the
                # job in two pipelines; given one, it only fills it.
                with mail.connection.pipeline() as pipe:
                    mail.enqueue(deliver_due_job, job_timeout=JOB_TIMEOUT, pipeline=pipe)
                    pipe.execute()
            except Exception:
                # No job after all: take the mark back, so that the next request queues one
                # (if Redis cannot take it back either, it expires).
                mail.connection.delete(WAITING_KEY)
                raise
    except Exception:  # Redis is down: the rows wait in the outbox for the next sweep
        log.exception("Could not queue a mail job; the next sweep will send the messages")


def report_next_attempt() -> datetime | None:
    """When the earliest message waiting to be retried is due, if any is."""
    from sqlalchemy import func, select

    from eventapp.extensions import db
    from eventapp.mail.models import MessageState, OutboxMessage

    return db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.state == MessageState.RETRYING
        )
    )


def _schedule_retry(when: datetime | None) -> None:
    """With RQ, schedule a sweep for the next retry; inline, the next sweep picks it up."""
    if when is None or current_app.config.get("JOBS_INLINE", True):
        return
    try:
        queue().enqueue_at(when, send_due_job, job_timeout=JOB_TIMEOUT)
    except Exception:
        log.exception("Could not schedule a mail retry; the periodic sweep will send it")


@cache
def worker_app() -> Flask:
    """The app a worker process runs jobs in (built once per process)."""
    from eventapp import create_app

    return create_app()


def _in_app(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a job's work in an app context. A database error is retold without the values its
    message quotes (``database.describe``): RQ logs a failed job's exception and keeps it in
    Redis, where a recipient's address or a token hash must not end up."""
    from flask import has_app_context
    from sqlalchemy.exc import StatementError

    from eventapp import database

    try:
        if has_app_context():
            return fn(*args, **kwargs)
        with worker_app().app_context():
            return fn(*args, **kwargs)
    except StatementError as error:
        raise database.DatabaseError(database.describe(error)) from None


def deliver_job(ids: list[int]) -> dict[str, int]:
    """RQ job: send these messages (those still due), then schedule the next retry. (Queued
    by earlier versions, which queued a job per request: kept for the jobs still waiting.)"""

    def run() -> dict[str, int]:
        report = delivery.deliver(ids)
        _schedule_retry(report_next_attempt())
        return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}

    result: dict[str, int] = _in_app(run)
    return result


def deliver_due_job() -> dict[str, int]:
    """RQ job queued by ``dispatch``: clear the mark that a job is waiting, then send
    everything due and schedule the next retry."""

    def run() -> dict[str, int]:
        queue().connection.delete(WAITING_KEY)
        report = delivery.deliver()
        _schedule_retry(report_next_attempt())
        return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}

    result: dict[str, int] = _in_app(run)
    return result


def send_due_job() -> dict[str, int]:
    """RQ job (periodic): recover stuck rows and send everything due."""

    def run() -> dict[str, int]:
        recovered, report = delivery.send_due()
        _schedule_retry(report_next_attempt())
        return {"recovered": recovered, "sent": report.sent, "failed": report.failed}

    result: dict[str, int] = _in_app(run)
    return result
