"""Checklist pages: an event's weeks of tasks, one task, the organiser's own task, My tasks."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, once, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.checklist import services, template
from eventapp.checklist import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.checklist.forms import NewTaskForm, TaskForm, owner_choices, owner_id, week_choices
from eventapp.checklist.models import TASK_STATUS_LABELS, ChecklistTask, TaskStatus
from eventapp.checklist.weeks import WEEKS
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("checklist", __name__)

TASK_URL = "/events/<int:event_id>/checklist/<int:task_id>"


def _event_and_task(event: Event, task_id: int) -> tuple[Event, ChecklistTask]:
    return event, services.get_task(event, task_id)


def _task_data(task: ChecklistTask) -> dict[str, object]:
    """The task's saved answers as form data; the due date only while it can be changed."""
    data: dict[str, object] = {
        "status": task.status.value,
        "owner": str(task.owner_id or ""),
        "note": task.note,
    }
    if _due_editable(task):
        data["due_on"] = task.due_on
    return data


def _due_editable(task: ChecklistTask) -> bool:
    return task.is_open and task.event.starts_at is not None


def _at_task(event: Event, task: ChecklistTask) -> str:
    return url_for("checklist.index", event_id=event.id, _anchor=f"task-{task.id}")


def _confirmed() -> None:
    """A button-only POST must carry a valid CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _back(event: Event, task: ChecklistTask) -> str:
    if request.form.get("back") == "my-tasks":
        return url_for("checklist.my_tasks")
    return _at_task(event, task)


@bp.route("/events/<int:event_id>/checklist")
@planner_required
def index(event: Event) -> str:
    """The event's planning checklist, week by week."""
    return render_template(
        "checklist/index.html",
        event=event,
        checklist=services.checklist(event),
        status_labels=TASK_STATUS_LABELS,
    )


@bp.route(TASK_URL, methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event, task_id: int) -> str | Response:
    """Change a task's status, owner and note."""
    task = services.get_task(event, task_id)
    form = TaskForm(data=_task_data(task)) if request.method == "GET" else TaskForm()
    if not _due_editable(task):
        del form.due_on  # a finished task shows when it was done instead
    if request.method == "GET":
        edits.remember(form, _task_data(task))
    form.owner.choices = owner_choices(services.possible_owners(event.council_id), task.owner)
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event, task)
        outcome = edits.reconcile(form, _task_data(task))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        try:
            uow.run(
                services.update_task,
                task=task,
                actor=me(),
                status=TaskStatus(form.status.data),
                owner_id=owner_id(form.owner.data),
                note=form.note.data or "",
                due_on=form.due_on.data if "due_on" in form else services.KEEP_DUE,
            )
        except DomainError as error:
            show_error(form, error, "status")
        else:
            flash(f"Task saved: {task.title}.{edits.kept_note(outcome)}", "success")
            return redirect(_at_task(event, task))
    return render_template(
        "checklist/task.html",
        event=event,
        task=task,
        form=form,
        overdue=services.is_overdue(task, services.london_today()),
        status_labels=TASK_STATUS_LABELS,
        source=template.source_of(task.template_key),
    )


@bp.route(TASK_URL + "/done", methods=["POST"])
@planner_required
def done(event: Event, task_id: int) -> Response:
    """Mark a task as done."""
    task = services.get_task(event, task_id)
    _confirmed()
    uow.run(services.set_status, task=task, actor=me(), status=TaskStatus.DONE)
    flash(f"Marked as done: {task.title}", "success")
    return redirect(_back(event, task))


@bp.route(TASK_URL + "/remove", methods=["POST"])
@planner_required
def remove(event: Event, task_id: int) -> Response:
    """Take a task off the checklist (it can be restored)."""
    task = services.get_task(event, task_id)
    _confirmed()
    uow.run(services.remove_task, task=task, actor=me())
    flash(f"Task removed: {task.title}. You can restore it from Removed tasks.", "success")
    return redirect(url_for("checklist.index", event_id=event.id))


@bp.route(TASK_URL + "/restore", methods=["POST"])
@planner_required
def restore(event: Event, task_id: int) -> Response:
    """Put a removed task back on the checklist."""
    task = services.get_task(event, task_id)
    _confirmed()
    kept_as_own = uow.run(services.restore_task, task=task, actor=me())
    message = f"Task restored: {task.title}."
    if kept_as_own:
        message += (
            " The handbook step no longer applies to this event, so it is kept as your own task."
        )
    flash(message, "success")
    return redirect(_at_task(event, task))


@bp.route("/events/<int:event_id>/checklist/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new(event: Event) -> str | Response:
    """Add your own task to a week of the checklist."""
    day = services.event_day(event)
    if day is None:
        flash("Set the date of the event first: the checklist's weeks count back from it.")
        return redirect(url_for("checklist.index", event_id=event.id))
    form = NewTaskForm()
    form.week.choices = week_choices(day)
    form.owner.choices = owner_choices(services.possible_owners(event.council_id))
    if request.method == "GET" and request.args.get("week", "") in {str(w) for w in WEEKS}:
        form.week.data = request.args["week"]
    if form.validate_on_submit():
        try:
            done = once.run(
                form.form_token.data,
                lambda: services.add_task(
                    event=event,
                    actor=me(),
                    title=form.title.data or "",
                    week=int(form.week.data) if form.week.data else None,
                    description=form.description.data or "",
                    owner_id=owner_id(form.owner.data),
                    due_on=form.due_on.data,
                ),
                url=lambda task: _at_task(event, task),
            )
        except DomainError as error:
            show_error(form, error, "title")
        else:
            if done.repeat or done.value is None:
                flash(once.ALREADY_DONE)
            else:
                flash(f"Task added to week {done.value.week}: {done.value.title}", "success")
            return redirect(done.url)
    return render_template("checklist/new.html", event=event, form=form)


@bp.route("/my-tasks")
@planner_required
def my_tasks() -> str:
    """Every task you own, across your council's events."""
    return render_template(
        "checklist/my_tasks.html", rows=services.my_tasks(me()), status_labels=TASK_STATUS_LABELS
    )
