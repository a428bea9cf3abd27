"""`flask users …`: create, disable and set passwords from the command line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from eventapp.accounts import services
from eventapp.accounts.models import Council, Role, User
from eventapp.extensions import db
from tests.accounts.conftest import is_signed_in, sign_in
from tests.conftest import PASSWORD

NEW_PASSWORD = "another long passphrase"  # noqa: S105


@pytest.fixture(autouse=True)
def _no_password_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTAPP_PASSWORD", raising=False)


def councils_named(name: str) -> list[Council]:
    return list(
        db.session.scalars(select(Council).where(func.lower(Council.name) == name.lower()))
    )


def create(
    runner: FlaskCliRunner,
    email: str,
    *extra: str,
    password: str | None = PASSWORD,
    council: str = "New Council",
    typed: str | None = None,
) -> Result:
    """Run `flask users create`, with the password in the environment or typed at the prompt."""
    env = {"EVENTAPP_PASSWORD": password} if password is not None else None
    return runner.invoke(
        args=["users", "create", email, "--role", "organiser", "--council", council, *extra],
        env=env,
        input=typed,
    )


def test_create_makes_the_council_and_the_user(app: Flask, runner: FlaskCliRunner) -> None:
    result = create(runner, "New.Person@Example.gov.uk", "--name", "New Person")

    assert result.exit_code == 0, result.output
    assert "Created new.person@example.gov.uk (organiser) at New Council." in result.output
    [council] = councils_named("New Council")
    assert council.area_name == "New"
    user = services.find_user("new.person@example.gov.uk")
    assert user is not None
    assert (user.council_id, user.role, user.name) == (council.id, Role.ORGANISER, "New Person")
    assert user.check_password(PASSWORD)
    assert sign_in(app.test_client(), "new.person@example.gov.uk", PASSWORD).status_code == 302


def test_create_takes_an_area_for_a_new_council(runner: FlaskCliRunner) -> None:
    result = create(runner, "a@example.gov.uk", "--area", "Newtown and District")

    assert result.exit_code == 0, result.output
    assert councils_named("New Council")[0].area_name == "Newtown and District"


def test_second_user_joins_the_existing_council(runner: FlaskCliRunner) -> None:
    assert create(runner, "first@example.gov.uk").exit_code == 0
    result = create(runner, "second@example.gov.uk", council="new council ")

    assert result.exit_code == 0, result.output
    [council] = councils_named("New Council")
    assert {u.email for u in council.users} == {"first@example.gov.uk", "second@example.gov.uk"}


def test_create_reads_the_password_from_a_prompt(runner: FlaskCliRunner) -> None:
    result = create(
        runner, "prompted@example.gov.uk", password=None, typed=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert NEW_PASSWORD not in result.output  # typed input is hidden
    user = services.find_user("prompted@example.gov.uk")
    assert user is not None and user.check_password(NEW_PASSWORD)


def test_create_with_prompts_that_disagree_creates_nothing(runner: FlaskCliRunner) -> None:
    result = create(
        runner, "typo@example.gov.uk", password=None, typed=f"{NEW_PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code != 0
    assert "do not match" in result.output
    assert services.find_user("typo@example.gov.uk") is None


def test_create_refuses_a_short_password(runner: FlaskCliRunner) -> None:
    result = create(runner, "short@example.gov.uk", password="a" * 11)

    assert result.exit_code == 1
    assert "Enter a password that is at least 12 characters long" in result.output
    assert services.find_user("short@example.gov.uk") is None
    assert councils_named("New Council") == []  # the new council is rolled back too


def test_create_refuses_a_duplicate_email(
    runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    existing = make_user()

    result = create(runner, existing.email.upper(), council="Another Council")

    assert result.exit_code == 1
    assert "An account with this email address already exists" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert councils_named("Another Council") == []


def test_create_refuses_an_unknown_role(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "r@example.gov.uk", "--role", "superuser", "--council", "X"],
        env={"EVENTAPP_PASSWORD": PASSWORD},
    )

    assert result.exit_code == 2
    assert services.find_user("r@example.gov.uk") is None


def test_disable(app: Flask, runner: FlaskCliRunner, organiser: User) -> None:
    result = runner.invoke(args=["users", "disable", organiser.email.upper()])

    assert result.exit_code == 0, result.output
    assert f"Disabled {organiser.email}." in result.output
    assert db.session.get(User, organiser.id).active is False
    assert sign_in(app.test_client(), organiser.email, PASSWORD).status_code == 200


def test_set_password_changes_the_hash_and_ends_sessions(
    app: Flask, runner: FlaskCliRunner, organiser: User
) -> None:
    browser = app.test_client()
    assert sign_in(browser, organiser.email, PASSWORD).status_code == 302
    old_hash = organiser.password_hash

    result = runner.invoke(
        args=["users", "set-password", organiser.email], env={"EVENTAPP_PASSWORD": NEW_PASSWORD}
    )

    assert result.exit_code == 0, result.output
    assert f"Password changed for {organiser.email}." in result.output
    user = db.session.get(User, organiser.id)
    assert user.password_hash != old_hash
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert not is_signed_in(browser)


def test_set_password_from_a_prompt(runner: FlaskCliRunner, organiser: User) -> None:
    result = runner.invoke(
        args=["users", "set-password", organiser.email], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert db.session.get(User, organiser.id).check_password(NEW_PASSWORD)


def test_set_password_refuses_a_short_password(
    runner: FlaskCliRunner, organiser: User
) -> None:
    old_hash = organiser.password_hash

    result = runner.invoke(
        args=["users", "set-password", organiser.email], env={"EVENTAPP_PASSWORD": "a" * 11}
    )

    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.get(User, organiser.id).password_hash == old_hash


@pytest.mark.parametrize("command", ["disable", "set-password"])
def test_unknown_email_is_an_error(runner: FlaskCliRunner, command: str) -> None:
    result = runner.invoke(
        args=["users", command, "nobody@example.gov.uk"], env={"EVENTAPP_PASSWORD": NEW_PASSWORD}
    )

    assert result.exit_code == 1
    assert "No account has the email address nobody@example.gov.uk." in result.output
