"""A new colleague's account in a real browser: the administrator adds them without a
password (axe, 320 px), the set-up link from the email opens the page where they choose
their own (axe, 320 px), and they sign in with it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from eventapp.accounts.models import Role, User
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from tests.browser.helpers import axe_check, new_context, new_page, reflow_check
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHOSEN = "a passphrase only Priya knows"  # noqa: S105 - test data


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_adds_a_colleague_who_sets_their_own_password(
    page: Page, browser: Browser, live_server: str, app: Flask, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN)
    app.config["PUBLIC_BASE_URL"] = live_server
    _sign_in(page, admin.email, PASSWORD)

    page.goto("/users/new")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add a user")
    expect(page.locator('input[type="password"]')).to_have_count(0)
    axe_check(page)
    reflow_check(page)
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya.shah@example.gov.uk")
    page.get_by_label("Organiser").check()
    page.get_by_role("button", name="Add user").click()

    expect(page).to_have_url(re.compile(r"/users$"))
    expect(page.get_by_text("Password not set")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Send a new set-up link"))).to_be_visible()
    axe_check(page)
    reflow_check(page)

    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "account_setup"))
    assert message is not None
    match = re.search(r"https?://[^/\s]+(/set-up/[A-Za-z0-9_-]+)", message.body_text)
    assert match, message.body_text

    colleague = new_page(new_context(browser, live_server))
    colleague.goto(match.group(1))
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Set your password")
    axe_check(colleague)
    reflow_check(colleague)
    colleague.get_by_label("New password", exact=True).fill(CHOSEN)
    colleague.get_by_label("Confirm new password").fill(CHOSEN)
    colleague.get_by_role("button", name="Set password").click()
    expect(colleague).to_have_url(re.compile(r"/sign-in"))
    expect(colleague.get_by_text("Your password has been set.")).to_be_visible()

    _sign_in(colleague, "priya.shah@example.gov.uk", CHOSEN)
    expect(colleague).to_have_url(re.compile(r"/events/$"))
    colleague.goto(match.group(1))
    expect(colleague.get_by_role("heading", level=1)).to_have_text("This link no longer works")
