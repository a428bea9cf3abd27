"""The SQL aggregates behind the report and the dashboard.

Every function here sends a fixed number of statements whatever the number of responses or
events, and returns counts only: responses are grouped in the database (GROUP BY, SUM over
CASE), never loaded into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Integer

from eventapp.evaluation.stats import DONT_KNOW, UNANSWERED, Answer
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.annex_a import PAIRS, SCORES
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse

Joint = dict[tuple[Answer, Answer], int]


class uk_quarter(FunctionElement[int]):  # noqa: N801 - used like a SQL function
    """year * 10 + quarter of a UTC timestamp, in UK time where the database can say so."""

    type = Integer()
    inherit_cache = True


@compiles(uk_quarter, "postgresql")
def _uk_quarter_pg(element: uk_quarter, compiler: Any, **kw: Any) -> str:
    (column,) = list(element.clauses)
    # Stored times are naive UTC: say so first, then read the result in UK time (a naive
    # timestamp's AT TIME ZONE alone would treat it as UK time and shift the wrong way).
    local = (
        f"((({compiler.process(column, **kw)}) AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London')"
    )
    return f"CAST(EXTRACT(YEAR FROM {local}) * 10 + EXTRACT(QUARTER FROM {local}) AS INTEGER)"


@compiles(uk_quarter)
def _uk_quarter_default(element: uk_quarter, compiler: Any, **kw: Any) -> str:
    # SQLite has no time zones, but only three instants a year need one: the last hour (UTC)
    # of 31 March, 30 June and 30 September is already the next quarter in UK summer time,
    # which always covers those days (it runs from late March to late October). Within
    # March to September, one hour later is the UK time's quarter; elsewhere UTC's is.
    (column,) = list(element.clauses)
    sql = compiler.process(column, **kw)
    local = (
        f"(CASE WHEN strftime('%m', {sql}) BETWEEN '03' AND '09' "
        f"THEN datetime({sql}, '+1 hour') ELSE {sql} END)"
    )
    return (
        f"(CAST(strftime('%Y', {local}) AS INTEGER) * 10 "
        f"+ (CAST(strftime('%m', {local}) AS INTEGER) + 2) / 3)"
    )


def quarter_label(code: int) -> str:
    """20272 -> "Apr–Jun 2027": months say which quarter without a calendar/financial doubt."""
    year, quarter = divmod(code, 10)
    months = {1: "Jan–Mar", 2: "Apr–Jun", 3: "Jul–Sep", 4: "Oct–Dec"}[quarter]
    return f"{months} {year}"


@dataclass
class FeedbackCounts:
    """Everything the feedback sections need, as counts."""

    responses: int = 0
    # item key -> option key (None: not answered) -> count
    options: dict[str, dict[str | None, int]] = field(default_factory=dict)
    # "knowledge" / "opinion" -> (before, after) -> count, answers scored per annex_a.SCORES
    joint: dict[str, Joint] = field(default_factory=dict)


def _responses_in(event_ids: Select[Any] | Sequence[int]) -> ColumnElement[bool]:
    return FeedbackResponse.event_id.in_(event_ids)


def _score(item: str, option: str | None) -> Answer:
    if option is None:
        return UNANSWERED
    score = SCORES[item].get(option)
    return DONT_KNOW if score is None else score


def feedback_counts(event_ids: Select[Any] | Sequence[int]) -> FeedbackCounts:
    """The response count, every item's option counts and the before/after pairs: 3 queries."""
    counts = FeedbackCounts()
    counts.responses = (
        db.session.scalar(
            select(func.count()).select_from(FeedbackResponse).where(_responses_in(event_ids))
        )
        or 0
    )
    rows = db.session.execute(
        select(FeedbackAnswer.item, FeedbackAnswer.option, func.count())
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .where(_responses_in(event_ids))
        .group_by(FeedbackAnswer.item, FeedbackAnswer.option)
    )
    for item, option, n in rows:
        counts.options.setdefault(item, {})[option] = n
    before = aliased(FeedbackAnswer)
    after = aliased(FeedbackAnswer)
    pair_condition = or_(*(and_(before.item == b, after.item == a) for b, a in PAIRS))
    rows = db.session.execute(
        select(before.item, before.option, after.option, func.count())
        .join(after, and_(after.response_id == before.response_id, pair_condition))
        .join(FeedbackResponse, FeedbackResponse.id == before.response_id)
        .where(_responses_in(event_ids))
        .group_by(before.item, before.option, after.option)
    )
    for item, b_option, a_option, n in rows:
        measure = item.removesuffix("_before")
        key = (_score(item, b_option), _score(f"{measure}_after", a_option))
        joint = counts.joint.setdefault(measure, {})
        joint[key] = joint.get(key, 0) + n
    return counts


def event_quarter() -> uk_quarter:
    return uk_quarter(Event.starts_at)


def knowledge_joint_in_sector(event_ids: Select[Any] | Sequence[int], sector: str) -> Joint:
    """Q8's before/after joint counts among respondents who gave this sector in Q3: 1 query."""
    before = aliased(FeedbackAnswer)
    after = aliased(FeedbackAnswer)
    sector_answer = aliased(FeedbackAnswer)
    joint: Joint = {}
    for b_option, a_option, n in db.session.execute(
        select(before.option, after.option, func.count())
        .join(after, and_(after.response_id == before.response_id, after.item == "knowledge_after"))
        .join(
            sector_answer,
            and_(
                sector_answer.response_id == before.response_id,
                sector_answer.item == "sector",
                sector_answer.option == sector,
            ),
        )
        .join(FeedbackResponse, FeedbackResponse.id == before.response_id)
        .where(_responses_in(event_ids), before.item == "knowledge_before")
        .group_by(before.option, after.option)
    ):
        key = (_score("knowledge_before", b_option), _score("knowledge_after", a_option))
        joint[key] = joint.get(key, 0) + n
    return joint
