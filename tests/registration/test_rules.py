"""Closing dates, rate limits, and logs that never hold attendees' personal data or tokens."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.registration import services
from eventapp.registration.models import Registration, RegistrationSettings
from tests.registration.conftest import FORM, link_in, mails, register, register_and_confirm


def test_a_closed_event_says_so_and_takes_nothing(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event()
    settings = db.session.get(RegistrationSettings, event.id)
    assert settings is not None
    settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Registration for this event has closed" in client.get(
        f"/e/{event.public_slug}"
    ).get_data(as_text=True)
    response = register(client, event)
    assert response.status_code == 200
    assert "Registration for this event has closed" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert services.availability(event) is services.Availability.CLOSED


def test_the_form_is_rate_limited_per_address(
    app: Flask, client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    app.config["REGISTRATION_LIMIT_PER_IP"] = "3 per hour"
    event = open_event(capacity=50)
    for n in range(3):
        assert register(client, event, email=f"r{n}@example.org").status_code == 302
    refused = register(client, event, email="r9@example.org")
    assert refused.status_code == 429
    assert db.session.scalar(select(func.count(Registration.id))) == 3


def test_the_form_is_rate_limited_per_event_from_all_addresses(
    app: Flask, client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """REGISTRATION_LIMIT_PER_EVENT: a flood from many addresses stops at the event's limit,
    each address well under its own, and other events still take registrations."""
    app.config["REGISTRATION_LIMIT_PER_EVENT"] = "3 per hour"
    event, other = open_event(capacity=50), open_event(capacity=50)

    def from_address(target: Event, n: int) -> int:
        return int(
            client.post(
                f"/e/{target.public_slug}/register",
                data={**FORM, "email": f"r{n}@example.org"},
                environ_base={"REMOTE_ADDR": f"192.0.2.{n}"},
            ).status_code
        )

    assert [from_address(event, n) for n in range(1, 5)] == [302, 302, 302, 429]
    assert from_address(other, 5) == 302  # counted per event, not for all events together
    counts = dict(
        db.session.execute(
            select(Registration.event_id, func.count()).group_by(Registration.event_id)
        ).all()
    )
    assert counts == {event.id: 3, other.id: 1}


def test_logs_never_hold_names_emails_or_tokens(
    client: FlaskClient, open_event: Callable[..., Event], caplog: pytest.LogCaptureFixture
) -> None:
    event = open_event(capacity=1)
    caplog.set_level(logging.DEBUG)
    own = register_and_confirm(client, event, "secret.person@example.org", name="Zanzibar Q")
    register_and_confirm(client, event, "second.person@example.org", name="Yolanda Q")
    client.get(own)
    client.post(own.rstrip("/") + "/needs", data={"access_needs": "Ramp"})
    client.post(own.rstrip("/") + "/cancel", data={"submit": "y"})
    confirm = link_in(mails("registration_confirm")[0], "/r/confirm/")
    text = "\n".join(r.getMessage() for r in caplog.records)
    secrets = [FORM["name"], "Zanzibar", "Yolanda", "secret.person", "second.person",
               own.split("/")[-1], confirm.split("/")[-1]]
    assert [s for s in secrets if s in text] == []
