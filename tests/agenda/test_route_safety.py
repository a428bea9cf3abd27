"""Agenda routes are safe: council scoping, roles, CSRF, constant queries, fuzzed input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventapp.accounts.models import Role, User
from eventapp.agenda import services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.events.models import Event
from tests.agenda.conftest import (
    VALID,
    AddItem,
    page,
    positions,
    table_rows,
    titles,
    url,
)
from tests.conftest import counting_queries, login_as

# --- Access -----------------------------------------------------------------


@pytest.fixture
def theirs(make_user: Callable[..., User], make_event: Callable[..., Event],
           add_item: AddItem) -> tuple[Event, AgendaItem]:
    """Another council's event and agenda item."""
    stranger = make_user(Role.ORGANISER)
    event = make_event(actor=stranger, title="Their event")
    return event, add_item(event, "Their item")


def test_another_councils_agenda_is_not_found(
    signed_in: FlaskClient, theirs: tuple[Event, AgendaItem]
) -> None:
    event, item = theirs
    for path in ("", "print", "new", f"{item.id}/edit", f"{item.id}/delete"):
        assert signed_in.get(url(event, path)).status_code == 404, path
    for path, data in (("new", VALID), (f"{item.id}/edit", VALID), (f"{item.id}/delete", {}),
                       (f"{item.id}/move", {"direction": "up"}), ("example", {})):
        assert signed_in.post(url(event, path), data=data).status_code == 404, path
    assert titles(event) == ["Their item"]


def test_another_councils_item_under_my_event_is_not_found(
    signed_in: FlaskClient, evening: Event, add_item: AddItem,
    theirs: tuple[Event, AgendaItem],
) -> None:
    add_item(evening, "Mine")
    _, item = theirs
    for path in (f"{item.id}/edit", f"{item.id}/delete"):
        assert signed_in.get(url(evening, path)).status_code == 404, path
    for path, data in ((f"{item.id}/edit", VALID), (f"{item.id}/delete", {}),
                       (f"{item.id}/move", {"direction": "down"})):
        assert signed_in.post(url(evening, path), data=data).status_code == 404, path
    assert item.title == "Their item"
    assert [i.title for i in services.list_items(theirs[0])] == ["Their item"]


def test_signed_out_people_are_sent_to_sign_in(client: FlaskClient, evening: Event) -> None:
    response = client.get(url(evening))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_administrators_do_not_plan_agendas(
    client: FlaskClient, make_user: Callable[..., User], evening: Event, organiser: User
) -> None:
    login_as(client, make_user(Role.ADMIN, council=organiser.council))

    assert client.get(url(evening)).status_code == 403


# --- CSRF -------------------------------------------------------------------


def test_an_expired_form_keeps_the_input(
    csrf_on: Flask, signed_in: FlaskClient, evening: Event
) -> None:
    response = signed_in.post(url(evening, "new"), data={**VALID, "title": "Typed before expiry"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Typed before expiry"' in html
    assert "This form expired" in html
    assert services.list_items(evening) == []


def test_moving_needs_the_csrf_token(
    csrf_on: Flask, signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    items = [add_item(evening, t) for t in "AB"]

    response = signed_in.post(url(evening, f"{items[1].id}/move"), data={"direction": "up"})

    assert response.status_code == 400
    assert titles(evening) == ["A", "B"]


def test_moving_works_with_the_pages_own_token(
    csrf_on: Flask, signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    items = [add_item(evening, t) for t in "AB"]
    html = page(signed_in, url(evening))
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token

    signed_in.post(url(evening, f"{items[1].id}/move"),
                   data={"direction": "up", "csrf_token": token.group(1)})

    assert titles(evening) == ["B", "A"]


# --- Queries do not grow with the agenda -----------------------------------


def statements_for(client: FlaskClient, address: str) -> int:
    with counting_queries() as counted:
        assert client.get(address).status_code == 200
    return counted.count


@pytest.mark.parametrize("path", ["", "print"])
def test_page_queries_do_not_grow_with_the_number_of_items(
    signed_in: FlaskClient, make_event: Callable[..., Event], add_item: AddItem, path: str
) -> None:
    small, large = make_event(title="Small"), make_event(title="Large")
    for n in range(5):
        add_item(small, f"Item {n}", 1, AgendaPart.MESSAGES, is_speaker=n % 2 == 0)
    for n in range(40):
        add_item(large, f"Item {n}", 1, AgendaPart.MESSAGES, is_speaker=n % 2 == 0)
    statements_for(signed_in, url(small, path))  # warm up anything loaded once per process

    few = statements_for(signed_in, url(small, path))
    many = statements_for(signed_in, url(large, path))

    assert len(table_rows(page(signed_in, url(large, path)))) == 40
    assert 0 < few and many == few, (few, many)


# --- Fuzzing ------------------------------------------------------------------

FIELDS = ["title", "introduced_by", "duration_minutes", "part", "is_speaker",
          "collects_feedback", "notes"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=40)))
def test_no_input_gives_a_server_error(
    signed_in: FlaskClient, evening: Event, data: dict[str, Any]
) -> None:
    response = signed_in.post(url(evening, "new"), data={**VALID, **data})

    assert response.status_code in (200, 302)
    assert positions(evening) == list(range(1, len(positions(evening)) + 1))
