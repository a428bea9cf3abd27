"""The voter cookie and the keyed hashes, without a database."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer

from eventapp.questions import voters


@pytest.fixture
def bare_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "unit-test-secret"
    return app


def test_a_signed_cookie_reads_back_and_a_tampered_one_does_not(bare_app: Flask) -> None:
    with bare_app.app_context():
        browser = voters.new_browser_id()
        assert len(browser) >= 16
        cookie = voters.sign(browser)
        assert voters.read(cookie) == browser
        value, _, signature = cookie.rpartition(".")
        flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
        assert voters.read(f"{value}.{flipped}") is None
        assert voters.read("") is None and voters.read(None) is None
        assert voters.read("x" * 201) is None
        assert voters.read(voters.sign("z" * 15)) is None
        assert voters.read(voters._serializer().dumps(["a"] * 20)) is None  # not a string
        assert voters.read(voters.sign("short")) is None  # too short to be ours
        assert voters.read(voters.sign("y" * 65)) is None  # too long to be ours
        assert voters.read(voters.sign("y" * 64)) == "y" * 64
        assert voters.read(voters.sign("z" * 16)) == "z" * 16
    other = Flask(__name__)
    other.config["SECRET_KEY"] = "another-secret"
    with other.app_context():
        assert voters.read(cookie) is None  # another key's signature


def test_keyed_hashes_differ_by_purpose_subject_and_key() -> None:
    a = voters.keyed("question-vote", "browser:x", secret="k1")
    assert len(a) == 64 and int(a, 16) >= 0
    assert a == voters.keyed("question-vote", "browser:x", secret=b"k1")
    assert a != voters.keyed("question-asker", "browser:x", secret="k1")
    assert a != voters.keyed("question-vote", "browser:y", secret="k1")
    assert a != voters.keyed("question-vote", "browser:x", secret="k2")


def test_vote_and_asker_keys_use_the_app_secret(bare_app: Flask) -> None:
    with bare_app.app_context():
        subject = voters.browser_subject("abc")
        assert subject == "browser:abc"
        assert voters.registration_subject(7) == "registration:7"
        assert voters.vote_key(subject) == voters.keyed(
            voters.VOTE_PURPOSE, subject, secret="unit-test-secret"
        )
        assert voters.asker_key(subject) == voters.keyed(
            voters.ASKER_PURPOSE, subject, secret="unit-test-secret"
        )
        assert voters.vote_key(subject) != voters.asker_key(subject)


def test_the_documented_names_and_lifetime() -> None:
    # The README names the cookie and its lifetime; the privacy notice relies on them.
    assert voters.COOKIE == "eventapp_voter"
    assert voters.COOKIE_DAYS == 180
    assert voters.VOTE_PURPOSE == "question-vote"
    assert voters.ASKER_PURPOSE == "question-asker"


def test_a_browser_id_is_128_random_bits(bare_app: Flask) -> None:
    ids = {voters.new_browser_id() for _ in range(50)}
    assert len(ids) == 50
    assert {len(i) for i in ids} == {22}  # 16 bytes in URL-safe base64


def test_the_cookie_is_signed_with_its_own_salt(bare_app: Flask) -> None:
    with bare_app.app_context():
        own = URLSafeSerializer("unit-test-secret", salt="eventapp.questions.voter-cookie")
        assert voters.read(own.dumps("q" * 22)) == "q" * 22
        session_like = URLSafeSerializer("unit-test-secret", salt="cookie-session")
        assert voters.read(session_like.dumps("q" * 22)) is None


def test_keyed_hash_known_answer() -> None:
    derived = hmac.new(b"k", b"eventapp.questions.question-vote", hashlib.sha256).digest()
    expected = hmac.new(derived, b"question-vote:browser:x", hashlib.sha256).hexdigest()
    assert voters.keyed("question-vote", "browser:x", secret="k") == expected


def test_a_cookie_carries_its_registrations_by_event_signed(bare_app: Flask) -> None:
    with bare_app.app_context():
        browser = voters.new_browser_id()
        cookie = voters.sign(browser, {7: 41, 9: 52})
        assert voters.read(cookie) == browser
        assert voters.read_bindings(cookie) == {7: 41, 9: 52}
        assert voters.read_bindings(voters.sign(browser)) == {}  # a browser's cookie alone
        value, _, signature = cookie.rpartition(".")
        flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
        assert voters.read_bindings(f"{value}.{flipped}") == {}  # forged: bound to nothing
        assert voters.read_bindings(None) == {}
        malformed = voters._serializer().dumps(
            {"b": browser, "r": {"7": "41", "x": 1, "8": True, "9": -1, "10": 2**70, "11": 5}}
        )
        assert voters.read_bindings(malformed) == {11: 5}
        assert voters.read_bindings(voters._serializer().dumps({"b": "short", "r": {"1": 2}})) == {}
        # Only the most recent bindings are kept, so the cookie stays small.
        many = voters.sign(browser, {e: e + 1000 for e in range(voters.MAX_BINDINGS + 5)})
        kept = voters.read_bindings(many)
        assert len(many) < 1000 and len(kept) == voters.MAX_BINDINGS and 5 in kept
        assert 4 not in kept


def test_bindings_are_read_only_within_their_bounds(bare_app: Flask) -> None:
    """Event ids of up to 11 digits; registration ids from 1 to 2**63 - 1 (a BIGINT);
    anything else in the cookie is ignored, not trusted."""
    with bare_app.app_context():
        browser = voters.new_browser_id()

        def bindings(pairs: object) -> object:
            return voters.read_bindings(voters._serializer().dumps({"b": browser, "r": pairs}))

        assert bindings({"1" * 11: 3, "2" * 12: 4}) == {int("1" * 11): 3}
        assert bindings({"5": 0, "6": 1}) == {6: 1}
        assert bindings({"5": 2**63 - 1, "6": 2**63}) == {5: 2**63 - 1}
        assert bindings([[5, 6]]) == {}  # not a mapping
        assert bindings(None) == {}


def test_a_browser_remembers_its_twenty_latest_events(bare_app: Flask) -> None:
    with bare_app.app_context():
        browser = voters.new_browser_id()
        kept = voters.read_bindings(voters.sign(browser, {e: e + 100 for e in range(1, 26)}))
    assert kept == {e: e + 100 for e in range(6, 26)}  # events 1-5, bound first, forgotten
