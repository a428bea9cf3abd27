"""Roundtable events, their broad aims and the record of status changes."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.handbook import AIM_LABELS, VIRTUAL_ACTIONS, Aim, Consideration, VideoEdit
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.accounts.models import Council, User
    from eventapp.audience.models import AudienceProfile, TargetOrganisation
    from eventapp.objectives.models import Objective


class EventStatus(enum.StrEnum):
    """Where an event is in its life."""

    DRAFT = "draft"
    PLANNING = "planning"
    OPEN = "open"
    HELD = "held"
    EVALUATED = "evaluated"
    ARCHIVED = "archived"


STATUS_LABELS = {
    EventStatus.DRAFT: "Draft",
    EventStatus.PLANNING: "Planning",
    EventStatus.OPEN: "Open for registration",
    EventStatus.HELD: "Held",
    EventStatus.EVALUATED: "Evaluated",
    EventStatus.ARCHIVED: "Archived",
}


class EventFormat(enum.StrEnum):
    """How people attend."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


FORMAT_LABELS = {
    EventFormat.IN_PERSON: "In person",
    EventFormat.ONLINE: "Online",
    EventFormat.HYBRID: "Hybrid (in person and online)",
}


class PresentationType(enum.StrEnum):
    """The two kinds of Home Office presentation in "Our offer to you"."""

    GENERAL = "general"
    THEMATIC = "thematic"


PRESENTATION_LABELS = {
    PresentationType.GENERAL: "A general introduction to Prevent",
    PresentationType.THEMATIC: "A thematic presentation on a local risk or issue",
}


def new_public_slug() -> str:
    """A random public identifier (96 bits): public URLs never show the sequential id."""
    return secrets.token_urlsafe(12)


def general_location(public_location: str, format: EventFormat) -> str:
    """``Event.general_location`` from the two columns (for code that reads columns, not
    instances)."""
    if public_location:
        return public_location
    return "Online" if format is EventFormat.ONLINE else ""


def is_online(format: EventFormat) -> bool:
    return format in (EventFormat.ONLINE, EventFormat.HYBRID)


def is_in_person(format: EventFormat) -> bool:
    return format in (EventFormat.IN_PERSON, EventFormat.HYBRID)


class Event(TimestampMixin, Model):
    """A community roundtable organised by a council."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(
        ForeignKey("council.id", ondelete="RESTRICT"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The event's identifier in public URLs (registration, questions, feedback).
    public_slug: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_slug)
    title: Mapped[str] = mapped_column(String(200))
    other_aim: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT, index=True
    )
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    format: Mapped[EventFormat] = mapped_column(
        enum_column(EventFormat, "event_format"), default=EventFormat.IN_PERSON
    )
    # Public: the general area people are told ("Grays"), never the venue or its address.
    public_location: Mapped[str] = mapped_column(String(100), default="")
    # Private: shown to the council's staff only, never on public pages.
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    online_platform: Mapped[str] = mapped_column(String(100), default="")
    joining_link: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None]
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    chair_role: Mapped[str] = mapped_column(String(200), default="")
    home_office_speaking: Mapped[bool] = mapped_column(default=False)
    presentation_type: Mapped[PresentationType | None] = mapped_column(
        enum_column(PresentationType, "presentation_type"), default=None
    )
    presentation_topic: Mapped[str] = mapped_column(String(200), default="")
    intro_video: Mapped[bool] = mapped_column(default=False)
    # Which version of the video ("Prevent videos"); None until chosen, read as the full one.
    video_edit: Mapped[VideoEdit | None] = mapped_column(
        enum_column(VideoEdit, "video_edit"), default=None
    )
    # The handbook's FAQs (eventapp.briefing.faqs keys) to include in the chair's pack.
    briefing_faqs: Mapped[list[str]] = mapped_column(JSON, default=list)

    # The virtual or in-person decision.
    format_pros: Mapped[list[str]] = mapped_column(JSON, default=list)
    virtual_actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    format_rationale: Mapped[str] = mapped_column(Text, default="")
    format_decided_at: Mapped[datetime | None]
    # iCalendar SEQUENCE: goes up whenever what a calendar shows of the event changes.
    ics_sequence: Mapped[int] = mapped_column(default=0)

    council: Mapped[Council] = relationship(back_populates="events")
    created_by: Mapped[User | None] = relationship()
    aims: Mapped[list[EventAim]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventAim.aim"
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="StatusChange.id"
    )
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Objective.position"
    )
    audience: Mapped[AudienceProfile | None] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    target_organisations: Mapped[list[TargetOrganisation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="TargetOrganisation.id"
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint(
            "ends_at IS NULL OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name="ends_after_start",
        ),
        CheckConstraint("ics_sequence >= 0", name="ics_sequence_not_negative"),
    )

    # Answers that do not apply now (the presentation while the Home Office is not speaking,
    # the venue of an online event) are kept, so switching back does not lose them; these
    # properties and the is_in_person / is_online checks are what every page shows.
    @property
    def presentation(self) -> PresentationType | None:
        """The Home Office's presentation, or None while it is not speaking."""
        return self.presentation_type if self.home_office_speaking else None

    @property
    def topic(self) -> str:
        """The thematic presentation's topic, or "" when there is no thematic presentation."""
        return self.presentation_topic if self.presentation is PresentationType.THEMATIC else ""

    @property
    def aim_values(self) -> list[Aim]:
        """The event's aims in the handbook's order."""
        order = list(Aim)
        return sorted((a.aim for a in self.aims), key=order.index)

    @property
    def aim_descriptions(self) -> list[str]:
        """The aims in words, with the organiser's own description of "another aim"."""
        return [AIM_LABELS[a] for a in self.aim_values if a is not Aim.OTHER] + (
            [f"Other: {self.other_aim}"] if self.other_aim else []
        )

    @property
    def chosen_virtual_actions(self) -> list[Consideration]:
        """The handbook's virtual-event tips the organiser chose to act on, in its order."""
        chosen = set(self.virtual_actions or [])
        return [c for c in VIRTUAL_ACTIONS if c.key in chosen]

    @property
    def general_location(self) -> str:
        """Where the event is, as public pages and invitations say it: the general location
        the organiser gave, or "Online" for an online event. Never the address or link."""
        return general_location(self.public_location, self.format)

    @property
    def is_online(self) -> bool:
        return is_online(self.format)

    @property
    def is_in_person(self) -> bool:
        return is_in_person(self.format)


class EventAim(Model):
    """One of the handbook's broad aims that an event serves."""

    __tablename__ = "event_aim"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    aim: Mapped[Aim] = mapped_column(enum_column(Aim, "event_aim_kind"), primary_key=True)

    event: Mapped[Event] = relationship(back_populates="aims")


class StatusChange(Model):
    """A move of an event from one status to another, with who made it and when."""

    __tablename__ = "event_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[EventStatus | None] = mapped_column(enum_column(EventStatus, "from_status"))
    to_status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus, "to_status"))
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()
