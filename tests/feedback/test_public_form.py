"""The public form: fill in, check, send, thank you; blanks, Other, the window, repeats."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.feedback import annex_a
from eventapp.feedback.models import Channel, FeedbackAnswer, FeedbackResponse, Source
from tests.feedback.conftest import all_answered, send


def stored(event: Event) -> dict[str, tuple[str | None, str | None]]:
    rows = db.session.execute(
        select(FeedbackAnswer.item, FeedbackAnswer.option, FeedbackAnswer.other_text)
        .join(FeedbackResponse)
        .where(FeedbackResponse.event_id == event.id)
    ).all()
    return {item: (option, text) for item, option, text in rows}


def response_count(event: Event) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(FeedbackResponse)
            .where(FeedbackResponse.event_id == event.id)
        )
        or 0
    )


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_fill_check_send_thank_you(client: FlaskClient, held_event: Callable[..., Event]) -> None:
    event = held_event()
    page = client.get(f"/e/{event.public_slug}/feedback")
    assert page.status_code == 200
    assert annex_a.INTRODUCTION in text_of(page.get_data(as_text=True))
    body = all_answered(event)
    first = client.post(f"/e/{event.public_slug}/feedback", data=body)
    check = client.get(first.headers["Location"])
    words = text_of(check.get_data(as_text=True))
    assert "Check your answers" in words and "Youth work" in words and "Male" in words
    assert response_count(event) == 0  # nothing is stored before sending
    sent = client.post(f"/e/{event.public_slug}/feedback/check", data={})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/feedback/thanks")
    assert "Feedback sent" in client.get(sent.headers["Location"]).get_data(as_text=True)
    answers = stored(event)
    assert answers["gender"] == ("male", None)
    assert answers["sector"] == ("other", "Youth work")
    assert answers["heard"] == ("other", "Youth work")
    assert set(answers) == set(annex_a.ITEM_KEYS)
    response = db.session.scalar(select(FeedbackResponse))
    assert response is not None
    assert response.channel is Channel.ONLINE and response.source is Source.OPEN_LINK
    assert (
        response.submitted_on == datetime.now(UTC).date()
        or abs((response.submitted_on - datetime.now(UTC).date()).days) <= 1
    )


def test_every_question_may_be_left_blank(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    send(client, event, {})
    answers = stored(event)
    assert set(answers) == set(annex_a.ITEM_KEYS)
    assert all(value == (None, None) for value in answers.values())


def test_video_question_and_options_only_when_they_applied(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event(video=False, home_office=False)
    words = text_of(client.get(f"/e/{event.public_slug}/feedback").get_data(as_text=True))
    assert annex_a.QUESTIONS[6].stem not in words
    assert "Video (if applicable)" not in words
    assert "Q&A with Home Office representative (if applicable)" not in words
    assert client.post(f"/e/{event.public_slug}/feedback", data={"video": "yes"}).status_code == 302
    client.post(f"/e/{event.public_slug}/feedback/check", data={})
    assert "video" not in stored(event)  # not asked: no row at all
    other = held_event(video=False, home_office=False)
    refused = client.post(f"/e/{other.public_slug}/feedback", data={"element": "video"})
    assert refused.status_code == 200
    assert "Select one of the answers" in refused.get_data(as_text=True)


def test_rendered_page_has_every_stem_and_option_in_annex_a_order(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    words = text_of(client.get(f"/e/{event.public_slug}/feedback").get_data(as_text=True))
    position = words.index(annex_a.INTRODUCTION)
    for question in annex_a.QUESTIONS:
        position = words.index(question.stem, position)
        for item in question.items:
            if item.text:
                position = words.index(item.text, position)
            for option in item.options:
                position = words.index(option.label, position) + len(option.label)


def test_other_needs_its_text_and_a_limit(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    missing = client.post(f"/e/{event.public_slug}/feedback", data={"sector": "other"})
    assert missing.status_code == 200
    assert "Enter the sector you work in" in missing.get_data(as_text=True)
    long = client.post(
        f"/e/{event.public_slug}/feedback", data={"heard": "other", "heard_other": "x" * 201}
    )
    assert "must be 200 characters or fewer" in long.get_data(as_text=True)
    # Text without choosing Other is dropped, not stored.
    send(client, event, {"sector": "charity", "sector_other": "ignored"})
    assert stored(event)["sector"] == ("charity", None)


def test_a_crafted_option_is_refused(client: FlaskClient, held_event: Callable[..., Event]) -> None:
    event = held_event()
    for body in ({"age": "99"}, {"gender": "Male"}, {"knowledge_after": "excellent"}):
        page = client.post(f"/e/{event.public_slug}/feedback", data=body)
        assert page.status_code == 200
    assert response_count(event) == 0


def test_sending_twice_stores_once(client: FlaskClient, held_event: Callable[..., Event]) -> None:
    event = held_event()
    client.post(f"/e/{event.public_slug}/feedback", data=all_answered(event))
    with client.session_transaction() as kept:
        before = dict(kept)
    assert client.post(f"/e/{event.public_slug}/feedback/check", data={}).status_code == 302
    # The same request again, as a double-click would send it (the cookie from before).
    with client.session_transaction() as again:
        again.clear()
        again.update(before)
    assert client.post(f"/e/{event.public_slug}/feedback/check", data={}).status_code == 302
    assert response_count(event) == 1


def test_this_browser_is_told_it_already_answered(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    event = held_event()
    send(client, event, {"gender": "female"})
    page = client.get(f"/e/{event.public_slug}/feedback")
    assert "You have already sent feedback" in page.get_data(as_text=True)
    with client.session_transaction() as kept:
        assert "feedback.draft" not in kept
        assert kept["feedback.sent"] == [event.public_slug]


def test_the_form_says_plainly_when_it_is_not_open(
    client: FlaskClient, held_event: Callable[..., Event], make_event: Callable[..., Event]
) -> None:
    upcoming = make_event()
    upcoming.status = EventStatus.OPEN
    db.session.commit()
    page = client.get(f"/e/{upcoming.public_slug}/feedback").get_data(as_text=True)
    assert "The feedback form is not open yet" in page
    old = held_event(days_ago=20)
    page = client.get(f"/e/{old.public_slug}/feedback").get_data(as_text=True)
    assert "The feedback form is closed" in page
    assert client.post(f"/e/{old.public_slug}/feedback", data={}).status_code == 200
    assert response_count(old) == 0


def test_closing_early_stops_a_send_on_the_check_page(
    client: FlaskClient, held_event: Callable[..., Event], organiser: object
) -> None:
    from eventapp import uow
    from eventapp.feedback import services

    event = held_event()
    client.post(f"/e/{event.public_slug}/feedback", data={"gender": "male"})
    uow.run(
        services.close_form,
        event=event,
        actor=organiser,
        now=datetime.now(UTC) - timedelta(seconds=1),
    )
    page = client.post(f"/e/{event.public_slug}/feedback/check", data={})
    assert "The feedback form is closed" in page.get_data(as_text=True)
    assert response_count(event) == 0


def test_draft_events_have_no_form(client: FlaskClient, make_event: Callable[..., Event]) -> None:
    event = make_event()
    assert client.get(f"/e/{event.public_slug}/feedback").status_code == 404


def test_sending_needs_the_csrf_token(
    client: FlaskClient, held_event: Callable[..., Event], csrf_on: object
) -> None:
    """The security walker cannot reach "Check your answers" with answers waiting (they
    live in the session), so its CSRF check is here: no token, nothing stored."""
    from tests.security.conftest import csrf_token_from

    event = held_event()
    page = client.get(f"/e/{event.public_slug}/feedback").get_data(as_text=True)
    token = csrf_token_from(page)
    assert (
        client.post(f"/e/{event.public_slug}/feedback", data={"csrf_token": token}).status_code
        == 302
    )
    for bad in ({}, {"csrf_token": "not-a-real-token"}):
        assert client.post(f"/e/{event.public_slug}/feedback/check", data=bad).status_code == 400
    assert response_count(event) == 0
    sent = client.post(f"/e/{event.public_slug}/feedback/check", data={"csrf_token": token})
    assert sent.status_code == 302
    assert response_count(event) == 1
