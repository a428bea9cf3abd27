"""The production path (RQ on Redis), the operators' commands and the administrators' page."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eventapp import uow
from eventapp.accounts.models import Role, User
from eventapp.extensions import db
from eventapp.mail import jobs, outbox
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from tests.conftest import login_as, require
from tests.mail.conftest import content, insert, row


@pytest.fixture
def redis_url(app: Flask) -> str:
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "RQ tests skipped: set REDIS_URL=redis://127.0.0.1:6379/<n>")
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(url).ping()
    except RedisError as error:
        require(False, f"Redis at {url} is unreachable: {error}")
    app.config["REDIS_URL"] = url
    app.config["JOBS_INLINE"] = False
    jobs.queue(app).empty()
    jobs.queue(app).connection.delete(jobs.WAITING_KEY)
    return url


def test_with_redis_a_commit_queues_a_job_that_an_rq_worker_runs(
    app: Flask, redis_url: str
) -> None:
    from rq import SimpleWorker

    message = outbox.enqueue(to="ann@example.org", content=content(), kind="test")
    uow.commit()
    queue = jobs.queue(app)
    assert queue.count == 1
    assert row(message.id).state is MessageState.QUEUED  # the web request sent nothing
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert row(message.id).state is MessageState.SENT
    # The same job run again (a re-delivered job) sends nothing more.
    assert jobs.deliver_job([message.id]) == {"sent": 0, "retrying": 0, "failed": 0}


def test_while_a_job_waits_more_commits_queue_no_other_and_it_sends_them_all(
    app: Flask, redis_url: str
) -> None:
    from rq import SimpleWorker

    first = outbox.enqueue(to="ann@example.org", content=content(1), kind="test")
    uow.commit()
    second = insert(to="bob@example.org", content=content(2), kind="test")
    uow.commit()
    queue = jobs.queue(app)
    assert queue.count == 1
    # The mark that a job waits expires, so a lost job cannot hold mail back for long.
    assert 0 < int(queue.connection.ttl(jobs.WAITING_KEY)) <= jobs.WAITING_SECONDS
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert row(first.id).state is MessageState.SENT
    assert row(second).state is MessageState.SENT
    # The job cleared the mark before reading what was due: the next commit queues a job.
    assert not queue.connection.exists(jobs.WAITING_KEY)
    third = outbox.enqueue(to="cy@example.org", content=content(3), kind="test")
    uow.commit()
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert row(third.id).state is MessageState.SENT


def test_a_message_committed_while_the_job_runs_is_sent_by_it_or_queues_another(
    app: Flask, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the mark must not lose: a message committed after the job started."""
    from eventapp.mail import delivery

    queue = jobs.queue(app)
    outbox.enqueue(to="ann@example.org", content=content(1), kind="test")
    uow.commit()
    late: list[OutboxMessage] = []
    deliver = delivery.deliver

    def deliver_then_commit_another(*args: object, **kwargs: object) -> delivery.Report:
        report = deliver(*args, **kwargs)  # type: ignore[arg-type]
        # Committed after the job read what was due: it must not wait for the sweep.
        late.append(outbox.enqueue(to="bob@example.org", content=content(2), kind="t"))
        uow.commit()
        return report

    monkeypatch.setattr(delivery, "deliver", deliver_then_commit_another)
    assert jobs.deliver_due_job()["sent"] == 1
    monkeypatch.setattr(delivery, "deliver", deliver)
    assert row(late[0].id).state is MessageState.QUEUED
    assert queue.count == 2  # the first request's job (run above, directly) and a new one
    queue.empty()
    assert jobs.deliver_due_job()["sent"] == 1
    assert row(late[0].id).state is MessageState.SENT


def test_when_redis_is_down_the_message_waits_for_the_sweep(app: Flask) -> None:
    app.config["JOBS_INLINE"] = False
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    message = outbox.enqueue(to="ann@example.org", content=content(), kind="test")
    uow.commit()  # the hook logs the failure; the change is stored
    assert row(message.id).state is MessageState.QUEUED
    app.config["JOBS_INLINE"] = True
    assert jobs.send_due_job()["sent"] == 1


