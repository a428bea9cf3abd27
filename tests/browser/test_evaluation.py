"""A coordinator evaluates a held event in a real browser: the report and its verdicts, the
follow-up actions from questions (beside the conclusions form too), the CSV and PDF
downloads, sending to Home Office Prevent (an .eml appears), then the dashboard.
Axe on every page.
"""

from __future__ import annotations

import email
import io
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from eventapp.accounts.models import Role, User
from eventapp.events import services as event_services
from eventapp.events.models import EventStatus
from eventapp.extensions import db
from eventapp.formatting import govuk_date
from eventapp.handbook import Aim, Sector
from eventapp.objectives.models import Metric, Objective
from tests.browser.helpers import axe_check, reflow_check
from tests.browser.test_journey import sign_in
from tests.evaluation.test_actions import OVERDUE_ON, with_actions
from tests.evaluation.test_attendance import add_registrations
from tests.evaluation.test_pages import add_responses, standard

pytestmark = pytest.mark.browser


def charts_readable(page: Page) -> int:
    """On a 320 px phone and on a desktop, each chart shows one drawing whose 13-unit text is
    drawn 12 to 14 px high: the narrow one on the phone (the wide one shrunk to a phone printed
    it at about 6 px), the wide one where the chart has the width for it. Returns how many."""
    viewport = page.viewport_size
    shown: dict[int, list[tuple[str, float]]] = {}
    try:
        for width in (320, 1024):
            page.set_viewport_size({"width": width, "height": 800})
            drawings = page.evaluate("document.querySelectorAll('svg.app-chart').length")
            shown[width] = page.evaluate(
                """() => [...document.querySelectorAll('svg.app-chart')]
                    .filter((svg) => getComputedStyle(svg).display !== 'none')
                    .map((svg) => [svg.getAttribute('class'),
                        13 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width])"""
            )
            # Each chart is drawn twice and shown once.
            assert len(shown[width]) * 2 == drawings, (width, drawings, shown[width])
    finally:
        if viewport:
            page.set_viewport_size(viewport)
    phone, desktop = shown[320], shown[1024]
    assert phone and len(phone) == len(desktop), shown
    assert {kind for kind, _ in phone} == {"app-chart app-chart--narrow"}, phone
    assert "app-chart app-chart--wide" in {kind for kind, _ in desktop}, desktop
    assert all(12 <= size <= 14 for _, size in phone + desktop), shown
    return len(phone)


def test_coordinator_reads_downloads_and_sends_the_evaluation(
    page: Page, live_server: str, app: Flask, make_user: Callable[..., User]
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    day = (datetime.now(UTC) - timedelta(days=14)).date()
    event = event_services.create_event(
        council_id=coordinator.council_id,
        actor=coordinator,
        details=event_services.EventDetails(
            title="Prevent roundtable for Grays schools",
            aims=[Aim.AWARENESS],
            day=day,
            start=time(18),
            end=time(20),
            venue_name="Civic Hall",
            venue_address="1 High Street",
        ),
    )
    event.status = EventStatus.HELD
    db.session.add(
        Objective(
            event=event,
            position=1,
            statement="Most respondents would recommend the event",
            metric=Metric.WOULD_RECOMMEND,
            target_value=Decimal(85),
            measure_by=day,
        )
    )
    db.session.commit()
    add_responses(event, standard(50))
    # 60 checked in, by sector (Police and Crime small), 4 registered who did not come.
    add_registrations(event, 40, checked_in=True, sector=Sector.EDUCATION_SCHOOLS)
    add_registrations(event, 17, checked_in=True, sector=Sector.CHARITY, start=100)
    add_registrations(event, 3, checked_in=True, sector=Sector.POLICE, start=200)
    add_registrations(event, 4, start=300)
    with_actions(event)  # three open follow-up actions (one overdue) and one done
    sign_in(page, coordinator)

    page.goto(f"/events/{event.id}/evaluation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation")
    expect(page.locator("#objectives ~ .govuk-summary-card").first).to_contain_text(
        "Met: 90% (45 of 50) against a target of 85%."
    )
    expect(page.locator("#reach-attended")).to_contain_text("60 (from check-in at the event)")
    sectors = page.get_by_role("region", name="Attendance by sector")
    expect(sectors.get_by_role("row", name="Police and Crime")).to_contain_text("fewer than 5")
    actions = page.get_by_role("region", name="Open follow-up actions")
    expect(actions.get_by_role("row", name="Offer a private meeting")).to_contain_text("Overdue")
    expect(page.locator("#actions-done")).to_have_text("Done: 1")
    axe_check(page)
    reflow_check(page)
    charts_readable(page)

    page.get_by_role(
        "link", name="Add attendance, organisations reached and your conclusions"
    ).click()
    expect(page.locator("#open-actions")).to_contain_text("Offer a private meeting to the parent")
    expect(page.locator("#open-actions")).to_contain_text(govuk_date(OVERDUE_ON))
    expect(page.get_by_label("What needs further action?")).to_have_value("")
    axe_check(page)
    page.go_back()

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download the report's tables (CSV)").click()
    tables = Path(csv_download.value.path()).read_text()
    assert tables.startswith("table,answer,count,percent")
    # WeasyPrint takes seconds (more on a busy machine): wait for the file, not the page.
    with page.expect_download(timeout=180_000) as pdf_download:
        page.get_by_role("link", name="Download the report (PDF)").click(no_wait_after=True)
    reader = PdfReader(io.BytesIO(Path(pdf_download.value.path()).read_bytes()))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert "45 of 50" in text and "Would recommend attending this kind of event" in text

    page.get_by_role("link", name="Send to Home Office Prevent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send to Home Office Prevent")
    axe_check(page)
    page.get_by_label("Covering note").fill("Two schools need a follow-up meeting.")
    page.get_by_role("button", name="Send to Home Office Prevent").click(no_wait_after=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Sent to Home Office Prevent", timeout=180_000
    )
    axe_check(page)
    files = sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "prevent-evaluations@homeoffice.example"
    names = sorted(part.get_filename() for part in message.iter_attachments())
    assert names == [
        f"evaluation-{event.id}-report.pdf",
        f"evaluation-{event.id}-responses.csv",
        f"evaluation-{event.id}-tables.csv",
    ]

    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events across the council")
    # Seven charts, each after its table: objectives, two pooled shifts, three by quarter, by
    # format; they shrink with the page (no sideways scrolling at 320 px).
    expect(page.locator("svg.app-chart--wide[role=img]")).to_have_count(7)
    axe_check(page)
    reflow_check(page)
    assert charts_readable(page) == 7
