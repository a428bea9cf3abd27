"""Agenda items of an event."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event

MAX_DURATION_MINUTES = 24 * 60


class AgendaPart(enum.StrEnum):
    """The part of the event an item serves ("Setting the agenda")."""

    SCENE = "scene"
    MESSAGES = "messages"
    ENGAGE = "engage"
    CLOSE = "close"


PART_LABELS = {
    AgendaPart.SCENE: "Set the scene",
    AgendaPart.MESSAGES: "Land the key messages",
    AgendaPart.ENGAGE: "Engage (Q&A)",
    AgendaPart.CLOSE: "Close",
}


class AgendaItem(TimestampMixin, Model):
    """One timed item on an event's agenda."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    introduced_by: Mapped[str] = mapped_column(String(200), default="")
    duration_minutes: Mapped[int]
    part: Mapped[AgendaPart] = mapped_column(enum_column(AgendaPart, "agenda_part"))
    is_speaker: Mapped[bool] = mapped_column(default=False)
    collects_feedback: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "position", name="uq_agenda_item_event_position"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint(
            f"duration_minutes > 0 AND duration_minutes <= {MAX_DURATION_MINUTES}",
            name="duration_positive",
        ),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )
