"""The weekly task digest: owners' tasks due this week and overdue, through the outbox."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.checklist.digest import send_digests
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.queries import london_today
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from tests.invitations.conftest import mail_files, read_mail, text_of


def _tasks(event: Event) -> list[ChecklistTask]:
    return list(
        db.session.scalars(
            select(ChecklistTask).where(ChecklistTask.event_id == event.id).order_by(ChecklistTask.id)
        )
    )


def _own(event: Event, owner: User) -> tuple[ChecklistTask, ChecklistTask, ChecklistTask]:
    from eventapp.checklist.services import sync_checklist

    sync_checklist(event, owner)
    db.session.commit()
    today = london_today()
    overdue, due, later = _tasks(event)[:3]
    for task, day in ((overdue, today - timedelta(days=2)), (due, today + timedelta(days=3)),
                      (later, today + timedelta(days=20))):
        task.owner_id = owner.id
        task.due_on = day
    db.session.commit()
    return overdue, due, later


def test_owners_get_due_and_overdue_tasks_once_a_week(
    app: Flask, event: Event, organiser: User
) -> None:
    overdue, due, later = _own(event, organiser)
    assert uow.run(send_digests) == 1
    (path,) = mail_files(app)
    text = text_of(read_mail(path))
    assert f"Overdue:\n- {overdue.title}" in text
    assert f"Due this week:\n- {due.title}" in text
    assert later.title not in text
    assert "To stop these emails: http://localhost/my-tasks/digest/" in text
    # Run again the same week: nothing more.
    assert uow.run(send_digests) == 0
    assert len(mail_files(app)) == 1


def test_done_tasks_and_owners_who_turned_it_off_get_nothing(
    app: Flask, event: Event, organiser: User
) -> None:
    overdue, due, _ = _own(event, organiser)
    now = overdue.created_at
    overdue.completed_at = due.completed_at = now
    overdue.status = due.status = TaskStatus.DONE
    db.session.commit()
    assert uow.run(send_digests) == 0
    overdue.status = TaskStatus.TODO
    organiser.task_digest = False
    db.session.commit()
    assert uow.run(send_digests) == 0
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_an_owner_can_turn_the_digest_off(
    signed_in: FlaskClient, organiser: User
) -> None:
    assert "Weekly email of your tasks: on" in signed_in.get("/my-tasks").get_data(as_text=True)
    response = signed_in.post("/my-tasks/digest/", data={"wanted": "no"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, organiser.id).task_digest is False  # type: ignore[union-attr]


def test_the_cli_sends_the_digest(
    app: Flask, event: Event, organiser: User, runner: object
) -> None:
    _own(event, organiser)
    result = runner.invoke(args=["mail", "task-digest"])  # type: ignore[attr-defined]
    assert "Task digests queued: 1." in result.output


def test_turning_the_digest_back_on_sends_it(
    app: Flask, signed_in: FlaskClient, event: Event, organiser: User
) -> None:
    """The page's promise after choosing yes: "You will get the weekly email of your tasks"."""
    _own(event, organiser)
    signed_in.post("/my-tasks/digest/", data={"wanted": "no"})
    assert uow.run(send_digests) == 0
    page = signed_in.post(
        "/my-tasks/digest/", data={"wanted": "yes"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "You will get the weekly email of your tasks." in page
    assert uow.run(send_digests) == 1
    (path,) = mail_files(app)
    assert organiser.email in read_mail(path)["To"]
