"""Reading the checklist: the page, progress, late-start warnings and each person's tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from eventapp.accounts.models import Role, User
from eventapp.checklist import template
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.weeks import WEEKS, local_event_day, offset_day, week_of, week_window
from eventapp.errors import NotFoundError
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.formatting import uk_today

PLANNER_ROLES = (Role.ORGANISER, Role.COORDINATOR)
MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 2000
INVITATIONS_LATE = "Invitations can no longer go out two weeks ahead"
_ORDER = {t.key: i for i, t in enumerate(template.SCHEDULE)}


london_today = uk_today  # the checklist's name for it


def event_day(event: Event) -> date | None:
    return local_event_day(event.starts_at) if event.starts_at else None


def due_for(task: ChecklistTask, day: date) -> date:
    """When a task falls due for an event on this day: the date a person chose for it (kept as
    a distance from the event day, so it moves with the event) or else the end of its week."""
    if task.due_offset is not None:
        return offset_day(day, task.due_offset)
    return template.due_on(day, task.week, task.template_key)


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
        raise NotFoundError
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
