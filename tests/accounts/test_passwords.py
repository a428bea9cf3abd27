"""Password rules: at least 12 characters, long ones welcome, hashed in Werkzeug's format."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from config import Config, DevelopmentConfig, ProductionConfig
from eventapp.accounts import services
from eventapp.accounts.models import Council, Role, User
from eventapp.errors import DomainError
from eventapp.extensions import db
from tests.accounts.conftest import is_signed_in, sign_in
from tests.conftest import PASSWORD, login_as

ELEVEN = "a" * 11
TWELVE = "b" * 12
LONG = ("correct horse battery staple " * 7)[:200]


def test_eleven_characters_is_too_short(council: Council) -> None:
    with pytest.raises(DomainError) as raised:
        services.create_user(
            council=council, email="short@example.gov.uk", role=Role.ORGANISER, password=ELEVEN
        )

    assert raised.value.message == "Enter a password that is at least 12 characters long"
    assert raised.value.field == "password"
    db.session.rollback()
    assert services.find_user("short@example.gov.uk") is None


@pytest.mark.parametrize("password", [TWELVE, LONG, "x" * 256], ids=["12", "200", "256"])
def test_twelve_to_256_characters_are_accepted(
    client: FlaskClient, make_user: Callable[..., User], password: str
) -> None:
    user = make_user(password=password)

    assert user.check_password(password)
    assert sign_in(client, user.email, password).status_code == 302
    assert is_signed_in(client)


def test_more_than_256_characters_is_refused(council: Council) -> None:
    with pytest.raises(DomainError, match="256 characters or fewer"):
        services.create_user(
            council=council, email="long@example.gov.uk", role=Role.ORGANISER, password="x" * 257
        )


def test_change_password_form_refuses_eleven_characters(
    client: FlaskClient, organiser: User
) -> None:
    login_as(client, organiser)
    old_hash = organiser.password_hash

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": ELEVEN, "confirm": ELEVEN},
    )

    assert response.status_code == 200
    assert "Enter a password that is between 12 and 256 characters long" in response.get_data(
        as_text=True
    )
    assert db.session.get(User, organiser.id).password_hash == old_hash


def test_change_password_form_accepts_twelve_characters(
    client: FlaskClient, organiser: User
) -> None:
    login_as(client, organiser)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": TWELVE, "confirm": TWELVE},
    )

    assert response.status_code == 302
    user = db.session.get(User, organiser.id)
    assert user.check_password(TWELVE)
    assert not user.check_password(PASSWORD)


def test_change_password_needs_the_current_password(
    client: FlaskClient, organiser: User
) -> None:
    login_as(client, organiser)

    response = client.post(
        "/account/password",
        data={"current_password": "not my password", "password": LONG, "confirm": LONG},
    )

    assert response.status_code == 200
    assert "Your current password is not right" in response.get_data(as_text=True)
    assert db.session.get(User, organiser.id).check_password(PASSWORD)


def test_hash_is_in_werkzeug_format_and_never_the_password(organiser: User) -> None:
    method, salt, digest = organiser.password_hash.split("$")

    # Tests configure a cheap method; the format is Werkzeug's method$salt$hash either way.
    assert method == "pbkdf2:sha256:1000"
    assert salt and digest
    assert PASSWORD not in organiser.password_hash
    assert check_password_hash(organiser.password_hash, PASSWORD)


def test_default_hash_is_scrypt(app: Flask, council: Council) -> None:
    app.config.pop("PASSWORD_HASH_METHOD")
    user = User(council=council, email="scrypt@example.gov.uk", role=Role.ORGANISER)

    user.set_password(PASSWORD)

    assert user.password_hash.startswith("scrypt:")
    assert check_password_hash(user.password_hash, PASSWORD)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


@pytest.mark.parametrize("config", [Config, DevelopmentConfig, ProductionConfig])
def test_only_tests_choose_a_cheaper_hash(config: type[Config]) -> None:
    assert not hasattr(config, "PASSWORD_HASH_METHOD")


def test_same_password_gets_a_different_salt(make_user: Callable[..., User]) -> None:
    first, second = make_user(), make_user()

    assert first.password_hash != second.password_hash
