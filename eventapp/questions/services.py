"""Question rules: who may ask, asking, voting once, moderation, merging and follow-up actions.

Every write flushes and the request commits once (eventapp.uow). Votes take the question's
row lock before they read and recount, so concurrent votes never lose or double a count (the
race test in tests/questions/test_vote_races.py disables the lock as its negative control).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import LONDON
from eventapp.models.base import utcnow
from eventapp.questions import faqs
from eventapp.questions.models import (
    NAME_MAX,
    ORGANISATION_MAX,
    QUESTION_MAX,
    Question,
    QuestionAction,
    QuestionAllowance,
    QuestionSettings,
    QuestionState,
    QuestionVote,
    WhoMayAsk,
    random_id,
)

# Settings --------------------------------------------------------------------------


def settings_for(event: Event) -> QuestionSettings:
    """The event's question settings (closed, with approval, open link, until saved)."""
    found = db.session.get(QuestionSettings, event.id)
    if found is not None:
        return found
    return QuestionSettings(
        event_id=event.id, is_open=False, needs_approval=True, who_may_ask=WhoMayAsk.ANYONE
    )


def save_settings(
    *, event: Event, actor: User, is_open: bool, needs_approval: bool, who_may_ask: WhoMayAsk
) -> QuestionSettings:
    settings = db.session.get(QuestionSettings, event.id)
    if settings is None:
        settings = QuestionSettings(event_id=event.id)
        db.session.add(settings)
    settings.is_open = is_open
    settings.needs_approval = needs_approval
    settings.who_may_ask = who_may_ask
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="questions.settings",
        obj=event,
        summary=f"open={is_open} approval={needs_approval} who={who_may_ask.value}",
    )
    return settings


@dataclass(frozen=True)
class Asker:
    """Who is asking or voting: ``subject`` is the browser (its cookie id) the allowance
    counts; ``registration_id`` the registration whose own link is in use, if any.

    The allowance never counts a registration: a count kept under a key anyone with the
    app's secret could work out from a registration id would say which registrants asked how
    many questions, and so, beside the named ones, whose a lone anonymous question is.
    """

    subject: str
    registration_id: int | None = None


# Anyone on the public pages, before we know which browser they are.
PUBLIC_VISITOR = Asker("public")


def why_not_ask(settings: QuestionSettings, asker: Asker | None) -> str | None:
    """Why this person cannot ask or vote now, in words for them, or None if they can."""
    if not settings.is_open:
        return "The organiser is not taking questions for this event at the moment."
    if settings.who_may_ask is WhoMayAsk.REGISTRANTS and (
        asker is None or asker.registration_id is None
    ):
        return (
            "Questions for this event are for registered attendees. Ask and vote on your own "
            "registration page: the link to it is in the email that confirmed your place."
        )
    return None


# Asking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewQuestion:
    text: str
    anonymous: bool
    name: str = ""
    organisation: str = ""
    submission_key: str = ""
    # Email the asker when a follow-up action from it is done: named, registrants only.
    tell_asker: bool = False


def _check(details: NewQuestion, asker: Asker) -> None:
    text = details.text.strip()
    if not text:
        raise DomainError("Enter your question", field="text")
    if len(text) > QUESTION_MAX:
        raise DomainError(
            f"Enter your question in {QUESTION_MAX} characters or fewer", field="text"
        )
    if not details.anonymous:
        if not details.name.strip():
            raise DomainError("Enter your first name, or choose to ask anonymously", field="name")
        if len(details.name.strip()) > NAME_MAX:
            raise DomainError(f"Enter a first name of {NAME_MAX} characters or fewer", field="name")
        if len(details.organisation.strip()) > ORGANISATION_MAX:
            raise DomainError(
                f"Enter an organisation of {ORGANISATION_MAX} characters or fewer",
                field="organisation",
            )
    if details.tell_asker:
        if details.anonymous:
            raise DomainError(
                "To be emailed about follow-up, ask with your name: an anonymous question "
                "keeps no link to you",
                field="tell_asker",
            )
        if asker.registration_id is None:
            raise DomainError(
                "To be emailed about follow-up, ask from your own registration page",
                field="tell_asker",
            )


def _by_submission(event: Event, key: str) -> Question | None:
    if not key:
        return None
    return db.session.scalar(
        select(Question).where(Question.event_id == event.id, Question.submission_key == key)
    )


def free_id() -> int:
    """A random id no question has yet (a clash is rare; look again if it happens)."""
    while True:
        candidate = random_id()
        if db.session.get(Question, candidate) is None:
            return candidate


