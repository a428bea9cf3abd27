"""Question fixtures: an event open for questions, and helpers to ask and vote through HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.questions import services
from eventapp.questions.models import Question, WhoMayAsk


@pytest.fixture
def open_event(make_event: Callable[..., Event], organiser: User) -> Event:
    """A public event taking questions without approval, from anyone with the link."""
    event = make_event()
    event.status = EventStatus.OPEN
    services.save_settings(
        event=event,
        actor=organiser,
        is_open=True,
        needs_approval=False,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    return event


def ask(client: FlaskClient, event: Event, text: str, **fields: Any) -> Any:
    body = {"text": text, "identity": "anonymous", **fields}
    return client.post(f"/e/{event.public_slug}/questions/ask", data=body)


def vote(client: FlaskClient, event: Event, question: Question, up: bool = True) -> Any:
    return client.post(
        f"/e/{event.public_slug}/questions/{question.id}/vote",
        data={"vote": "up" if up else "withdraw"},
    )


def question_by_text(text: str) -> Question:
    from sqlalchemy import select

    db.session.expire_all()
    found = db.session.scalar(select(Question).where(Question.text == text))
    assert found is not None, text
    return found


def own_page(app: Any, event: Event, email: str, name: str = "Sam Asker") -> str:
    """A confirmed registrant's own page path, /r/<token>, registering in a browser of its own
    (the event takes registrations automatically; no question on the registration form)."""
    from eventapp.registration.models import ApprovalMode, RegistrationSettings
    from tests.registration.conftest import register, register_and_confirm

    if db.session.get(RegistrationSettings, event.id) is None:
        db.session.add(RegistrationSettings(event_id=event.id, mode=ApprovalMode.AUTOMATIC))
    event.capacity = max(event.capacity or 0, 10)
    db.session.commit()
    client = app.test_client()
    register(client, event, email=email, name=name, question="")
    return register_and_confirm(client, event, email, name=name)
