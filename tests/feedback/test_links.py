"""Personal links: emailed through the outbox to attendees, single use, reminders that say
nothing about who answered what, and no trace tying a response to its link."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import links
from eventapp.feedback.link_models import FeedbackInvited, FeedbackLink
from eventapp.feedback.models import FeedbackResponse, Source
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import Registration, RegistrationStatus

LINK = re.compile(r"/f/([A-Za-z0-9_-]{22,100})")


def attendee(event: Event, n: int, *, checked_in: bool = True, email: bool = True) -> Registration:
    now = datetime.now(UTC)
    person = Registration(
        event_id=event.id,
        status=RegistrationStatus.CONFIRMED,
        name=f"Attendee {n}",
        email=f"attendee{n}@example.org" if email else None,
        confirmed_at=now,
        checked_in_at=now if checked_in else None,
        walk_in=not email,
    )
    db.session.add(person)
    db.session.flush()
    return person


def raw_links(kind: str) -> dict[str, str]:
    """Each recipient's link in the messages of this kind (the newest per recipient)."""
    found = {}
    for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ):
        match = LINK.search(message.body_text)
        assert match, message.body_text
        found[message.recipient] = match.group(1)
    return found


def answer(client: FlaskClient, token: str, body: dict[str, str]) -> int:
    with client.session_transaction() as s:
        s.clear()
    first = client.post(f"/f/{token}", data=body)
    if first.status_code != 302:
        return first.status_code
    return client.post(f"/f/{token}/check", data={}).status_code


@pytest.fixture
def held_with_attendees(held_event: Callable[..., Event]) -> Event:
    event = held_event()
    for n in range(3):
        attendee(event, n)
    attendee(event, 3, checked_in=False)  # had a place, did not come: not sent a link
    attendee(event, 4, email=False)  # a walk-in without email: cannot be sent one
    db.session.commit()
    return event


def test_links_go_to_attendees_once(held_with_attendees: Event, organiser: User) -> None:
    event = held_with_attendees
    assert uow.run(links.send_links, event=event, actor=organiser) == 3
    assert uow.run(links.send_links, event=event, actor=organiser) == 0
    sent = raw_links(links.KIND_LINK)
    assert sorted(sent) == [f"attendee{n}@example.org" for n in range(3)]
    counts = links.link_counts(event)
    assert (counts.sent, counts.waiting, counts.to_send, counts.used) == (3, 3, 0, 0)
    # Only hashes are kept: no raw token in the link table.
    stored = " ".join(db.session.scalars(select(FeedbackLink.token_hash)))
    assert not any(token in stored for token in sent.values())


def test_a_link_works_once(app: Flask, held_with_attendees: Event, organiser: User) -> None:
    event = held_with_attendees
    uow.run(links.send_links, event=event, actor=organiser)
    token = raw_links(links.KIND_LINK)["attendee0@example.org"]
    client = app.test_client()
    assert client.get(f"/f/{token}").status_code == 200
    assert answer(client, token, {"gender": "female", "knowledge_before": "poor"}) == 302
    response = db.session.scalar(select(FeedbackResponse))
    assert response is not None and response.source is Source.PERSONAL_LINK
    again = client.get(f"/f/{token}")
    assert again.status_code == 404 and "already been used" in again.get_data(as_text=True)
    other = app.test_client()
    assert answer(other, token, {"gender": "male"}) == 404
    assert db.session.scalar(select(func.count()).select_from(FeedbackResponse)) == 1
    assert links.link_counts(event).waiting == 2


def test_reminders_replace_unused_links_only(
    app: Flask, held_with_attendees: Event, organiser: User
) -> None:
    event = held_with_attendees
    uow.run(links.send_links, event=event, actor=organiser)
    first = raw_links(links.KIND_LINK)
    assert answer(app.test_client(), first["attendee1@example.org"], {}) == 302
    assert uow.run(links.send_reminders, event=event, actor=organiser) == 2
    reminded = raw_links(links.KIND_REMINDER)
    assert sorted(reminded) == ["attendee0@example.org", "attendee2@example.org"]
    # The old link of someone reminded no longer works; the new one does, once.
    assert app.test_client().get(f"/f/{first['attendee0@example.org']}").status_code == 404
    assert answer(app.test_client(), reminded["attendee0@example.org"], {}) == 302
    assert links.link_counts(event).waiting == 1


def test_link_tables_hold_nothing_that_joins_a_response(app: object) -> None:
    inspector = inspect(db.engine)
    assert {c["name"] for c in inspector.get_columns("feedback_link")} == {
        "id",
        "event_id",
        "registration_id",
        "token_hash",
        "sends",
    }
    assert {c["name"] for c in inspector.get_columns("feedback_invited")} == {
        "event_id",
        "registration_id",
    }


def test_which_link_gave_which_response_cannot_be_told(
    app: Flask, held_event: Callable[..., Event], organiser: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Six attendees answer by their links in a known order, each recognisable by their
    text. Afterwards the stored rows (links, invitations, responses, the outbox) and the log
    tie no response to a person: the used links are gone, every response column but the
    random id is equal, and sorting by anything stored does not give the order back."""
    event = held_event()
    people = [attendee(event, n) for n in range(8)]
    db.session.commit()
    uow.run(links.send_links, event=event, actor=organiser)
    sent = raw_links(links.KIND_LINK)
    caplog.set_level(logging.DEBUG)
    order = [3, 0, 5, 1, 7, 2]
    for position, n in enumerate(order):
        token = sent[people[n].email or ""]
        assert (
            answer(
                app.test_client(), token, {"heard": "other", "heard_other": f"Answer {position}"}
            )
            == 302
        )
    remaining = set(db.session.scalars(select(FeedbackLink.registration_id)))
    assert remaining == {people[4].id, people[6].id}  # who has not answered: allowed to know
    assert len(set(db.session.scalars(select(FeedbackInvited.registration_id)))) == 8
    responses = list(db.session.scalars(select(FeedbackResponse)))
    for column in ("event_id", "channel", "source", "submitted_on"):
        assert len({getattr(r, column) for r in responses}) == 1
    for token in sent.values():
        assert token not in caplog.text
    for response in responses:
        assert str(response.id) not in caplog.text
    assert "Answer " not in caplog.text
    # Reminders go to the two who have not answered, and to nobody else.
    uow.run(links.send_reminders, event=event, actor=organiser)
    assert sorted(raw_links(links.KIND_REMINDER)) == sorted([people[4].email, people[6].email])


def test_feedback_page_sends_links_and_shows_the_rate(
    signed_in: FlaskClient, held_with_attendees: Event
) -> None:
    event = held_with_attendees
    page = signed_in.get(f"/events/{event.id}/feedback/").get_data(as_text=True)
    assert "Email personal links to 3 attendees" in page
    assert "Response rate: 0% of 4 people who attended" in page
    assert signed_in.post(f"/events/{event.id}/feedback/links", data={}).status_code == 302
    page = signed_in.get(f"/events/{event.id}/feedback/").get_data(as_text=True)
    assert "Sent to 3 attendees; 3 have not used theirs yet." in page
    assert "Send a reminder to 3 attendees" in page
    assert signed_in.post(f"/events/{event.id}/feedback/reminders", data={}).status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == links.KIND_REMINDER)
        )
        == 3
    )
