"""Feedback: storing anonymous responses, the window, counts and the organiser's settings.

Anonymity (QUALITY 18, REFERENCES "Anonymous responses"): a response row is written with
its answers, event, channel, source and the UK day, and nothing else. The insert carries
the response's random id chosen when the person reached "Check your answers", so a
double-click or a resubmitted page stores it once (the second insert does nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Protocol, cast

from sqlalchemy import Select, Table, TextClause, bindparam, delete, func, select, text

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError
from eventapp.events.models import Event, EventStatus
from eventapp.events.services import PUBLIC_STATUSES
from eventapp.extensions import db
from eventapp.feedback.annex_a import Condition
from eventapp.feedback.answers import Answer, Answers, valid
from eventapp.feedback.models import (
    DEFAULT_DAYS_OPEN,
    MAX_DAYS_OPEN,
    Channel,
    FeedbackAnswer,
    FeedbackResponse,
    FeedbackSettings,
    Source,
)
from eventapp.feedback.window import Window, feedback_window
from eventapp.formatting import LONDON, uk_today
from eventapp.models.base import utcnow

# Below this many responses the organiser sees only the count (QUALITY 19).
BREAKDOWN_THRESHOLD = 5


class EventFacts(Protocol):
    """What storing a response needs of its event: the ORM ``Event`` or a ``Sending``."""

    @property
    def id(self) -> int: ...
    @property
    def intro_video(self) -> bool: ...
    @property
    def home_office_speaking(self) -> bool: ...


def applies(event: EventFacts) -> frozenset[Condition]:
    """What happened at the event that Annex A asks about only if it did."""
    happened = set()
    if event.intro_video:
        happened.add(Condition.VIDEO)
    if event.home_office_speaking:
        happened.add(Condition.HOME_OFFICE_QA)
    return frozenset(happened)


def settings_of(event: Event) -> FeedbackSettings | None:
    return db.session.get(FeedbackSettings, event.id)


@cache
def _window_query() -> Select[tuple[int, datetime | None, datetime | None]]:
    """The three settings the window needs, built once (every submission reads them)."""
    return select(
        FeedbackSettings.days_open, FeedbackSettings.opened_at, FeedbackSettings.closed_at
    ).where(FeedbackSettings.event_id == bindparam("event_id"))


def window_of(event: Event, *, now: datetime | None = None) -> Window:
    """The event's feedback window and whether it is open now."""
    saved = db.session.execute(_window_query(), {"event_id": event.id}).first()
    days_open, opened_at, closed_at = saved if saved else (DEFAULT_DAYS_OPEN, None, None)
    return feedback_window(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        days_open=days_open,
        closed_at=closed_at,
        now=now or utcnow(),
        opened_at=opened_at,
    )


def accepts_online(event: Event, *, now: datetime | None = None) -> bool:
    return event.status in PUBLIC_STATUSES and window_of(event, now=now).is_open


@dataclass(frozen=True, slots=True)
class Sending:
    """What sending the public form needs of its event, read in one statement (``sending``):
    the event's facts and its window's settings, without loading the ORM event."""

    id: int
    public_slug: str
    status: EventStatus
    starts_at: datetime | None
    ends_at: datetime | None
    intro_video: bool
    home_office_speaking: bool
    days_open: int
    opened_at: datetime | None
    closed_at: datetime | None

    def window(self, *, now: datetime | None = None) -> Window:
        """The feedback window, as ``window_of`` gives it for the ORM event."""
        return feedback_window(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            days_open=self.days_open,
            closed_at=self.closed_at,
            now=now or utcnow(),
            opened_at=self.opened_at,
        )

    def accepts_online(self, *, now: datetime | None = None) -> bool:
        return self.status in PUBLIC_STATUSES and self.window(now=now).is_open


