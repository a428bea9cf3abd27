"""The anonymised responses CSV: one row per response in id order, batch after batch, with
blank, not-asked and "other" answers written as the README documents (issue 13, section 3)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from eventapp.evaluation.exports import RESPONSE_COLUMNS, response_rows
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.models import FeedbackResponse
from tests.evaluation.test_pages import add_responses


def test_every_response_once_in_id_order_across_batches(held_event: Event) -> None:
    add_responses(
        held_event,
        [
            {"gender": "female", "sector": "other", "recommend": None},  # blank: Not answered
            {"gender": "male", "sector": "health"},  # recommend not asked: empty
            {},  # nothing answered at all
            {"heard": "other", "knowledge_before": "dont_know"},
            {"gender": "prefer_not", "recommend": "yes", "video": "no"},
        ],
        other="=1+1",
    )
    text = "".join(response_rows(held_event, batch=2))
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == RESPONSE_COLUMNS
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    ids = db.session.scalars(
        select(FeedbackResponse.id)
        .where(FeedbackResponse.event_id == held_event.id)
        .order_by(FeedbackResponse.id)
    ).all()
    assert len(rows) == len(ids) == 5
    by_gender = {r["gender"]: r for r in rows}
    first = by_gender["Female"]
    assert first["recommend"] == "Not answered"
    assert first["sector"] == "Other (please state)"
    assert first["sector_other"] == "'=1+1"  # neutralised
    assert by_gender["Male"]["recommend"] == ""  # not asked
    assert by_gender["Male"]["sector_other"] == ""
    blank = [r for r in rows if all(v == "" for k, v in r.items() if k != "source")]
    assert len(blank) == 1 and blank[0]["source"]
    heard = next(r for r in rows if r["heard"])
    assert heard["heard_other"] == "'=1+1" and heard["knowledge_before"] == "Don't know"
    assert by_gender["Prefer not to say"]["video"] == "No"
    # The same rows, in the same order, whatever the batch size.
    assert "".join(response_rows(held_event, batch=1000)) == text
