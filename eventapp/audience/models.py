"""Who an event is for: the audience profile and its target organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.handbook import ReceptiveSlot, Sector
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event


class AudienceProfile(TimestampMixin, Model):
    """The handbook's "Understand your audience" prompts for one event."""

    __tablename__ = "audience_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "audience_sector"))
    sector_other: Mapped[str] = mapped_column(String(200), default="")
    profession: Mapped[str] = mapped_column(String(200), default="")
    # General
    vital_statistics: Mapped[str] = mapped_column(Text, default="")
    characteristics: Mapped[str] = mapped_column(Text, default="")
    location_lifestyle: Mapped[str] = mapped_column(Text, default="")
    # Specifics
    behaviours: Mapped[str] = mapped_column(Text, default="")
    attitudes: Mapped[str] = mapped_column(Text, default="")
    barriers: Mapped[str] = mapped_column(Text, default="")
    motivations_needs: Mapped[str] = mapped_column(Text, default="")
    cares_about: Mapped[str] = mapped_column(Text, default="")
    # Delivery
    information_sources: Mapped[str] = mapped_column(Text, default="")
    receptive_slot: Mapped[ReceptiveSlot] = mapped_column(
        enum_column(ReceptiveSlot, "receptive_slot"), default=ReceptiveSlot.UNKNOWN
    )
    receptive_notes: Mapped[str] = mapped_column(Text, default="")
    influencers: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="audience")


class TargetOrganisation(Model):
    """An organisation the event wants represented, such as one of 15 local schools."""

    __tablename__ = "target_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    expected_attendees: Mapped[int | None]

    event: Mapped[Event] = relationship(back_populates="target_organisations")

    __table_args__ = (
        UniqueConstraint("event_id", "name", name="uq_target_organisation_event_name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint(
            "expected_attendees IS NULL OR expected_attendees >= 0",
            name="expected_not_negative",
        ),
    )
