"""Public and secret-link routes: open without an account, showing nothing of the staff side.

Which routes these are comes from their declarations (``@public``, ``@token_route``), so the
registration, questions and feedback pages are walked here as soon as they exist: each must
open for an anonymous visitor, change nothing on GET, link only to other public pages, and
never show an event's sequential id in its address or its HTML (QUALITY 12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask, g, render_template_string
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from config import TestConfig
from eventapp import create_app, tokens
from eventapp.access import Access, public, token_route
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.tokens import TokenPurpose
from tests.security.conftest import (
    GET_RECORDS,
    PUBLIC_EVENT_IDS,
    World,
    changed_tables,
    get_rules,
    is_token_argument,
    public_page_problems,
    rule_id,
    rules_for,
    snapshot,
    token_purpose,
    urls_for,
)

PUBLIC_GETS = [r for r in rules_for(Access.PUBLIC) if r in get_rules()]
TOKEN_GETS = [r for r in rules_for(Access.TOKEN) if r in get_rules()]


def _html(response: object) -> str:
    if response.mimetype != "text/html":  # type: ignore[attr-defined]
        return ""
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def test_the_walker_finds_public_and_token_routes() -> None:
    endpoints = {r.endpoint for r in PUBLIC_GETS + TOKEN_GETS}
    assert {"accounts.sign_in", "main.healthz", "calendars.task_feed"} <= endpoints
    assert "static" not in endpoints


@pytest.mark.parametrize("rule", PUBLIC_GETS, ids=rule_id)
def test_public_page_opens_without_an_account_and_shows_nothing_of_the_staff_side(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    for url in urls_for(rule, world.a):
        before = snapshot()
        response = client.get(url)
        assert response.status_code in (200, 302), f"GET {url}: {response.status_code}"
        if response.status_code == 302:
            assert public_page_problems(response.location, "", world) == []
        assert public_page_problems(url, _html(response), world) == [], url
        assert "Council A private roundtable" not in response.get_data(as_text=True)
        changed = set(changed_tables(before, snapshot()))
        assert changed <= GET_RECORDS.get(rule.endpoint, set()), f"GET {url} changed {changed}"


@pytest.mark.parametrize("rule", TOKEN_GETS, ids=rule_id)
def test_token_page_opens_with_its_token_only(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    purpose = token_purpose(rule)
    other_purpose = next(p for p in TokenPurpose if p is not purpose)
    for url in urls_for(rule, world.a):
        response = client.get(url)
        assert response.status_code == 200, f"GET {url} with a live token: {response.status_code}"
        assert public_page_problems(url, _html(response), world) == [], url
    # The same subject's token of another purpose, and a made-up one, open nothing.
    wrong = [
        tokens.issue(other_purpose, world.a.organiser.id).raw,
        tokens.new_token(),
    ]
    db.session.commit()
    token_argument = next(a for a in rule.arguments if is_token_argument(rule, a))
    for token in wrong:
        for url in urls_for(rule, world.a, **{token_argument: token}):
            before = snapshot()
            response = client.get(url)
            assert response.status_code == 404, f"GET {url} with a wrong token"
            assert changed_tables(before, snapshot()) == []


def test_the_leak_check_can_fail(world: World) -> None:
    """Control for the checks above: each kind of leak is caught."""
    event_id = PUBLIC_EVENT_IDS["A"]
    assert public_page_problems(f"/register/{event_id}", "", world)
    assert public_page_problems("/e/abc", f"<p>Event {event_id}</p>", world)
    assert public_page_problems("/e/abc", '<a href="/events/12/edit">Edit</a>', world)
    assert public_page_problems("/e/abc", '<form action="/my-tasks">', world)
    assert public_page_problems("/events/12", "", world)
    assert public_page_problems("/e/abc", f"<p>{event_id}1 and 1{event_id}</p>", world) == []
    assert public_page_problems("/e/abc", '<a href="/privacy">Privacy</a>', world) == []


# The public event loader, tried through routes of the kind the public side will add ------


@pytest.fixture
def public_app(app: Flask) -> Iterator[Flask]:
    """An app on the test database with a public and a token page about one event."""
    config = type(
        "PublicRouteConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]},
    )
    extra = create_app(config)
    page = "{{ event.title }} by {{ council.name }} ({{ g.council.name }})"

    # Under a test-only prefix: /e/<slug> itself is the real public event page.
    @extra.route("/test-only/e/<slug:event_slug>")
    @public
    def event_page(event: Event) -> str:
        return render_template_string(page, event=event, council=g.council)

    @extra.route("/test-only/e/<slug:event_slug>/mine/<token:token>")
    @token_route(TokenPurpose.REGISTRATION)
    def own_page(event: Event, token: str) -> str:
        return render_template_string(page, event=event, council=g.council)

    yield extra
    with extra.app_context():
        db.engine.dispose()


def test_a_public_route_gets_the_event_and_its_council_from_the_slug(
    public_app: Flask, world: World
) -> None:
    client = public_app.test_client()
    event = world.a.public_event
    base = f"/test-only/e/{event.public_slug}"
    for url in (base, f"{base}/mine/{tokens.new_token()}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_data(as_text=True) == (
            "Council A public roundtable by Council A (Council A)"
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda e: setattr(e, "status", EventStatus.DRAFT),
        lambda e: setattr(e, "status", EventStatus.ARCHIVED),
        lambda e: setattr(e, "public_slug", "a-different-slug"),
    ],
    ids=["draft", "archived", "unknown slug"],
)
def test_a_public_route_does_not_find_an_event_that_is_not_public(
    change: Callable[[Event], None], public_app: Flask, world: World
) -> None:
    event = world.a.public_event
    slug = event.public_slug
    change(event)
    db.session.commit()
    client = public_app.test_client()
    assert client.get(f"/e/{slug}").status_code == 404
    # The sequential id never works in place of the slug.
    assert client.get(f"/e/{event.id}").status_code == 404
    assert client.get(f"/e/{world.a.event.public_slug}").status_code == 404  # a draft
