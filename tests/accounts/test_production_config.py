"""Production refuses unsafe settings, starts when they are right, and ships safe defaults."""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from limits import parse

import config
from config import ProductionConfig
from eventapp import create_app
from eventapp.extensions import db

SECRET = "a-long-random-production-secret"  # noqa: S105
ENV_SETTINGS = (
    "SECRET_KEY",
    "FLASK_DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "RATELIMIT_STORAGE_URI",
    "MAIL_BACKEND",
    "SESSION_ABSOLUTE_HOURS",
    "SESSION_IDLE_MINUTES",
    "SIGN_IN_LIMIT_PER_IP",
    "SIGN_IN_LIMIT_PER_ACCOUNT",
    "SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def production_config(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, keep_shared_limiter: None
) -> type[ProductionConfig]:
    """ProductionConfig with its database from DATABASE_URL: an SQLite file in tmp_path."""
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.db'}")
    # config.py reads DATABASE_URL when it is imported, long before this test set it.
    return type(
        "ProductionHere",
        (ProductionConfig,),
        {"SQLALCHEMY_DATABASE_URI": config._database_url("unset")},
    )


@pytest.fixture
def production_app(
    app: Flask, production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> Iterator[Flask]:
    clean_env.setenv("SECRET_KEY", SECRET)
    production = create_app(production_config)
    yield production
    with production.app_context():
        db.engine.dispose()


def fresh_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """config.py as a fresh process would import it, with only the given environment."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(config.__file__)


def test_refuses_to_start_without_a_secret_key(
    production_config: type[ProductionConfig],
) -> None:
    with pytest.raises(RuntimeError, match="Set SECRET_KEY"):
        create_app(production_config)


def test_refuses_to_start_with_an_empty_secret_key(
    production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SECRET_KEY", "")

    with pytest.raises(RuntimeError, match="Set SECRET_KEY"):
        create_app(production_config)


def test_refuses_to_start_with_flask_debug(
    production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SECRET_KEY", SECRET)
    clean_env.setenv("FLASK_DEBUG", "1")

    with pytest.raises(RuntimeError, match="Turn debug off"):
        create_app(production_config)


def test_refuses_to_start_with_debug_configured(
    production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SECRET_KEY", SECRET)
    debugging = type("DebuggingProduction", (production_config,), {"DEBUG": True})

    with pytest.raises(RuntimeError, match="Turn debug off"):
        create_app(debugging)


def test_starts_with_a_secret_key_and_its_database(
    production_app: Flask, tmp_path: Path
) -> None:
    assert production_app.config["SECRET_KEY"] == SECRET
    assert production_app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'production.db'}"
    )
    assert not production_app.debug
    assert not production_app.testing

    response = production_app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert (tmp_path / "production.db").exists()


def test_production_session_cookie_is_secure_http_only_and_lax(production_app: Flask) -> None:
    response = production_app.test_client().get("/sign-in")  # stores a CSRF token

    assert response.status_code == 200
    name = production_app.config["SESSION_COOKIE_NAME"]
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    attributes = [part.strip() for part in header.split(";")]
    assert "Secure" in attributes
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_shipped_session_and_sign_in_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = fresh_settings(monkeypatch)
    base = settings["Config"]

    assert base.SESSION_IDLE_MINUTES == 60
    assert base.PERMANENT_SESSION_LIFETIME == timedelta(hours=12)
    per_account = parse(base.SIGN_IN_LIMIT_PER_ACCOUNT)
    per_ip = parse(base.SIGN_IN_LIMIT_PER_IP)
    assert (per_account.amount, per_account.get_expiry()) == (5, 15 * 60)
    assert (per_ip.amount, per_ip.get_expiry()) == (20, 15 * 60)
    everywhere = parse(base.SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES)
    assert (everywhere.amount, everywhere.get_expiry()) == (30, 60 * 60)


def test_production_limits_are_shared_through_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = fresh_settings(monkeypatch, REDIS_URL="redis://cache:6379/0")

    production = settings["ProductionConfig"]()

    assert production.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
    ],
)
def test_database_url_gets_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    settings = fresh_settings(monkeypatch, DATABASE_URL=given)

    assert settings["ProductionConfig"].SQLALCHEMY_DATABASE_URI == used


def test_refuses_to_start_without_a_database_url(
    production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SECRET_KEY", SECRET)
    clean_env.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="Set DATABASE_URL"):
        create_app(production_config)


def test_links_behind_a_trusted_proxy_use_the_forwarded_host_and_https(
    production_config: type[ProductionConfig], clean_env: pytest.MonkeyPatch
) -> None:
    from flask import request, url_for

    clean_env.setenv("SECRET_KEY", SECRET)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "events.council.example",
                 "X-Forwarded-For": "203.0.113.9"}

    def where() -> str:
        return f"{url_for('calendars.task_feed', token='t', _external=True)} {request.remote_addr}"

    seen = {}
    for hops in (0, 1):
        production = create_app(type("Proxied", (production_config,), {"PROXY_FIX_HOPS": hops}))
        production.view_functions["main.healthz"] = where
        try:
            seen[hops] = production.test_client().get("/healthz", headers=forwarded).get_data(
                as_text=True
            )
        finally:
            with production.app_context():
                db.engine.dispose()
    assert seen[1] == "https://events.council.example/calendar/t.ics 203.0.113.9"
    # Without a trusted proxy the forwarded headers are ignored.
    assert "//localhost/calendar/t.ics" in seen[0]
    assert "203.0.113.9" not in seen[0]
