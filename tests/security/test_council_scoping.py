"""Another council's ids look exactly like missing ones: 404 and no change (QUALITY 12)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import login_as
from tests.security.conftest import (
    World,
    all_rules,
    changed_tables,
    id_arguments,
    is_admin_route,
    is_event_route,
    methods_of,
    rule_id,
    snapshot,
    urls_for,
    valid_form,
    value_of,
)

EVENT_CASES = [
    pytest.param(rule, method, id=f"{method} {rule_id(rule)}")
    for rule in all_rules()
    if is_event_route(rule)
    for method in methods_of(rule)
]
# Event routes that name a second object: each is tried with the other council's object.
NESTED_CASES = [
    pytest.param(rule, method, argument, id=f"{method} {rule_id(rule)} <{argument}>")
    for rule in all_rules()
    if is_event_route(rule)
    for method in methods_of(rule)
    for argument in id_arguments(rule)
    if argument != "event_id"
]
USER_RULES = [r for r in all_rules() if is_admin_route(r) and "user_id" in r.arguments]


def _request(client: FlaskClient, method: str, url: str, form: dict | None) -> object:
    return client.open(url, method=method, data=form if method == "POST" else None)


def test_walker_covers_event_routes() -> None:
    endpoints = {p.values[0].endpoint for p in EVENT_CASES}
    assert {"events.overview", "events.edit", "objectives.edit", "audience.edit",
            "formats.decide", "audience.remove_organisation"} <= endpoints
    assert {p.values[2] for p in NESTED_CASES} >= {"objective_id", "organisation_id"}


@pytest.mark.parametrize(("rule", "method"), EVENT_CASES)
def test_another_councils_event_is_not_found(
    rule: Rule, method: str, client: FlaskClient, world: World
) -> None:
    login_as(client, world.b.organiser)
    form = valid_form(rule.endpoint, world.b) or {"submit": "Confirm"}
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = _request(client, method, url, form)
        assert response.status_code == 404, f"{method} {url} as council B: {response.status_code}"
        assert "Council A" not in response.get_data(as_text=True)
        assert changed_tables(before, snapshot()) == [], f"{method} {url} changed rows"
    # Control: council B's own event works, so the 404 above is about ownership.
    for url in urls_for(rule, world.b):
        response = _request(client, method, url, form)
        status = response.status_code
        assert status in (200, 302), f"{method} {url} (own event): {status}"


@pytest.mark.parametrize(("rule", "method", "argument"), NESTED_CASES)
def test_own_event_with_another_councils_object_is_not_found(
    rule: Rule, method: str, argument: str, client: FlaskClient, world: World
) -> None:
    login_as(client, world.b.organiser)
    form = valid_form(rule.endpoint, world.b) or {"submit": "Confirm"}
    foreign = value_of(rule, argument, world.a)
    for url in urls_for(rule, world.b, **{argument: foreign}):
        before = snapshot()
        response = _request(client, method, url, form)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        assert "Council A" not in response.get_data(as_text=True)
        assert changed_tables(before, snapshot()) == [], f"{method} {url} changed rows"


@pytest.mark.parametrize(
    ("rule", "method"),
    [p for p in EVENT_CASES if p.values[1] == "POST"],
)
def test_another_councils_event_without_csrf_token_is_not_a_server_error(
    rule: Rule, method: str, client: FlaskClient, csrf_on: Flask, world: World
) -> None:
    """A bad token must not make the form re-render (or crash) for someone else's event."""
    login_as(client, world.b.organiser)
    form = valid_form(rule.endpoint, world.b) or {"submit": "Confirm"}
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = client.post(url, data=form)
        assert response.status_code in (400, 404), f"POST {url}: {response.status_code}"
        assert "Council A" not in response.get_data(as_text=True)
        assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("rule", USER_RULES, ids=rule_id)
def test_administrator_cannot_touch_another_councils_user(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    login_as(client, world.b.admin)
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = client.post(url, data={"submit": "Confirm"})
        assert response.status_code == 404, f"POST {url}: {response.status_code}"
        assert changed_tables(before, snapshot()) == [], f"POST {url} changed rows"
    assert world.a.organiser.active
    # Control: the same administrator can act on their own council's user.
    for url in urls_for(rule, world.b):
        assert client.post(url, data={"submit": "Confirm"}).status_code == 302


def test_user_list_shows_only_own_council(client: FlaskClient, world: World) -> None:
    login_as(client, world.b.admin)
    page = client.get("/users").get_data(as_text=True)
    assert world.b.organiser.email in page
    assert world.a.organiser.email not in page
    assert world.a.admin.email not in page


def test_event_list_shows_only_own_council(client: FlaskClient, world: World) -> None:
    login_as(client, world.b.organiser)
    for show in ("upcoming", "past", "drafts"):
        page = client.get(f"/events/?show={show}").get_data(as_text=True)
        assert "Council A" not in page, show
    drafts = client.get("/events/?show=drafts").get_data(as_text=True)
    assert "Council B private roundtable" in drafts
