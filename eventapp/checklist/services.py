"""Checklist writes: status, owner, notes, organisers' own tasks, removing and restoring."""

from __future__ import annotations

from datetime import datetime

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
from eventapp.checklist.weeks import WEEKS, due_date
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.models.base import utcnow

# Callers use this one module for the checklist; reading and syncing live beside it.
__all__ = [
    "checklist",
    "Checklist",
    "connect_signals",
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


def _follow_event(task: ChecklistTask, event: Event) -> None:
    """Put a task that is to do back at the end of its week."""
    day = event_day(event)
    if day is not None and task.status is TaskStatus.TODO:
        task.due_on = template.due_on(day, task.week, task.template_key)


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
    now: datetime | None = None,
) -> None:
    """Save the task form: every rule is checked before anything changes."""
    note = note.strip()
    if len(note) > MAX_TEXT_LENGTH:
        raise DomainError(f"Enter a note of {MAX_TEXT_LENGTH} characters or fewer", field="note")
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
) -> ChecklistTask:
    """Add the organiser's own task to a week; it falls due at the end of that week."""
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
    if week not in WEEKS:
        raise DomainError("Select the week the task belongs to", field="week")
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
        due_on=due_date(day, week),
        owner=_owner(event.council_id, owner_id),
    )
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
