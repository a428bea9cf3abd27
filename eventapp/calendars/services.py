"""Private calendar feed tokens: random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.extensions import db


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(user: User) -> str:
    """A new feed token for the user; any earlier feed URL stops working."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = token_hash(token)
    audit.record(actor=user, council_id=user.council_id, action="calendar.token.issue", obj=user)
    return token


def revoke_feed_token(user: User) -> None:
    user.calendar_token_hash = None
    audit.record(actor=user, council_id=user.council_id, action="calendar.token.revoke", obj=user)


def user_for_token(token: str) -> User | None:
    """The active user a feed token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token_hash == token_hash(token)))
    if user is None or not user.active:
        return None
    return user
