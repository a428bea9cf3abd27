"""Pages issue the same number of SQL statements however many rows they show (QUALITY.md 22)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.audience import services as audience_services
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Aim
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Metric
from tests.conftest import Counted, future_day

CountQueries = Callable[[], AbstractContextManager[Counted]]


def queries_for(client: FlaskClient, count_queries: CountQueries, url: str) -> Counted:
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200
    return counted


def describe(small: Counted, large: Counted) -> str:
    return "statements with few rows:\n  " + "\n  ".join(small.statements) + (
        "\nstatements with many rows:\n  " + "\n  ".join(large.statements)
    )


def make_events(make_event: Callable[..., Event], actor: User, n: int, status: EventStatus) -> None:
    for i in range(n):
        event = make_event(title=f"Event {i}", aims=[Aim.AWARENESS, Aim.ADVOCACY],
                           day=future_day(10 + i))
        event.status = status
    db.session.commit()


@pytest.mark.parametrize(
    ("show", "status"),
    [("upcoming", EventStatus.PLANNING), ("drafts", EventStatus.DRAFT)],
)
def test_events_list_does_not_grow_with_events(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User,
    count_queries: CountQueries, show: str, status: EventStatus,
) -> None:
    make_events(make_event, organiser, 2, status)
    small = queries_for(signed_in, count_queries, f"/events/?show={show}")
    make_events(make_event, organiser, 28, status)
    large = queries_for(signed_in, count_queries, f"/events/?show={show}")
    assert signed_in.get(f"/events/?show={show}").text.count("Event ") >= 30
    assert small.count == large.count, describe(small, large)


def fill(event: Event, actor: User, n: int, make_user: Callable[..., User]) -> None:
    """Give the event n objectives, n target organisations and n status changes by n people."""
    for i in range(n):
        objective_services.add_objective(
            event=event, actor=actor,
            details=objective_services.ObjectiveDetails(
                statement=f"Objective {i}", specific_who="Safeguarding leads",
                specific_what="Understanding", metric=Metric.ATTENDANCE,
                target_value=Decimal(10 + i), attainable_reason="Network support",
                relevant_aim=Aim.AWARENESS, measure_by=future_day(90),
            ),
        )
    audience_services.add_organisations(
        event=event, actor=actor,
        items=[audience_services.ParsedOrganisation(f"School {i}", i) for i in range(n)],
    )
    for i in range(n):
        target = EventStatus.PLANNING if i % 2 == 0 else EventStatus.DRAFT
        colleague = make_user(council=actor.council)
        event_services.change_status(event=event, to=target, actor=colleague)
    db.session.commit()


@pytest.mark.parametrize(
    "page",
    ["/events/{id}", "/events/{id}/objectives/", "/events/{id}/audience/"],
    ids=["overview", "objectives", "audience"],
)
def test_event_pages_do_not_grow_with_objectives_or_organisations(
    signed_in: FlaskClient, make_event: Callable[..., Event], make_user: Callable[..., User],
    organiser: User, count_queries: CountQueries, page: str,
) -> None:
    one, twenty = make_event(title="Small"), make_event(title="Large")
    fill(one, organiser, 1, make_user)
    fill(twenty, organiser, 20, make_user)
    small = queries_for(signed_in, count_queries, page.format(id=one.id))
    large = queries_for(signed_in, count_queries, page.format(id=twenty.id))
    assert small.count == large.count, describe(small, large)


def test_the_counter_sees_every_statement(
    signed_in: FlaskClient, make_event: Callable[..., Event], count_queries: CountQueries
) -> None:
    """A negative control: a page that loads rows one by one would be caught."""
    events = [make_event(title=f"Event {i}") for i in range(3)]
    with count_queries() as counted:
        for event in events:
            db.session.get(Event, event.id)
    assert counted.count == 3
