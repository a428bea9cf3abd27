"""Public pages in a real browser at 375 px wide: the notices and the public error page.

Each passes axe (serious and critical problems fail) and reflows at 320 px; none shows the
staff navigation.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from eventapp.notices.accessibility import PUBLIC_DESIGN_WIDTH
from tests.browser.helpers import axe_check, problems_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/privacy", "Privacy notice"),
        ("/accessibility", "Accessibility statement for Community events"),
        ("/no-such-page", "Page not found"),
    ],
)
def test_public_page_at_375_pixels(page: Page, path: str, heading: str) -> None:
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PUBLIC_DESIGN_WIDTH
    expect(page.locator(".govuk-service-navigation__item")).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    footer = page.locator("footer")
    expect(footer.get_by_role("link", name="Privacy notice")).to_have_attribute("href", "/privacy")
    expect(footer.get_by_role("link", name="Accessibility statement")).to_have_attribute(
        "href", "/accessibility"
    )
    axe_check(page)
    # The browser logs the 404 page's own status; anything else (a CSP violation) is a fault.
    errors = [e for e in problems_of(page).console_errors if "status of 404" not in e]
    assert errors == []
    assert problems_of(page).page_errors == []
