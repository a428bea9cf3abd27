"""The public form: register, confirm the email, the own page, duplicates and the honeypot."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registration import queries
from eventapp.registration.models import Registration, RegistrationStatus
from tests.registration.conftest import (
    link_in,
    mails,
    register,
    register_and_confirm,
    registration,
)


def test_register_confirm_and_see_own_page(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    page = client.get(f"/e/{event.public_slug}").get_data(as_text=True)
    assert "Register for a place" in page
    form = client.get(f"/e/{event.public_slug}/register")
    assert form.status_code == 200
    assert "Which of the following best represents the sector you currently work in?" in (
        form.get_data(as_text=True)
    )
    response = register(client, event)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-your-email")
    row = registration("asha@example.org")
    assert row.status is RegistrationStatus.UNCONFIRMED
    assert queries.attendance(event.id).confirmed == 0
    message = mails("registration_confirm")[-1]
    assert message.recipient == "asha@example.org"
    confirm = link_in(message, "/r/confirm/")
    # Opening the link (a mail scanner does) changes nothing.
    assert client.get(confirm).status_code == 200
    assert registration("asha@example.org").status is RegistrationStatus.UNCONFIRMED
    response = client.post(confirm, data={"submit": "y"})
    assert response.status_code == 302
    assert registration("asha@example.org").status is RegistrationStatus.CONFIRMED
    own = client.get(response.headers["Location"])
    text = own.get_data(as_text=True)
    assert "Confirmed" in text and "Asha Patel" in text
    assert "1 High Street" not in text  # not released yet (the event is weeks away)
    assert own.headers["Cache-Control"].startswith("no-store") or "no-store" in own.headers[
        "Cache-Control"
    ]
    # The confirmation link works once.
    assert client.post(confirm, data={"submit": "y"}).status_code == 404
    figures = queries.attendance(event.id)
    assert (figures.registered, figures.confirmed, figures.attended) == (1, 1, 0)
    assert [r.email for r in queries.confirmed_attendees(event.id)] == ["asha@example.org"]


def test_registering_twice_gives_one_registration(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    register_and_confirm(client, event, "twice@example.org")
    first = register(client, event, email="TWICE@example.org")
    assert first.headers["Location"].endswith("/register/check-your-email")
    count = db.session.scalar(select(func.count(Registration.id)))
    assert count == 1
    reminder = mails("registration_status", to="twice@example.org")[-1]
    assert "already registered" in reminder.subject


def test_honeypot_keeps_nothing(client: FlaskClient, open_event: Callable[..., Event]) -> None:
    event = open_event()
    response = register(client, event, website="http://spam.example")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert mails() == []


def test_full_event_offers_waiting_list_and_cancel_promotes(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=1)
    first = register_and_confirm(client, event, "first@example.org")
    page = client.get(f"/e/{event.public_slug}").get_data(as_text=True)
    assert "Join the waiting list" in page
    register_and_confirm(client, event, "second@example.org")
    register_and_confirm(client, event, "third@example.org")
    assert registration("second@example.org").status is RegistrationStatus.WAITING
    own = client.get(first).get_data(as_text=True)
    assert "Cancel my registration" in own
    assert client.post(first.rstrip("/") + "/cancel", data={"submit": "y"}).status_code == 302
    assert registration("first@example.org").status is RegistrationStatus.CANCELLED
    assert registration("second@example.org").status is RegistrationStatus.CONFIRMED
    assert registration("third@example.org").status is RegistrationStatus.WAITING
    promoted = mails("registration_status", to="second@example.org")[-1]
    assert "confirmed" in promoted.subject


def test_errors_are_instructions(client: FlaskClient, open_event: Callable[..., Event]) -> None:
    event = open_event()
    response = client.post(f"/e/{event.public_slug}/register", data={"email": "not an email"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Enter your full name", "Enter an email address in the correct format",
                    "Select the sector you currently work in",
                    "Confirm that you have read the privacy notice"):
        assert message in text
