"""Registrations for an event, and the organiser's registration settings for it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.handbook import Sector
from eventapp.models.base import TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event
    from eventapp.invitations.models import InvitationChannel, Invitee


class RegistrationStatus(enum.StrEnum):
    """Where one registration is. Only CONFIRMED holds a place."""

    UNCONFIRMED = "unconfirmed"  # registered, email address not yet confirmed
    PENDING = "pending"  # email confirmed, waiting for the organiser's approval
    CONFIRMED = "confirmed"  # has a place
    WAITING = "waiting"  # on the waiting list (in order of waitlisted_at, then id)
    CANCELLED = "cancelled"  # cancelled by the registrant or the organiser
    DECLINED = "declined"  # not approved by the organiser


STATUS_LABELS = {
    RegistrationStatus.UNCONFIRMED: "Email not confirmed",
    RegistrationStatus.PENDING: "Waiting for approval",
    RegistrationStatus.CONFIRMED: "Confirmed",
    RegistrationStatus.WAITING: "Waiting list",
    RegistrationStatus.CANCELLED: "Cancelled",
    RegistrationStatus.DECLINED: "Declined",
}

HOLDS_PLACE = frozenset({RegistrationStatus.CONFIRMED})
# Statuses a person can still cancel from.
ACTIVE = frozenset(
    {
        RegistrationStatus.UNCONFIRMED,
        RegistrationStatus.PENDING,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    }
)


class ApprovalMode(enum.StrEnum):
    """How a registration gets its place."""

    AUTOMATIC = "automatic"  # confirmed (or waiting list) as soon as the email is confirmed
    APPROVAL = "approval"  # the organiser approves each one


MODE_LABELS = {
    ApprovalMode.AUTOMATIC: "Confirm places automatically",
    ApprovalMode.APPROVAL: "Approve each registration",
}

DEFAULT_RELEASE_HOURS = 48
DEFAULT_RETENTION_DAYS = 90


class RegistrationSettings(TimestampMixin, Model):
    """How one event takes registrations (a row appears the first time it is needed)."""

    __tablename__ = "registration_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[ApprovalMode] = mapped_column(
        enum_column(ApprovalMode, "registration_mode"), default=ApprovalMode.AUTOMATIC
    )
    # Registration closes at this time (None: when the event starts).
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    # Joining instructions go to confirmed attendees this many hours before the start.
    release_hours: Mapped[int] = mapped_column(default=DEFAULT_RELEASE_HOURS)
    # Personal data of registrants and invitees is removed this many days after the event.
    retention_days: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_DAYS)
    # What confirmed attendees should know (access, timing...), added to the instructions.
    instructions_note: Mapped[str] = mapped_column(Text, default="")
    # Raised by each update sent to confirmed attendees (their calendar's SEQUENCE).
    instructions_version: Mapped[int] = mapped_column(default=0)
    purged_at: Mapped[datetime | None] = mapped_column(default=None)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint("release_hours BETWEEN 0 AND 720", name="release_hours_range"),
        CheckConstraint("retention_days BETWEEN 0 AND 3650", name="retention_days_range"),
        CheckConstraint("instructions_version >= 0", name="instructions_version_not_negative"),
    )


class Registration(TimestampMixin, Model):
    """One person's registration for one event (or a walk-in added on the day).

    Personal data (name, email, role, needs, free text) is blanked when the event's retention
    period ends (``purged_at``); status, sector, organisation, channel and attendance stay,
    so the counts built from the row stay too.
    """

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status"),
        default=RegistrationStatus.UNCONFIRMED,
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    # Lower case; NULL once purged (and for walk-ins who give none).
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector | None] = mapped_column(
        enum_column(Sector, "registration_sector"), default=None
    )
    sector_other: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    access_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    # An optional question for the speakers (the questions area takes it from here).
    question: Mapped[str] = mapped_column(Text, default="")
    # Where they came from: a channel's link, their invitation, or neither.
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation_channel.id", ondelete="SET NULL"), default=None
    )
    invitee_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitee.id", ondelete="SET NULL"), default=None
    )
    walk_in: Mapped[bool] = mapped_column(default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    waitlisted_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    # Attendance: set when staff tick them arrived on the day.
    checked_in_at: Mapped[datetime | None] = mapped_column(default=None)
    # The instructions version last emailed to them (-1: none yet).
    instructions_sent_version: Mapped[int] = mapped_column(default=-1)
    purged_at: Mapped[datetime | None] = mapped_column(default=None)

    event: Mapped[Event] = relationship()
    channel: Mapped[InvitationChannel | None] = relationship()
    invitee: Mapped[Invitee | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_registration_event_email"),
        CheckConstraint("purged_at IS NOT NULL OR length(name) > 0", name="named_unless_purged"),
        CheckConstraint(
            "walk_in OR purged_at IS NOT NULL OR email IS NOT NULL", name="email_unless_walk_in"
        ),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint(
            "status != 'confirmed' OR confirmed_at IS NOT NULL", name="confirmed_has_time"
        ),
        CheckConstraint(
            "status != 'waiting' OR waitlisted_at IS NOT NULL", name="waiting_has_time"
        ),
        Index("ix_registration_event_status", "event_id", "status"),
    )

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE
