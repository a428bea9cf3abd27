"""Roles: planners plan, administrators manage users, anonymous people are sent to sign in.

Who may reach each route is read from the route's declaration (eventapp.access), so a new
route is walked here as soon as it exists.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from config import TestConfig
from eventapp import create_app
from eventapp.access import (
    Access,
    check_routes,
    planner_required,
    public,
    route_problems,
    token_route,
)
from eventapp.accounts.models import Role, User
from eventapp.tokens import TokenPurpose
from tests.conftest import login_as
from tests.security.conftest import (
    SIGNED_IN_ONLY,
    World,
    access,
    all_rules,
    changed_tables,
    fresh_app,
    get_rules,
    location_path,
    methods_of,
    post_rules,
    rule_id,
    rules_for,
    snapshot,
    urls_for,
    valid_form,
)

PLANNER_CASES = [
    pytest.param(rule, method, id=f"{method} {rule_id(rule)}")
    for rule in rules_for(Access.PLANNER)
    for method in methods_of(rule)
]
ADMIN_CASES = [
    pytest.param(rule, method, id=f"{method} {rule_id(rule)}")
    for rule in rules_for(Access.ADMIN)
    for method in methods_of(rule)
]


def test_every_route_declares_who_may_reach_it() -> None:
    """The table the walkers use comes from the routes themselves; none is left out."""
    assert route_problems(fresh_app()) == []
    declared = {rule.endpoint: access(rule) for rule in all_rules()}
    # The walker sees every kind of route there is today (guards against walking nothing).
    assert set(declared.values()) == set(Access)
    assert declared["accounts.sign_in"] is Access.PUBLIC
    assert declared["calendars.task_feed"] is Access.TOKEN
    assert declared["accounts.change_password"] is Access.SIGNED_IN
    assert declared["events.overview"] is Access.PLANNER
    assert declared["accounts.users"] is Access.ADMIN


def test_a_route_that_declares_nothing_stops_the_app_being_built() -> None:
    app = create_app(TestConfig)

    @app.route("/forgotten")
    def forgotten() -> str:
        return "no rule"

    @app.route("/events/<int:event_id>/public-by-mistake")
    @public
    def public_by_mistake(event: object) -> str:
        return "an event by its id, with no council check"

    @app.route("/feed/<int:user_id>")
    @token_route(TokenPurpose.CALENDAR_FEED)
    def token_without_token(user_id: int) -> str:
        return "a token route with no token"

    @app.route("/e/<slug:event_slug>/staff")
    @planner_required
    def staff_by_slug(event: object) -> str:
        return "a staff page found by public slug"

    problems = "\n".join(route_problems(app))
    assert "/forgotten (forgotten) declares no access" in problems
    assert "/events/<int:event_id>/public-by-mistake (public_by_mistake) takes <event_id>" in (
        problems
    )
    assert "/feed/<int:user_id> (token_without_token): a token route" in problems
    assert "/e/<slug:event_slug>/staff (staff_by_slug) takes <event_slug>" in problems
    with pytest.raises(RuntimeError, match="forgotten"):
        check_routes(app)


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
        if access(rule) in (Access.PLANNER, Access.SIGNED_IN):
            for url in urls_for(rule, world.a):
                assert client.get(url).status_code == 200, url


def test_administrator_can_open_user_pages(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.admin)
    for rule in get_rules():
        if access(rule) in (Access.ADMIN, Access.SIGNED_IN):
            for url in urls_for(rule, world.a):
                assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "rule", [r for r in get_rules() if access(r) in SIGNED_IN_ONLY], ids=rule_id
)
def test_anonymous_get_is_sent_to_sign_in(rule: Rule, client: FlaskClient, world: World) -> None:
    for url in urls_for(rule, world.a):
        response = client.get(url)
        assert response.status_code == 302, f"GET {url}: {response.status_code}"
        assert location_path(response) == "/sign-in", f"GET {url} sent to {response.location}"
        assert "Council A" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "rule", [r for r in post_rules() if access(r) in SIGNED_IN_ONLY], ids=rule_id
)
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

