"""Helpers for the accounts tests: signing in through the real form, and checking a session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from eventapp.accounts.models import Council, Role, User
from eventapp.extensions import limiter

SIGNED_IN_PAGE = "/account/password"


def sign_in(
    client: FlaskClient,
    email: str,
    password: str,
    *,
    next_url: str | None = None,
    remote_addr: str | None = None,
) -> TestResponse:
    """POST the sign-in form as a browser would."""
    extra: dict[str, Any] = {}
    if remote_addr is not None:
        extra["environ_base"] = {"REMOTE_ADDR": remote_addr}
    return client.post(
        "/sign-in",
        query_string={"next": next_url} if next_url is not None else None,
        data={"email": email, "password": password},
        **extra,
    )


def is_signed_in(client: FlaskClient) -> bool:
    """Whether the client's cookie opens a page that needs a signed-in user."""
    response = client.get(SIGNED_IN_PAGE)
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith("/sign-in"), response.headers["Location"]
    return False


def session_cookie(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "no session cookie"
    return cookie.value


def client_with_cookie(app: Flask, value: str) -> FlaskClient:
    """A new browser holding a copy of someone's session cookie."""
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    return other


@pytest.fixture
def council(make_council: Callable[..., Council]) -> Council:
    return make_council()


@pytest.fixture
def admin(make_user: Callable[..., User], council: Council) -> User:
    return make_user(Role.ADMIN, council=council)


@pytest.fixture
def keep_shared_limiter() -> Iterator[None]:
    """Put the shared limiter's storage back after a test builds a second app.

    create_app() calls limiter.init_app(), which gives the one module-level Limiter new
    storage; the test app must keep counting in its own.
    """
    saved = (limiter._storage, limiter._limiter)
    yield
    limiter._storage, limiter._limiter = saved
