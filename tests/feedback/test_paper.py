"""Paper forms: printing, and keyboard entry that is safe to resubmit and to correct."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts.models import AuditEntry
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import annex_a
from eventapp.feedback.models import Channel, FeedbackAnswer, FeedbackResponse, Source
from tests.feedback.test_public_form import text_of


def entry_id(page: str) -> str:
    match = re.search(
        r'name="entry"[^>]*value="([0-9a-f-]{36})"|value="([0-9a-f-]{36})"[^>]*name="entry"', page
    )
    assert match, "no entry id on the page"
    return match.group(1) or match.group(2)


def paper_count(event: Event) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(FeedbackResponse)
            .where(FeedbackResponse.event_id == event.id, FeedbackResponse.channel == Channel.PAPER)
        )
        or 0
    )


def test_printable_form_carries_the_event_and_every_question(
    signed_in: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event(video=False, home_office=False)
    words = text_of(signed_in.get(f"/events/{event.id}/feedback/paper-form").get_data(as_text=True))
    assert event.title in words and annex_a.INTRODUCTION in words
    assert "Video (if applicable)" not in words and annex_a.QUESTIONS[6].stem not in words
    # Without the video question, the paper form numbers its nine questions 1 to 9.
    assert "7. How would you rate your knowledge and understanding of:" in words
    assert "Please tick one box." in words


def test_enter_two_forms_resubmit_and_correct(
    signed_in: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    url = f"/events/{event.id}/feedback/paper"
    first_page = signed_in.get(url).get_data(as_text=True)
    first = entry_id(first_page)
    body = {
        "entry": first,
        "gender": "female",
        "knowledge_before": "poor",
        "knowledge_after": "good",
    }
    assert signed_in.post(url, data=body).status_code == 302
    assert signed_in.post(url, data=body).status_code == 302  # sent twice: stored once
    assert paper_count(event) == 1
    page = signed_in.get(url).get_data(as_text=True)
    assert "1 form entered in this batch" in page and "Form 1 corrected." in page
    second = entry_id(page)
    assert second != first
    signed_in.post(url, data={"entry": second, "sector": "other", "sector_other": "Faith leader"})
    assert paper_count(event) == 2
    # A typo in the first form is corrected in the same batch.
    correct = signed_in.get(f"{url}?entry={first}").get_data(as_text=True)
    assert 'value="female" checked' in correct or "checked" in correct
    signed_in.post(url, data={"entry": first, "gender": "male", "knowledge_before": "poor"})
    assert paper_count(event) == 2
    answers = dict(
        db.session.execute(
            select(FeedbackAnswer.item, FeedbackAnswer.option).where(
                FeedbackAnswer.response_id == uuid.UUID(first)
            )
        ).all()
    )
    assert answers["gender"] == "male" and answers["knowledge_after"] is None
    response = db.session.get(FeedbackResponse, uuid.UUID(first))
    assert response is not None and response.source is Source.PAPER
    assert event.starts_at is not None and response.submitted_on == event.starts_at.date()
    # Finishing the batch records how many, and the forms can no longer be corrected here.
    signed_in.post(f"{url}/finish", data={})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "feedback.paper"))
    assert entry is not None and entry.summary == "Entered 2 paper feedback forms"
    assert first not in (entry.summary or "")
    assert signed_in.get(f"{url}?entry={first}").status_code == 404
    refused = signed_in.post(url, data={"entry": first, "gender": "female"})
    assert refused.status_code == 200 and "can no longer be changed" in refused.get_data(
        as_text=True
    )
    assert paper_count(event) == 2


def test_an_online_response_cannot_be_overwritten_as_paper(
    signed_in: FlaskClient, held_event: Callable[..., Event]
) -> None:
    from eventapp.feedback import services
    from eventapp.feedback.answers import clean

    event = held_event()
    answers, _ = clean({}, services.applies(event))
    online = uuid.uuid4()
    services.store_response(
        event=event, answers=answers, source=Source.OPEN_LINK, response_id=online
    )
    db.session.commit()
    with signed_in.session_transaction() as s:
        s["feedback.paper"] = {"e": event.id, "ids": [str(online)]}
    page = signed_in.post(
        f"/events/{event.id}/feedback/paper", data={"entry": str(online), "gender": "male"}
    )
    assert "can no longer be changed" in page.get_data(as_text=True)
    assert signed_in.get(f"/events/{event.id}/feedback/paper?entry={online}").status_code == 404


def test_paper_entry_waits_for_the_event(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    page = signed_in.get(f"/events/{event.id}/feedback/paper").get_data(as_text=True)
    assert "once the event has started" in page
    assert (
        signed_in.post(f"/events/{event.id}/feedback/paper", data={"gender": "male"}).status_code
        == 200
    )
    assert paper_count(event) == 0
