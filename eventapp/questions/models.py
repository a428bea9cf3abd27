"""Questions, votes, the per-asker allowance and follow-up actions.

What keeps an anonymous question anonymous, by construction (tested in
tests/questions/test_anonymity.py):

- ``question`` has no foreign key to a person, session or registration for an anonymous
  question (a check constraint), no address, and no time: only the day it was asked.
  Only a named question asked from a registrant's own page, whose asker agreed to be told
  when a follow-up action is done, keeps its registration (for that email); the check
  constraint ``anonymous_has_no_registration`` makes the database refuse that link (and the
  consent) on an anonymous question, and the purge of registrants' data clears both.
- Its id is random, not a sequence, so ids and the order of ties say nothing of when it
  was asked (the lesson of indico/indico#4693: sequence ids tie responses to people).
- ``question_allowance`` (how many questions one browser has put to an event, to limit
  abuse) holds a keyed hash of the browser's random cookie id and a count: no question id,
  no time, no order, and never a registration (whose key could be worked out from its id,
  and its count then say whose a lone anonymous question is). Its hash uses a different key
  from the vote hash, so the two tables cannot be joined; the purge deletes it.
- ``question_vote`` is (question, keyed hash of the voter): no time, no sequence. Asking
  never adds a vote, so no vote row points from an asker to their own question.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.extensions import Model
from eventapp.models.base import WITHOUT_ROWID, TimestampMixin
from eventapp.models.types import enum_column

if TYPE_CHECKING:
    from eventapp.accounts.models import User
    from eventapp.events.models import Event

QUESTION_MAX = 500
NAME_MAX = 60
ORGANISATION_MAX = 120
MAX_RANDOM_ID = 2**31 - 1  # ids travel in <int:...> URLs, bounded to PostgreSQL's integer


def random_id() -> int:
    """A random question id: never a sequence that orders questions by when they came."""
    return secrets.randbelow(MAX_RANDOM_ID) + 1


class WhoMayAsk(enum.StrEnum):
    """Who the organiser lets ask and vote."""

    ANYONE = "anyone"  # anyone with the public link
    REGISTRANTS = "registrants"  # registrants only, through their own link


WHO_MAY_ASK_LABELS = {
    WhoMayAsk.ANYONE: "Anyone with the event's public link",
    WhoMayAsk.REGISTRANTS: "Registered attendees only, through their own link",
}


class QuestionState(enum.StrEnum):
    """Where a question is in moderation."""

    PENDING = "pending"  # waiting for the organiser's approval
    APPROVED = "approved"  # shown to everyone who can ask, and voted on
    HIDDEN = "hidden"  # kept from view, with the organiser's reason
    MERGED = "merged"  # a duplicate folded into another question, votes and all


STATE_LABELS = {
    QuestionState.PENDING: "Waiting for approval",
    QuestionState.APPROVED: "Approved",
    QuestionState.HIDDEN: "Hidden",
    QuestionState.MERGED: "Merged",
}


class QuestionSettings(TimestampMixin, Model):
    """Whether an event takes questions, from whom, and whether they wait for approval."""

    __tablename__ = "question_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    is_open: Mapped[bool] = mapped_column(default=False)
    needs_approval: Mapped[bool] = mapped_column(default=True)
    who_may_ask: Mapped[WhoMayAsk] = mapped_column(
        enum_column(WhoMayAsk, "question_who_may_ask"), default=WhoMayAsk.ANYONE
    )


class Question(Model):
    """One question put to an event. Deliberately without created/updated times."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=random_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=True)
    # Shown only for a named question, as the asker chose to give them.
    asker_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    asker_organisation: Mapped[str] = mapped_column(String(ORGANISATION_MAX), default="")
    # The day only: a finer time could be matched against anything else that was logged.
    asked_on: Mapped[date]
    state: Mapped[QuestionState] = mapped_column(
        enum_column(QuestionState, "question_state"), default=QuestionState.PENDING
    )
    hidden_reason: Mapped[str] = mapped_column(Text, default="")  # for the organiser only
    starred: Mapped[bool] = mapped_column(default=False)
    answered: Mapped[bool] = mapped_column(default=False)
    edited: Mapped[bool] = mapped_column(default=False)
    vote_count: Mapped[int] = mapped_column(default=0)
    # Questions go only with their event; CASCADE (not SET NULL) keeps the merge rule true
    # while PostgreSQL deletes an event's questions in one statement.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), default=None
    )
    # A handbook Prevent FAQ the organiser tagged it with (eventapp.questions.faqs).
    faq_key: Mapped[str] = mapped_column(String(40), default="")
    # Raised on every edit of the text, so an edit form loaded earlier cannot overwrite it.
    version: Mapped[int] = mapped_column(default=1)
    # A random key from the ask form's page load: sending it twice asks once.
    submission_key: Mapped[str | None] = mapped_column(String(64), default=None)
    # Named questions from a registrant's own page only (never anonymous: a check constraint):
    # whose registration asked, and whether they agreed to be emailed when an action is done.
    asker_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), default=None, index=True
    )
    tell_asker: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship()
    actions: Mapped[list[QuestionAction]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionAction.id"
    )

    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        CheckConstraint("vote_count >= 0", name="vote_count_not_negative"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "NOT anonymous OR (asker_name = '' AND asker_organisation = '')",
            name="anonymous_has_no_asker",
        ),
        CheckConstraint(
            "NOT anonymous OR (asker_registration_id IS NULL AND NOT tell_asker)",
            name="anonymous_has_no_registration",
        ),
        CheckConstraint(
            "(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"
        ),
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"
        ),
        UniqueConstraint("event_id", "submission_key", name="uq_question_event_submission_key"),
        # No WITHOUT_ROWID: on SQLite the random integer id is the rowid itself, so the table
        # is already stored in id order (eventapp.arrival).
    )

    @property
    def shown_asker(self) -> str:
        """How the asker appears to others: "Anonymous", the name and organisation given, or
        "An attendee" once the purge of personal data has removed them from a named question."""
        if self.anonymous:
            return "Anonymous"
        parts = [p for p in (self.asker_name, self.asker_organisation) if p]
        return ", ".join(parts) or "An attendee"


class QuestionVote(Model):
    """One voter's upvote of one question: no time, no sequence, just the pair."""

    __tablename__ = "question_vote"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    # Keyed hash of the voter (a browser's random id, or a registration): eventapp.questions.voters.
    voter: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (WITHOUT_ROWID,)


class QuestionAllowance(Model):
    """How many questions one browser has put to one event: the only record that limits abuse.

    Kept apart from the questions: no question id, no time, no order, no registration.
    ``asker`` is a keyed hash of the browser's cookie id under its own key, so it cannot be
    joined to votes either.
    """

    __tablename__ = "question_allowance"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    asker: Mapped[str] = mapped_column(String(64), primary_key=True)
    asked: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint("asked >= 0", name="asked_not_negative"), WITHOUT_ROWID)


class QuestionAction(TimestampMixin, Model):
    """A follow-up action an organiser records against a question: what, who, by when."""

    __tablename__ = "question_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(default=None)
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    question: Mapped[Question] = relationship(back_populates="actions")
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint("length(what) > 0", name="what_not_empty"),)