def test_send_due_and_status_commands(
    app: Flask, runner: FlaskCliRunner, queue_mail: Callable[..., list[int]]
) -> None:
    ids = queue_mail("a@example.org", "b@example.org")
    db.session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.id == ids[1])
        .values(state="failed", finished_at=utcnow(), last_error="550 5.1.1 No such mailbox")
    )
    db.session.commit()
    result = runner.invoke(args=["mail", "send-due"])
    assert result.exit_code == 0, result.output
    assert "sent 1, retrying 0, failed 0" in result.output
    status = runner.invoke(args=["mail", "status"])
    assert "Sent       1" in status.output and "Failed     1" in status.output
    assert "550 5.1.1 No such mailbox" in status.output
    assert "b@example.org" not in status.output  # no addresses in operators' output


def test_the_outbox_page_shows_counts_and_failures_of_your_council_only(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], held: list
) -> None:
    admin = make_user(Role.ADMIN)
    other = make_user(Role.ADMIN)
    mine = outbox.enqueue(
        to="a@example.org", content=content(), kind="invitation", council_id=admin.council_id
    )
    theirs = outbox.enqueue(
        to="b@example.org", content=content(), kind="invitation", council_id=other.council_id
    )
    uow.commit()
    db.session.execute(
        OutboxMessage.__table__.update().values(
            state="failed", finished_at=utcnow(), last_error="550 5.1.1 No such mailbox"
        )
    )
    db.session.commit()
    login_as(client, admin)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "550 5.1.1 No such mailbox" in page and "a@example.org" in page
    assert "b@example.org" not in page
    assert client.post(f"/admin/outbox/{theirs.id}/retry").status_code == 404
    response = client.post(f"/admin/outbox/{mine.id}/retry")
    assert response.status_code == 302
    assert row(mine.id).state is MessageState.QUEUED


def test_organisers_cannot_see_the_outbox(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    login_as(client, make_user(Role.ORGANISER))
    assert client.get("/admin/outbox/").status_code == 403


def test_the_cron_file_registers_the_sweep_and_the_digest() -> None:
    from rq import cron

    before = len(cron._job_data_registry)
    import importlib

    import eventapp.mail.cron as schedule

    importlib.reload(schedule)
    added = cron._job_data_registry[before:]
    assert {job["name"]: (job["interval"], job["cron"]) for job in added} == {
        "mail-send-due": (60, None),
        "task-digest": (None, "0 7 * * 1"),
        "joining-instructions": (300, None),
        "personal-data-purge": (None, "0 3 * * *"),
        "forget-arrival-order": (None, "30 3 * * *"),
    }
    del cron._job_data_registry[before:]


def test_production_warns_while_mail_goes_to_files(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config import ProductionConfig

    monkeypatch.setenv("DATABASE_URL", "postgresql://eventapp@db/eventapp")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    ProductionConfig.check({"SECRET_KEY": "x" * 32, "MAIL_BACKEND": "file"})
    assert "MAIL_SERVER is not set" in caplog.text
    assert "PUBLIC_BASE_URL is not set" in caplog.text


def test_a_job_that_could_not_be_queued_leaves_no_mark_behind(
    app: Flask, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mark was set but the job did not reach the queue: the next commit queues one,
    instead of leaving its message for the sweep until the mark expires."""
    from rq import Queue

    queue = jobs.queue(app)
    enqueue = Queue.enqueue

    def refused(*args: object, **kwargs: object) -> object:
        raise ConnectionError("Redis went away between two commands")

    monkeypatch.setattr(Queue, "enqueue", refused)
    first = outbox.enqueue(to="ann@example.org", content=content(1), kind="test")
    uow.commit()  # logged; the message waits in the outbox
    assert queue.count == 0
    assert not queue.connection.exists(jobs.WAITING_KEY)
    monkeypatch.setattr(Queue, "enqueue", enqueue)
    outbox.enqueue(to="bob@example.org", content=content(2), kind="test")
    uow.commit()
    assert queue.count == 1
    assert jobs.deliver_due_job()["sent"] == 2
    assert row(first.id).state is MessageState.SENT
