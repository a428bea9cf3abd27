"""Password reset by email: time-limited, single use, the same answer for every address."""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import Role, User
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose
from tests.conftest import PASSWORD, login_as

NEW = "a completely new password"  # noqa: S105 - test data


def sent_mail(app: Flask) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_FILE_DIR"])
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for p in sorted(folder.glob("*.eml"))
    ] if folder.exists() else []


def link_in(message: email.message.EmailMessage) -> str:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    match = re.search(r"http://localhost(/password-reset/[A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ORGANISER, email="person@example.gov.uk")


def test_a_reset_link_is_emailed_and_works_once(
    app: Flask, client: FlaskClient, user: User
) -> None:
    response = client.post("/password-reset/", data={"email": " Person@Example.gov.uk "})
    assert response.status_code == 302 and response.location.endswith("/password-reset/sent")
    (message,) = sent_mail(app)
    assert message["To"].addresses[0].addr_spec == "person@example.gov.uk"
    assert message.get_body(("html",)) is not None
    path = link_in(message)
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.location.endswith("/sign-in")
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW)  # type: ignore[union-attr]
    # Single use.
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": "another new password", "confirm": "another new password"}).status_code == 404


def test_the_answer_is_the_same_for_unknown_and_disabled_accounts(
    app: Flask, client: FlaskClient, user: User, make_user: Callable[..., User]
) -> None:
    disabled = make_user(Role.ORGANISER, email="gone@example.gov.uk")
    disabled.active = False
    db.session.commit()
    answers = []
    for address in ("person@example.gov.uk", "nobody@example.gov.uk", "gone@example.gov.uk"):
        response = client.post("/password-reset/", data={"email": address}, follow_redirects=True)
        page = re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))
        answers.append((response.status_code, page))
    assert answers[0] == answers[1] == answers[2]
    assert len(sent_mail(app)) == 1
    assert db.session.scalar(select(OutboxMessage.recipient)) == "person@example.gov.uk"


def test_the_link_expires(app: Flask, client: FlaskClient, user: User) -> None:
    client.post("/password-reset/", data={"email": user.email})
    path = link_in(sent_mail(app)[0])
    db.session.execute(
        SecretToken.__table__.update().values(
            created_at=utcnow() - timedelta(hours=3), expires_at=utcnow() - timedelta(minutes=1)
        )
    )
    db.session.commit()
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)  # type: ignore[union-attr]


def test_a_newer_link_replaces_the_older_one(app: Flask, client: FlaskClient, user: User) -> None:
    client.post("/password-reset/", data={"email": user.email})
    client.post("/password-reset/", data={"email": user.email})
    first, second = (link_in(m) for m in sent_mail(app))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_resetting_ends_every_session(app: Flask, client: FlaskClient, user: User) -> None:
    other = app.test_client()
    login_as(other, user)
    assert other.get("/events/").status_code == 200
    client.post("/password-reset/", data={"email": user.email})
    client.post(link_in(sent_mail(app)[0]), data={"password": NEW, "confirm": NEW})
    assert other.get("/events/").status_code == 302


def test_a_short_password_is_refused_and_the_link_still_works(
    app: Flask, client: FlaskClient, user: User
) -> None:
    client.post("/password-reset/", data={"email": user.email})
    path = link_in(sent_mail(app)[0])
    page = client.post(path, data={"password": "short", "confirm": "short"})
    assert page.status_code == 200
    assert "between 12 and 256 characters" in page.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_requests_are_rate_limited_per_address(
    app: Flask, client: FlaskClient, user: User
) -> None:
    app.config["RATELIMIT_ENABLED"] = True
    codes = [
        client.post("/password-reset/", data={"email": user.email}).status_code for _ in range(5)
    ]
    assert codes[:3] == [302, 302, 302] and codes[3] == 429
    assert len(sent_mail(app)) == 3


def test_tokens_never_reach_the_audit_log_or_the_outbox_of_another_purpose(
    app: Flask, client: FlaskClient, user: User
) -> None:
    from eventapp.accounts.models import AuditEntry

    client.post("/password-reset/", data={"email": user.email})
    token = link_in(sent_mail(app)[0]).rsplit("/", 1)[1]
    summaries = " ".join(e.summary for e in db.session.scalars(select(AuditEntry)))
    assert token not in summaries
    stored = db.session.scalar(select(SecretToken).where(SecretToken.purpose == TokenPurpose.PASSWORD_RESET))
    assert stored is not None and token not in stored.token_hash
