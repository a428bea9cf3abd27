"""Keeping an event's checklist in step with the event: generated on save, moved with its date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.checklist import template
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.queries import due_for, event_day
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.events.signals import event_saved
from eventapp.extensions import db
from eventapp.models.base import utcnow

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
    and are still to do are removed, restorably. Tasks still to do follow the event's date
    (a due date a person chose keeps its distance from the event day);
    done and not-needed tasks keep their dates and who finished them.
    """
    day = event_day(event)
    if day is None:
        return SyncResult()
    now = now or utcnow()
    result = SyncResult()
    # Two saves of one event at once must not both add the same missing step.
    event_services.lock_for_update(event)
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
                    due_on=template.due_on(day, step.week, key),
                )
            )
            result.added += 1
            continue
        task.template_key = key
        # removed_by is empty only when this service removed it: a person's removal stands.
        if task.removed_at is not None and task.removed_by_id is None:
            task.removed_at = None
            result.restored += 1
        # A date a person chose keeps the task in the week that date falls in.
        if task.status is TaskStatus.TODO and task.due_offset is None and task.week != step.week:
            task.week = step.week
    for task in tasks:
        if task.status is not TaskStatus.TODO:
            continue
        if task.template_key and task.template_key not in planned and task.removed_at is None:
            task.removed_at = now
            task.removed_by = None
            result.removed += 1
        due = due_for(task, day)
        if task.due_on != due:
            task.due_on = due
            task.ics_sequence = (task.ics_sequence or 0) + 1
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
