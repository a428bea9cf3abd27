"""Administrators list, add, disable and re-enable the users of their own council."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts import services
from eventapp.accounts.models import AuditEntry, Council, Role, User
from eventapp.calendars import services as calendar_services
from eventapp.extensions import db
from tests.accounts.conftest import sign_in
from tests.conftest import PASSWORD, login_as

NEW_USER = {
    "name": "Priya Shah",
    "email": "Priya.Shah@Example.gov.uk",
    "role": "coordinator",
}


@pytest.fixture
def admin_browser(client: FlaskClient, admin: User) -> FlaskClient:
    login_as(client, admin)
    return client


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def test_list_shows_own_council_only(
    admin_browser: FlaskClient,
    admin: User,
    council: Council,
    make_council: Callable[..., Council],
    make_user: Callable[..., User],
) -> None:
    colleague = make_user(Role.ORGANISER, council=council)
    stranger = make_user(Role.ORGANISER, council=make_council())

    response = admin_browser.get("/users")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Users at {council.name}" in page
    assert admin.email in page
    assert colleague.email in page
    assert stranger.email not in page
    assert stranger.name not in page


def test_list_offers_no_disable_button_for_yourself(
    admin_browser: FlaskClient, admin: User, council: Council, make_user: Callable[..., User]
) -> None:
    colleague = make_user(council=council)

    page = admin_browser.get("/users").get_data(as_text=True)

    assert f"/users/{colleague.id}/disable" in page
    assert f"/users/{admin.id}/disable" not in page


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COORDINATOR])
def test_only_administrators_manage_users(
    client: FlaskClient, make_user: Callable[..., User], role: Role
) -> None:
    user = make_user(role)
    login_as(client, user)

    assert client.get("/users").status_code == 403
    assert client.get("/users/new").status_code == 403
    assert client.post("/users/new", data=NEW_USER).status_code == 403
    assert client.post(f"/users/{user.id}/disable").status_code == 403
    assert db.session.get(User, user.id).active


def test_signed_out_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/users")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_add_a_user(app: Flask, admin_browser: FlaskClient, admin: User) -> None:
    response = admin_browser.post("/users/new", data=NEW_USER)

    assert response.status_code == 302
    assert response.headers["Location"] == "/users"
    user = services.find_user("priya.shah@example.gov.uk")
    assert user is not None
    assert user.council_id == admin.council_id
    assert (user.role, user.name) == (Role.COORDINATOR, "Priya Shah")
    assert user.active
    assert "Priya Shah has been added." in admin_browser.get("/users").get_data(as_text=True)
    # No password yet: the person sets their own (tests/accounts/test_account_setup.py).
    assert not user.has_password


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"email": "not-an-email"},
            "Enter an email address in the correct format, like name@example.gov.uk",
        ),
        ({"email": ""}, "Enter the person&#39;s email address"),
        ({"name": ""}, "Enter the person&#39;s full name"),
        ({"role": "superuser"}, "Not a valid choice"),
    ],
    ids=["bad-email", "no-email", "no-name", "bad-role"],
)
def test_add_a_user_shows_what_to_fix(
    admin_browser: FlaskClient, changes: dict[str, str], message: str
) -> None:
    before = user_count()

    response = admin_browser.post("/users/new", data={**NEW_USER, **changes})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert user_count() == before


def test_add_a_user_refuses_an_email_taken_in_any_council(
    admin_browser: FlaskClient,
    make_council: Callable[..., Council],
    make_user: Callable[..., User],
) -> None:
    elsewhere = make_user(council=make_council(), email="priya.shah@example.gov.uk")
    before = user_count()

    response = admin_browser.post("/users/new", data=NEW_USER)

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.get_data(as_text=True)
    assert user_count() == before
    assert db.session.get(User, elsewhere.id).council_id == elsewhere.council_id


def test_disable_and_enable_a_user(
    app: Flask,
    admin_browser: FlaskClient,
    council: Council,
    make_user: Callable[..., User],
) -> None:
    colleague = make_user(council=council)

    response = admin_browser.post(f"/users/{colleague.id}/disable", follow_redirects=True)

    assert response.status_code == 200
    assert f"{colleague.name} has been disabled." in response.get_data(as_text=True)
    assert db.session.get(User, colleague.id).active is False
    assert sign_in(app.test_client(), colleague.email, PASSWORD).status_code == 200

    response = admin_browser.post(f"/users/{colleague.id}/enable", follow_redirects=True)

    assert f"{colleague.name} has been enabled." in response.get_data(as_text=True)
    assert db.session.get(User, colleague.id).active is True
    assert sign_in(app.test_client(), colleague.email, PASSWORD).status_code == 302


def test_disabling_a_user_turns_their_calendar_feed_off_for_good(
    app: Flask,
    admin_browser: FlaskClient,
    council: Council,
    make_user: Callable[..., User],
) -> None:
    """Re-enabling the account does not bring the old feed address back to life."""
    colleague = make_user(council=council)
    feed = f"/calendar/{calendar_services.issue_feed_token(colleague)}.ics"
    db.session.commit()
    assert app.test_client().get(feed).status_code == 200

    admin_browser.post(f"/users/{colleague.id}/disable")
    assert app.test_client().get(feed).status_code == 404
    admin_browser.post(f"/users/{colleague.id}/enable")

    assert db.session.get(User, colleague.id).active is True
    assert app.test_client().get(feed).status_code == 404
    assert not calendar_services.has_feed(colleague)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == colleague.id)
    ).all()
    assert "calendar.token.revoke" in actions


def test_cannot_disable_yourself(admin_browser: FlaskClient, admin: User) -> None:
    response = admin_browser.post(f"/users/{admin.id}/disable", follow_redirects=True)

    assert response.status_code == 200
    assert "You cannot disable your own account" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).active is True
    assert admin_browser.get("/users").status_code == 200


def test_cannot_disable_another_councils_user(
    admin_browser: FlaskClient,
    make_council: Callable[..., Council],
    make_user: Callable[..., User],
) -> None:
    stranger = make_user(council=make_council())

    response = admin_browser.post(f"/users/{stranger.id}/disable")

    assert response.status_code == 404
    assert db.session.get(User, stranger.id).active is True


def test_disable_needs_the_csrf_token(
    csrf_on: Flask, admin_browser: FlaskClient, council: Council, make_user: Callable[..., User]
) -> None:
    colleague = make_user(council=council)

    response = admin_browser.post(f"/users/{colleague.id}/disable")

    assert response.status_code == 400
    assert db.session.get(User, colleague.id).active is True
