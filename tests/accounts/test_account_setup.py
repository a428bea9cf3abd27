"""A new colleague sets their own password through a single-use link an administrator has
emailed them: the administrator never chooses, sees or knows it (issue 7, item 4)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from eventapp import tokens, uow
from eventapp.accounts import services
from eventapp.accounts.models import AuditEntry, Council, Role, User
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow
from eventapp.password_reset import services as password_links
from eventapp.routing import redact
from eventapp.tokens import SecretToken, TokenPurpose
from tests.accounts.conftest import sign_in
from tests.conftest import login_as
from tests.password_reset.test_password_reset import sent_mail

NEW_USER = {"name": "Priya Shah", "email": "Priya.Shah@Example.gov.uk", "role": "coordinator"}
CHOSEN = "a passphrase only Priya knows"  # noqa: S105 - test data
SETUP = TokenPurpose.ACCOUNT_SETUP


@pytest.fixture
def admin_browser(client: FlaskClient, admin: User) -> FlaskClient:
    login_as(client, admin)
    return client


def setup_links(app: Flask) -> list[str]:
    """The set-up link paths in the mail sent so far, oldest first."""
    paths = []
    for message in sent_mail(app):
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        paths += re.findall(r"http://localhost(/set-up/[A-Za-z0-9_-]+)", text)
    return paths


def new_user() -> User:
    user = services.find_user("priya.shah@example.gov.uk")
    assert user is not None
    return user


def choose(client: FlaskClient, path: str, password: str = CHOSEN) -> int:
    return client.post(path, data={"password": password, "confirm": password}).status_code


def test_the_administrator_chooses_no_password(admin_browser: FlaskClient) -> None:
    page = admin_browser.get("/users/new").get_data(as_text=True)

    assert 'type="password"' not in page
    assert "Temporary password" not in page
    assert "We will email them a link to set their own password" in page


def test_adding_a_user_emails_them_a_set_up_link_after_commit(
    app: Flask, admin_browser: FlaskClient, admin: User
) -> None:
    response = admin_browser.post("/users/new", data=NEW_USER, follow_redirects=True)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Priya Shah has been added. We have emailed priya.shah@example.gov.uk a link" in page
    assert "Password not set" in page
    user = new_user()
    assert (user.council_id, user.role, user.active) == (admin.council_id, Role.COORDINATOR, True)
    assert not user.has_password
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "account_setup"))
    assert row is not None and row.recipient == user.email and row.related_id == user.id
    assert uow.pending_hooks() == []  # nothing left waiting: the commit sent it
    (message,) = sent_mail(app)
    assert message["To"].addresses[0].addr_spec == "priya.shah@example.gov.uk"
    assert message["Subject"] == "Set up your account on Plan a community event"
    assert message.get_body(("html",)) is not None
    [path] = setup_links(app)
    token = path.rsplit("/", 1)[1]
    # The administrator's pages never show the link.
    assert token not in page
    assert token not in admin_browser.get("/users").get_data(as_text=True)


def test_a_failed_add_sends_nothing(app: Flask, admin_browser: FlaskClient) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    admin_browser.post("/users/new", data=NEW_USER)  # the email is taken now

    assert len(sent_mail(app)) == 1
    assert db.session.scalar(select(SecretToken.id).where(SecretToken.purpose == SETUP))


def test_a_password_posted_by_the_administrator_is_not_used(
    app: Flask, admin_browser: FlaskClient
) -> None:
    admin_browser.post("/users/new", data={**NEW_USER, "password": "the admin knows this one"})

    user = new_user()
    assert not user.has_password
    assert not user.check_password("the admin knows this one")
    assert sign_in(app.test_client(), user.email, "the admin knows this one").status_code == 200


def test_nobody_signs_in_until_the_password_is_set(app: Flask, admin_browser: FlaskClient) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    user = new_user()

    for guess in ("", " ", "x" * 12, user.password_hash or "nothing"):
        response = sign_in(app.test_client(), user.email, guess)
        assert response.status_code == 200, guess
        assert services.authenticate(user.email, guess) is None


def test_the_link_sets_the_password_once(app: Flask, admin_browser: FlaskClient) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    [path] = setup_links(app)
    person = app.test_client()

    page = person.get(path)
    assert page.status_code == 200
    assert "Set your password" in page.get_data(as_text=True)
    done = person.post(path, data={"password": CHOSEN, "confirm": CHOSEN}, follow_redirects=True)
    assert "Your password has been set. Sign in with it now." in done.get_data(as_text=True)

    db.session.expire_all()
    user = new_user()
    assert user.check_password(CHOSEN)
    assert sign_in(app.test_client(), user.email, CHOSEN).status_code == 302
    # A second use is refused, and changes nothing.
    assert person.get(path).status_code == 404
    assert "Ask your council’s administrator to send you a new link" in person.get(path).get_data(
        as_text=True
    )
    assert choose(person, path, "someone else's passphrase") == 404
    db.session.expire_all()
    assert new_user().check_password(CHOSEN)
    # The users page no longer offers a link.
    assert "Password not set" not in admin_browser.get("/users").get_data(as_text=True)


def test_a_short_password_is_refused_and_the_link_still_works(
    app: Flask, admin_browser: FlaskClient
) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    [path] = setup_links(app)
    person = app.test_client()

    page = person.post(path, data={"password": "short", "confirm": "short"})

    assert page.status_code == 200
    assert "between 12 and 256 characters" in page.get_data(as_text=True)
    assert not new_user().has_password
    assert choose(person, path) == 302


def test_the_link_expires(app: Flask, admin_browser: FlaskClient) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    [path] = setup_links(app)
    row = db.session.scalar(select(SecretToken).where(SecretToken.purpose == SETUP))
    assert row is not None and row.expires_at is not None
    assert row.expires_at - row.created_at == timedelta(hours=app.config["ACCOUNT_SETUP_HOURS"])

    db.session.execute(
        SecretToken.__table__.update().values(
            created_at=utcnow() - timedelta(hours=73), expires_at=utcnow() - timedelta(minutes=1)
        )
    )
    db.session.commit()

    assert app.test_client().get(path).status_code == 404
    assert choose(app.test_client(), path) == 404
    db.session.expire_all()
    assert not new_user().has_password


def test_the_administrator_can_send_a_new_link_which_ends_the_old_one(
    app: Flask, admin_browser: FlaskClient
) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    user = new_user()
    assert f"/users/{user.id}/set-up-link" in admin_browser.get("/users").get_data(as_text=True)

    response = admin_browser.post(f"/users/{user.id}/set-up-link", follow_redirects=True)

    assert "We have emailed priya.shah@example.gov.uk a new link" in response.get_data(as_text=True)
    first, second = setup_links(app)
    assert app.test_client().get(first).status_code == 404
    assert choose(app.test_client(), first) == 404
    assert choose(app.test_client(), second) == 302


def test_no_new_link_once_the_password_is_set(
    app: Flask, admin_browser: FlaskClient, council: Council, make_user: Callable[..., User]
) -> None:
    colleague = make_user(council=council)

    page = admin_browser.get("/users").get_data(as_text=True)
    response = admin_browser.post(f"/users/{colleague.id}/set-up-link", follow_redirects=True)

    assert f"/users/{colleague.id}/set-up-link" not in page
    assert f"{colleague.name} has already set a password" in response.get_data(as_text=True)
    assert sent_mail(app) == []
    assert not db.session.scalar(select(SecretToken.id).where(SecretToken.purpose == SETUP))


def test_only_the_councils_administrators_send_links(
    client: FlaskClient,
    make_council: Callable[..., Council],
    make_user: Callable[..., User],
    council: Council,
) -> None:
    pending = make_user(council=council)
    pending.clear_password()
    db.session.commit()
    login_as(client, make_user(Role.ADMIN, council=make_council()))
    assert client.post(f"/users/{pending.id}/set-up-link").status_code == 404
    login_as(client, make_user(Role.COORDINATOR, council=council))
    assert client.post(f"/users/{pending.id}/set-up-link").status_code == 403
    assert not db.session.scalar(select(SecretToken.id).where(SecretToken.purpose == SETUP))


def test_a_disabled_account_cannot_use_its_link(app: Flask, admin_browser: FlaskClient) -> None:
    admin_browser.post("/users/new", data=NEW_USER)
    [path] = setup_links(app)
    admin_browser.post(f"/users/{new_user().id}/disable")

    assert app.test_client().get(path).status_code == 404
    assert choose(app.test_client(), path) == 404
    response = admin_browser.post(f"/users/{new_user().id}/set-up-link", follow_redirects=True)
    assert "Enable Priya Shah’s account before sending a set-up link" in response.get_data(
        as_text=True
    )


def test_a_password_set_another_way_ends_the_set_up_link(
    app: Flask, admin_browser: FlaskClient
) -> None:
    """The person used "forgot your password" instead: the set-up link dies with it."""
    admin_browser.post("/users/new", data=NEW_USER)
    [setup_path] = setup_links(app)
    person = app.test_client()
    person.post("/password-reset/", data={"email": NEW_USER["email"]})
    text = sent_mail(app)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    reset_path = re.search(r"http://localhost(/password-reset/[A-Za-z0-9_-]+)", text)
    assert reset_path is not None

    assert choose(person, reset_path.group(1)) == 302
    # Revoked, not only refused because a password now exists.
    assert not tokens.has_live(SETUP, new_user().id)
    assert person.get(setup_path).status_code == 404
    assert choose(person, setup_path, "a passphrase someone else chose") == 404
    db.session.expire_all()
    assert new_user().check_password(CHOSEN)


def test_the_token_reaches_no_log_audit_entry_or_stored_row(
    app: Flask, admin_browser: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin_browser.post("/users/new", data=NEW_USER)
    admin_browser.post(f"/users/{new_user().id}/set-up-link")
    first, second = setup_links(app)
    app.test_client().get(first)
    choose(app.test_client(), second)

    for path in (first, second):
        token = path.rsplit("/", 1)[1]
        assert token not in caplog.text
        assert token not in redact(f'127.0.0.1 - - "GET {path} HTTP/1.1" 200 -')
        summaries = " ".join(e.summary for e in db.session.scalars(select(AuditEntry)))
        assert token not in summaries
        hashes = db.session.scalars(select(SecretToken.token_hash)).all()
        assert all(token not in stored for stored in hashes)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == new_user().id)
    ).all()
    assert actions.count("user.setup_link_sent") == 2
    assert "user.set_password" in actions


def test_the_service_refuses_a_link_for_an_account_with_a_password(
    app: Flask, council: Council, make_user: Callable[..., User]
) -> None:
    colleague = make_user(council=council)
    with pytest.raises(DomainError, match="has already set a password"):
        password_links.send_setup_link(colleague, actor=None)


# `flask users create --email-link` -----------------------------------------------------


def test_the_cli_can_email_a_set_up_link_instead_of_asking_for_a_password(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTAPP_PASSWORD", raising=False)
    result = runner.invoke(
        args=[
            "users",
            "create",
            "New.Person@Example.gov.uk",
            "--role",
            "organiser",
            "--council",
            "New Council",
            "--email-link",
        ],
        input="",
    )

    assert result.exit_code == 0, result.output
    assert "A link to set their password has been emailed to them." in result.output
    user = services.find_user("new.person@example.gov.uk")
    assert user is not None and not user.has_password
    [path] = setup_links(app)
    assert choose(app.test_client(), path) == 302


def test_the_cli_email_link_needs_the_public_address(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "someone@example.gov.uk",
            "--role",
            "organiser",
            "--council",
            "New Council",
            "--email-link",
        ],
    )

    assert result.exit_code != 0
    assert "Set PUBLIC_BASE_URL first" in result.output
    assert services.find_user("someone@example.gov.uk") is None


def test_a_link_of_one_kind_never_opens_the_other_page(
    app: Flask, council: Council, make_user: Callable[..., User]
) -> None:
    colleague = make_user(council=council)
    colleague.clear_password()
    reset = tokens.issue(TokenPurpose.PASSWORD_RESET, colleague.id, ttl=timedelta(hours=1))
    setup = tokens.issue(SETUP, colleague.id, ttl=timedelta(hours=1))
    db.session.commit()
    person = app.test_client()

    assert person.get(f"/set-up/{reset.raw}").status_code == 404
    assert person.get(f"/password-reset/{setup.raw}").status_code == 404
    assert person.get(f"/set-up/{setup.raw}").status_code == 200
