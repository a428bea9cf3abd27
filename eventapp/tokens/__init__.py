"""Every secret link the service sends: calendar feeds, password resets, account set-up,
email confirmation, registrants' own pages and invitations.

- A token is 256 random bits (``secrets.token_urlsafe(32)``), shown once and never stored.
- The database keeps ``HMAC-SHA256(SECRET_KEY, purpose:token)``: a token of one purpose never
  works for another, and a leaked database gives nobody a working link.
- Lookup is by that hash through a unique index, so no comparison ever runs over raw tokens.
- Expiry (where the purpose needs it), single use and revocation are checked in one place.
- Routes take tokens through the ``<token:...>`` URL converter (``eventapp.routing``), which
  keeps every such URL out of request logs by construction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import Insert, Update, bindparam, insert, select, update

from eventapp import uow
from eventapp.extensions import db
from eventapp.models.base import table_of, utcnow
from eventapp.tokens.models import SecretToken, TokenPurpose

__all__ = [
    "MAX_TOKEN_LENGTH",
    "MIN_TOKEN_LENGTH",
    "Issued",
    "SecretToken",
    "TokenPurpose",
    "consume",
    "find",
    "has_live",
    "hash_token",
    "issue",
    "issue_many",
    "issue_raw",
    "looks_like_token",
    "new_token",
    "revoke_all",
    "use",
    "use_params",
    "use_statement",
    "forget_loaded",
]

TOKEN_BYTES = 32  # 256 bits; the rule is at least 128
MIN_TOKEN_LENGTH = 22  # 128 bits in URL-safe base64
MAX_TOKEN_LENGTH = 100
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_token() -> str:
    """A fresh random token for a link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(raw: str) -> bool:
    """Whether a string could be a token at all (cheap check before any database work)."""
    return MIN_TOKEN_LENGTH <= len(raw) <= MAX_TOKEN_LENGTH and set(raw) <= _ALPHABET


def hash_token(purpose: TokenPurpose | str, raw: str, *, key: str | bytes | None = None) -> str:
    """The stored form of a token: a keyed hash bound to its purpose (64 hex characters)."""
    secret = key if key is not None else current_app.config["SECRET_KEY"]
    if isinstance(secret, str):
        secret = secret.encode()
    message = f"{TokenPurpose(purpose).value}:{raw}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A token just issued: the raw value goes into the link, the row into the database."""

    raw: str
    row: SecretToken


