"""Who may still answer by personal link (see ``eventapp.feedback.links``)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import Event
from eventapp.extensions import Model


class FeedbackInvited(Model):
    """That an attendee was emailed a personal feedback link (so a second mail-out skips
    them). Nothing about whether or when they answered."""

    __tablename__ = "feedback_invited"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )


class FeedbackLink(Model):
    """An attendee's unused personal link: only its keyed hash. The row is deleted when the
    link is used, in the transaction that stores the response, so nothing left joins them."""

    __tablename__ = "feedback_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Emails sent with a link (the first, then each reminder).
    sends: Mapped[int] = mapped_column(default=1)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint("length(token_hash) = 64", name="token_hash_is_sha256"),
        CheckConstraint("sends >= 1", name="sends_positive"),
    )
