"""The handbook's resources and FAQs in a real browser: reachable from the menu, accessible,
and readable at 320px (the handbook's long email addresses wrap)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from playwright.sync_api import Page, expect

from eventapp.accounts.models import User
from eventapp.events.models import Event
from tests.browser.helpers import axe_check
from tests.browser.test_journey import event_day, sign_in

pytestmark = pytest.mark.browser


def test_resources_and_the_chair_s_faqs(
    page: Page, live_server: str, organiser: User, make_event: Callable[..., Event]
) -> None:
    event = make_event(day=event_day(), start=time(18, 0), end=time(20, 0))
    sign_in(page, organiser)

    page.get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handbook resources")
    expect(page.locator("#annex-b-list li")).to_have_count(9)
    axe_check(page)

    page.goto(f"/events/{event.id}/briefing/")
    page.get_by_role("link", name="Choose which FAQs to include").click()
    axe_check(page)
    page.get_by_label("Is there a link between mental health and radicalisation?").check()
    page.get_by_role("button", name="Save questions").click()
    expect(page.locator("#faq-mental_health")).to_be_visible()
    expect(page.get_by_text("Statistics are generally updated on an annual basis")).to_be_visible()
    axe_check(page)
