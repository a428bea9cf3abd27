"""The tokens module where the other token tests do not reach: a mail-out's tokens issued in
one go, what is never sent to the database, the exact moment of expiry for single use, and
rows this session already holds when another statement changes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from eventapp import tokens
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose

P = TokenPurpose


@contextmanager
def statements() -> Iterator[list[str]]:
    sent: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def test_issue_many_gives_each_subject_its_own_live_token_in_one_flush(app) -> None:
    then = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    raws = tokens.issue_many(P.INVITATION, [11, 12, 13], ttl=timedelta(days=2), now=then)

    assert set(raws) == {11, 12, 13} and len(set(raws.values())) == 3
    assert not db.session.new  # flushed: the rows are in the transaction already
    rows = {
        row.subject_id: row
        for row in db.session.scalars(
            select(SecretToken).where(SecretToken.purpose == P.INVITATION)
        )
    }
    assert set(rows) == {11, 12, 13}
    for subject, raw in raws.items():
        row = rows[subject]
        assert row.token_hash == tokens.hash_token(P.INVITATION, raw)
        assert (row.created_at, row.expires_at) == (then, then + timedelta(days=2))
        assert tokens.find(P.INVITATION, raw, now=then) is row


def test_issue_many_without_a_time_or_lifetime(app) -> None:
    before = utcnow()
    [raw] = tokens.issue_many(P.INVITATION, [21]).values()
    row = tokens.find(P.INVITATION, raw)
    assert row is not None and row.expires_at is None
    assert before - timedelta(seconds=1) <= row.created_at <= utcnow() + timedelta(seconds=1)
    assert tokens.issue_many(P.INVITATION, []) == {}


@pytest.mark.parametrize("raw", [None, 12, "", "short", "x" * 101, "a" * 21 + "="])
def test_what_cannot_be_a_token_is_never_sent_to_the_database(app, raw: object) -> None:
    with statements() as sent:
        assert tokens.find(P.REGISTRATION, raw) is None  # type: ignore[arg-type]
        assert tokens.consume(P.REGISTRATION, raw) is None  # type: ignore[arg-type]
    assert sent == []


def test_a_single_use_token_cannot_be_used_at_the_moment_it_expires(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.EMAIL_CONFIRMATION, 3, ttl=timedelta(hours=1), now=now)
    assert tokens.consume(P.EMAIL_CONFIRMATION, issued.raw, now=now + timedelta(hours=1)) is None
    assert tokens.consume(P.EMAIL_CONFIRMATION, issued.raw, now=now) is not None


def test_consuming_updates_the_copy_this_session_already_holds(app) -> None:
    now = utcnow().replace(microsecond=0)
    issued = tokens.issue(P.PASSWORD_RESET, 4, ttl=timedelta(hours=1), now=now)
    held = tokens.find(P.PASSWORD_RESET, issued.raw, now=now)
    assert held is not None and held.used_at is None

    used = tokens.consume(P.PASSWORD_RESET, issued.raw, now=now + timedelta(minutes=1))

    assert used is held
    assert held.used_at == now + timedelta(minutes=1)


def test_a_revoked_token_is_not_found_live_from_a_copy_loaded_earlier(app) -> None:
    """Found (and so held by this session), then revoked by a bulk update: find reads afresh."""
    first = tokens.issue(P.ACCOUNT_SETUP, 9, ttl=timedelta(days=3))
    other_subject = tokens.issue(P.ACCOUNT_SETUP, 10, ttl=timedelta(days=3))
    other_purpose = tokens.issue(P.CALENDAR_FEED, 9)
    for issued, purpose in ((first, P.ACCOUNT_SETUP), (other_purpose, P.CALENDAR_FEED)):
        assert tokens.find(purpose, issued.raw) is not None

    second = tokens.issue(P.ACCOUNT_SETUP, 9, ttl=timedelta(days=3), replace=True)

    assert tokens.find(P.ACCOUNT_SETUP, first.raw) is None
    assert tokens.find(P.ACCOUNT_SETUP, second.raw) is not None
    assert tokens.find(P.ACCOUNT_SETUP, other_subject.raw) is not None
    assert tokens.find(P.CALENDAR_FEED, other_purpose.raw) is not None
    # Issued without replace, the earlier token keeps working.
    third = tokens.issue(P.ACCOUNT_SETUP, 9, ttl=timedelta(days=3))
    assert tokens.find(P.ACCOUNT_SETUP, second.raw) is not None
    assert tokens.find(P.ACCOUNT_SETUP, third.raw) is not None
