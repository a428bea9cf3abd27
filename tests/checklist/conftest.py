"""Fixtures for checklist tests: events moved in time, colleagues, and a SQL statement counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from eventapp.accounts.models import Role, User
from eventapp.checklist.models import ChecklistTask
from eventapp.checklist.services import event_day, london_today
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db


def details(event: Event, **changes: Any) -> event_services.EventDetails:
    """The event's details as the form would send them, with some changed."""
    fields: dict[str, Any] = {
        "title": event.title,
        "aims": event.aim_values,
        "day": event_day(event),
        "start": time(18, 0) if event.starts_at else None,
        "end": time(20, 0) if event.starts_at else None,
        "format": event.format,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "online_platform": event.online_platform,
        "joining_link": event.joining_link,
        "capacity": event.capacity,
        "home_office_speaking": event.home_office_speaking,
    }
    fields.update(changes)
    return event_services.EventDetails(**fields)


def save(event: Event, actor: User, **changes: Any) -> None:
    """Change an event through the events service (which sends event_saved) and commit."""
    event_services.update_event(event=event, actor=actor, details=details(event, **changes))
    db.session.commit()


def tasks_of(event: Event, *, removed: bool = False) -> dict[str, ChecklistTask]:
    """The event's handbook tasks by key (own tasks by title)."""
    query = select(ChecklistTask).where(ChecklistTask.event_id == event.id)
    query = query.where(
        ChecklistTask.removed_at.is_not(None) if removed else ChecklistTask.removed_at.is_(None)
    )
    return {t.template_key or t.title: t for t in db.session.scalars(query)}


def days_ahead(days: int) -> date:
    return london_today() + timedelta(days=days)


@pytest.fixture
def colleague(make_user: Callable[..., User], organiser: User) -> User:
    return make_user(Role.COORDINATOR, council=organiser.council)


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    """An organiser in another council."""
    return make_user(Role.ORGANISER)