@cache
def _sending_query() -> Select[
    tuple[
        int,
        str,
        EventStatus,
        datetime | None,
        datetime | None,
        bool,
        bool,
        int,
        datetime | None,
        datetime | None,
    ]
]:
    """An event by its public slug, with its window's settings (the defaults without a row)."""
    return (
        select(
            Event.id,
            Event.public_slug,
            Event.status,
            Event.starts_at,
            Event.ends_at,
            Event.intro_video,
            Event.home_office_speaking,
            func.coalesce(FeedbackSettings.days_open, DEFAULT_DAYS_OPEN),
            FeedbackSettings.opened_at,
            FeedbackSettings.closed_at,
        )
        .outerjoin(FeedbackSettings, FeedbackSettings.event_id == Event.id)
        .where(Event.public_slug == bindparam("slug"))
    )


def sending(slug: str) -> Sending | None:
    """What sending the form needs of the event public under ``slug`` (None: no such event;
    as ``events.services.get_public_event``, an event that is not public is not found)."""
    row = db.session.execute(_sending_query(), {"slug": slug}).first()
    if row is None or row[2] not in PUBLIC_STATUSES:
        return None
    event_id, public_slug, status, starts_at, ends_at, video, home_office, days, opened, closed = (
        row
    )
    return Sending(
        id=event_id,
        public_slug=public_slug,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        intro_video=video,
        home_office_speaking=home_office,
        days_open=days,
        opened_at=opened,
        closed_at=closed,
    )


# ON CONFLICT DO NOTHING, written out: PostgreSQL and SQLite both accept it, and unlike
# SQLAlchemy's dialect insert (uncacheable, so compiled again on every request) this
# statement is compiled once. The model's column types convert the values.
_INSERT_RESPONSE = text(
    "INSERT INTO feedback_response (id, event_id, channel, source, submitted_on) "
    "VALUES (:id, :event_id, :channel, :source, :submitted_on) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
).bindparams(
    *(
        bindparam(name, type_=FeedbackResponse.__table__.c[name].type)
        for name in ("id", "event_id", "channel", "source", "submitted_on")
    )
)


def _insert_ignoring_duplicate(values: dict[str, object]) -> bool:
    """Insert the response row unless its id is already stored; whether it was inserted
    (RETURNING gives a row only if it went in)."""
    return db.session.execute(_INSERT_RESPONSE, values).first() is not None


def _answer_rows(response_id: uuid.UUID, answers: Answers) -> list[dict[str, object]]:
    return [
        {"response_id": response_id, "item": key, "option": a.option, "other_text": a.other_text}
        for key, a in answers.items()
    ]


@cache
def _insert_answers_statement(count: int) -> TextClause:
    """One INSERT of ``count`` answer rows (a multi-row VALUES), compiled once per count: at
    most one statement per number of Annex A items. Cheaper than an executemany, whose
    pipeline psycopg opens and closes on every call."""
    columns = ("response_id", "item", "option", "other_text")
    table = cast(Table, FeedbackAnswer.__table__)
    rows = ", ".join(
        "(" + ", ".join(f":{column}_{n}" for column in columns) + ")" for n in range(count)
    )
    return text(
        f"INSERT INTO feedback_answer ({', '.join(columns)}) VALUES {rows}"  # noqa: S608 - fixed names
    ).bindparams(
        *(
            bindparam(f"{column}_{n}", type_=table.c[column].type)
            for n in range(count)
            for column in columns
        )
    )


def _insert_answers(response_id: uuid.UUID, answers: Answers) -> None:
    """Every answer of a response in one statement (one round trip)."""
    rows = _answer_rows(response_id, answers)
    if rows:
        db.session.execute(
            _insert_answers_statement(len(rows)),
            {f"{column}_{n}": value for n, row in enumerate(rows) for column, value in row.items()},
        )


_RESPONSE_COLUMNS = ("id", "event_id", "channel", "source", "submitted_on")
_ANSWER_VALUES = ("item", "option", "other_text")


