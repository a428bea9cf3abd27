"""The organiser's pages read the same number of queries for 3 registrations as for 60
(QUALITY 22)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from flask.testing import FlaskClient

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.registration.models import Registration, RegistrationStatus
from tests.conftest import Counted


def _add(event: Event, count: int, start: int) -> None:
    now = utcnow()
    statuses = list(RegistrationStatus)
    db.session.add_all(
        Registration(
            event_id=event.id, name=f"Person {n}", email=f"p{n}@example.org",
            organisation=f"Org {n % 7}", status=statuses[n % len(statuses)],
            confirmed_at=now, waitlisted_at=now,
        )
        for n in range(start, start + count)
    )
    db.session.commit()


def test_pages_do_not_grow_with_registrations(
    signed_in: FlaskClient, open_event: Callable[..., Event],
    count_queries: Callable[[], AbstractContextManager[Counted]],
) -> None:
    event = open_event(capacity=100)
    pages = [f"/events/{event.id}/registrations/", f"/events/{event.id}/registrations/check-in",
             f"/events/{event.id}/registrations/sign-in-sheet", f"/events/{event.id}"]
    _add(event, 3, 0)
    small = {}
    for page in pages:
        with count_queries() as counted:
            assert signed_in.get(page).status_code == 200
        small[page] = counted.count
    _add(event, 57, 3)
    for page in pages:
        with count_queries() as counted:
            assert signed_in.get(page).status_code == 200
        assert counted.count == small[page], page
    print(f"\nqueries per page: {small}")
