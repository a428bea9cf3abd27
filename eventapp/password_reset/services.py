"""Asking for a reset link, and using it."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from eventapp import audit, tokens
from eventapp.accounts import services as account_services
from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.tokens import TokenPurpose


def lifetime() -> timedelta:
    return timedelta(hours=int(current_app.config["PASSWORD_RESET_HOURS"]))


def request_reset(email: str) -> None:
    """Email a reset link if the address belongs to an active account; otherwise nothing.

    The caller shows the same page either way. Earlier links of the account stop working.
    """
    user = account_services.find_user(email)
    if user is None or not user.active:
        return
    issued = tokens.issue(TokenPurpose.PASSWORD_RESET, user.id, ttl=lifetime(), replace=True)
    hours = int(current_app.config["PASSWORD_RESET_HOURS"])
    content = outbox.render(
        "password_reset",
        subject="Reset your password",
        name=user.name,
        link=external_url("password_reset.choose", token=issued.raw),
        hours=hours,
        council_name=user.council.name,
        service_name=current_app.config["SERVICE_NAME"],
    )
    outbox.enqueue(
        to=user.email,
        name=user.name,
        content=content,
        kind="password_reset",
        council_id=user.council_id,
        related=user,
    )
    audit.record(actor=None, council_id=user.council_id, action="user.reset_requested", obj=user)


def user_for(raw: str) -> User | None:
    """The account a live reset link belongs to, or None (unknown, expired, used)."""
    row = tokens.find(TokenPurpose.PASSWORD_RESET, raw)
    if row is None:
        return None
    user = db.session.get(User, row.subject_id)
    return user if user is not None and user.active else None


def reset_password(raw: str, password: str) -> User | None:
    """Use the link once to set a new password; every session of the account ends.

    None if the link no longer works (used, expired, revoked or the account disabled).
    """
    account_services.check_password_rules(password)
    row = tokens.consume(TokenPurpose.PASSWORD_RESET, raw)
    if row is None:
        return None
    user = db.session.get(User, row.subject_id)
    if user is None or not user.active:
        return None
    account_services.set_password(user=user, password=password, actor=user)
    tokens.revoke_all(TokenPurpose.PASSWORD_RESET, user.id)
    return user
