"""Sign-in limits stop guessing without locking people out (QUALITY 11).

Only failures count: per address, per account from one address, and per account from all
addresses (slower and higher). The numbers come from the app's config; test_production_config
checks the shipped defaults.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse
from redis import Redis
from werkzeug.test import TestResponse

from config import TestConfig
from eventapp import create_app
from eventapp.accounts.limits import wait_message
from eventapp.accounts.models import User
from eventapp.extensions import limiter
from tests.accounts.conftest import is_signed_in, sign_in
from tests.conftest import PASSWORD, require

WRONG = "definitely not the password"
OFFICE = "198.51.100.8"
ATTACKER = "198.51.100.66"
HOME = "203.0.113.9"


@pytest.fixture
def per_account(app: Flask) -> int:
    return parse(app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]).amount


@pytest.fixture
def per_ip(app: Flask) -> int:
    return parse(app.config["SIGN_IN_LIMIT_PER_IP"]).amount


@pytest.fixture
def ceiling(app: Flask) -> int:
    return parse(app.config["SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"]).amount


def assert_too_many_attempts(response: TestResponse, wait: str = "Wait 15 minutes") -> None:
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in page
    assert "<title>Too many attempts – Plan a community event</title>" in page
    assert f"{wait}, then try again." in page
    assert "govuk-template" in page  # the service's GOV.UK layout, not a bare error
    assert int(response.headers["Retry-After"]) > 0


def fail(client: FlaskClient, email: str, times: int, address: str) -> None:
    for attempt in range(times):
        response = sign_in(client, email, WRONG, remote_addr=address)
        assert response.status_code == 200, f"attempt {attempt + 1} from {address}"


def test_correct_sign_ins_from_one_address_are_never_limited(app: Flask, organiser: User) -> None:
    """An office behind one address signs in all day: 25 in a row, all let in."""
    for n in range(25):
        browser = app.test_client()
        response = sign_in(browser, organiser.email, PASSWORD, remote_addr=OFFICE)
        assert response.status_code == 302, f"sign-in {n + 1}"
        assert is_signed_in(browser)


def test_failures_stop_guessing_at_an_account_from_one_address(
    app: Flask, organiser: User, per_account: int
) -> None:
    attacker = app.test_client()
    fail(attacker, organiser.email, per_account, ATTACKER)

    response = sign_in(attacker, organiser.email, PASSWORD, remote_addr=ATTACKER)

    assert_too_many_attempts(response)
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    assert not is_signed_in(attacker)


def test_an_attackers_failures_leave_the_owner_free_elsewhere(
    app: Flask, organiser: User, per_account: int
) -> None:
    attacker = app.test_client()
    fail(attacker, organiser.email, per_account, ATTACKER)
    assert_too_many_attempts(sign_in(attacker, organiser.email, WRONG, remote_addr=ATTACKER))

    owner = app.test_client()
    assert sign_in(owner, organiser.email, PASSWORD, remote_addr=HOME).status_code == 302
    assert is_signed_in(owner)


def test_guessing_from_many_addresses_hits_the_account_ceiling(
    app: Flask, organiser: User, per_account: int, ceiling: int
) -> None:
    """Each address stays under its own limit; together they reach the slower, higher one."""
    botnet = app.test_client()
    each = per_account - 1
    for n in range(ceiling):
        fail(botnet, organiser.email, 1, f"192.0.2.{n // each}")

    owner = app.test_client()
    response = sign_in(owner, organiser.email, PASSWORD, remote_addr=HOME)

    assert_too_many_attempts(response, wait="Wait 1 hour")
    assert not is_signed_in(owner)
    # A colleague on one of those addresses is not held up.
    colleague = app.test_client()
    other = sign_in(colleague, "someone.else@example.gov.uk", WRONG, remote_addr="192.0.2.0")
    assert other.status_code == 200


def test_one_address_alone_cannot_reach_the_account_ceiling(app: Flask) -> None:
    """So an attacker on one address can never lock the owner out of every address."""
    per_account = parse(app.config["SIGN_IN_LIMIT_PER_ACCOUNT"])
    ceiling = parse(app.config["SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"])
    most_from_one_address = per_account.amount * ceiling.get_expiry() / per_account.get_expiry()
    assert most_from_one_address < ceiling.amount


def _without_per_request_values(page: str) -> str:
    return re.sub(r'(nonce|value)="[^"]*"', "", page)


def test_refusals_do_not_reveal_whether_an_email_has_an_account(
    app: Flask, organiser: User, per_account: int
) -> None:
    seen = {}
    for email in (organiser.email, "nobody.here@example.gov.uk"):
        browser = app.test_client()
        responses = [
            sign_in(browser, email, WRONG, remote_addr=ATTACKER) for _ in range(per_account + 1)
        ]
        pages = [
            _without_per_request_values(r.get_data(as_text=True)).replace(email, "EMAIL")
            for r in responses
        ]
        seen[email] = ([r.status_code for r in responses], pages)
    known, unknown = seen.values()
    assert known == unknown
    assert known[0] == [200] * per_account + [429]


def test_account_limit_ignores_case_and_spaces_in_the_email(
    client: FlaskClient, organiser: User, per_account: int
) -> None:
    variants = [organiser.email.upper(), f" {organiser.email}", organiser.email.title()]
    for attempt in range(per_account):
        response = sign_in(client, variants[attempt % len(variants)], WRONG)
        assert response.status_code == 200

    assert_too_many_attempts(sign_in(client, organiser.email, PASSWORD))


def test_successes_and_refusals_do_not_count(
    client: FlaskClient, organiser: User, per_account: int
) -> None:
    fail(client, organiser.email, per_account - 1, OFFICE)
    for _ in range(per_account + 1):
        assert sign_in(client, organiser.email, PASSWORD, remote_addr=OFFICE).status_code == 302

    # The last failure still allowed: only the failures above were counted.
    fail(client, organiser.email, 1, OFFICE)
    for _ in range(3):
        assert_too_many_attempts(sign_in(client, organiser.email, PASSWORD, remote_addr=OFFICE))


def test_one_address_is_limited_across_many_emails(
    app: Flask, make_user: Callable[..., User], per_ip: int
) -> None:
    user = make_user()
    attacker = app.test_client()
    for n in range(per_ip):
        fail(attacker, f"guess{n}@example.gov.uk", 1, ATTACKER)

    assert_too_many_attempts(sign_in(attacker, user.email, PASSWORD, remote_addr=ATTACKER))
    assert not is_signed_in(attacker)

    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.email, PASSWORD, remote_addr=HOME).status_code == 302
    assert is_signed_in(elsewhere)


def test_reading_the_sign_in_page_is_not_limited(client: FlaskClient, per_ip: int) -> None:
    for _ in range(per_ip + 5):
        assert client.get("/sign-in").status_code == 200
    assert sign_in(client, "nobody@example.gov.uk", WRONG).status_code == 200


@pytest.mark.parametrize(
    ("seconds", "says"),
    [
        (1, "Wait 1 minute"),
        (60, "Wait 1 minute"),
        (61, "Wait 2 minutes"),
        (900, "Wait 15 minutes"),
        (3540, "Wait 59 minutes"),
        (3541, "Wait 1 hour"),
        (3600, "Wait 1 hour"),
        (3601, "Wait 2 hours"),
        (86400, "Wait 24 hours"),
    ],
)
def test_the_wait_is_said_in_whole_minutes_or_hours(seconds: int, says: str) -> None:
    assert wait_message(seconds) == f"{says}, then try again."


def test_limits_are_kept_in_redis_so_every_worker_sees_them(
    app: Flask, organiser: User, per_account: int, keep_shared_limiter: None
) -> None:
    """Production keeps the counts in Redis: a worker started later still refuses the guesser."""
    url = os.environ.get("REDIS_URL", "")
    require(bool(url), "Redis tests skipped: set REDIS_URL=redis://127.0.0.1:6379/0")
    prefix = f"eventapp-test-{uuid.uuid4().hex}"
    config = type(
        "RedisLimits",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_STORAGE_URI": url,
            "RATELIMIT_KEY_PREFIX": prefix,
            "WTF_CSRF_ENABLED": False,
        },
    )
    redis = Redis.from_url(url)
    saved_prefix = limiter._key_prefix  # init_app keeps the first prefix it is given
    try:
        first_worker = create_app(config)
        with first_worker.app_context():
            fail(first_worker.test_client(), organiser.email, per_account, ATTACKER)
        assert redis.keys(f"*{prefix}*"), "the counts are in Redis, not in the worker's memory"

        later_worker = create_app(config)  # a new connection: nothing carried in memory
        with later_worker.app_context():
            guesser = later_worker.test_client()
            assert_too_many_attempts(
                sign_in(guesser, organiser.email, PASSWORD, remote_addr=ATTACKER)
            )
            owner = later_worker.test_client()
            assert sign_in(owner, organiser.email, PASSWORD, remote_addr=HOME).status_code == 302
    finally:
        limiter._key_prefix = saved_prefix
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)
        redis.close()
