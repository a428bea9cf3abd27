"""The privacy notice and the accessibility statement say what is true of this service."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config import PLACEHOLDERS, ProductionConfig
from eventapp.notices import accessibility, privacy
from eventapp.notices.routes import duration_words
from tests.browser import helpers as browser_helpers
from tests.events.pages import parse

ROOT = Path(__file__).resolve().parents[2]


def headings(page: str, level: str) -> list[str]:
    """The page's own headings (the footer's hidden "Support links" left out)."""
    return [h.text.strip() for h in parse(page).one("main").find_all(level)]


@pytest.fixture
def configured(app: Flask) -> Flask:
    app.config.update(
        SERVICE_OWNER="Thurrock Council",
        SERVICE_CONTACT_EMAIL="community.safety@thurrock.example",
        SERVICE_CONTACT_PHONE="01375 000000",
        DATA_PROTECTION_EMAIL="dpo@thurrock.example",
        SESSION_IDLE_MINUTES=45,
        SIGN_IN_LIMIT_PER_IP="20 per 15 minutes",
        SIGN_IN_LIMIT_PER_ACCOUNT="5 per 1 hour",
    )
    return app


# Privacy notice ---------------------------------------------------------------------


def test_privacy_notice_covers_staff_data_why_and_how_long(
    configured: Flask, client: FlaskClient
) -> None:
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = " ".join(parse(page).text.split())
    assert headings(page, "h2")[1:] == [s.heading for s in privacy.sections()]
    for kept in (
        "your name and work email address",
        "your role (organiser, coordinator or administrator)",
        "when you last signed in",
        "a record of what you did and when",
        "a count of failed sign-in attempts",
    ):
        assert kept in text, kept
    assert '"public task" (Article 6(1)(e) of the UK General Data Protection Regulation)' in text
    # How long, from the configuration.
    assert "kept for 1 hour at most" in text
    assert "after 45 minutes without activity, or 12 hours after you signed in" in text
    # Who to contact, from the configuration.
    assert "is run by Thurrock Council" in text
    assert 'href="mailto:dpo@thurrock.example"' in page
    assert "ico.org.uk" in text


def test_attendees_section_says_what_registration_keeps(client: FlaskClient) -> None:
    page = client.get("/privacy").get_data(as_text=True)
    section = parse(page).one(id="attendees")
    assert section.text == "People who come to events"
    assert "Coming with registration" not in page
    assert "90 days after the event" in page
    assert "only anonymous counts are kept" in page


@pytest.fixture
def restore_sections() -> Iterator[None]:
    saved = dict(privacy._sections)
    yield
    privacy._sections.clear()
    privacy._sections.update(saved)


def test_a_later_area_replaces_a_coming_section(
    restore_sections: None, client: FlaskClient
) -> None:
    keys_before = [s.key for s in privacy.sections()]
    privacy.add_section(
        privacy.Section("attendees", "People who register for events", privacy.Order.ATTENDEES)
    )
    assert [s.key for s in privacy.sections()] == keys_before
    page = client.get("/privacy").get_data(as_text=True)
    assert "People who register for events" in headings(page, "h2")
    assert "Coming with registration" not in page


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(900, "15 minutes"), (60, "1 minute"), (3600, "1 hour"), (86400, "1 day"), (90, "90 seconds")],
)
def test_duration_words(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


# Accessibility statement ---------------------------------------------------------------

# The GOV.UK sample accessibility statement's headings, in its order (REFERENCES.md).
MODEL_HEADINGS = [
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that's not within the scope of the accessibility regulations",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_accessibility_statement_follows_the_model_headings(
    configured: Flask, client: FlaskClient
) -> None:
    response = client.get("/accessibility")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    shown = [h for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", main)]
    assert [h.replace("&#39;", "'") for h in shown] == MODEL_HEADINGS
    text = " ".join(parse(page).text.split())
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in text
    assert "email community.safety@thurrock.example" in text
    assert "call 01375 000000" in text
    assert "This statement was prepared on 30 November 2026" in text


def test_accessibility_statement_reports_the_tests_that_really_run(
    configured: Flask, client: FlaskClient
) -> None:
    text = " ".join(parse(client.get("/accessibility").get_data(as_text=True)).text.split())
    # The browser tests take their rules and width from the statement's own module.
    assert browser_helpers.AXE_TAGS == list(accessibility.AXE_TAGS)
    assert browser_helpers.AXE_FAILS_ON == accessibility.AXE_FAILS_ON
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"]["axe-core"] == accessibility.AXE_CORE_VERSION
    assert f"axe-core {accessibility.AXE_CORE_VERSION}" in text
    assert "the tests fail on any serious or critical problem" in text
    assert "measured at 320 pixels wide" in text
    for issue in accessibility.KNOWN_ISSUES:
        assert issue.criterion.split(" ")[0] in text
    assert "signed out without a warning" in text
    assert "more than 45 minutes" in text  # the configured idle time


def test_no_phone_line_without_a_phone_number(client: FlaskClient) -> None:
    text = parse(client.get("/accessibility").get_data(as_text=True)).text
    assert "call " not in text


def test_production_warns_until_the_contacts_are_set(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://eventapp@db/eventapp")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    base = {
        "SECRET_KEY": "x" * 32, "RATELIMIT_STORAGE_URI": "redis://cache:6379/0",
        "MAIL_BACKEND": "smtp", "PUBLIC_BASE_URL": "https://events.thurrock.example",
    }
    ProductionConfig.check({**base, **PLACEHOLDERS, "SERVICE_OWNER": "Thurrock Council"})
    assert "Set SERVICE_CONTACT_EMAIL, DATA_PROTECTION_EMAIL:" in caplog.text
    caplog.clear()
    ProductionConfig.check(
        {
            **base,
            "SERVICE_OWNER": "Thurrock Council",
            "SERVICE_CONTACT_EMAIL": "community.safety@thurrock.example",
            "DATA_PROTECTION_EMAIL": "dpo@thurrock.example",
        }
    )
    assert caplog.text == ""
