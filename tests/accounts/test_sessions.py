"""Sessions: new at sign-in; ended by sign-out, password change, disabling and timeouts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from config import Config, DevelopmentConfig, ProductionConfig, TestConfig
from eventapp.accounts.models import Role, User
from eventapp.extensions import db
from tests.accounts.conftest import (
    client_with_cookie,
    is_signed_in,
    session_cookie,
    sign_in,
)
from tests.conftest import PASSWORD

NEW_PASSWORD = "a completely new passphrase"  # noqa: S105


def _now() -> int:
    return int(datetime.now(UTC).timestamp())


@pytest.fixture
def browser(app: Flask, organiser: User) -> FlaskClient:
    """A browser signed in as the organiser through the sign-in form."""
    client = app.test_client()
    assert sign_in(client, organiser.email, PASSWORD).status_code == 302
    assert is_signed_in(client)
    return client


# Rotation at sign-in -------------------------------------------------------


def test_sign_in_starts_a_new_session(app: Flask, client: FlaskClient, organiser: User) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
        session["_user_id"] = "0:forged"
    before = session_cookie(app, client)

    assert sign_in(client, organiser.email, PASSWORD).status_code == 302

    after = session_cookie(app, client)
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == organiser.get_id()
        assert session.permanent
    # A copy of the cookie from before sign-in is still not signed in.
    assert not is_signed_in(client_with_cookie(app, before))
    assert is_signed_in(client_with_cookie(app, after))


# Signing out -----------------------------------------------------------------


def test_sign_out_ends_the_session_and_a_copied_cookie(app: Flask, browser: FlaskClient) -> None:
    copied = session_cookie(app, browser)
    assert is_signed_in(client_with_cookie(app, copied))  # the copy works until sign-out

    response = browser.post("/sign-out")

    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(browser)
    assert not is_signed_in(client_with_cookie(app, copied))


def test_sign_out_needs_a_post(browser: FlaskClient) -> None:
    assert browser.get("/sign-out").status_code == 405
    assert is_signed_in(browser)


def test_can_sign_in_again_after_signing_out(browser: FlaskClient, organiser: User) -> None:
    browser.post("/sign-out")

    assert sign_in(browser, organiser.email, PASSWORD).status_code == 302
    assert is_signed_in(browser)


# Password change ---------------------------------------------------------------


def test_password_change_keeps_this_session_and_ends_others(
    app: Flask, browser: FlaskClient, organiser: User
) -> None:
    second = app.test_client()
    assert sign_in(second, organiser.email, PASSWORD).status_code == 302
    copied = session_cookie(app, browser)
    assert is_signed_in(second)

    response = browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_signed_in(browser)
    assert not is_signed_in(second)
    assert not is_signed_in(client_with_cookie(app, copied))
    # The new password is the one that works now.
    assert sign_in(app.test_client(), organiser.email, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), organiser.email, NEW_PASSWORD).status_code == 302


def test_password_change_says_other_sessions_ended(browser: FlaskClient) -> None:
    response = browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert "Other sessions have been signed out." in response.get_data(as_text=True)


# Disabling -------------------------------------------------------------------------


def test_admin_disabling_an_account_signs_it_out(
    app: Flask, organiser: User, browser: FlaskClient, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN, council=organiser.council)
    admin_browser = app.test_client()
    assert sign_in(admin_browser, admin.email, PASSWORD).status_code == 302

    response = admin_browser.post(f"/users/{organiser.id}/disable")

    assert response.status_code == 302
    assert not is_signed_in(browser)
    assert is_signed_in(admin_browser)


def test_cli_disabling_an_account_signs_it_out(
    runner: FlaskCliRunner, organiser: User, browser: FlaskClient
) -> None:
    result = runner.invoke(args=["users", "disable", organiser.email])

    assert result.exit_code == 0, result.output
    assert not is_signed_in(browser)


def test_inactive_account_is_refused_even_with_its_current_token(
    organiser: User, browser: FlaskClient
) -> None:
    token = organiser.session_token
    organiser.active = False  # as a direct database change would, without ending sessions
    db.session.commit()

    assert db.session.get(User, organiser.id).session_token == token
    assert not is_signed_in(browser)


def test_reenabling_does_not_revive_old_sessions(
    app: Flask, runner: FlaskCliRunner, organiser: User, browser: FlaskClient
) -> None:
    copied = session_cookie(app, browser)
    runner.invoke(args=["users", "disable", organiser.email])
    organiser.active = True
    db.session.commit()

    assert not is_signed_in(client_with_cookie(app, copied))


# Timeouts --------------------------------------------------------------------------


def test_idle_session_is_signed_out(app: Flask, browser: FlaskClient) -> None:
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with browser.session_transaction() as session:
        session["seen_at"] = _now() - idle - 60

    assert not is_signed_in(browser)
    with browser.session_transaction() as session:
        assert "_user_id" not in session


def test_session_used_within_the_idle_limit_stays_and_is_extended(
    app: Flask, browser: FlaskClient
) -> None:
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with browser.session_transaction() as session:
        session["seen_at"] = _now() - idle + 60

    assert is_signed_in(browser)
    with browser.session_transaction() as session:
        assert session["seen_at"] >= _now() - 5


def test_session_past_its_absolute_lifetime_is_signed_out(app: Flask, browser: FlaskClient) -> None:
    lifetime: timedelta = app.config["PERMANENT_SESSION_LIFETIME"]
    with browser.session_transaction() as session:
        session["signed_in_at"] = _now() - int(lifetime.total_seconds()) - 60
        session["seen_at"] = _now()  # in use all along: the absolute limit still applies

    assert not is_signed_in(browser)


def test_session_within_its_absolute_lifetime_stays(app: Flask, browser: FlaskClient) -> None:
    lifetime: timedelta = app.config["PERMANENT_SESSION_LIFETIME"]
    with browser.session_transaction() as session:
        session["signed_in_at"] = _now() - int(lifetime.total_seconds()) + 60

    assert is_signed_in(browser)


def test_session_without_timestamps_is_signed_out(browser: FlaskClient) -> None:
    with browser.session_transaction() as session:
        del session["signed_in_at"]

    assert not is_signed_in(browser)


# Cookie flags ----------------------------------------------------------------------


@pytest.mark.parametrize("config", [Config, DevelopmentConfig, TestConfig, ProductionConfig])
def test_session_cookie_is_http_only_and_same_site_lax_everywhere(config: type[Config]) -> None:
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_production_cookie_is_secure() -> None:
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert DevelopmentConfig.SESSION_COOKIE_SECURE is False


def test_sign_in_sets_an_http_only_same_site_cookie(
    app: Flask, client: FlaskClient, organiser: User
) -> None:
    response = sign_in(client, organiser.email, PASSWORD)

    name = app.config["SESSION_COOKIE_NAME"]
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    attributes = [part.strip() for part in header.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Secure" not in attributes  # tests run over plain http


def test_a_remember_me_cookie_signs_nobody_in(app: Flask, organiser: User) -> None:
    """The service sets no remember-me cookie; one made with the secret key anyway (Flask-
    Login would sign its user in from it) is ended at once, as a session with no sign-in
    time, including on a browser whose session is otherwise empty."""
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        forged = encode_cookie(organiser.get_id())
    client = app.test_client()
    client.set_cookie("remember_token", forged)
    assert not is_signed_in(client)
