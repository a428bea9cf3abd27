"""Checklist writes: status, owner, notes, organisers' own tasks, removing and restoring."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.checklist import template
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.queries import (
    INVITATIONS_LATE,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    PLANNER_ROLES,
    Checklist,
    LateStart,
    Progress,
    RemovedTask,
    TaskRow,
    Week,
    checklist,
    due_for,
    event_day,
    get_task,
    is_overdue,
    late_start_warnings,
    london_today,
    my_tasks,
    possible_owners,
    progress,
)
from eventapp.checklist.sync import (
    SyncResult,
    connect_signals,
    sync_checklist,
)
from eventapp.checklist.weeks import WEEKS, schedule_window, week_of, week_window
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import govuk_date
from eventapp.models.base import utcnow

# Callers use this one module for the checklist; reading and syncing live beside it.
__all__ = [
    "checklist",
    "Checklist",
    "connect_signals",
    "due_for",
    "KEEP_DUE",
    "KeepDue",
    "event_day",
    "get_task",
    "INVITATIONS_LATE",
    "is_overdue",
    "late_start_warnings",
    "LateStart",
    "london_today",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_LENGTH",
    "my_tasks",
    "PLANNER_ROLES",
    "possible_owners",
    "progress",
    "Progress",
    "RemovedTask",
    "sync_checklist",
    "SyncResult",
    "TaskRow",
    "Week",
]


# Writing ------------------------------------------------------------------------------


def _owner(council_id: int, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = db.session.scalar(
        select(User).where(
            User.id == owner_id,
            User.council_id == council_id,
            User.active.is_(True),
            User.role.in_(PLANNER_ROLES),
        )
    )
    if owner is None:
        raise DomainError("Choose someone from your council who plans events", field="owner")
    return owner


class KeepDue(enum.Enum):
    """The due date was not on the form: leave it as it is."""

    KEEP = "keep"


KEEP_DUE = KeepDue.KEEP


def _set_due_on(task: ChecklistTask, due: date) -> None:
    """Change the due date, telling calendars that read the task feed that it moved."""
    if task.due_on != due:
        task.due_on = due
        task.ics_sequence = (task.ics_sequence or 0) + 1


def _follow_event(task: ChecklistTask, event: Event) -> None:
    """Put a task that is to do back on its due date for the event's day."""
    day = event_day(event)
    if day is not None and task.status is TaskStatus.TODO:
        _set_due_on(task, due_for(task, day))


def _chosen_due(day: date, due: date) -> tuple[int, int]:
    """The week and the distance from the event day of a due date a person chose, if allowed."""
    first, last = schedule_window(day)
    if not first <= due <= last:
        raise DomainError(
            f"Enter a due date from {govuk_date(first)} to {govuk_date(last)}: "
            "the five weeks of the schedule",
            field="due_on",
        )
    week = week_of(day, due)
    assert week is not None  # every day of the window is in a week
    return week, (due - day).days


def set_due(*, task: ChecklistTask, actor: User, due_on: date | None) -> bool:
    """Give a task still to do a due date of its own, or (None) put it back to its week's end.

    A chosen date moves the task to the week it falls in and keeps its distance from the event
    day when the event moves. Sending the date the task already has changes nothing.
    """
    if due_on is None and task.due_offset is None:
        return False
    if due_on is not None and due_on == task.due_on:
        return False
    if not task.is_open:
        raise DomainError(
            "This task is no longer to do, so its due date cannot be changed", field="due_on"
        )
    event = task.event
    day = event_day(event)
    if day is None:
        raise DomainError("Set the date of the event before changing due dates", field="due_on")
    if due_on is None:
        task.due_offset = None
        planned = {p.key: p for p in template.tasks_for_event(event)}
        step = planned.get(task.template_key or "")
        if step is not None:
            task.week = step.week
        summary = f"due at the end of week {task.week}"
    else:
        task.week, task.due_offset = _chosen_due(day, due_on)
        summary = f"due {due_on.isoformat()}"
    _set_due_on(task, due_for(task, day))
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="checklist.due",
        obj=task,
        summary=summary,
    )
    return True


def set_status(
    *, task: ChecklistTask, actor: User, status: TaskStatus, now: datetime | None = None
) -> bool:
    """Mark a task done, not needed or to do again, recording who finished it and when."""
    if task.status is status:
        return False
    previous = task.status
    task.status = status
    if status is TaskStatus.TODO:
        task.completed_by = None
        task.completed_at = None
        _follow_event(task, task.event)
    else:
        task.completed_by = actor
        task.completed_at = now or utcnow()
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=task.event.council_id,
        action="checklist.status",
        obj=task,
        summary=f"{previous} -> {status}",
    )
    return True


