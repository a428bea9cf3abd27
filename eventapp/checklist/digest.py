"""The weekly task digest: each task owner gets one email listing, per event, their open
tasks due in the coming week and those overdue. Owners can turn it off.

Run by ``rq cron eventapp/mail/cron.py`` (Mondays) or ``flask mail task-digest``. Sending
twice in a week is harmless: an owner already sent a digest in the last six days is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from eventapp import uow
from eventapp.access import me, planner_required
from eventapp.accounts.models import User
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.queries import london_today
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.forms import BaseForm, options
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow

KIND = "task_digest"
AHEAD = timedelta(days=7)
RESEND_AFTER = timedelta(days=6)


@dataclass
class EventTasks:
    event: Event
    due: list[ChecklistTask] = field(default_factory=list)
    overdue: list[ChecklistTask] = field(default_factory=list)


def digests(today: date) -> dict[int, list[EventTasks]]:
    """For each owner who wants the digest: their events with tasks due soon or overdue."""
    query = (
        select(ChecklistTask)
        .join(ChecklistTask.event)
        .join(User, User.id == ChecklistTask.owner_id)
        .where(
            ChecklistTask.status == TaskStatus.TODO,
            ChecklistTask.removed_at.is_(None),
            ChecklistTask.due_on.is_not(None),
            ChecklistTask.due_on < today + AHEAD,
            Event.status.not_in([EventStatus.ARCHIVED, EventStatus.HELD, EventStatus.EVALUATED]),
            User.active.is_(True),
            User.task_digest.is_(True),
        )
        .options(contains_eager(ChecklistTask.event))
        .order_by(ChecklistTask.owner_id, Event.starts_at, ChecklistTask.due_on, ChecklistTask.id)
    )
    result: dict[int, dict[int, EventTasks]] = defaultdict(dict)
    for task in db.session.scalars(query):
        assert task.owner_id is not None and task.due_on is not None
        group = result[task.owner_id].setdefault(task.event_id, EventTasks(task.event))
        (group.overdue if task.due_on < today else group.due).append(task)
    return {owner: list(events.values()) for owner, events in result.items()}


def send_digests(*, today: date | None = None) -> int:
    """Queue this week's digest for every owner who has one and was not sent one lately."""
    today = today or london_today()
    groups = digests(today)
    if not groups:
        return 0
    recent = set(
        db.session.scalars(
            select(OutboxMessage.related_id).where(
                OutboxMessage.kind == KIND,
                OutboxMessage.related_type == "user",
                OutboxMessage.related_id.in_(list(groups)),
                OutboxMessage.created_at > utcnow() - RESEND_AFTER,
            )
        )
    )
    wanted = [owner_id for owner_id in groups if owner_id not in recent]
    owners = db.session.scalars(select(User).where(User.id.in_(wanted)))
    sent = 0
    for owner in owners:
        events = groups[owner.id]
        content = outbox.render(
            "task_digest",
            subject="Your planning tasks this week",
            name=owner.name,
            events=events,
            today=today,
            my_tasks=external_url("checklist.my_tasks"),
            settings=external_url("digest.settings"),
            council_name=owner.council.name,
            service_name=current_app.config["SERVICE_NAME"],
        )
        outbox.enqueue(
            to=owner.email,
            name=owner.name,
            content=content,
            kind=KIND,
            council_id=owner.council_id,
            related=owner,
        )
        sent += 1
    return sent


def send_digest_job() -> int:
    """RQ job (weekly): send the digests, as one unit of work."""
    from eventapp.mail.jobs import _in_app

    return int(_in_app(lambda: uow.run(send_digests)))


# Turning it on or off ---------------------------------------------------------------

bp = Blueprint("digest", __name__, url_prefix="/my-tasks/digest")


class DigestForm(BaseForm):
    wanted = RadioField(
        "Do you want a weekly email of your planning tasks?",
        description="Sent on Monday mornings when you have tasks due that week or overdue.",
        choices=options([("yes", "Yes"), ("no", "No")]),
        widget=GovRadioInput(),
        validators=[InputRequired("Select yes if you want the weekly email")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


def set_digest(*, user: User, wanted: bool) -> None:
    user.task_digest = wanted


@bp.route("/", methods=["GET", "POST"])
@planner_required
def settings() -> str | Response:
    """Turn the weekly task email on or off."""
    form = DigestForm(
        data={"wanted": "yes" if me().task_digest else "no"} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        uow.run(set_digest, user=me(), wanted=form.wanted.data == "yes")
        flash(
            "You will get the weekly email of your tasks."
            if me().task_digest
            else "You will not get the weekly email of your tasks.",
            "success",
        )
        return redirect(url_for("checklist.my_tasks"))
    return render_template("checklist/digest_settings.html", form=form)
