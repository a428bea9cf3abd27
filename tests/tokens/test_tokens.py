"""The tokens module: random links, only keyed hashes stored, expiry, single use, revocation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp import tokens
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose


def test_a_token_has_at_least_128_bits_and_only_its_hash_is_stored(app) -> None:
    issued = tokens.issue(TokenPurpose.REGISTRATION, 7)
    db.session.commit()
    assert len(issued.raw) >= 43  # 32 random bytes, URL-safe base64
    stored = db.session.scalars(select(SecretToken.token_hash)).all()
    assert stored == [tokens.hash_token(TokenPurpose.REGISTRATION, issued.raw)]
    assert issued.raw not in stored[0]
    assert tokens.find(TokenPurpose.REGISTRATION, issued.raw).subject_id == 7


def test_tokens_are_all_different(app) -> None:
    assert len({tokens.new_token() for _ in range(1000)}) == 1000


def test_a_token_works_only_for_its_own_purpose(app) -> None:
    issued = tokens.issue(TokenPurpose.PASSWORD_RESET, 1)
    assert tokens.find(TokenPurpose.CALENDAR_FEED, issued.raw) is None
    assert tokens.find(TokenPurpose.PASSWORD_RESET, issued.raw) is not None


def test_the_hash_is_keyed_by_the_secret_key(app) -> None:
    raw = tokens.new_token()
    one = tokens.hash_token(TokenPurpose.INVITATION, raw, key="one")
    two = tokens.hash_token(TokenPurpose.INVITATION, raw, key="two")
    assert one != two and len(one) == len(two) == 64


def test_expired_tokens_do_not_work(app) -> None:
    now = utcnow()
    issued = tokens.issue(TokenPurpose.EMAIL_CONFIRMATION, 3, ttl=timedelta(hours=1), now=now)
    assert tokens.find(TokenPurpose.EMAIL_CONFIRMATION, issued.raw, now=now) is not None
    later = now + timedelta(hours=1)
    assert tokens.find(TokenPurpose.EMAIL_CONFIRMATION, issued.raw, now=later) is None


def test_a_single_use_token_is_consumed_once(app) -> None:
    issued = tokens.issue(TokenPurpose.PASSWORD_RESET, 4, ttl=timedelta(hours=1))
    assert tokens.consume(TokenPurpose.PASSWORD_RESET, issued.raw) is not None
    assert tokens.consume(TokenPurpose.PASSWORD_RESET, issued.raw) is None
    assert tokens.find(TokenPurpose.PASSWORD_RESET, issued.raw) is None
    assert tokens.find(TokenPurpose.PASSWORD_RESET, issued.raw, allow_used=True) is not None


def test_revoking_and_replacing(app) -> None:
    first = tokens.issue(TokenPurpose.CALENDAR_FEED, 5)
    second = tokens.issue(TokenPurpose.CALENDAR_FEED, 5, replace=True)
    other = tokens.issue(TokenPurpose.CALENDAR_FEED, 6)
    assert tokens.find(TokenPurpose.CALENDAR_FEED, first.raw) is None
    assert tokens.find(TokenPurpose.CALENDAR_FEED, second.raw) is not None
    assert tokens.has_live(TokenPurpose.CALENDAR_FEED, 5)
    assert tokens.revoke_all(TokenPurpose.CALENDAR_FEED, 5) == 1
    assert not tokens.has_live(TokenPurpose.CALENDAR_FEED, 5)
    assert tokens.find(TokenPurpose.CALENDAR_FEED, other.raw) is not None


@pytest.mark.parametrize(
    "raw", ["", "short", "x" * 101, "has space in it and is long enough", "ünïcödé" * 5, None, 12]
)
def test_anything_that_cannot_be_a_token_finds_nothing(app, raw) -> None:
    assert tokens.find(TokenPurpose.REGISTRATION, raw) is None
