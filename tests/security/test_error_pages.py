"""Error pages are GOV.UK pages that say what to do, never a stack trace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config import TestConfig
from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import login_as
from tests.security.conftest import World, changed_tables, snapshot

SECRET_DETAIL = "database password is hunter2"  # noqa: S105 - must never reach the page


def assert_govuk_page(page: str, heading: str) -> None:
    assert 'class="govuk-template' in page
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert "Traceback" not in page
    assert "werkzeug" not in page.lower()


def test_not_found_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_govuk_page(response.get_data(as_text=True), "Page not found")


def test_not_found_page_for_a_missing_event(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.get("/events/999999")
    assert response.status_code == 404
    assert_govuk_page(response.get_data(as_text=True), "Page not found")


def test_method_not_allowed_shows_the_not_found_page(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    for method, path in (("DELETE", "/sign-in"), ("PUT", "/events/new"), ("POST", "/healthz")):
        response = client.open(path, method=method)
        assert response.status_code == 405, path
        assert_govuk_page(response.get_data(as_text=True), "Page not found")


@pytest.fixture
def crashing_app(tmp_path: Path, app: Flask) -> Iterator[Flask]:
    """A fresh app with one test-only route that raises an unexpected exception."""
    crash_config = type(
        "CrashConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'crash.db'}", "TESTING": False},
    )
    crashing = create_app(crash_config)

    @crashing.route("/__crash__")
    def crash() -> str:
        raise RuntimeError(SECRET_DETAIL)

    yield crashing
    with crashing.app_context():
        db.engine.dispose()


def test_unexpected_exception_gives_the_500_page(
    crashing_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = crashing_app.test_client()
    response = client.get("/__crash__")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert_govuk_page(page, "Sorry, there is a problem with the service")
    assert "Nothing you entered on the last page has been saved" in page
    assert SECRET_DETAIL not in page
    assert response.headers.get("Cache-Control") == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    # The detail goes to the log, for the people who run the service.
    assert any(r.exc_info and str(r.exc_info[1]) == SECRET_DETAIL for r in caplog.records)


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_body_over_max_content_length_gives_413(
    csrf: bool, client: FlaskClient, world: World
) -> None:
    app = client.application
    app.config["WTF_CSRF_ENABLED"] = csrf
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 10 * 1024 * 1024, "MAX_CONTENT_LENGTH must be set (QUALITY 15)"
    login_as(client, world.a.organiser)
    before = snapshot()
    for path, field in (("/events/new", "title"), ("/sign-in", "email")):
        response = client.post(path, data={field: "x" * (limit + 1)})
        assert response.status_code == 413, path
        assert_govuk_page(response.get_data(as_text=True), "What you sent is too large")
    assert changed_tables(before, snapshot()) == []


def test_body_just_under_the_limit_is_not_rejected_as_too_large(
    client: FlaskClient, world: World
) -> None:
    """Control for the 413 test: the limit is where it says, not lower."""
    login_as(client, world.a.organiser)
    response = client.post("/events/new", data={"title": "x" * 200_000})
    assert response.status_code == 200
    assert "Enter a title of 200 characters or fewer" in response.get_data(as_text=True)
