"""Signing in through the real form: success, failures that reveal nothing, and `next`."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.accounts import services
from eventapp.accounts.models import User
from eventapp.extensions import db
from tests.accounts.conftest import is_signed_in, sign_in
from tests.conftest import PASSWORD

GENERIC_ERROR = "Enter a correct email address and password"


def test_correct_password_signs_in_and_redirects_home(
    client: FlaskClient, organiser: User
) -> None:
    assert not is_signed_in(client)

    response = sign_in(client, organiser.email, PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)
    # The home page now sends an organiser on to their events, not back to sign in.
    assert client.get("/").headers["Location"] == "/events/"
    assert db.session.get(User, organiser.id).last_sign_in_at is not None


def test_email_is_matched_regardless_of_case_and_spaces(
    client: FlaskClient, organiser: User
) -> None:
    response = sign_in(client, f"  {organiser.email.upper()} ", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_works_through_the_form_with_its_csrf_token(
    csrf_on: Flask, client: FlaskClient, organiser: User
) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the sign-in form carries a CSRF token"

    response = client.post(
        "/sign-in",
        data={"email": organiser.email, "password": PASSWORD, "csrf_token": match.group(1)},
    )
    assert response.status_code == 302
    assert is_signed_in(client)

    # The same form from another browser without the token is refused.
    other = csrf_on.test_client()
    other.get("/sign-in")
    assert sign_in(other, organiser.email, PASSWORD).status_code == 400
    assert not is_signed_in(other)


def _normalise(page: str, email: str) -> str:
    """Drop what differs between any two responses: the CSP nonce and the echoed email."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', page).replace(email, "EMAIL")


def test_wrong_password_and_unknown_email_look_the_same(
    app: Flask, organiser: User
) -> None:
    wrong_password = sign_in(app.test_client(), organiser.email, "not the password at all")
    unknown_email = sign_in(app.test_client(), "nobody@example.gov.uk", PASSWORD)

    assert wrong_password.status_code == unknown_email.status_code == 200
    wrong_page = wrong_password.get_data(as_text=True)
    unknown_page = unknown_email.get_data(as_text=True)
    assert GENERIC_ERROR in wrong_page
    assert GENERIC_ERROR in unknown_page
    assert _normalise(wrong_page, organiser.email) == _normalise(
        unknown_page, "nobody@example.gov.uk"
    )


def test_unknown_email_still_checks_a_password_hash(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real_check = services.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(password)
        return real_check(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", spy)

    sign_in(client, "nobody@example.gov.uk", "a guess at a password")

    # Without it an unknown email would answer faster than a known one.
    assert checked == ["a guess at a password"]


def test_wrong_password_does_not_sign_in_or_keep_the_password(
    client: FlaskClient, organiser: User
) -> None:
    response = sign_in(client, organiser.email, "not the password at all")

    assert response.status_code == 200
    assert "not the password at all" not in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_disabled_account_cannot_sign_in(client: FlaskClient, organiser: User) -> None:
    services.set_active(user=organiser, active=False)
    db.session.commit()

    response = sign_in(client, organiser.email, PASSWORD)

    assert response.status_code == 200
    assert GENERIC_ERROR in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_reenabled_account_can_sign_in_again(client: FlaskClient, organiser: User) -> None:
    services.set_active(user=organiser, active=False)
    db.session.commit()
    services.set_active(user=organiser, active=True)
    db.session.commit()

    assert sign_in(client, organiser.email, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_next_sends_you_to_a_local_page(client: FlaskClient, organiser: User) -> None:
    response = sign_in(client, organiser.email, PASSWORD, next_url="/account/password?x=1")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password?x=1"


def test_page_that_needed_sign_in_is_shown_after_it(
    client: FlaskClient, organiser: User
) -> None:
    bounced = client.get("/account/password")
    assert bounced.status_code == 302
    sign_in_url = bounced.headers["Location"]
    assert sign_in_url.startswith("/sign-in?next=")

    # The form posts back to its own address, so `next` comes along.
    response = client.post(sign_in_url, data={"email": organiser.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/sign-in",
        "https://evil.example",
        "https://evil.example/account/password",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(
    client: FlaskClient, organiser: User, target: str
) -> None:
    response = sign_in(client, organiser.email, PASSWORD, next_url=target)

    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", f"{target!r} redirected to {location!r}"
    assert urlsplit(location).netloc == ""
    assert is_signed_in(client)


def test_failed_sign_in_with_next_does_not_redirect(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user()

    response = sign_in(client, user.email, "wrong password here", next_url="https://evil.example")

    assert response.status_code == 200
    assert "Location" not in response.headers
