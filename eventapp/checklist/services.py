"""Checklist queries and writes: the schedule kept in step with its event, and task changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask import abort
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from eventapp import audit
from eventapp.accounts.models import Role, User
from eventapp.checklist import template
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.weeks import WEEKS, due_date, local_event_day, week_of, week_window
from eventapp.errors import DomainError
from eventapp.events.models import Event, EventStatus
from eventapp.events.signals import event_saved
from eventapp.extensions import db
from eventapp.formatting import LONDON
from eventapp.models.base import utcnow

PLANNER_ROLES = (Role.ORGANISER, Role.COORDINATOR)
MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 2000
INVITATIONS_LATE = "Invitations can no longer go out two weeks ahead"
_ORDER = {t.key: i for i, t in enumerate(template.SCHEDULE)}


def london_today(now: datetime | None = None) -> date:
    """Today's date in the UK."""
    return (now or utcnow()).astimezone(LONDON).date()


def event_day(event: Event) -> date | None:
    return local_event_day(event.starts_at) if event.starts_at else None


def is_overdue(task: ChecklistTask, today: date) -> bool:
    return (
        task.status is TaskStatus.TODO
        and task.removed_at is None
        and task.due_on is not None
        and task.due_on < today
    )


def _sort_key(task: ChecklistTask) -> tuple[int, int, int]:
    """Week, then the handbook's order, then the organiser's own tasks as they were added."""
    return (task.week, _ORDER.get(task.template_key or "", len(_ORDER)), task.id or 0)


# Keeping the checklist in step with the event ------------------------------------------


@dataclass
class SyncResult:
    added: int = 0
    removed: int = 0
    restored: int = 0
    moved: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.restored or self.moved)

    @property
    def summary(self) -> str:
        return (
            f"added {self.added}, removed {self.removed}, restored {self.restored}, "
            f"due dates moved {self.moved}"
        )


def sync_checklist(event: Event, actor: User | None, *, now: datetime | None = None) -> SyncResult:
    """Bring the event's tasks in line with the schedule for its date, format and speakers.

    Safe to run again and again. Without a date there is no checklist. Steps that now apply
    are added (or come back, if the service had removed them); steps that no longer apply
    and are still to do are removed, restorably. Tasks still to do follow the event's date;
    done and not-needed tasks keep their dates and who finished them.
    """
    day = event_day(event)
    if day is None:
        return SyncResult()
    now = now or utcnow()
    result = SyncResult()
    # Two saves of one event at once must not both add the same missing step: take the
    # event's row lock (PostgreSQL; SQLite writes one transaction at a time anyway).
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    planned = {p.key: p for p in template.tasks_for_event(event)}
    tasks = list(
        db.session.scalars(
            select(ChecklistTask)
            .where(ChecklistTask.event_id == event.id)
            .order_by(ChecklistTask.id)
        )
    )
    by_key = {t.template_key: t for t in tasks if t.template_key}
    # A step that stopped applying and was restored by hand became the organiser's own task
    # (restore_task); if the step applies again, it is that same task.
    own_by_title = {t.title: t for t in tasks if t.template_key is None and t.removed_at is None}
    for key, step in planned.items():
        task = by_key.get(key) or own_by_title.pop(step.title, None)
        if task is None:
            db.session.add(
                ChecklistTask(
                    event_id=event.id,
                    template_key=key,
                    week=step.week,
                    title=step.title,
                    description=step.description,
                    optional=step.optional,
                    status=TaskStatus.TODO,
                    due_on=due_date(day, step.week),
                )
            )
            result.added += 1
            continue
        task.template_key = key
        # removed_by is empty only when this service removed it: a person's removal stands.
        if task.removed_at is not None and task.removed_by_id is None:
            task.removed_at = None
            result.restored += 1
        if task.status is TaskStatus.TODO and task.week != step.week:
            task.week = step.week
    for task in tasks:
        if task.status is not TaskStatus.TODO:
            continue
        if task.template_key and task.template_key not in planned and task.removed_at is None:
            task.removed_at = now
            task.removed_by = None
            result.removed += 1
        due = due_date(day, task.week)
        if task.due_on != due:
            task.due_on = due
            result.moved += 1
    db.session.flush()
    if result:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="checklist.sync",
            obj=event,
            summary=result.summary,
        )
    return result


def _on_event_saved(
    sender: object, *, event: Event, actor: User | None = None, **_: object
) -> None:
    sync_checklist(event, actor)


def connect_signals() -> None:
    """Keep each event's checklist in step whenever the event is saved."""
    event_saved.connect(_on_event_saved)


# Reading ------------------------------------------------------------------------------


class Progress(NamedTuple):
    """Counts over tasks not removed; done includes not needed. Unpacks as (done, total, overdue)."""

    done: int
    total: int
    overdue: int

    @property
    def summary(self) -> str:
        text = f"{self.done} of {self.total} done"
        return f"{text}, {self.overdue} overdue" if self.overdue else text


def progress(event: Event, *, today: date | None = None) -> Progress:
    """Tasks not removed: how many, how many done or not needed, how many overdue."""
    today = today or london_today()
    todo = ChecklistTask.status == TaskStatus.TODO
    total, done, overdue = db.session.execute(
        select(
            func.count(),
            func.count(case((~todo, 1))),
            func.count(case((todo & (ChecklistTask.due_on < today), 1))),
        ).where(ChecklistTask.event_id == event.id, ChecklistTask.removed_at.is_(None))
    ).one()
    return Progress(done=done, total=total, overdue=overdue)


