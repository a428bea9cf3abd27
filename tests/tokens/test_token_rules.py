"""The tokens module's rules at their edges: lengths, the keyed hash, expiry, single use under
a race, revocation that touches only what it should, and the row lock on request."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql

from eventapp import tokens
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose

P = TokenPurpose


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("a" * 21, False),
        ("a" * 22, True),  # 128 bits in URL-safe base64: the shortest a token may be
        ("A-z_0" * 20, True),  # 100 characters
        ("a" * 101, False),
        ("a" * 21 + "=", False),
        ("a" * 21 + "/", False),
        ("a" * 21 + "+", False),
        ("a" * 21 + ".", False),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", True),
    ],
)
def test_what_could_be_a_token(raw: str, ok: bool) -> None:
    assert tokens.looks_like_token(raw) is ok


def test_a_new_token_is_exactly_32_random_bytes_in_url_safe_base64() -> None:
    raw = tokens.new_token()
    assert len(raw) == 43
    assert tokens.looks_like_token(raw)


def test_the_stored_hash_is_hmac_sha256_of_purpose_and_token(app) -> None:
    raw = "AbC-123_xyz" * 3
    expected = hmac.new(b"k3y", f"calendar_feed:{raw}".encode(), hashlib.sha256).hexdigest()
    assert tokens.hash_token(P.CALENDAR_FEED, raw, key="k3y") == expected
    assert tokens.hash_token(P.CALENDAR_FEED, raw, key=b"k3y") == expected
    assert tokens.hash_token("calendar_feed", raw, key="k3y") == expected
    app_key = app.config["SECRET_KEY"]
    assert tokens.hash_token(P.CALENDAR_FEED, raw) == tokens.hash_token(
        P.CALENDAR_FEED, raw, key=app_key
    )
    assert tokens.hash_token(P.CALENDAR_FEED, raw) != expected


def test_issue_records_when_and_until_when(app) -> None:
    now = utcnow().replace(microsecond=0)
    lasting = tokens.issue(P.ACCOUNT_SETUP, 9, ttl=timedelta(days=3), now=now)
    forever = tokens.issue(P.CALENDAR_FEED, 9, now=now)
    assert lasting.row.id is not None and forever.row.id is not None  # flushed: ids to link to
    db.session.commit()
    assert lasting.row.created_at == now
    assert lasting.row.expires_at == now + timedelta(days=3)
    assert lasting.row.subject_id == 9 and lasting.row.purpose is P.ACCOUNT_SETUP
    assert forever.row.expires_at is None
    assert lasting.row.used_at is None and lasting.row.revoked_at is None
    # Without replace, an earlier token of the subject keeps working.
    again = tokens.issue(P.ACCOUNT_SETUP, 9, ttl=timedelta(days=3))
    assert tokens.find(P.ACCOUNT_SETUP, lasting.raw) is not None
    assert tokens.find(P.ACCOUNT_SETUP, again.raw) is not None


def test_a_token_works_until_the_moment_it_expires(app) -> None:
    now = utcnow()
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 3, ttl=timedelta(hours=1), now=now)
    just_before = now + timedelta(hours=1) - timedelta(microseconds=1)
    assert tokens.find(P.EMAIL_CONFIRMATION, issued.raw, now=just_before) is not None
    assert tokens.find(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(hours=1)) is None
    assert tokens.consume(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(hours=2)) is None
    assert tokens.has_live(P.EMAIL_CONFIRMATION, 3, now=just_before)
    assert not tokens.has_live(P.EMAIL_CONFIRMATION, 3, now=now + timedelta(hours=1))


def test_consuming_records_the_time_of_use(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.PASSWORD_RESET, 4, ttl=timedelta(hours=1), now=now)
    used = tokens.consume(P.PASSWORD_RESET, issued.raw, now=now + timedelta(minutes=5))
    assert used is not None and used.id == issued.row.id
    assert used.used_at == now + timedelta(minutes=5)
    assert not tokens.has_live(P.PASSWORD_RESET, 4, now=now + timedelta(minutes=6))


def test_of_two_requests_racing_with_one_link_only_one_succeeds(app, monkeypatch) -> None:
    """Both read the token as unused; the conditional UPDATE lets only the first through."""
    issued = tokens.issue(P.PASSWORD_RESET, 4, ttl=timedelta(hours=1))
    read_before_the_other_used_it = tokens.find(P.PASSWORD_RESET, issued.raw)
    assert tokens.consume(P.PASSWORD_RESET, issued.raw) is not None
    monkeypatch.setattr(tokens, "find", lambda *a, **k: read_before_the_other_used_it)
    assert tokens.consume(P.PASSWORD_RESET, issued.raw) is None


def test_revoking_touches_only_that_purpose_and_subject_and_only_once(app) -> None:
    now = utcnow().replace(microsecond=0)
    feed = tokens.issue(P.CALENDAR_FEED, 5)
    reset = tokens.issue(P.PASSWORD_RESET, 5, ttl=timedelta(hours=1))
    other = tokens.issue(P.CALENDAR_FEED, 6)
    assert tokens.revoke_all(P.CALENDAR_FEED, 5, now=now) == 1
    assert tokens.revoke_all(P.CALENDAR_FEED, 5, now=now + timedelta(hours=1)) == 0
    db.session.expire_all()
    assert db.session.get(SecretToken, feed.row.id).revoked_at == now
    assert tokens.find(P.CALENDAR_FEED, feed.raw) is None
    assert tokens.find(P.PASSWORD_RESET, reset.raw) is not None
    assert tokens.find(P.CALENDAR_FEED, other.raw) is not None
    assert tokens.has_live(P.PASSWORD_RESET, 5) and tokens.has_live(P.CALENDAR_FEED, 6)
    assert not tokens.has_live(P.CALENDAR_FEED, 5)


def test_replacing_revokes_only_the_earlier_tokens(app) -> None:
    first = tokens.issue(P.INVITATION, 8, ttl=timedelta(days=1))
    second = tokens.issue(P.INVITATION, 8, ttl=timedelta(days=1), replace=True)
    assert tokens.find(P.INVITATION, first.raw) is None
    assert tokens.find(P.INVITATION, second.raw) is not None


def test_has_live_ignores_used_revoked_and_other_purposes(app) -> None:
    used = tokens.issue(P.REGISTRATION, 1)
    tokens.consume(P.REGISTRATION, used.raw)
    tokens.issue(P.INVITATION, 2)
    tokens.revoke_all(P.INVITATION, 2)
    tokens.issue(P.CALENDAR_FEED, 3)
    assert not tokens.has_live(P.REGISTRATION, 1)
    assert not tokens.has_live(P.INVITATION, 2)
    assert not tokens.has_live(P.REGISTRATION, 3)
    assert tokens.has_live(P.CALENDAR_FEED, 3)


def test_find_locks_the_row_only_when_asked(app) -> None:
    issued = tokens.issue(P.REGISTRATION, 1)
    seen: list[str] = []

    def record(state) -> None:  # the SQL PostgreSQL would be sent
        if state.is_select:
            seen.append(str(state.statement.compile(dialect=postgresql.dialect())))

    sa_event.listen(db.session, "do_orm_execute", record)
    try:
        assert tokens.find(P.REGISTRATION, issued.raw, for_update=True) is not None
        assert tokens.find(P.REGISTRATION, issued.raw) is not None
    finally:
        sa_event.remove(db.session, "do_orm_execute", record)
    assert [s.rstrip().endswith("FOR UPDATE") for s in seen] == [True, False]
