"""Security headers on every kind of response (QUALITY 17)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import config
from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import login_as
from tests.security.conftest import World

STATIC_CSS = Path(config.BASE_DIR, "eventapp", "static", "css", "app.css")


def _page(client: FlaskClient, world: World) -> TestResponse:
    return client.get("/sign-in")


def _signed_in_page(client: FlaskClient, world: World) -> TestResponse:
    login_as(client, world.a.organiser)
    return client.get(f"/events/{world.a.event.id}")


def _not_found(client: FlaskClient, world: World) -> TestResponse:
    return client.get("/no-such-page")


def _redirect(client: FlaskClient, world: World) -> TestResponse:
    return client.get("/")


def _static(client: FlaskClient, world: World) -> TestResponse:
    if not STATIC_CSS.exists():
        pytest.skip("static/css/app.css is not built: run `npm run build`")
    return client.get("/static/css/app.css")


def _healthz(client: FlaskClient, world: World) -> TestResponse:
    return client.get("/healthz")


def _bad_request(client: FlaskClient, world: World) -> TestResponse:
    """CSRF failure on a button-only form: the plain 400 page."""
    client.application.config["WTF_CSRF_ENABLED"] = True
    login_as(client, world.a.organiser)
    return client.post("/sign-out")


def _expired_form(client: FlaskClient, world: World) -> TestResponse:
    """CSRF failure on a form view: the form again, with status 400."""
    client.application.config["WTF_CSRF_ENABLED"] = True
    login_as(client, world.a.organiser)
    return client.post("/events/new", data={"title": "Kept", "csrf_token": "stale"})


def _forbidden(client: FlaskClient, world: World) -> TestResponse:
    login_as(client, world.a.admin)
    return client.get("/events/")


def _method_not_allowed(client: FlaskClient, world: World) -> TestResponse:
    return client.delete("/sign-in")


def _too_large(client: FlaskClient, world: World) -> TestResponse:
    client.application.config["WTF_CSRF_ENABLED"] = True
    size = client.application.config["MAX_CONTENT_LENGTH"] + 1
    return client.post("/sign-in", data={"email": "x" * size})


def _too_many(client: FlaskClient, world: World) -> TestResponse:
    client.application.config["SIGN_IN_LIMIT_PER_IP"] = "1 per minute"
    client.post("/sign-in", data={"email": "someone@example.gov.uk", "password": "wrong"})
    return client.post("/sign-in", data={"email": "someone@example.gov.uk", "password": "wrong"})


RESPONSES: dict[str, tuple[Callable[[FlaskClient, World], TestResponse], int]] = {
    "page": (_page, 200),
    "signed-in page": (_signed_in_page, 200),
    "not found": (_not_found, 404),
    "redirect": (_redirect, 302),
    "static file": (_static, 200),
    "health check": (_healthz, 200),
    "bad request": (_bad_request, 400),
    "expired form": (_expired_form, 400),
    "forbidden": (_forbidden, 403),
    "method not allowed": (_method_not_allowed, 405),
    "too large": (_too_large, 413),
    "too many attempts": (_too_many, 429),
}
# Responses that are full GOV.UK pages, so carry the template's scripts.
PAGES = {"page", "signed-in page", "not found", "bad request", "expired form", "forbidden",
         "method not allowed", "too large", "too many attempts"}


def csp_directives(response: TestResponse) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value
    return directives


def script_nonce(response: TestResponse) -> str:
    match = re.search(r"'nonce-([^']+)'", csp_directives(response).get("script-src", ""))
    assert match, "script-src has no nonce"
    return match.group(1)


@pytest.mark.parametrize("name", list(RESPONSES))
def test_security_headers_on_every_kind_of_response(
    name: str, client: FlaskClient, world: World
) -> None:
    make, status = RESPONSES[name]
    response = make(client, world)
    assert response.status_code == status

    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    directives = csp_directives(response)
    assert directives.get("frame-ancestors") == "'none'"
    assert directives.get("object-src") == "'none'"
    assert "script-src" in directives
    nonce = script_nonce(response)
    assert len(nonce) >= 22, "nonce shorter than 128 bits"

    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    referrer = response.headers.get("Referrer-Policy")
    assert referrer in {"same-origin", "no-referrer", "strict-origin"}
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # only in production

    cache = response.headers.get("Cache-Control", "")
    if name == "static file":
        assert "no-store" not in cache
    else:
        assert "no-store" in cache

    if name in PAGES:
        page = response.get_data(as_text=True)
        assert "govuk-template" in page
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert scripts, "a GOV.UK page without scripts?"
        for tag in scripts:
            found = re.search(r'\bnonce="([^"]*)"', tag)
            assert found and found.group(1) == nonce, f"script without the response's nonce: {tag}"


def test_nonce_is_different_on_every_response(client: FlaskClient) -> None:
    first, second = client.get("/sign-in"), client.get("/sign-in")
    assert script_nonce(first) != script_nonce(second)
    assert f'nonce="{script_nonce(second)}"' in second.get_data(as_text=True)


def test_hsts_only_in_production(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, client: FlaskClient
) -> None:
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers

    # SECRET_KEY and REDIS_URL are read when ProductionConfig is instantiated; the database URL
    # was read from DATABASE_URL when config.py was imported, so it is set on a subclass.
    secret = "production-test-secret"  # noqa: S105 - a throwaway key for this test
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.db'}")
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    production_config = type(
        "ProductionForTest",
        (config.ProductionConfig,),
        {"SQLALCHEMY_DATABASE_URI": config._database_url("sqlite://")},
    )
    production = create_app(production_config)
    assert production.config["SECRET_KEY"] == secret
    assert production.config["SQLALCHEMY_DATABASE_URI"].endswith("production.db")

    browser = production.test_client()
    for path, status in (("/sign-in", 200), ("/healthz", 200), ("/no-such-page", 404), ("/", 302)):
        response = browser.get(path, base_url="https://localhost")
        assert response.status_code == status, path
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    with production.app_context():
        db.engine.dispose()


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig)