def take_allowance(event: Event, asker: Asker) -> None:
    """Count one more question against the asker's browser, or refuse once it reaches the limit.

    One statement (INSERT ... ON CONFLICT DO UPDATE ... WHERE asked < limit), so two tabs
    asking at once cannot both slip under the limit.
    """
    limit = int(current_app.config["QUESTIONS_PER_ASKER"])
    dialect = db.session.get_bind().dialect.name
    upsert = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(QuestionAllowance)
    statement = upsert.values(event_id=event.id, asker=asker_key_of(asker), asked=1)
    statement = statement.on_conflict_do_update(
        index_elements=["event_id", "asker"],
        set_={"asked": QuestionAllowance.asked + 1},
        where=QuestionAllowance.asked < limit,
    )
    # RETURNING, not rowcount: drivers report -1 for an upsert. No row back: over the limit.
    counted = db.session.connection().execute(statement.returning(literal(1))).first()
    if counted is None:
        raise DomainError(
            f"You have asked {limit} questions, the most one person can ask for this event. "
            "Vote for questions like yours instead.",
            field="text",
        )


def asker_key_of(asker: Asker) -> str:
    from eventapp.questions import voters

    return voters.asker_key(asker.subject)


def ask(*, event: Event, asker: Asker, details: NewQuestion, today: date | None = None) -> Question:
    """Put a question to the event. Sending the same form twice asks once.

    An anonymous question keeps nothing of its asker: no name, registration, session,
    address or time (the day only). The allowance counts the asker apart from it.
    """
    problem = why_not_ask(settings_for(event), asker)
    if problem:
        raise DomainError(problem, field="text")
    _check(details, asker)
    earlier = _by_submission(event, details.submission_key)
    if earlier is not None:
        return earlier
    settings = settings_for(event)
    tell = details.tell_asker and not details.anonymous and asker.registration_id is not None
    question = Question(
        id=free_id(),
        event_id=event.id,
        text=details.text.strip(),
        anonymous=details.anonymous,
        asker_name="" if details.anonymous else details.name.strip(),
        asker_organisation="" if details.anonymous else details.organisation.strip(),
        asked_on=today or utcnow().astimezone(LONDON).date(),
        state=QuestionState.PENDING if settings.needs_approval else QuestionState.APPROVED,
        submission_key=details.submission_key or None,
        # Only a named question whose registrant agreed to be told keeps its registration.
        asker_registration_id=asker.registration_id if tell else None,
        tell_asker=tell,
    )
    # The same form sent twice at once: the second insert breaks the unique submission key
    # and the route finds the first (``sent_before``).
    db.session.add(question)
    db.session.flush()
    take_allowance(event, asker)
    return question


def sent_before(event: Event, submission_key: str) -> Question | None:
    """The question an ask form's page load already sent, if any."""
    return _by_submission(event, submission_key)


# Reading ------------------------------------------------------------------------------

# Most votes first; ties by the random id, which says nothing of when a question came.
RANKED = (Question.vote_count.desc(), Question.id)


