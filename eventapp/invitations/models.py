"""Invitation letters, invitees, the wider channels and CSV uploads waiting for confirmation."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.handbook import Sector
from eventapp.models.base import TimestampMixin, utcnow
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.accounts.models import User
    from eventapp.events.models import Event
    from eventapp.mail.models import OutboxMessage


class InvitationLetter(TimestampMixin, Model):
    """The organiser's letter for one event, with merge fields such as ((name))."""

    __tablename__ = "invitation_letter"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_details: Mapped[str] = mapped_column(String(300), default="")
    # The handbook's mitigation: people register first and get the address (or joining
    # link) once their place is confirmed. The letter never carries either.
    pre_registration: Mapped[bool] = mapped_column(default=True)
    # Raised on every save, so a form loaded before someone else's save cannot overwrite it.
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint("length(subject) > 0", name="subject_not_empty"),
        CheckConstraint("length(body) > 0", name="body_not_empty"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class Invitee(TimestampMixin, Model):
    """A person invited by name. Their personal data is blanked when the event's retention
    period ends (``purged_at``); the counts built from the row stay."""

    __tablename__ = "invitee"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # NULL once purged, so any number of purged rows keep the (event, email) rule.
    email: Mapped[str | None] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[Sector | None] = mapped_column(
        enum_column(Sector, "invitee_sector"), default=None
    )
    role: Mapped[str] = mapped_column(String(200), default="")
    invited_at: Mapped[datetime | None] = mapped_column(default=None)
    chased_at: Mapped[datetime | None] = mapped_column(default=None)
    chase_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when the invitee answers (the registration stage records it).
    responded_at: Mapped[datetime | None] = mapped_column(default=None)
    last_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    purged_at: Mapped[datetime | None] = mapped_column(default=None)

    event: Mapped[Event] = relationship()
    last_message: Mapped[OutboxMessage | None] = relationship()
    added_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_invitee_event_email"),
        CheckConstraint(
            "purged_at IS NOT NULL OR (email IS NOT NULL AND length(name) > 0)",
            name="named_unless_purged",
        ),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint("chase_count >= 0", name="chase_count_not_negative"),
        CheckConstraint("chased_at IS NULL OR invited_at IS NOT NULL", name="chased_after_invite"),
    )


class ChannelKind(enum.StrEnum):
    """The handbook's other ways of inviting people, besides a letter by email."""

    NEWSLETTER = "newsletter"
    WEBSITE = "website"
    FLYER = "flyer"
    FORMAL_INVITE = "formal_invite"
    WORD_OF_MOUTH = "word_of_mouth"
    SOCIAL_MEDIA = "social_media"


# As the handbook lists them under "Invitations".
CHANNEL_LABELS = {
    ChannelKind.NEWSLETTER: "Newsletters",
    ChannelKind.WEBSITE: "Website",
    ChannelKind.FLYER: "Flyers at CSO centres or offices",
    ChannelKind.FORMAL_INVITE: "Formal invite",
    ChannelKind.WORD_OF_MOUTH: "Word of mouth",
    ChannelKind.SOCIAL_MEDIA: "Social media",
}


def new_channel_code() -> str:
    """The public code in a channel's link: printed on flyers, so short, not secret."""
    return secrets.token_urlsafe(6)


class InvitationChannel(TimestampMixin, Model):
    """A public link for one way of spreading the word (a newsletter, a flyer...)."""

    __tablename__ = "invitation_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind, "channel_kind"))
    label: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(16), unique=True, default=new_channel_code)
    # Browser sessions that opened the link (each counted once).
    opens: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("event_id", "label", name="uq_invitation_channel_event_label"),
        CheckConstraint("length(label) > 0", name="label_not_empty"),
        CheckConstraint("opens >= 0", name="opens_not_negative"),
    )


class InviteeImport(Model):
    """A checked CSV upload, waiting for the organiser to confirm what will be imported.

    Holds personal data only until it is confirmed or cancelled (or replaced by a newer
    upload); nothing from it reaches the invitee table before confirmation.
    """

    __tablename__ = "invitee_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    merged: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    lines: Mapped[int] = mapped_column(default=0)
    # Set on confirm or cancel, when the rows are emptied: a second click finds it finished.
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