@cache
def _insert_response_with_answers_statement(count: int) -> TextClause:
    """PostgreSQL: the response and its ``count`` answers in one statement (one round trip).

    The answers are inserted from the response's RETURNING, so a repeated id (the response
    not inserted) inserts no answers either; the statement gives how many responses went in
    (1, or 0 for a repeat). SQLite cannot run an INSERT inside WITH: it sends the two
    statements that make up this one (``_INSERT_RESPONSE``, ``_insert_answers_statement``).
    """
    response = cast(Table, FeedbackResponse.__table__)
    answer = cast(Table, FeedbackAnswer.__table__)
    rows = ", ".join(
        "(" + ", ".join(f":{column}_{n}" for column in _ANSWER_VALUES) + ")" for n in range(count)
    )
    values = ", ".join(f"v.{column}" for column in _ANSWER_VALUES)
    return text(
        "WITH r AS ("  # noqa: S608 - fixed names
        f"INSERT INTO feedback_response ({', '.join(_RESPONSE_COLUMNS)}) "
        f"VALUES ({', '.join(':' + column for column in _RESPONSE_COLUMNS)}) "
        "ON CONFLICT DO NOTHING RETURNING id), "
        f"a AS (INSERT INTO feedback_answer (response_id, {', '.join(_ANSWER_VALUES)}) "
        f"SELECT r.id, {values} FROM r, (VALUES {rows}) AS v ({', '.join(_ANSWER_VALUES)})) "
        "SELECT count(*) FROM r"
    ).bindparams(
        *(bindparam(column, type_=response.c[column].type) for column in _RESPONSE_COLUMNS),
        *(
            bindparam(f"{column}_{n}", type_=answer.c[column].type)
            for n in range(count)
            for column in _ANSWER_VALUES
        ),
    )


def _in_one_statement() -> bool:
    """Whether the database can insert a response and its answers in one statement."""
    return db.session.get_bind().dialect.name == "postgresql"


def _insert_response_with_answers(values: dict[str, object], answers: Answers) -> bool:
    """The response row and its answers unless its id is already stored; whether they went
    in. One statement on PostgreSQL, two on SQLite (the same rows either way)."""
    if not answers or not _in_one_statement():
        if not _insert_ignoring_duplicate(values):
            return False
        _insert_answers(cast(uuid.UUID, values["id"]), answers)
        return True
    params = dict(values)
    for n, (key, a) in enumerate(answers.items()):
        params[f"item_{n}"] = key
        params[f"option_{n}"] = a.option
        params[f"other_text_{n}"] = a.other_text
    statement = _insert_response_with_answers_statement(len(answers))
    return db.session.execute(statement, params).scalar_one() == 1


def store_response(
    *,
    event: EventFacts,
    answers: Answers,
    source: Source,
    response_id: uuid.UUID | None = None,
    on: date | None = None,
) -> bool:
    """Store one response with its answers; False if this id was already stored (a repeat).

    Refuses answers that are not exactly Annex A's items for this event with allowed values:
    nothing outside Annex A is ever stored.
    """
    if not valid(answers, applies(event)):
        raise DomainError("These answers do not fit the form for this event")
    return _insert_response_with_answers(
        {
            "id": response_id or uuid.uuid4(),
            "event_id": event.id,
            "channel": Channel.PAPER if source is Source.PAPER else Channel.ONLINE,
            "source": source,
            "submitted_on": on or uk_today(),
        },
        answers,
    )


def submit_online(*, event: Sending, answers: Answers, response_id: uuid.UUID) -> bool:
    """A response from the event's open link (the public form), while the window is open."""
    if not event.accepts_online():
        raise DomainError("The feedback form for this event is closed")
    return store_response(
        event=event, answers=answers, source=Source.OPEN_LINK, response_id=response_id
    )


@dataclass(frozen=True)
class Counts:
    total: int
    online: int
    paper: int

    @property
    def text(self) -> str:
        noun = "response" if self.total == 1 else "responses"
        if self.total == 0:
            return "No responses yet"
        return f"{self.total:,} {noun}, {self.online:,} online, {self.paper:,} paper"


def counts(event: Event) -> Counts:
    """How many responses the event has, online and on paper (one query)."""
    rows = db.session.execute(
        select(FeedbackResponse.channel, func.count())
        .where(FeedbackResponse.event_id == event.id)
        .group_by(FeedbackResponse.channel)
    ).all()
    by = {channel: int(n) for channel, n in rows}
    online, paper = by.get(Channel.ONLINE, 0), by.get(Channel.PAPER, 0)
    return Counts(online + paper, online, paper)


