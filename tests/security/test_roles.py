"""Roles: planners plan, administrators manage users, anonymous people are sent to sign in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from eventapp.accounts.models import Role, User
from tests.conftest import login_as
from tests.security.conftest import (
    ANY_ROLE_ENDPOINTS,
    World,
    all_rules,
    changed_tables,
    get_rules,
    is_admin_route,
    is_planner_route,
    is_public,
    location_path,
    methods_of,
    post_rules,
    rule_id,
    snapshot,
    urls_for,
    valid_form,
)

PLANNER_CASES = [
    pytest.param(rule, method, id=f"{method} {rule_id(rule)}")
    for rule in all_rules()
    if is_planner_route(rule)
    for method in methods_of(rule)
]
ADMIN_CASES = [
    pytest.param(rule, method, id=f"{method} {rule_id(rule)}")
    for rule in all_rules()
    if is_admin_route(rule)
    for method in methods_of(rule)
]


def test_every_route_says_who_it_is_for() -> None:
    """A new route must be public, for planners, for administrators or for any signed-in user."""
    for rule in all_rules():
        groups = [
            is_public(rule),
            is_planner_route(rule),
            is_admin_route(rule),
            rule.endpoint in ANY_ROLE_ENDPOINTS,
        ]
        assert sum(groups) == 1, (
            f"{rule_id(rule)} is in {sum(groups)} access groups: add it to one in "
            "tests/security/conftest.py (PUBLIC_ENDPOINTS, ANY_ROLE_ENDPOINTS or a prefix)"
        )


def _check_forbidden(client: FlaskClient, rule: Rule, method: str, world: World) -> None:
    form = valid_form(rule.endpoint, world.a) or {"submit": "Confirm"}
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = client.open(url, method=method, data=form if method == "POST" else None)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
        assert "You do not have permission to see this page" in response.get_data(as_text=True)
        assert changed_tables(before, snapshot()) == [], f"{method} {url} changed rows"


@pytest.mark.parametrize(("rule", "method"), PLANNER_CASES)
def test_administrator_is_forbidden_from_event_routes(
    rule: Rule, method: str, client: FlaskClient, world: World
) -> None:
    login_as(client, world.a.admin)
    _check_forbidden(client, rule, method, world)


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COORDINATOR])
@pytest.mark.parametrize(("rule", "method"), ADMIN_CASES)
def test_planners_are_forbidden_from_user_management(
    rule: Rule, method: str, role: Role, client: FlaskClient, world: World,
    make_user: Callable[..., User],
) -> None:
    login_as(client, make_user(role, council=world.a.council))
    _check_forbidden(client, rule, method, world)


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COORDINATOR])
def test_planners_can_open_event_pages(
    role: Role, client: FlaskClient, world: World, make_user: Callable[..., User]
) -> None:
    """Control for the 403 tests: the same pages open for the roles they are for."""
    login_as(client, make_user(role, council=world.a.council))
    for rule in get_rules():
        if is_planner_route(rule):
            for url in urls_for(rule, world.a):
                assert client.get(url).status_code == 200, url


def test_administrator_can_open_user_pages(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.admin)
    for rule in get_rules():
        if is_admin_route(rule):
            for url in urls_for(rule, world.a):
                assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("rule", [r for r in get_rules() if not is_public(r)], ids=rule_id)
def test_anonymous_get_is_sent_to_sign_in(rule: Rule, client: FlaskClient, world: World) -> None:
    for url in urls_for(rule, world.a):
        response = client.get(url)
        assert response.status_code == 302, f"GET {url}: {response.status_code}"
        assert location_path(response) == "/sign-in", f"GET {url} sent to {response.location}"
        assert "Council A" not in response.get_data(as_text=True)


@pytest.mark.parametrize("rule", [r for r in post_rules() if not is_public(r)], ids=rule_id)
def test_anonymous_post_is_sent_to_sign_in_and_changes_nothing(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    form = valid_form(rule.endpoint, world.a) or {"submit": "Confirm"}
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = client.post(url, data=form)
        assert response.status_code == 302, f"POST {url}: {response.status_code}"
        assert location_path(response) == "/sign-in"
        assert changed_tables(before, snapshot()) == [], f"POST {url} changed rows"

