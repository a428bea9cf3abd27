"""An event's questions as CSV, streamed, with spreadsheet formulas neutralised (QUALITY 16)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from eventapp.csvsafe import Lines
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.questions.faqs import FAQ_BY_KEY
from eventapp.questions.models import STATE_LABELS, Question

HEADING = ["question", "asked by", "day asked", "state", "votes", "answered", "starred", "faq"]


def rows(event: Event, *, batch: int = 500) -> Iterator[str]:
    """The CSV a line at a time, most voted first, reading questions in batches.

    The order and the vote counts are read once, in one query, before the first batch: a
    vote cast while the file streams can then neither move a question past the batch being
    read (skipping it, or writing it twice, as paging by offset would) nor make the counts
    disagree with the order. Only the ids and counts are held for the whole file; the
    questions themselves are loaded a batch at a time."""
    lines = Lines()
    yield lines.row(HEADING)
    ranked = db.session.execute(
        select(Question.id, Question.vote_count)
        .where(Question.event_id == event.id)
        .order_by(Question.vote_count.desc(), Question.id)
    ).all()
    votes = {int(qid): int(count) for qid, count in ranked}
    for start in range(0, len(ranked), batch):
        ids = [int(qid) for qid, _ in ranked[start : start + batch]]
        found = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
        # A question deleted since the order was read is left out, not written half.
        yield lines.rows(_row(found[qid], votes[qid]) for qid in ids if qid in found)


def _row(question: Question, votes: int) -> tuple[object, ...]:
    faq = FAQ_BY_KEY.get(question.faq_key)
    return (
        question.text,
        question.shown_asker,
        question.asked_on.isoformat(),
        STATE_LABELS[question.state],
        votes,
        "yes" if question.answered else "no",
        "yes" if question.starred else "no",
        faq.question if faq else "",
    )
