"""Links that let a person choose their own password: a reset link asked for by someone who
forgot theirs, and the set-up link a new colleague gets when an administrator adds them.

Both work once, for a limited time, and only the newest of each kind works; setting a
password by any route ends them all (``accounts.services.set_password``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from eventapp import audit, tokens
from eventapp.accounts import services as account_services
from eventapp.accounts.models import Council, Role, User
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.tokens import TokenPurpose

# How long each kind of link lasts, in hours (config.py).
HOURS_SETTING = {
    TokenPurpose.PASSWORD_RESET: "PASSWORD_RESET_HOURS",
    TokenPurpose.ACCOUNT_SETUP: "ACCOUNT_SETUP_HOURS",
}


def hours(purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET) -> int:
    return int(current_app.config[HOURS_SETTING[purpose]])


def lifetime(purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET) -> timedelta:
    return timedelta(hours=hours(purpose))


def request_reset(email: str) -> None:
    """Email a reset link if the address belongs to an active account; otherwise nothing.

    The caller shows the same page either way. Earlier links of the account stop working.
    """
    user = account_services.find_user(email)
    if user is None or not user.active:
        return
    _send_link(user, TokenPurpose.PASSWORD_RESET, subject="Reset your password")
    audit.record(actor=None, council_id=user.council_id, action="user.reset_requested", obj=user)


def add_user(*, council: Council, email: str, role: Role, name: str, actor: User | None) -> User:
    """An administrator (or ``flask users create --email-link``) adds a colleague. Nobody
    chooses a password for them: the account has none until they set their own through the
    set-up link emailed to them."""
    user = account_services.create_user(
        council=council, email=email, role=role, password=None, name=name, actor=actor
    )
    send_setup_link(user, actor=actor)
    return user


def send_setup_link(user: User, *, actor: User | None) -> None:
    """Email the person a new set-up link; any earlier one stops working."""
    if user.has_password:
        raise DomainError(f"{user.display_name} has already set a password")
    if not user.active:
        raise DomainError(f"Enable {user.display_name}’s account before sending a set-up link")
    _send_link(
        user,
        TokenPurpose.ACCOUNT_SETUP,
        subject=f"Set up your account on {current_app.config['SERVICE_NAME']}",
    )
    audit.record(actor=actor, council_id=user.council_id, action="user.setup_link_sent", obj=user)


def _send_link(user: User, purpose: TokenPurpose, *, subject: str) -> None:
    issued = tokens.issue(purpose, user.id, ttl=lifetime(purpose), replace=True)
    content = outbox.render(
        purpose.value,
        subject=subject,
        name=user.name,
        link=external_url(ENDPOINTS[purpose], token=issued.raw),
        hours=hours(purpose),
        council_name=user.council.name,
        service_name=current_app.config["SERVICE_NAME"],
    )
    outbox.enqueue(
        to=user.email,
        name=user.name,
        content=content,
        kind=purpose.value,
        council_id=user.council_id,
        related=user,
    )


# The page each kind of link opens.
ENDPOINTS = {
    TokenPurpose.PASSWORD_RESET: "password_reset.choose",
    TokenPurpose.ACCOUNT_SETUP: "account_setup.choose_first",
}


def user_for(raw: str, purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET) -> User | None:
    """The account a live link belongs to, or None (unknown, expired, used, or the account
    disabled; a set-up link also once the account has a password)."""
    row = tokens.find(purpose, raw)
    if row is None:
        return None
    return _usable(db.session.get(User, row.subject_id), purpose)


def _usable(user: User | None, purpose: TokenPurpose) -> User | None:
    if user is None or not user.active:
        return None
    if purpose is TokenPurpose.ACCOUNT_SETUP and user.has_password:
        return None
    return user


def reset_password(
    raw: str, password: str, purpose: TokenPurpose = TokenPurpose.PASSWORD_RESET
) -> User | None:
    """Use the link once to set a new password; every session and link of the account ends.

    None if the link no longer works (used, expired, revoked or the account disabled).
    """
    account_services.check_password_rules(password)
    row = tokens.consume(purpose, raw)
    if row is None:
        return None
    user = _usable(db.session.get(User, row.subject_id), purpose)
    if user is None:
        return None
    account_services.set_password(user=user, password=password, actor=user)
    return user
