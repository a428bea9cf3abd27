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
    """The CSV a line at a time, most voted first, reading questions in batches."""
    lines = Lines()
    yield lines.row(HEADING)
    offset = 0
    while True:
        chunk = list(
            db.session.scalars(
                select(Question)
                .where(Question.event_id == event.id)
                .order_by(Question.vote_count.desc(), Question.id)
                .offset(offset)
                .limit(batch)
            )
        )
        if not chunk:
            return
        offset += len(chunk)
        yield lines.rows(_row(question) for question in chunk)


def _row(question: Question) -> tuple[object, ...]:
    faq = FAQ_BY_KEY.get(question.faq_key)
    return (
        question.text,
        question.shown_asker,
        question.asked_on.isoformat(),
        STATE_LABELS[question.state],
        question.vote_count,
        "yes" if question.answered else "no",
        "yes" if question.starred else "no",
        faq.question if faq else "",
    )
