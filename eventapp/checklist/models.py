"""Planning checklist tasks."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.accounts.models import User
    from eventapp.events.models import Event


class TaskStatus(enum.StrEnum):
    TODO = "todo"
    DONE = "done"
    NOT_NEEDED = "not_needed"


TASK_STATUS_LABELS = {
    TaskStatus.TODO: "To do",
    TaskStatus.DONE: "Done",
    TaskStatus.NOT_NEEDED: "Not needed",
}


class ChecklistTask(TimestampMixin, Model):
    """A planning task in one week of the handbook's schedule, generated or added by hand."""

    __tablename__ = "checklist_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    # The template task it came from; None for a task an organiser added.
    template_key: Mapped[str | None] = mapped_column(String(40))
    week: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    optional: Mapped[bool] = mapped_column(default=False)
    due_on: Mapped[date | None]
    # Days from the event day to a due date a person chose (negative: before the event); None
    # while the task falls due by its week. A chosen date moves with the event, keeping its
    # distance, and always lies inside the schedule's five weeks (days -27 to 7).
    due_offset: Mapped[int | None]
    # The task feed's SEQUENCE: one more each time the due date changes (RFC 5545 3.8.7.4).
    ics_sequence: Mapped[int] = mapped_column(default=0)
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, "task_status"), default=TaskStatus.TODO, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    __table_args__ = (
        UniqueConstraint("event_id", "template_key", name="uq_checklist_task_event_template"),
        CheckConstraint("week BETWEEN 1 AND 5", name="week_in_schedule"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(
            "(status = 'todo') OR (completed_at IS NOT NULL)", name="finished_has_time"
        ),
        CheckConstraint(
            "due_offset IS NULL OR due_offset BETWEEN -27 AND 7", name="due_offset_in_schedule"
        ),
        CheckConstraint("ics_sequence >= 0", name="ics_sequence_not_negative"),
    )

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.TODO and self.removed_at is None