def save_settings(*, event: Event, actor: User, days_open: int) -> FeedbackSettings:
    """Set how many days after the event the form stays open."""
    if not 0 <= days_open <= MAX_DAYS_OPEN:
        raise DomainError(
            f"Enter a number of days between 0 and {MAX_DAYS_OPEN}", field="days_open"
        )
    saved = settings_of(event) or FeedbackSettings(event_id=event.id)
    saved.days_open = days_open
    db.session.add(saved)
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="feedback.window",
        obj=event,
        summary=f"Feedback form open for {days_open} days after the event",
    )
    db.session.flush()
    return saved


def close_form(*, event: Event, actor: User, now: datetime | None = None) -> None:
    """Close the form now, before its window ends."""
    saved = settings_of(event) or FeedbackSettings(event_id=event.id)
    if saved.closed_at is None:
        saved.closed_at = now or utcnow()
    db.session.add(saved)
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="feedback.close",
        obj=event,
        summary="Feedback form closed",
    )
    db.session.flush()


def open_now(*, event: Event, actor: User, now: datetime | None = None) -> None:
    """Open the form before the event's start (the event began early)."""
    saved = settings_of(event) or FeedbackSettings(event_id=event.id)
    saved.opened_at = now or utcnow()
    saved.closed_at = None
    db.session.add(saved)
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="feedback.open",
        obj=event,
        summary="Feedback form opened before the event's start",
    )
    db.session.flush()


def reopen_form(*, event: Event, actor: User) -> None:
    """Reopen a form closed early (its window still applies)."""
    saved = settings_of(event)
    if saved is not None and saved.closed_at is not None:
        saved.closed_at = None
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="feedback.reopen",
            obj=event,
            summary="Feedback form reopened",
        )
        db.session.flush()


def answers_from_pairs(pairs: Iterable[tuple[str, str | None, str | None]]) -> Answers:
    return {key: Answer(option, text) for key, option, text in pairs}


# Paper forms ----------------------------------------------------------------------------


def accepts_paper(event: Event, *, now: datetime | None = None) -> bool:
    """Paper forms can be typed in once the event has started, even after the online form
    closes (they were filled in at the event)."""
    return event.starts_at is not None and event.starts_at <= (now or utcnow())


def paper_day(event: Event) -> date:
    """The day paper responses are stored under: the event's own (UK) day."""
    assert event.starts_at is not None
    return event.starts_at.astimezone(LONDON).date()


def enter_paper(
    *, event: Event, answers: Answers, entry: uuid.UUID, batch: Iterable[uuid.UUID]
) -> bool:
    """Store one paper form typed in by staff; True if it was new.

    ``entry`` is the id chosen when the empty form was shown, so sending the same page
    twice stores it once. Sending again an entry of this person's open ``batch`` corrects
    it (its answers are replaced); any other existing id is refused.
    """
    if not accepts_paper(event):
        raise DomainError("Paper forms can be entered once the event has started")
    if not valid(answers, applies(event)):
        raise DomainError("These answers do not fit the form for this event")
    existing = db.session.get(FeedbackResponse, entry)
    if existing is None:
        return store_response(
            event=event,
            answers=answers,
            source=Source.PAPER,
            response_id=entry,
            on=paper_day(event),
        )
    if (
        existing.event_id != event.id
        or existing.source is not Source.PAPER
        or entry not in set(batch)
    ):
        raise DomainError("This form can no longer be changed")
    db.session.execute(delete(FeedbackAnswer).where(FeedbackAnswer.response_id == entry))
    _insert_answers(entry, answers)
    return False


def paper_answers(event: Event, entry: uuid.UUID) -> Answers | None:
    """The answers of a paper form being corrected (None if it is not this event's)."""
    response = db.session.get(FeedbackResponse, entry)
    if response is None or response.event_id != event.id or response.source is not Source.PAPER:
        return None
    return {a.item: Answer(a.option, a.other_text) for a in response.answers}


def close_paper_batch(*, event: Event, actor: User, entered: int) -> None:
    """Record that a member of staff typed in a batch of paper forms (how many, not which)."""
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="feedback.paper",
        obj=event,
        summary=f"Entered {entered} paper feedback form{'s' if entered != 1 else ''}",
    )