def issue(
    purpose: TokenPurpose,
    subject_id: int,
    *,
    ttl: timedelta | None = None,
    replace: bool = False,
    now: datetime | None = None,
) -> Issued:
    """Issue a token for ``subject_id``; ``replace`` revokes the subject's earlier ones first."""
    now = now or utcnow()
    if replace:
        revoke_all(purpose, subject_id, now=now)
    raw = new_token()
    row = SecretToken(
        purpose=purpose,
        token_hash=hash_token(purpose, raw),
        subject_id=subject_id,
        created_at=now,
        expires_at=now + ttl if ttl is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    return Issued(raw, row)


def issue_raw(
    purpose: TokenPurpose,
    subject_id: int,
    *,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """``issue`` for a hot path: the row is written at once by one Core INSERT (no instance,
    no flush); returns only the raw token."""
    now = now or utcnow()
    raw = new_token()
    db.session.execute(
        _insert_statement(),
        {
            "purpose": purpose,
            "token_hash": hash_token(purpose, raw),
            "subject_id": subject_id,
            "created_at": now,
            "expires_at": now + ttl if ttl is not None else None,
        },
    )
    return raw


@cache
def _insert_statement() -> Insert:
    return insert(table_of(SecretToken))


def issue_many(
    purpose: TokenPurpose,
    subject_ids: list[int],
    *,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> dict[int, str]:
    """Issue one token per subject in a single flush (a mail-out to thousands); returns the
    raw token of each subject id."""
    now = now or utcnow()
    raws = {subject_id: new_token() for subject_id in subject_ids}
    db.session.add_all(
        SecretToken(
            purpose=purpose,
            token_hash=hash_token(purpose, raw),
            subject_id=subject_id,
            created_at=now,
            expires_at=now + ttl if ttl is not None else None,
        )
        for subject_id, raw in raws.items()
    )
    db.session.flush()
    return raws


def find(
    purpose: TokenPurpose,
    raw: str,
    *,
    now: datetime | None = None,
    allow_used: bool = False,
    for_update: bool = False,
) -> SecretToken | None:
    """The live token row for a raw token of this purpose, or None (unknown, expired,
    revoked, or already used unless ``allow_used``)."""
    if not isinstance(raw, str) or not looks_like_token(raw):
        return None
    query = (
        select(SecretToken)
        .where(SecretToken.purpose == purpose, SecretToken.token_hash == hash_token(purpose, raw))
        # Read afresh even if this session loaded the row before a revoke_all or another
        # bulk update: a stale copy must not look live.
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update()
    row = db.session.scalar(query)
    if row is None or row.revoked_at is not None:
        return None
    now = now or utcnow()
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if row.used_at is not None and not allow_used:
        return None
    return row


def consume(purpose: TokenPurpose, raw: str, *, now: datetime | None = None) -> SecretToken | None:
    """Use a single-use token: returns its row once, None on every later try.

    One conditional UPDATE finds the live token and marks it used (one round trip): two
    requests racing with one link cannot both succeed, on SQLite or PostgreSQL.
    """
    if not isinstance(raw, str) or not looks_like_token(raw):
        return None
    now = now or utcnow()
    return db.session.scalars(
        update(SecretToken)
        .where(
            SecretToken.purpose == purpose,
            SecretToken.token_hash == hash_token(purpose, raw),
            SecretToken.used_at.is_(None),
            SecretToken.revoked_at.is_(None),
            SecretToken.expires_at.is_(None) | (SecretToken.expires_at > now),
        )
        .values(used_at=now)
        .returning(SecretToken)
        # The returned row refreshes any copy already loaded: nothing else to synchronise.
        .execution_options(populate_existing=True, synchronize_session=False)
    ).one_or_none()


def use(purpose: TokenPurpose, raw: str, *, now: datetime | None = None) -> int | None:
    """``consume`` for a hot path: the same single conditional UPDATE, as a Core statement
    built once, returning only the token's subject id (None on every try after the first, or
    for a token that is unknown, expired or revoked). A copy of the row already loaded in
    the session is expired, so it cannot look unused."""
    params = use_params(purpose, raw, now=now)
    if params is None:
        return None
    found = db.session.execute(use_statement(), params).one_or_none()
    if found is None:
        return None
    token_id, subject_id = found
    forget_loaded(token_id)
    return int(subject_id)


def use_params(
    purpose: TokenPurpose, raw: str, *, now: datetime | None = None
) -> dict[str, Any] | None:
    """The values ``use_statement`` binds, or None for what cannot be a token (nothing need
    be sent to the database)."""
    if not isinstance(raw, str) or not looks_like_token(raw):
        return None
    return {"b_purpose": purpose, "b_token_hash": hash_token(purpose, raw), "now": now or utcnow()}


def forget_loaded(token_id: int) -> None:
    """Expire the session's copy of a token row a Core statement changed, if it holds one."""
    uow.expire_if_loaded(SecretToken, token_id)


@cache
def use_statement() -> Update:
    """The statement ``use`` runs, built once: marks the live token used and returns its
    ``id`` and ``subject_id``. Binds ``use_params``. Also for a caller that uses a token
    inside a larger statement (PostgreSQL runs an UPDATE in a WITH clause)."""
    table = table_of(SecretToken)
    now = bindparam("now", type_=table.c.used_at.type)
    return (
        update(table)
        .where(
            table.c.purpose == bindparam("b_purpose", type_=table.c.purpose.type),
            table.c.token_hash == bindparam("b_token_hash", type_=table.c.token_hash.type),
            table.c.used_at.is_(None),
            table.c.revoked_at.is_(None),
            table.c.expires_at.is_(None) | (table.c.expires_at > now),
        )
        .values(used_at=now)
        .returning(table.c.id, table.c.subject_id)
    )


def revoke_all(purpose: TokenPurpose, subject_id: int, *, now: datetime | None = None) -> int:
    """Revoke every live token of this purpose for the subject; returns how many."""
    result = db.session.execute(
        update(SecretToken)
        .where(
            SecretToken.purpose == purpose,
            SecretToken.subject_id == subject_id,
            SecretToken.revoked_at.is_(None),
        )
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def has_live(purpose: TokenPurpose, subject_id: int, *, now: datetime | None = None) -> bool:
    """Whether the subject holds a token of this purpose that still works."""
    now = now or utcnow()
    query = select(SecretToken.id).where(
        SecretToken.purpose == purpose,
        SecretToken.subject_id == subject_id,
        SecretToken.revoked_at.is_(None),
        SecretToken.used_at.is_(None),
        (SecretToken.expires_at.is_(None)) | (SecretToken.expires_at > now),
    )
    return db.session.scalar(query.limit(1)) is not None
