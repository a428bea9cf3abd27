"""Account rules: creating users, checking passwords, ending sessions."""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp import audit, tokens
from eventapp.accounts.models import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    Council,
    Role,
    User,
)
from eventapp.calendars.services import revoke_feed_token
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import TokenPurpose

# Links that let their holder choose the account's password: any password set ends them all.
PASSWORD_LINKS = (TokenPurpose.PASSWORD_RESET, TokenPurpose.ACCOUNT_SETUP)


@functools.cache
def _dummy_hash() -> str:
    """A real hash, checked when the email is unknown so both paths take the same time."""
    return generate_password_hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    """Raise if the password is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Enter a password that is at least {MIN_PASSWORD_LENGTH} characters long",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            f"Enter a password that is {MAX_PASSWORD_LENGTH} characters or fewer", field="password"
        )


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None — taking the same time either way."""
    user = find_user(email)
    if user is None or not user.has_password:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_sign_in_at = utcnow()
    return user


def get_or_create_council(name: str, area_name: str | None = None) -> Council:
    council = db.session.scalar(
        select(Council).where(func.lower(Council.name) == name.strip().lower())
    )
    if council is None:
        area = area_name or name.strip().removesuffix(" Council").strip() or name.strip()
        council = Council(name=name.strip(), area_name=area)
        db.session.add(council)
        db.session.flush()
    return council


def create_user(
    *,
    council: Council,
    email: str,
    role: Role,
    password: str | None,
    name: str = "",
    actor: User | None = None,
) -> User:
    """Add a user to a council; raises DomainError if the email is taken or the password weak.

    ``password`` None: the account has none, and nobody can sign in to it, until the person
    sets their own through a set-up link (``password_reset.services.add_user``).
    """
    email = normalise_email(email)
    if find_user(email) is not None:
        raise DomainError("An account with this email address already exists", field="email")
    if password is not None:
        check_password_rules(password)
    user = User(council=council, email=email, role=role, name=name.strip())
    if password is None:
        user.clear_password()
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor=actor, council_id=council.id, action="user.create", obj=user, summary=f"role {role}"
    )
    return user


def set_password(*, user: User, password: str, actor: User | None = None) -> None:
    """Change the password and end every existing session of the account, and every link
    (reset or set-up) that could choose another."""
    check_password_rules(password)
    user.set_password(password)
    for purpose in PASSWORD_LINKS:
        tokens.revoke_all(purpose, user.id)
    audit.record(actor=actor, council_id=user.council_id, action="user.set_password", obj=user)


def change_own_password(*, user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError("Your current password is not right", field="current_password")
    set_password(user=user, password=new, actor=user)


def set_active(*, user: User, active: bool, actor: User | None = None) -> None:
    """Disable or re-enable an account; disabling ends its sessions and its calendar feed.

    Re-enabling brings neither back: the person signs in again and sets up a new feed.
    """
    if actor is not None and actor.id == user.id and not active:
        raise DomainError("You cannot disable your own account")
    user.active = active
    if not active:
        user.end_sessions()
        revoke_feed_token(user, actor=actor)
    audit.record(
        actor=actor,
        council_id=user.council_id,
        action="user.enable" if active else "user.disable",
        obj=user,
    )


def sign_out_everywhere(user: User) -> None:
    user.end_sessions()


def council_users(council_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.council_id == council_id)
            .order_by(User.active.desc(), User.email)
        )
    )


def get_council_user(council_id: int, user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id, User.council_id == council_id))
