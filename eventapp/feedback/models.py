"""Anonymous Annex A feedback: responses, their answers, and each event's feedback window.

Schema (read directly by the evaluation; names are stable)
-----------------------------------------------------------

``feedback_response`` — one row per submitted form (online or paper):

- ``id``: a random UUID (``uuid4``). It reveals no order: there is no serial id, no
  timestamp and nothing else that sorts responses by when they arrived.
- ``event_id``: the event the feedback is about.
- ``channel``: ``online`` or ``paper`` (``Channel``).
- ``source``: ``open_link`` (the event's general link or QR code), ``personal_link`` (a
  single-use link emailed to an attendee) or ``paper`` (entered by staff from a paper form).
  ``channel`` is ``paper`` exactly when ``source`` is ``paper`` (a check constraint).
- ``submitted_on``: the day only (UK date), never a time of day; for paper forms the day of
  the event, not the day they were typed in.

Nothing else: no link to a person, registration, invitee or token, no IP address, user agent
or time. Who may still answer through a personal link is kept apart
(``eventapp.feedback.link_models``: ``feedback_link``, the hash of each unused link, deleted
when used; ``feedback_invited``, who was sent one), with no time or order that joins it to a
response (QUALITY 18; ``eventapp.feedback.links``).

What the database itself keeps is another matter: PostgreSQL's system columns (``xmin``) and
the physical order of rows follow the order rows were written, for anyone with direct
database access. The service never reads or exports them; a link's row is deleted rather
than updated so that no live row shares a transaction with a response.

``feedback_answer`` — one row per *item* asked, for each response:

- ``response_id`` + ``item`` (the primary key): ``item`` is an Annex A storage key from
  ``eventapp.feedback.annex_a.ITEM_KEYS`` — ``gender``, ``age``, ``sector``, ``heard``,
  ``interest``, ``recommend``, ``video``, ``knowledge_before``, ``knowledge_after``,
  ``opinion_before``, ``opinion_after``, ``element``.
- ``option``: the chosen option's key (``annex_a.ITEM_BY_KEY[item].options``), or NULL when
  the person left the item unanswered ("not answered").
- ``other_text``: the "Other (please state)" text, only when ``option`` is ``other`` (items
  ``sector`` and ``heard``), at most ``annex_a.OTHER_MAX`` characters.

An item that was not asked has no row: ``video`` when the event played no video (every other
item is asked at every event, so it always has a row, answered or not). The before/after
pairs of Q8 and Q9 are two items each (``*_before`` / ``*_after``) of the same response, so
a paired comparison joins them on ``response_id``; ``annex_a.SCORES`` gives their ordinal
scores ("Don't know" scores None).

``feedback_settings`` — per event, optional (defaults apply without a row): how many days
after the event the form stays open (default 14), and whether the organiser opened it before
the event's start or closed it early.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.feedback.annex_a import ITEM_KEYS, OTHER, OTHER_MAX
from eventapp.models.base import WITHOUT_ROWID
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.events.models import Event

DEFAULT_DAYS_OPEN = 14
MAX_DAYS_OPEN = 90


class Channel(enum.StrEnum):
    """How the form was filled in."""

    ONLINE = "online"
    PAPER = "paper"


class Source(enum.StrEnum):
    """Which way the response came in."""

    OPEN_LINK = "open_link"
    PERSONAL_LINK = "personal_link"
    PAPER = "paper"


SOURCE_LABELS = {
    Source.OPEN_LINK: "Event link or QR code",
    Source.PERSONAL_LINK: "Personal link",
    Source.PAPER: "Paper",
}


def _in_list(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class FeedbackResponse(Model):
    """One submitted Annex A form: its answers, the event, how it came, and the day."""

    __tablename__ = "feedback_response"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "feedback_channel"))
    source: Mapped[Source] = mapped_column(enum_column(Source, "feedback_source"))
    submitted_on: Mapped[date]

    answers: Mapped[list[FeedbackAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(
            "(channel = 'paper' AND source = 'paper') OR (channel = 'online' AND source <> 'paper')",
            name="paper_channel_is_paper_source",
        ),
        # Kept in id order on SQLite, not in arrival order (eventapp.arrival).
        WITHOUT_ROWID,
    )


class FeedbackAnswer(Model):
    """The answer to one Annex A item of one response (``option`` NULL: not answered)."""

    __tablename__ = "feedback_answer"

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_response.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(32), primary_key=True)
    option: Mapped[str | None] = mapped_column(String(32), default=None)
    other_text: Mapped[str | None] = mapped_column(String(OTHER_MAX), default=None)

    response: Mapped[FeedbackResponse] = relationship(back_populates="answers")

    __table_args__ = (
        CheckConstraint(_in_list("item", ITEM_KEYS), name="item_is_annex_a"),
        CheckConstraint(
            f"other_text IS NULL OR (option = '{OTHER}' AND length(other_text) > 0)",
            name="other_text_only_for_other",
        ),
        WITHOUT_ROWID,
    )


class FeedbackSettings(Model):
    """An event's feedback window: open from its start until ``days_open`` days after it."""

    __tablename__ = "feedback_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    days_open: Mapped[int] = mapped_column(default=DEFAULT_DAYS_OPEN)
    # Set when the organiser opens the form before the event's start (it started early).
    opened_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when the organiser closes the form before the window ends (cleared to reopen).
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    event: Mapped[Event] = relationship()

    __table_args__ = (
        CheckConstraint(
            f"days_open >= 0 AND days_open <= {MAX_DAYS_OPEN}", name="days_open_in_range"
        ),
    )