def public_questions(event: Event) -> list[Question]:
    """Approved questions, unanswered first, most voted first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.state == QuestionState.APPROVED)
            .order_by(Question.answered, *RANKED)
        )
    )


def voted_for(questions: Sequence[Question], voter: str | None) -> set[int]:
    """Which of these questions the voter has upvoted (one query, however many)."""
    if voter is None or not questions:
        return set()
    ids = [q.id for q in questions]
    return set(
        db.session.scalars(
            select(QuestionVote.question_id).where(
                QuestionVote.voter == voter, QuestionVote.question_id.in_(ids)
            )
        )
    )


def get_public_question(event: Event, question_id: int) -> Question:
    question = db.session.scalar(
        select(Question).where(
            Question.id == question_id,
            Question.event_id == event.id,
            Question.state == QuestionState.APPROVED,
        )
    )
    if question is None:
        raise NotFoundError
    return question


def get_question(event: Event, question_id: int) -> Question:
    question = db.session.scalar(
        select(Question).where(Question.id == question_id, Question.event_id == event.id)
    )
    if question is None:
        raise NotFoundError
    return question


def staff_questions(event: Event) -> dict[QuestionState, list[Question]]:
    """Every question of the event by state, starred then most voted first."""
    grouped: dict[QuestionState, list[Question]] = {state: [] for state in QuestionState}
    rows = db.session.scalars(
        select(Question)
        .where(Question.event_id == event.id)
        .options(selectinload(Question.actions))
        .order_by(Question.answered, Question.starred.desc(), *RANKED)
    )
    for question in rows:
        grouped[question.state].append(question)
    return grouped


def presenter_questions(event: Event) -> list[Question]:
    """For the Q&A slot: approved and unanswered, starred first, then by votes."""
    return list(
        db.session.scalars(
            select(Question)
            .options(selectinload(Question.actions))
            .where(
                Question.event_id == event.id,
                Question.state == QuestionState.APPROVED,
                Question.answered.is_(False),
            )
            .order_by(Question.starred.desc(), *RANKED)
        )
    )


def presenter_etag(questions: Sequence[Question]) -> str:
    """A tag that changes whenever what the presenter view shows changes."""
    shown = "|".join(
        f"{q.id}:{q.vote_count}:{q.version}:{int(q.starred)}:{q.faq_key}" for q in questions
    )
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def counts(event: Event) -> dict[QuestionState, int]:
    rows = db.session.execute(
        select(Question.state, func.count())
        .where(Question.event_id == event.id)
        .group_by(Question.state)
    )
    found = {state: 0 for state in QuestionState}
    for state, number in rows:
        found[state] = number
    return found


# Voting -------------------------------------------------------------------------------


def lock_question(question: Question) -> None:
    """Make votes on one question take turns until this transaction ends.

    PostgreSQL takes the row lock; SQLite takes its database write lock with a no-op write
    (the question has no updated time for it to change).
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Question)
            .where(Question.id == question.id)
            .values(vote_count=Question.vote_count)
            .execution_options(synchronize_session=False)
        )
    else:
        db.session.execute(select(Question.id).where(Question.id == question.id).with_for_update())


def recount(question: Question) -> int:
    """Store the question's count of votes, read from the vote rows."""
    total = db.session.scalar(
        select(func.count())
        .select_from(QuestionVote)
        .where(QuestionVote.question_id == question.id)
    )
    question.vote_count = int(total or 0)
    db.session.flush()
    return question.vote_count


def vote(*, event: Event, question: Question, voter: str, asker: Asker, up: bool) -> bool:
    """Upvote (``up``) or withdraw a vote; doing either twice changes nothing.

    Returns whether anything changed.
    """
    problem = why_not_ask(settings_for(event), asker)
    if problem:
        raise DomainError(problem)
    if question.answered:
        raise DomainError("This question has been answered, so it no longer takes votes.")
    lock_question(question)
    existing = db.session.get(QuestionVote, (question.id, voter))
    if up == (existing is not None):
        return False
    if up:
        db.session.add(QuestionVote(question_id=question.id, voter=voter))
    else:
        db.session.delete(existing)
    db.session.flush()
    recount(question)
    return True


def adopt_votes(*, event: Event, from_voter: str, to_voter: str) -> int:
    """Make one voter's votes on the event's questions another's, each question counted once.

    For a registrant voting from their own page in a browser that had voted as a browser
    (eventapp.questions.voters): where both voted, the browser's vote goes; elsewhere it
    becomes the registration's. Only votes move: none is made, so asking still adds none.
    Returns how many votes were moved or dropped.
    """
    if from_voter == to_voter:
        return 0
    question_ids = list(
        db.session.scalars(
            select(QuestionVote.question_id)
            .join(Question, Question.id == QuestionVote.question_id)
            .where(QuestionVote.voter == from_voter, Question.event_id == event.id)
            .order_by(QuestionVote.question_id)  # locks in id order, as merges take them
        )
    )
    for question_id in question_ids:
        question = db.session.get(Question, question_id)
        if question is None:  # pragma: no cover - the join found it
            continue
        lock_question(question)
        if db.session.get(QuestionVote, (question_id, to_voter)) is None:
            db.session.add(QuestionVote(question_id=question_id, voter=to_voter))
        db.session.execute(
            delete(QuestionVote)
            .where(QuestionVote.question_id == question_id, QuestionVote.voter == from_voter)
            .execution_options(synchronize_session=False)
        )
        db.session.flush()
        recount(question)
    return len(question_ids)


# Moderating -----------------------------------------------------------------------------


def _record(actor: User, question: Question, action: str, summary: str = "") -> None:
    # Never the question's text or asker: attendees' words stay out of the audit log.
    audit.record(
        actor=actor,
        council_id=question.event.council_id,
        action=f"question.{action}",
        obj=question,
        summary=summary,
    )


def _not_merged(question: Question) -> None:
    if question.state is QuestionState.MERGED:
        raise DomainError("This question was merged into another: change that one instead.")


