"""Feedback fixtures: an event that has been held (its feedback form open) and helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.feedback import annex_a


def all_answered(event: Event) -> dict[str, str]:
    """A body answering every item asked at the event with its first option (Other: text)."""
    from eventapp.feedback import services
    from eventapp.feedback.answers import items_for

    body: dict[str, str] = {}
    for item, options in items_for(services.applies(event)):
        body[item.key] = options[-1] if item.has_other else options[0]
        if item.has_other:
            body[item.key + "_other"] = "Youth work"
    return body


@pytest.fixture
def held_event(make_event: Callable[..., Event]) -> Callable[..., Event]:
    """An event that started yesterday (or ``days_ago``) and was held: its form is open."""

    def make(
        days_ago: int = 1, video: bool = True, home_office: bool = True, **overrides: Any
    ) -> Event:
        day = (datetime.now(UTC) - timedelta(days=days_ago)).date()
        event = make_event(day=day, start=time(10, 0), end=time(12, 0), **overrides)
        event.status = EventStatus.HELD
        event.intro_video = video
        event.home_office_speaking = home_office
        db.session.commit()
        return event

    return make


def send(client: FlaskClient, event: Event, body: dict[str, str]) -> Any:
    """Fill in the public form, then send it from "Check your answers"."""
    slug = event.public_slug
    first = client.post(f"/e/{slug}/feedback", data=body)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert first.headers["Location"].endswith(f"/e/{slug}/feedback/check")
    return client.post(f"/e/{slug}/feedback/check", data={})


__all__ = ["all_answered", "annex_a", "send"]
