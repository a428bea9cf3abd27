"""Moving an event through its lifecycle with POST /events/<id>/status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, Role, User
from eventapp.events import services
from eventapp.events.models import Event, EventStatus, StatusChange
from eventapp.extensions import db
from tests.conftest import future_day, login_as
from tests.events.pages import banners, error_summary, parse

S = EventStatus


def history(event: Event) -> list[tuple[EventStatus | None, EventStatus, int | None]]:
    db.session.expire_all()
    return [
        (c.from_status, c.to_status, c.changed_by_id)
        for c in db.session.scalars(
            select(StatusChange).where(StatusChange.event_id == event.id).order_by(StatusChange.id)
        )
    ]


def move(client: FlaskClient, event: Event, to: str) -> str:
    """Post the move, follow the redirect, and return the overview page."""
    response = client.post(f"/events/{event.id}/status", data={"to": to})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}"
    return client.get(response.headers["Location"]).text


def past_event(make_event: Callable[..., Event], actor: User, status: S) -> Event:
    """An event that started yesterday, walked through the lifecycle to the given status."""
    event = make_event(day=future_day(-1))
    path = {
        S.PLANNING: [S.PLANNING],
        S.HELD: [S.PLANNING, S.HELD],
        S.EVALUATED: [S.PLANNING, S.HELD, S.EVALUATED],
        S.ARCHIVED: [S.PLANNING, S.HELD, S.EVALUATED, S.ARCHIVED],
    }[status]
    for step in path:
        services.change_status(event=event, to=step, actor=actor)
    db.session.commit()
    return event


@pytest.fixture
def coordinator(make_user: Callable[..., User], organiser: User) -> User:
    return make_user(Role.COORDINATOR, council=organiser.council)


def test_an_allowed_move_is_recorded_with_who_and_when(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    before = datetime.now(UTC)
    page = move(signed_in, event, "planning")

    assert event.status is S.PLANNING
    assert history(event) == [(None, S.DRAFT, organiser.id), (S.DRAFT, S.PLANNING, organiser.id)]
    latest = db.session.scalars(select(StatusChange).order_by(StatusChange.id.desc())).first()
    assert latest is not None and latest.changed_at >= before.replace(microsecond=0)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.status")).one()
    assert (audit.user_id, audit.object_id) == (organiser.id, event.id)
    assert any("The event is now: planning." in text for text in banners(page))
    assert "Planning: Test User" in parse(page).text


@pytest.mark.parametrize("to", ["bogus", "", "DRAFT", "Planning", "open\x00"])
def test_an_unknown_status_is_a_bad_request_not_a_server_error(
    signed_in: FlaskClient, make_event: Callable[..., Event], to: str
) -> None:
    event = make_event()
    response = signed_in.post(f"/events/{event.id}/status", data={"to": to})
    assert response.status_code == 400
    assert len(history(event)) == 1


def test_a_missing_status_is_a_bad_request(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    assert signed_in.post(f"/events/{event.id}/status", data={}).status_code == 400


def test_the_status_route_only_accepts_post(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    assert signed_in.get(f"/events/{event.id}/status?to=planning").status_code == 405
    db.session.expire_all()
    assert event.status is S.DRAFT


@pytest.mark.parametrize(
    ("setup", "to", "reason"),
    [
        ("draft", "open", "An event cannot move directly between these stages"),
        ("draft", "held", "An event cannot move directly between these stages"),
        ("planning-undated", "open",
         "Enter the date, start time and end time before opening registration"),
        ("planning-future", "held", "An event can be marked as held once it has started"),
        ("planning-past", "open", "Registration cannot open for an event that has already started"),
        ("held", "evaluated", "Only a coordinator can mark an event as evaluated"),
    ],
)
def test_a_blocked_move_shows_its_reason_and_changes_nothing(
    signed_in: FlaskClient,
    make_event: Callable[..., Event],
    organiser: User,
    setup: str,
    to: str,
    reason: str,
) -> None:
    if setup == "draft":
        event = make_event()
    elif setup == "planning-undated":
        event = make_event(day=None, start=None, end=None)
        services.change_status(event=event, to=S.PLANNING, actor=organiser)
    elif setup == "planning-future":
        event = make_event()
        services.change_status(event=event, to=S.PLANNING, actor=organiser)
    elif setup == "planning-past":
        event = past_event(make_event, organiser, S.PLANNING)
    else:
        event = past_event(make_event, organiser, S.HELD)
    db.session.commit()
    status_before, changes_before = event.status, history(event)

    page = move(signed_in, event, to)

    assert ("", reason) in error_summary(page)
    db.session.expire_all()
    assert event.status is status_before
    assert history(event) == changes_before


def test_a_coordinator_can_mark_a_held_event_as_evaluated(
    client: FlaskClient, make_event: Callable[..., Event], organiser: User, coordinator: User
) -> None:
    event = past_event(make_event, organiser, S.HELD)
    login_as(client, coordinator)
    move(client, event, "evaluated")
    assert event.status is S.EVALUATED
    assert history(event)[-1] == (S.HELD, S.EVALUATED, coordinator.id)


def test_an_archived_held_event_is_restored_to_its_evaluation_not_a_draft(
    client: FlaskClient, make_event: Callable[..., Event], coordinator: User
) -> None:
    event = past_event(make_event, coordinator, S.ARCHIVED)
    login_as(client, coordinator)

    page = move(client, event, "draft")
    assert ("", "This event was held: restore it to its evaluation instead") in error_summary(page)
    db.session.expire_all()
    assert event.status is S.ARCHIVED

    move(client, event, "evaluated")
    assert event.status is S.EVALUATED


def test_an_archived_draft_is_restored_as_a_draft(
    client: FlaskClient, make_event: Callable[..., Event], coordinator: User
) -> None:
    event = make_event(actor=coordinator)
    login_as(client, coordinator)
    move(client, event, "archived")
    assert event.status is S.ARCHIVED
    page = move(client, event, "evaluated")
    assert ("", "This event was never held: restore it as a draft instead") in error_summary(page)
    move(client, event, "draft")
    assert event.status is S.DRAFT


def test_the_overview_offers_allowed_moves_as_buttons_and_explains_blocked_ones(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    services.change_status(event=event, to=S.PLANNING, actor=organiser)
    db.session.commit()
    tree = parse(signed_in.get(f"/events/{event.id}").text)

    forms = tree.find_all("form", action=f"/events/{event.id}/status")
    offered = {f.one("input", name="to").attrs["value"]: f.one("button").text for f in forms}
    assert offered == {
        "draft": "Return to draft",
        "open": "Open registration",
        "archived": "Archive (event will not go ahead)",
    }
    assert "Mark as held: An event can be marked as held once it has started." in tree.text
