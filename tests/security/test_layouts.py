"""Staff and public layouts, and error pages that fit whoever is looking.

A signed-in member of staff on a staff page sees the staff layout (navigation, Sign out).
Everyone else (nobody signed in, or anyone on a public or secret-link page) sees the public
layout: the council's name, links to the privacy notice and accessibility statement, and
nothing about the staff side, error pages included.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError, OperationalError

from config import TestConfig
from eventapp import create_app
from eventapp.access import public, signed_in
from eventapp.extensions import db
from tests.conftest import login_as
from tests.security.conftest import World, public_page_problems

CODES = [400, 403, 404, 409, 413, 429, 500, 503]
# The staff navigation's items, its Sign out button and the staff error pages' link.
STAFF_ONLY = ("govuk-service-navigation__item", "Sign out", "Go to the start")


class _LockTimeoutError(Exception):
    """Stands in for the driver's lock-timeout error."""

    sqlstate = "55P03"


def _raise(code: int) -> None:
    if code == 409:
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))
    if code == 500:
        raise RuntimeError("unexpected")
    if code == 503:
        raise OperationalError("UPDATE", {}, _LockTimeoutError("lock timeout"))
    abort(code)


@pytest.fixture
def error_app(app: Flask) -> Iterator[Flask]:
    """The app on the test database, with a public and a staff page that fail on demand."""
    config = type(
        "ErrorPagesConfig", (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": False},
    )
    extra = create_app(config)

    @extra.route("/__public__/<int:code>")
    @public
    def public_failure(code: int) -> str:
        _raise(code)
        return "not reached"

    @extra.route("/__staff__/<int:code>")
    @signed_in
    def staff_failure(code: int) -> str:
        _raise(code)
        return "not reached"

    yield extra
    with extra.app_context():
        db.engine.dispose()


def assert_nothing_of_the_staff_side(page: str, world: World) -> None:
    for words in STAFF_ONLY:
        assert words not in page, f"a page for someone not signed in says {words!r}"
    assert "Council A" not in page
    assert public_page_problems("/", page, world) == []


def assert_public_layout(page: str, world: World) -> None:
    assert "govuk-template" in page
    assert 'href="/privacy"' in page
    assert 'href="/accessibility"' in page
    assert "This service is run by Example Council." in page
    assert "– Community events</title>" in page
    assert_nothing_of_the_staff_side(page, world)


def assert_staff_layout(page: str) -> None:
    assert "Sign out" in page
    assert "Council A" in page  # the signed-in user's council, in the header
    assert 'href="/privacy"' in page


@pytest.mark.parametrize("code", CODES)
def test_error_page_on_a_public_page_shows_nothing_of_the_staff_side(
    code: int, error_app: Flask, world: World
) -> None:
    for signed_in_as in (None, world.a.organiser):
        client = error_app.test_client()
        if signed_in_as is not None:
            login_as(client, signed_in_as)
        response = client.get(f"/__public__/{code}")
        assert response.status_code == code
        assert_public_layout(response.get_data(as_text=True), world)


@pytest.mark.parametrize("code", CODES)
def test_error_page_on_a_staff_page_keeps_the_staff_layout(
    code: int, error_app: Flask, world: World
) -> None:
    client = error_app.test_client()
    login_as(client, world.a.organiser)
    response = client.get(f"/__staff__/{code}")
    assert response.status_code == code
    assert_staff_layout(response.get_data(as_text=True))


def test_not_found_for_the_public_and_for_staff(client: FlaskClient, world: World) -> None:
    anonymous = client.get("/no-such-page")
    assert anonymous.status_code == 404
    assert_public_layout(anonymous.get_data(as_text=True), world)
    # Someone else's secret link: no hint that there is a staff side.
    feed = client.get("/calendar/" + "x" * 43 + ".ics")
    assert feed.status_code == 404
    assert_public_layout(feed.get_data(as_text=True), world)

    login_as(client, world.a.organiser)
    staff = client.get(f"/events/{world.b.event.id}")
    assert staff.status_code == 404
    page = staff.get_data(as_text=True)
    assert_staff_layout(page)
    assert "Go to the start" in page
    assert "Council B" not in page


def test_errors_on_the_sign_in_page_keep_its_staff_layout_without_navigation(
    client: FlaskClient, world: World
) -> None:
    """Signing in is the staff entrance: its errors look like it, and show no navigation."""
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    response = client.post("/sign-in", data={"email": "x" * (limit + 1)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<title>What you sent is too large – Plan a community event</title>" in page
    assert 'href="/privacy"' in page
    assert_nothing_of_the_staff_side(page, world)


def test_staff_pages_use_the_staff_layout_and_link_the_notices(
    client: FlaskClient, world: World
) -> None:
    login_as(client, world.a.organiser)
    page = client.get(f"/events/{world.a.event.id}").get_data(as_text=True)
    assert_staff_layout(page)
    assert 'href="/accessibility"' in page


@pytest.mark.parametrize("path", ["/privacy", "/accessibility"])
def test_notices_are_public_pages_even_for_staff(
    path: str, client: FlaskClient, world: World
) -> None:
    for signed_in_as in (None, world.a.organiser):
        if signed_in_as is not None:
            login_as(client, signed_in_as)
        response = client.get(path)
        assert response.status_code == 200
        assert_public_layout(response.get_data(as_text=True), world)


def test_a_public_page_names_the_council_it_belongs_to(app: Flask) -> None:
    """The public layout's `council` (set from a public event by its route) names the page."""
    with app.test_request_context("/"):
        from flask import render_template_string

        class Council:
            name = "Thurrock Council"

        page = render_template_string(
            '{% extends "layouts/public.html" %}{% block title %}Register{% endblock %}'
            "{% block main_content %}<h1>Register</h1>{% endblock %}",
            council=Council(),
        )
    assert "Thurrock Council" in page
    assert "This service is run by Thurrock Council." in page
    assert "<title>Register – Community events</title>" in page
    assert "Example Council" not in page
