"""Sign-in is rate limited per account and per IP address, with a GOV.UK page when it bites.

The numbers come from the app's config; test_production_config checks the shipped defaults.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse
from werkzeug.test import TestResponse

from eventapp.accounts.models import User
from tests.accounts.conftest import is_signed_in, sign_in
from tests.conftest import PASSWORD

WRONG = "definitely not the password"


@pytest.fixture
def per_account(app: Flask) -> int:
    return parse(app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]).amount


@pytest.fixture
def per_ip(app: Flask) -> int:
    return parse(app.config["SIGN_IN_LIMIT_PER_IP"]).amount


def assert_too_many_attempts(response: TestResponse) -> None:
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in page
    assert "<title>Too many attempts – Plan a community event</title>" in page
    assert "Wait 15 minutes, then try again." in page
    assert "govuk-template" in page  # the service's GOV.UK layout, not a bare error


def test_failed_attempts_lock_the_account_even_for_the_right_password(
    client: FlaskClient, make_user: Callable[..., User], per_account: int
) -> None:
    user, colleague = make_user(), make_user()
    for _ in range(per_account):
        assert sign_in(client, user.email, WRONG).status_code == 200

    assert_too_many_attempts(sign_in(client, user.email, PASSWORD))
    assert not is_signed_in(client)

    # Another account from the same address is not affected.
    other_browser = client.application.test_client()
    assert sign_in(other_browser, colleague.email, PASSWORD).status_code == 302


def test_account_limit_ignores_case_and_spaces_in_the_email(
    client: FlaskClient, organiser: User, per_account: int
) -> None:
    variants = [organiser.email.upper(), f" {organiser.email}", organiser.email.title()]
    for attempt in range(per_account):
        response = sign_in(client, variants[attempt % len(variants)], WRONG)
        assert response.status_code == 200

    assert_too_many_attempts(sign_in(client, organiser.email, PASSWORD))


def test_account_limit_also_counts_unknown_emails(
    client: FlaskClient, per_account: int
) -> None:
    for _ in range(per_account):
        assert sign_in(client, "nobody@example.gov.uk", WRONG).status_code == 200

    assert_too_many_attempts(sign_in(client, "nobody@example.gov.uk", WRONG))


def test_successful_sign_ins_do_not_count_against_the_account(
    client: FlaskClient, organiser: User, per_account: int
) -> None:
    for _ in range(per_account - 1):
        assert sign_in(client, organiser.email, WRONG).status_code == 200
    for _ in range(per_account + 1):
        assert sign_in(client, organiser.email, PASSWORD).status_code == 302

    # The last failure still allowed: only the failures above were counted.
    assert sign_in(client, organiser.email, WRONG).status_code == 200
    assert_too_many_attempts(sign_in(client, organiser.email, PASSWORD))


def test_one_address_is_limited_across_many_emails(
    app: Flask, make_user: Callable[..., User], per_ip: int
) -> None:
    user = make_user()
    attacker = app.test_client()
    for n in range(per_ip):
        response = sign_in(attacker, f"guess{n}@example.gov.uk", WRONG, remote_addr="198.51.100.7")
        assert response.status_code == 200, f"attempt {n + 1}"

    assert_too_many_attempts(sign_in(attacker, user.email, PASSWORD, remote_addr="198.51.100.7"))
    assert not is_signed_in(attacker)

    # Someone at another address signs in as normal.
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.email, PASSWORD, remote_addr="203.0.113.9").status_code == 302
    assert is_signed_in(elsewhere)


def test_address_limit_counts_successful_sign_ins_too(
    app: Flask, organiser: User, per_ip: int
) -> None:
    browser = app.test_client()
    for n in range(per_ip):
        response = sign_in(browser, organiser.email, PASSWORD, remote_addr="198.51.100.8")
        assert response.status_code == 302, f"attempt {n + 1}"

    response = sign_in(browser, organiser.email, PASSWORD, remote_addr="198.51.100.8")
    assert_too_many_attempts(response)


def test_reading_the_sign_in_page_is_not_limited(client: FlaskClient, per_ip: int) -> None:
    for _ in range(per_ip + 5):
        assert client.get("/sign-in").status_code == 200
    assert sign_in(client, "nobody@example.gov.uk", WRONG).status_code == 200
