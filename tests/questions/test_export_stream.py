"""The questions CSV streams in batches: every question exactly once, in one consistent
order, even when votes are cast or a question is deleted while it streams."""

from __future__ import annotations

import csv
import io
from datetime import date

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.questions import export
from eventapp.questions.models import Question, QuestionState


def _questions(event: Event, votes: list[int]) -> list[tuple[int, str]]:
    """Questions with these vote counts, as (id, text)."""
    made = [
        Question(
            event_id=event.id,
            text=f"Question with {n} votes",
            asked_on=date(2027, 1, 1),
            state=QuestionState.APPROVED,
            vote_count=n,
        )
        for n in votes
    ]
    db.session.add_all(made)
    db.session.commit()
    return [(q.id, q.text) for q in made]


def _read(lines: list[str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))[1:]


def test_a_vote_cast_while_streaming_neither_skips_nor_repeats_a_question(open_event) -> None:
    made = _questions(open_event, [5, 4, 3, 2, 1])
    stream = export.rows(open_event, batch=2)
    written = [next(stream), next(stream)]  # the heading and the first batch (5 and 4 votes)
    # The least-voted question becomes the most voted before the next batch is read.
    db.session.execute(
        Question.__table__.update().where(Question.id == made[-1][0]).values(vote_count=10)
    )
    db.session.commit()
    written.extend(stream)
    rows = _read(written)
    assert sorted(row[0] for row in rows) == sorted(text for _, text in made)  # each exactly once
    assert [int(row[4]) for row in rows] == [5, 4, 3, 2, 1]  # order and counts agree


def test_a_question_deleted_while_streaming_is_left_out_whole(open_event) -> None:
    made = _questions(open_event, [3, 2, 1])
    stream = export.rows(open_event, batch=1)
    written = [next(stream), next(stream)]
    db.session.execute(Question.__table__.delete().where(Question.id == made[2][0]))
    db.session.commit()
    written.extend(stream)
    assert [row[0] for row in _read(written)] == [made[0][1], made[1][1]]