@dataclass(frozen=True)
class LateStart:
    """What a late start means: invitations cannot give two weeks' notice; tasks overdue."""

    invitations_late: bool
    overdue: list[ChecklistTask]

    @property
    def warning(self) -> str | None:
        return INVITATIONS_LATE if self.invitations_late else None

    def __bool__(self) -> bool:
        return self.invitations_late or bool(self.overdue)


def _tasks(event: Event, *, removed: bool | None = False) -> list[ChecklistTask]:
    query = (
        select(ChecklistTask)
        .where(ChecklistTask.event_id == event.id)
        .options(
            selectinload(ChecklistTask.owner),
            selectinload(ChecklistTask.completed_by),
            selectinload(ChecklistTask.removed_by),
        )
    )
    if removed is not None:
        query = query.where(
            ChecklistTask.removed_at.is_not(None) if removed else ChecklistTask.removed_at.is_(None)
        )
    return sorted(db.session.scalars(query), key=_sort_key)


def late_start_warnings(
    event: Event, today: date | None = None, *, tasks: list[ChecklistTask] | None = None
) -> LateStart:
    """Warnings for an event whose planning began late ("send invites at least two weeks ahead")."""
    day = event_day(event)
    if day is None:
        return LateStart(False, [])
    today = today or london_today()
    tasks = [t for t in (_tasks(event) if tasks is None else tasks) if t.removed_at is None]
    invitations = next((t for t in tasks if t.template_key == template.INVITATIONS), None)
    invitations_late = (
        invitations is not None
        and invitations.status is TaskStatus.TODO
        and day - timedelta(days=14) < today <= day
    )
    overdue = sorted(
        (t for t in tasks if is_overdue(t, today)), key=lambda t: (t.due_on, _sort_key(t))
    )
    return LateStart(invitations_late, overdue)


@dataclass(frozen=True)
class TaskRow:
    task: ChecklistTask
    overdue: bool


@dataclass(frozen=True)
class Week:
    number: int
    start: date
    end: date
    rows: list[TaskRow]
    current: bool


@dataclass(frozen=True)
class RemovedTask:
    task: ChecklistTask
    # False when the service removed it because the event changed (not Home Office speaking,
    # no longer online...); True when a person removed it.
    by_person: bool


@dataclass(frozen=True)
class Checklist:
    event_day: date | None
    weeks: list[Week]
    removed: list[RemovedTask]
    progress: Progress
    late_start: LateStart


def checklist(event: Event, *, today: date | None = None) -> Checklist:
    """Everything the checklist page shows, in a fixed number of queries."""
    today = today or london_today()
    day = event_day(event)
    tasks = _tasks(event, removed=None)
    active = [t for t in tasks if t.removed_at is None]
    weeks: list[Week] = []
    if day is not None:
        current = week_of(day, today)
        for number in WEEKS:
            start, end = week_window(day, number)
            rows = [TaskRow(t, is_overdue(t, today)) for t in active if t.week == number]
            weeks.append(Week(number, start, end, rows, current == number))
    return Checklist(
        event_day=day,
        weeks=weeks,
        removed=[RemovedTask(t, t.removed_by_id is not None) for t in tasks if t.removed_at],
        progress=progress(event, today=today),
        late_start=late_start_warnings(event, today, tasks=active),
    )


def get_task(event: Event, task_id: int) -> ChecklistTask:
    """A task of this event, or 404: another event's task looks exactly like a missing one."""
    task = db.session.scalar(
        select(ChecklistTask)
        .where(ChecklistTask.id == task_id, ChecklistTask.event_id == event.id)
        .options(
            selectinload(ChecklistTask.owner),
            selectinload(ChecklistTask.completed_by),
            selectinload(ChecklistTask.removed_by),
        )
    )
    if task is None:
        abort(404)
    return task


def possible_owners(council_id: int) -> list[User]:
    """Who may own a task: the council's active organisers and coordinators."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.council_id == council_id,
                User.active.is_(True),
                User.role.in_(PLANNER_ROLES),
            )
            .order_by(User.name, User.email)
        )
    )


def my_tasks(user: User, *, today: date | None = None) -> list[TaskRow]:
    """Every task the user owns across the council's events: to do first, soonest due first."""
    today = today or london_today()
    tasks = db.session.scalars(
        select(ChecklistTask)
        .join(ChecklistTask.event)
        .where(
            ChecklistTask.owner_id == user.id,
            ChecklistTask.removed_at.is_(None),
            Event.council_id == user.council_id,
            # An archived event's plan is over, and a dateless one has no due dates.
            Event.status != EventStatus.ARCHIVED,
            Event.starts_at.is_not(None),
        )
        .options(contains_eager(ChecklistTask.event))
        .order_by(
            case((ChecklistTask.status == TaskStatus.TODO, 0), else_=1),
            ChecklistTask.due_on.asc().nulls_last(),
            Event.starts_at.asc().nulls_last(),
            ChecklistTask.week,
            ChecklistTask.id,
        )
    )
    return [TaskRow(t, is_overdue(t, today)) for t in tasks]


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
        task.due_on = due_date(day, task.week)


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
