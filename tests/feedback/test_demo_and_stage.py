"""Demo responses, the organiser's Feedback page and the overview's stage."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp import demo
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import services
from eventapp.feedback.answers import Answer, valid
from eventapp.feedback.demo import PAST_TITLE
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse, FeedbackSettings
from tests.feedback.conftest import send


def test_demo_gives_a_past_event_48_plausible_responses_once(app: object) -> None:
    demo.load()
    demo.load()
    event = db.session.scalar(select(Event).where(Event.title == PAST_TITLE))
    assert event is not None
    counts = services.counts(event)
    assert (counts.total, counts.online, counts.paper) == (48, 36, 12)
    for response in db.session.scalars(select(FeedbackResponse)):
        answers = {a.item: Answer(a.option, a.other_text) for a in response.answers}
        assert valid(answers, services.applies(event))

    # Knowledge goes up on the whole, as it would after a good event.
    def mean(item: str) -> float:
        scores = {"very_poor": 1, "poor": 2, "good": 3, "very_good": 4}
        values = [
            scores[o]
            for o in db.session.scalars(
                select(FeedbackAnswer.option).where(FeedbackAnswer.item == item)
            )
            if o in scores
        ]
        return sum(values) / len(values)

    assert mean("knowledge_after") > mean("knowledge_before")


def test_feedback_page_shows_window_link_and_counts(
    signed_in: FlaskClient, held_event: Callable[..., Event], app: Flask
) -> None:
    client = app.test_client()
    event = held_event()
    page = signed_in.get(f"/events/{event.id}/feedback/").get_data(as_text=True)
    assert "No responses yet" in page
    assert f"/e/{event.public_slug}/feedback" in page and "<svg" in page
    overview = signed_in.get(f"/events/{event.id}").get_data(as_text=True)
    assert "The form is open: no responses yet." in overview
    for _ in range(3):
        with client.session_transaction() as s:
            s.clear()
        send(client, event, {})
    page = signed_in.get(f"/events/{event.id}/feedback/").get_data(as_text=True)
    assert "3 responses, 3 online, 0 paper" in page
    assert "stay hidden until there are at least 5 responses" in page
    assert "3 responses, 3 online, 0 paper." in signed_in.get(f"/events/{event.id}").get_data(
        as_text=True
    )
    screen = signed_in.get(f"/events/{event.id}/feedback/screen").get_data(as_text=True)
    assert f"/e/{event.public_slug}/feedback" in screen


def test_window_days_close_and_reopen(
    signed_in: FlaskClient, held_event: Callable[..., Event], app: Flask
) -> None:
    client = app.test_client()
    event = held_event(days_ago=5)
    refused = signed_in.post(f"/events/{event.id}/feedback/", data={"days_open": "91"})
    assert "between 0 and 90" in refused.get_data(as_text=True)
    assert (
        signed_in.post(f"/events/{event.id}/feedback/", data={"days_open": "3"}).status_code == 302
    )
    assert db.session.get(FeedbackSettings, event.id).days_open == 3  # type: ignore[union-attr]
    assert "The feedback form is closed" in client.get(f"/e/{event.public_slug}/feedback").get_data(
        as_text=True
    )
    signed_in.post(f"/events/{event.id}/feedback/", data={"days_open": "14"})
    assert "Community Feedback Form" in client.get(f"/e/{event.public_slug}/feedback").get_data(
        as_text=True
    )
    signed_in.post(f"/events/{event.id}/feedback/close", data={})
    assert "The feedback form is closed" in client.get(f"/e/{event.public_slug}/feedback").get_data(
        as_text=True
    )
    signed_in.post(f"/events/{event.id}/feedback/reopen", data={})
    assert "Community Feedback Form" in client.get(f"/e/{event.public_slug}/feedback").get_data(
        as_text=True
    )


def test_open_early(
    signed_in: FlaskClient, make_event: Callable[..., Event], client: FlaskClient
) -> None:
    from eventapp.events.models import EventStatus

    event = make_event()
    event.status = EventStatus.OPEN
    db.session.commit()
    assert "not open yet" in client.get(f"/e/{event.public_slug}/feedback").get_data(as_text=True)
    signed_in.post(f"/events/{event.id}/feedback/open", data={})
    assert "Community Feedback Form" in client.get(f"/e/{event.public_slug}/feedback").get_data(
        as_text=True
    )


def test_count_is_one_query(
    held_event: Callable[..., Event], count_queries: Callable[..., object]
) -> None:
    event = held_event()
    with count_queries() as counted:  # type: ignore[attr-defined]
        services.counts(event)
    assert sum("FROM feedback_response" in q for q in counted.statements) == 1
    assert db.session.scalar(select(func.count()).select_from(FeedbackResponse)) == 0