def approve(*, question: Question, actor: User) -> None:
    _not_merged(question)
    question.state = QuestionState.APPROVED
    question.hidden_reason = ""
    _record(actor, question, "approve")


def hide(*, question: Question, actor: User, reason: str) -> None:
    _not_merged(question)
    if not reason.strip():
        raise DomainError("Enter why you are hiding this question", field="reason")
    question.state = QuestionState.HIDDEN
    question.hidden_reason = reason.strip()
    question.starred = False
    _record(actor, question, "hide")


def set_starred(*, question: Question, actor: User, starred: bool) -> None:
    _not_merged(question)
    if starred and question.state is QuestionState.HIDDEN:
        raise DomainError("Approve this question before you star it.")
    question.starred = starred
    _record(actor, question, "star" if starred else "unstar")


def set_answered(*, question: Question, actor: User, answered: bool) -> None:
    _not_merged(question)
    if answered and question.state is not QuestionState.APPROVED:
        raise DomainError("Approve this question before you mark it answered.")
    question.answered = answered
    if answered:
        question.starred = False
    _record(actor, question, "answered" if answered else "unanswered")


def edit_text(*, question: Question, actor: User, text: str, version: int) -> None:
    """Correct a question's typos; an edit form loaded before another edit is refused.

    Unless it asks for the text the question already has (the same form sent twice, or two
    organisers making the same correction): that is done, and nothing changes.
    """
    _not_merged(question)
    if text.strip() == question.text:
        return
    if version != question.version:
        raise DomainError(
            "Someone changed this question after you opened it. Check its text below "
            "and make your change again",
            field="text",
        )
    text = text.strip()
    if not text:
        raise DomainError("Enter the question", field="text")
    if len(text) > QUESTION_MAX:
        raise DomainError(f"Enter the question in {QUESTION_MAX} characters or fewer", field="text")
    if text == question.text:
        return
    question.text = text
    question.edited = True
    question.version += 1
    _record(actor, question, "edit")


def merge_targets(question: Question) -> list[Question]:
    """The questions a duplicate can be merged into: the event's others, not hidden or merged."""
    return list(
        db.session.scalars(
            select(Question)
            .where(
                Question.event_id == question.event_id,
                Question.id != question.id,
                Question.state.in_((QuestionState.PENDING, QuestionState.APPROVED)),
            )
            .order_by(*RANKED)
        )
    )


