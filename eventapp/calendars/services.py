"""Private calendar feed tokens: random, shown once, stored only as a hash (eventapp.tokens)."""

from __future__ import annotations

from sqlalchemy import select

from eventapp import audit, tokens
from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.tokens import TokenPurpose


def issue_feed_token(user: User) -> str:
    """A new feed token for the user; any earlier feed URL stops working."""
    issued = tokens.issue(TokenPurpose.CALENDAR_FEED, user.id, replace=True)
    audit.record(actor=user, council_id=user.council_id, action="calendar.token.issue", obj=user)
    return issued.raw


def revoke_feed_token(user: User, *, actor: User | None = None) -> None:
    """Turn off the user's feed: its address stops working for good."""
    tokens.revoke_all(TokenPurpose.CALENDAR_FEED, user.id)
    audit.record(
        actor=actor or user, council_id=user.council_id, action="calendar.token.revoke", obj=user
    )


def has_feed(user: User) -> bool:
    return tokens.has_live(TokenPurpose.CALENDAR_FEED, user.id)


def user_for_token(token: str) -> User | None:
    """The active user a feed token belongs to, or None."""
    row = tokens.find(TokenPurpose.CALENDAR_FEED, token)
    if row is None:
        return None
    user = db.session.scalar(select(User).where(User.id == row.subject_id))
    if user is None or not user.active:
        return None
    return user
