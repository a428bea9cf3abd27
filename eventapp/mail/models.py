"""The outbox: one row per message, written with the change that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.models.base import utcnow
from eventapp.models.types import enum_column


class Channel(enum.StrEnum):
    """How a message travels. Email is sent now; GOV.UK Notify's SMS and letters come next."""

    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"


class MessageState(enum.StrEnum):
    """Where a message is on its way out."""

    QUEUED = "queued"  # waiting for its first try
    SENDING = "sending"  # claimed by one sender; nobody else touches it
    SENT = "sent"  # the server accepted it
    RETRYING = "retrying"  # a temporary failure; tried again at next_attempt_at
    FAILED = "failed"  # refused for good (or out of tries): last_error says why
    WITHHELD = "withheld"  # never to be sent, e.g. the recipient's data was purged


STATE_LABELS = {
    MessageState.QUEUED: "Queued",
    MessageState.SENDING: "Sending",
    MessageState.SENT: "Sent",
    MessageState.RETRYING: "Retrying",
    MessageState.FAILED: "Failed",
    MessageState.WITHHELD: "Withheld",
}

# States a sender may claim, and states that are finished.
DUE_STATES = (MessageState.QUEUED, MessageState.RETRYING)
FINAL_STATES = (MessageState.SENT, MessageState.FAILED, MessageState.WITHHELD)


class OutboxMessage(Model):
    """One message to one recipient, with its rendered parts and its delivery history.

    ``related_type``/``related_id`` name the row the message is about (an invitee, a user),
    so pages that list recipients show each one's delivery state and a purge can find and
    blank them. ``message_id`` is fixed when the row is written, so a retry (or a resend
    after a crash) carries the same Message-ID and the receiving side can spot a duplicate.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "outbox_channel"))
    state: Mapped[MessageState] = mapped_column(
        enum_column(MessageState, "outbox_state"), default=MessageState.QUEUED
    )
    # What the message is for ("invitation", "password_reset"...): for people, not for code.
    kind: Mapped[str] = mapped_column(String(40))
    council_id: Mapped[int | None] = mapped_column(
        ForeignKey("council.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    related_type: Mapped[str] = mapped_column(String(40), default="")
    related_id: Mapped[int | None]

    recipient: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    sender: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)

    attempts: Mapped[int] = mapped_column(default=0)
    # Times a sweeper took the message back from a sender that stopped mid-send: each one
    # may have been delivered already, so they are counted and reported, never hidden.
    recoveries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    purged_at: Mapped[datetime | None] = mapped_column(default=None)
    # Files sent with the message (a calendar invitation, a report). Never loaded by
    # accident: the sender asks for them with the batch, in one query.
    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        order_by="OutboxAttachment.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
    )

    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("recoveries >= 0", name="recoveries_not_negative"),
        CheckConstraint("state != 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("state != 'sending' OR claimed_at IS NOT NULL", name="sending_is_claimed"),
        CheckConstraint(
            "purged_at IS NOT NULL OR length(recipient) > 0", name="recipient_unless_purged"
        ),
        CheckConstraint(
            "purged_at IS NULL OR state NOT IN ('queued', 'retrying', 'sending')",
            name="purged_is_not_sent",
        ),
        # The sender's query: due rows in order.
        Index("ix_outbox_message_state_due", "state", "next_attempt_at"),
        Index("ix_outbox_message_related", "related_type", "related_id"),
    )

    @property
    def is_due(self) -> bool:
        return self.state in DUE_STATES


class OutboxAttachment(Model):
    """One file sent with an outbox message, kept with it so a retry sends the same bytes.

    A purge of the message's personal data deletes its attachments too.
    """

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")

    __table_args__ = (
        CheckConstraint("length(filename) > 0", name="filename_not_empty"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )
