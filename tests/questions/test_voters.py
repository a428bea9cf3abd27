"""The voter cookie and the keyed hashes, without a database."""

from __future__ import annotations

import pytest
from flask import Flask

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
