"""Registration fixtures: an open event, and helpers to register and read the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import ApprovalMode, Registration, RegistrationSettings

FORM = {
    "name": "Asha Patel",
    "email": "Asha@Example.org",
    "organisation": "Grays Academy",
    "sector": "education_schools",
    "role": "Safeguarding lead",
    "access_needs": "Step-free access",
    "dietary_needs": "Vegetarian",
    "question": "How are referrals handled?",
    "consent": "y",
}


@pytest.fixture
def open_event(make_event: Callable[..., Event]) -> Callable[..., Event]:
    """An event open for registration, with the given capacity and mode."""

    def make(capacity: int | None = 2, mode: ApprovalMode = ApprovalMode.AUTOMATIC,
             **overrides: Any) -> Event:
        event = make_event(capacity=capacity, **overrides)
        event.status = EventStatus.OPEN
        db.session.add(RegistrationSettings(event_id=event.id, mode=mode))
        db.session.commit()
        return event

    return make


def mails(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id)
    )
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.recipient == to)
    return list(db.session.scalars(query))


def link_in(message: OutboxMessage, path: str) -> str:
    """The path of the first link in the message starting with ``path`` (like "/r/")."""
    match = re.search(rf"http://localhost({re.escape(path)}[A-Za-z0-9_\-]+)", message.body_text)
    assert match, f"no {path} link in: {message.body_text}"
    return match.group(1)


def register(client: FlaskClient, event: Event, **changes: str) -> Any:
    return client.post(f"/e/{event.public_slug}/register", data={**FORM, **changes})


def register_and_confirm(client: FlaskClient, event: Event, email: str, name: str = "Person") -> str:
    """Register and confirm; returns the path of the registrant's own page."""
    response = register(client, event, email=email, name=name)
    assert response.status_code == 302, response.get_data(as_text=True)
    confirm = link_in(mails("registration_confirm", to=email)[-1], "/r/confirm/")
    response = client.post(confirm, data={"submit": "y"})
    assert response.status_code == 302
    return str(response.headers["Location"]).replace("http://localhost", "")


def registration(email: str) -> Registration:
    row = db.session.scalar(select(Registration).where(Registration.email == email))
    assert row is not None
    db.session.refresh(row)
    return row


@pytest.fixture
def app_ctx(app: Flask) -> Flask:
    return app