def set_owner(*, task: ChecklistTask, actor: User, owner_id: int | None) -> bool:
    """Give the task to someone in the event's council who plans events, or to nobody."""
    if owner_id == task.owner_id:
        return False
    task.owner = _owner(task.event.council_id, owner_id)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=task.event.council_id,
        action="checklist.owner",
        obj=task,
        summary=f"owner {owner_id if owner_id is not None else 'none'}",
    )
    return True


def update_task(
    *,
    task: ChecklistTask,
    actor: User,
    status: TaskStatus,
    owner_id: int | None,
    note: str,
    due_on: date | None | KeepDue = KEEP_DUE,
    now: datetime | None = None,
) -> None:
    """Save the task form: every rule is checked before anything changes.

    ``due_on`` is the task's due date as sent: the one it has changes nothing, another one
    becomes the task's own (while it is to do), None puts it back to the end of its week, and
    ``KEEP_DUE`` (a form without the date, as for a finished task) leaves it alone.
    The unit of work rolls everything back if any rule fails.
    """
    note = note.strip()
    if len(note) > MAX_TEXT_LENGTH:
        raise DomainError(f"Enter a note of {MAX_TEXT_LENGTH} characters or fewer", field="note")
    if not isinstance(due_on, KeepDue):
        set_due(task=task, actor=actor, due_on=due_on)
    set_owner(task=task, actor=actor, owner_id=owner_id)
    set_status(task=task, actor=actor, status=status, now=now)
    if note != task.note:
        task.note = note
        db.session.flush()
        audit.record(
            actor=actor, council_id=task.event.council_id, action="checklist.note", obj=task
        )


def add_task(
    *,
    event: Event,
    actor: User,
    title: str,
    week: int | None,
    description: str = "",
    owner_id: int | None = None,
    due_on: date | None = None,
) -> ChecklistTask:
    """Add the organiser's own task to a week, due at its end, or due on a date of its own.

    With a date, the task goes in the week the date falls in; a week chosen as well must be
    that one.
    """
    day = event_day(event)
    if day is None:
        raise DomainError("Set the date of the event before adding tasks", field="title")
    title = title.strip()
    if not title:
        raise DomainError("Enter the task", field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise DomainError(
            f"Enter the task in {MAX_TITLE_LENGTH} characters or fewer", field="title"
        )
    offset = None
    if due_on is not None:
        date_week, offset = _chosen_due(day, due_on)
        if week is not None and week != date_week:
            start, end = week_window(day, week)
            raise DomainError(
                f"Enter a due date in week {week} ({govuk_date(start)} to {govuk_date(end)}), "
                f"or select week {date_week}",
                field="due_on",
            )
        week = date_week
    if week not in WEEKS:
        raise DomainError("Select the week the task belongs to, or enter a due date", field="week")
    description = description.strip()
    if len(description) > MAX_TEXT_LENGTH:
        raise DomainError(
            f"Enter details of {MAX_TEXT_LENGTH} characters or fewer", field="description"
        )
    task = ChecklistTask(
        event_id=event.id,
        template_key=None,
        week=week,
        title=title,
        description=description,
        optional=False,
        status=TaskStatus.TODO,
        due_offset=offset,
        owner=_owner(event.council_id, owner_id),
    )
    task.due_on = due_for(task, day)
    db.session.add(task)
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="checklist.add", obj=task)
    return task


def remove_task(*, task: ChecklistTask, actor: User, now: datetime | None = None) -> bool:
    """Take a task off the checklist; it is kept, and can be restored."""
    if task.removed_at is not None:
        return False
    task.removed_at = now or utcnow()
    task.removed_by = actor
    db.session.flush()
    audit.record(actor=actor, council_id=task.event.council_id, action="checklist.remove", obj=task)
    return True


def restore_task(*, task: ChecklistTask, actor: User) -> bool:
    """Put a removed task back. True if it became the organiser's own task.

    A handbook step that no longer applies to the event (say the Home Office stopped
    speaking) is kept as the organiser's own task, so the next save of the event does not
    take it away again.
    """
    if task.removed_at is None:
        return False
    event = task.event
    task.removed_at = None
    task.removed_by = None
    planned = {p.key for p in template.tasks_for_event(event)}
    kept_as_own = task.template_key is not None and task.template_key not in planned
    if kept_as_own:
        task.template_key = None
    _follow_event(task, event)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="checklist.restore",
        obj=task,
        summary="kept as own task" if kept_as_own else "",
    )
    return kept_as_own
