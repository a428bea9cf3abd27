"""What the organiser adds at evaluation, and the record of sharing with Home Office Prevent."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.models.base import TimestampMixin

if TYPE_CHECKING:
    from eventapp.accounts.models import User
    from eventapp.events.models import Event


class Evaluation(TimestampMixin, Model):
    """The organiser's part of an event's evaluation (week 5 of the handbook's checklist)."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    # Used when there is no check-in record: how many attended, and how the organiser knows.
    attendance_entered: Mapped[int | None]
    attendance_note: Mapped[str] = mapped_column(String(500), default="")
    further_action: Mapped[str] = mapped_column(Text, default="")
    behaviour_change: Mapped[str] = mapped_column(Text, default="")
    local_delivery: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint(
            "attendance_entered IS NULL OR attendance_entered >= 0", name="attendance_not_negative"
        ),
    )


class RepresentedOrganisation(Model):
    """A target organisation the organiser says was represented at the event."""

    __tablename__ = "represented_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    target_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("target_organisation.id", ondelete="CASCADE")
    )

    __table_args__ = (
        UniqueConstraint("target_organisation_id", name="uq_represented_organisation_target"),
    )


class ObjectiveEvidence(Model):
    """Where a manually measured objective's actual value comes from."""

    __tablename__ = "objective_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), unique=True
    )
    source_note: Mapped[str] = mapped_column(String(500), default="")


class PreventShare(Model):
    """One sending of the report to Home Office Prevent: who, when, to where, with what note."""

    __tablename__ = "prevent_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime]
    to_address: Mapped[str] = mapped_column(String(320))
    covering_note: Mapped[str] = mapped_column(Text, default="")

    sent_by: Mapped[User | None] = relationship()