def merge(*, question: Question, into: Question, actor: User) -> int:
    """Fold a duplicate into another question: its votes carry over, each voter once.

    Returns the merged question's new count.
    """
    _not_merged(question)
    if into.id == question.id or into.event_id != question.event_id:
        raise DomainError("Choose another question of this event", field="into")
    if into.state not in (QuestionState.PENDING, QuestionState.APPROVED):
        raise DomainError("Choose a question that is not hidden or merged", field="into")
    # Both locks, lower id first, so two merges the other way round cannot deadlock.
    for locked in sorted((question, into), key=lambda q: q.id):
        lock_question(locked)
    already = select(QuestionVote.voter).where(QuestionVote.question_id == into.id)
    db.session.execute(
        insert(QuestionVote).from_select(
            ["question_id", "voter"],
            select(literal(into.id, QuestionVote.question_id.type), QuestionVote.voter).where(
                QuestionVote.question_id == question.id, QuestionVote.voter.not_in(already)
            ),
        )
    )
    db.session.execute(
        delete(QuestionVote)
        .where(QuestionVote.question_id == question.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(QuestionAction)
        .where(QuestionAction.question_id == question.id)
        .values(question_id=into.id)
        .execution_options(synchronize_session=False)
    )
    question.state = QuestionState.MERGED
    question.merged_into_id = into.id
    question.starred = False
    question.vote_count = 0
    db.session.flush()
    db.session.expire(question, ["actions"])
    db.session.expire(into, ["actions"])
    total = recount(into)
    _record(actor, question, "merge", summary=f"into question {into.id}")
    return total


def tag_faq(*, question: Question, actor: User, faq_key: str) -> None:
    if faq_key and faq_key not in faqs.FAQ_BY_KEY:
        raise DomainError("Choose one of the handbook's Prevent FAQs", field="faq")
    question.faq_key = faq_key
    _record(actor, question, "faq", summary=faq_key or "none")


# Follow-up actions ----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDetails:
    what: str
    who: str = ""
    due_on: date | None = None


def add_action(*, question: Question, actor: User, details: ActionDetails) -> QuestionAction:
    what = details.what.strip()
    if not what:
        raise DomainError("Enter what needs to be done", field="what")
    action = QuestionAction(
        event_id=question.event_id,
        question_id=question.id,
        what=what,
        who=details.who.strip(),
        due_on=details.due_on,
        created_by_id=actor.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=question.event.council_id,
        action="question.action.add",
        obj=action,
    )
    return action


def get_action(event: Event, action_id: int) -> QuestionAction:
    action = db.session.scalar(
        select(QuestionAction).where(
            QuestionAction.id == action_id, QuestionAction.event_id == event.id
        )
    )
    if action is None:
        raise NotFoundError
    return action


def complete_action(*, action: QuestionAction, actor: User) -> bool:
    """Mark an action done (once); returns whether it changed.

    One conditional update, so two requests at once (a double-click) mark it, and email its
    askers, once: the second finds it done whatever it read before.
    """
    if action.done_at is not None:
        return False
    now = utcnow()
    marked = db.session.execute(
        update(QuestionAction)
        .where(QuestionAction.id == action.id, QuestionAction.done_at.is_(None))
        .values(done_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(action, ["done_at"])
    if not marked.rowcount:  # type: ignore[attr-defined]
        return False
    audit.record(
        actor=actor,
        council_id=action.question.event.council_id,
        action="question.action.done",
        obj=action,
    )
    _tell_askers(action)
    return True


def _tell_askers(action: QuestionAction) -> None:
    """Email, through the outbox, each registrant who asked this question (or a duplicate
    merged into it) by name and agreed to be told. Anonymous questions keep no registration,
    so their askers cannot be told; purged registrations have no address left."""
    from eventapp.registration import mailing
    from eventapp.registration.models import Registration

    question = action.question
    registrations = db.session.scalars(
        select(Registration)
        .join(Question, Question.asker_registration_id == Registration.id)
        .where(
            Question.event_id == question.event_id,
            (Question.id == question.id) | (Question.merged_into_id == question.id),
            Question.anonymous.is_(False),
            Question.tell_asker.is_(True),
            Registration.purged_at.is_(None),
        )
        .distinct()
        .order_by(Registration.id)
    )
    for registration in registrations:
        mailing.question_followed_up(registration, question=question.text, action=action.what)


def open_action_count(event: Event) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(QuestionAction)
            .where(QuestionAction.event_id == event.id, QuestionAction.done_at.is_(None))
        )
        or 0
    )


def actions(event: Event, *, open_only: bool = False) -> list[QuestionAction]:
    """The event's follow-up actions, open ones first, by due date."""
    query = (
        select(QuestionAction)
        .where(QuestionAction.event_id == event.id)
        .options(selectinload(QuestionAction.question))
    )
    if open_only:
        query = query.where(QuestionAction.done_at.is_(None))
    query = query.order_by(
        QuestionAction.done_at.is_not(None),
        QuestionAction.due_on.is_(None),
        QuestionAction.due_on,
        QuestionAction.id,
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class FollowUp:
    """A follow-up action as the evaluation shows it, with its question's text and never who
    asked it (an anonymous question has nobody to show; a named one is not named either)."""

    id: int
    what: str
    who: str
    due_on: date | None
    done: bool
    question: str
    # Approved: the question was shown to everyone who could ask. A question kept back
    # (waiting, or hidden with a reason) is not repeated outside the council.
    question_published: bool


def follow_ups(event: Event, *, open_only: bool = False) -> list[FollowUp]:
    """The event's follow-up actions in one query, in the order of ``actions``: open ones
    first, soonest due first, those without a date last."""
    query = (
        select(
            QuestionAction.id,
            QuestionAction.what,
            QuestionAction.who,
            QuestionAction.due_on,
            QuestionAction.done_at.is_not(None),
            Question.text,
            Question.state,
        )
        .join(Question, Question.id == QuestionAction.question_id)
        .where(QuestionAction.event_id == event.id)
    )
    if open_only:
        query = query.where(QuestionAction.done_at.is_(None))
    query = query.order_by(
        QuestionAction.done_at.is_not(None),
        QuestionAction.due_on.is_(None),
        QuestionAction.due_on,
        QuestionAction.id,
    )
    return [
        FollowUp(
            id=action_id,
            what=what,
            who=who,
            due_on=due_on,
            done=bool(done),
            question=text,
            question_published=state is QuestionState.APPROVED,
        )
        for action_id, what, who, due_on, done, text, state in db.session.execute(query)
    ]
