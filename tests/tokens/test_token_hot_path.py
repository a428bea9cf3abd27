"""``use`` and ``issue_raw``: the Core-statement forms of ``consume`` and ``issue`` that the
place-taking request uses. The same rules: single use, purpose, expiry to the moment,
revocation, nothing sent for what cannot be a token, only the keyed hash stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp import tokens
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose
from tests.tokens.test_token_edges import statements

P = TokenPurpose


def _row(raw: str, purpose: TokenPurpose) -> SecretToken:
    db.session.expire_all()
    return db.session.scalars(
        select(SecretToken).where(SecretToken.token_hash == tokens.hash_token(purpose, raw))
    ).one()


def test_use_gives_the_subject_once_and_marks_the_token_used(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 31, ttl=timedelta(hours=1), now=now)
    later = now + timedelta(minutes=2)
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw, now=later) == 31
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw, now=later) is None
    assert _row(issued.raw, P.EMAIL_CONFIRMATION).used_at == later
    assert tokens.find(P.EMAIL_CONFIRMATION, issued.raw) is None


def test_use_without_a_time_takes_the_current_one(app) -> None:
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 32, ttl=timedelta(hours=1))
    before = utcnow()
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw) == 32
    used_at = _row(issued.raw, P.EMAIL_CONFIRMATION).used_at
    assert used_at is not None and before <= used_at <= utcnow()


def test_use_works_only_for_the_tokens_own_purpose(app) -> None:
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 33, ttl=timedelta(hours=1))
    assert tokens.use(P.PASSWORD_RESET, issued.raw) is None
    assert tokens.use(P.EMAIL_CONFIRMATION, tokens.new_token()) is None
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw) == 33


def test_use_refuses_a_token_at_the_moment_it_expires(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 34, ttl=timedelta(hours=1), now=now)
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(hours=1)) is None
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(minutes=59)) == 34


def test_use_takes_a_token_without_expiry(app) -> None:
    issued = tokens.issue(P.REGISTRATION, 35)
    assert tokens.use(P.REGISTRATION, issued.raw) == 35


def test_use_refuses_a_revoked_token(app) -> None:
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 36, ttl=timedelta(hours=1))
    assert tokens.revoke_all(P.EMAIL_CONFIRMATION, 36) == 1
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw) is None
    assert _row(issued.raw, P.EMAIL_CONFIRMATION).used_at is None


@pytest.mark.parametrize("raw", [None, 12, "", "short", "x" * 101, "a" * 21 + "="])
def test_use_sends_nothing_for_what_cannot_be_a_token(app, raw: object) -> None:
    with statements() as sent:
        assert tokens.use(P.REGISTRATION, raw) is None  # type: ignore[arg-type]
    assert sent == []


def test_use_expires_the_copy_this_session_already_holds(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 37, ttl=timedelta(hours=1), now=now)
    held = tokens.find(P.EMAIL_CONFIRMATION, issued.raw, now=now)
    assert held is not None and held.used_at is None
    assert tokens.use(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(minutes=1)) == 37
    assert held.used_at == now + timedelta(minutes=1)


def test_issue_raw_stores_only_the_keyed_hash_with_its_times(app) -> None:
    now = utcnow().replace(microsecond=0)
    raw = tokens.issue_raw(P.REGISTRATION, 41, ttl=timedelta(hours=3), now=now)
    assert len(raw) >= 43 and tokens.looks_like_token(raw)
    row = _row(raw, P.REGISTRATION)
    assert (row.purpose, row.subject_id) == (P.REGISTRATION, 41)
    assert (row.created_at, row.expires_at) == (now, now + timedelta(hours=3))
    assert row.used_at is None and row.revoked_at is None
    assert raw not in row.token_hash
    found = tokens.find(P.REGISTRATION, raw)
    assert found is not None and found.subject_id == 41


def test_issue_raw_without_a_lifetime_never_expires_and_takes_the_current_time(app) -> None:
    before = utcnow()
    first = tokens.issue_raw(P.REGISTRATION, 42)
    second = tokens.issue_raw(P.REGISTRATION, 42)
    assert first != second
    row = _row(first, P.REGISTRATION)
    assert row.expires_at is None
    assert before <= row.created_at <= utcnow()
    # An earlier token of the subject is kept (unlike issue(..., replace=True)).
    assert tokens.find(P.REGISTRATION, second) is not None
    assert tokens.find(P.REGISTRATION, first) is not None
