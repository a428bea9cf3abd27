"""Questions in a real browser: two people ask (one anonymously) and vote, one takes a vote
back; the organiser merges a duplicate, approves, projects the presenter view and marks a
question answered with a follow-up action. Public pages at 375 px; axe on every page; the
presenter view's text passes axe's AAA contrast rule (color-contrast-enhanced)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from eventapp.extensions import db
from eventapp.notices.accessibility import PUBLIC_DESIGN_WIDTH
from eventapp.questions import services
from eventapp.questions.models import WhoMayAsk
from tests.browser.helpers import axe_check, new_context, new_page, problems_of
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser


def _ask(page: Page, slug: str, text: str, name: str = "") -> None:
    page.goto(f"/e/{slug}/questions")
    axe_check(page)
    page.get_by_role("button", name="Ask a question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask a question")
    axe_check(page)
    page.get_by_label("Your question").fill(text)
    if name:
        page.get_by_label("With my first name").check()
        page.get_by_role("textbox", name="First name").fill(name)
        page.get_by_label("Organisation (optional)").fill("Grays Youth Club")
    else:
        page.get_by_label("Anonymously").check()
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your question was sent")


def _aaa_contrast(page: Page) -> list[str]:
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'rule',
                values: ['color-contrast-enhanced']}});
            return r.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
        }"""
    )


def test_asking_voting_moderating_and_presenting(
    page: Page, context: BrowserContext, browser, live_server, make_event, organiser
) -> None:
    event = make_event()
    from eventapp.events.models import EventStatus

    event.status = EventStatus.OPEN
    services.save_settings(
        event=event,
        actor=organiser,
        is_open=True,
        needs_approval=True,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    slug = event.public_slug

    # Two people on phones: one asks anonymously, the other by name, twice (a duplicate).
    phones = []
    for _ in range(2):
        phone_context = new_context(browser, live_server)
        phone = new_page(phone_context)
        phone.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
        phones.append((phone_context, phone))
    (_, anon), (_, named) = phones
    _ask(anon, slug, "Does Prevent encourage spying on pupils?")
    _ask(named, slug, "Will a referral give my son a criminal record?", name="Priya")
    _ask(named, slug, "Do referrals go on a criminal record?", name="Priya")
    expect(anon.get_by_text("Does Prevent encourage spying")).to_have_count(0)  # not approved

    # The organiser merges the duplicate and approves the rest.
    sign_in(page, organiser, check=False)
    page.goto(f"/events/{event.id}/questions/")
    expect(page.get_by_role("heading", name="Waiting for approval (3)")).to_be_visible()
    axe_check(page)
    duplicate = page.locator(".govuk-summary-card", has_text="Do referrals go on")
    duplicate.get_by_role("link", name=re.compile("Merge")).click()
    axe_check(page)
    page.get_by_label("Will a referral give my son a criminal record?").check()
    page.get_by_role("button", name="Merge questions").click()
    for text in ("Does Prevent encourage spying", "Will a referral give"):
        card = page.locator(".govuk-summary-card", has_text=text)
        card.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_role("heading", name="Approved (2)")).to_be_visible()

    # Both vote for both; one takes a vote back.
    for _, phone in phones:
        phone.goto(f"/e/{slug}/questions")
        for text in ("Does Prevent encourage spying", "Will a referral give"):
            card = phone.locator(".app-question", has_text=text)
            card.get_by_role("button", name=re.compile("^Vote for this question")).click()
            expect(card.get_by_text("You voted for this")).to_be_visible()
    spying = anon.locator(".app-question", has_text="Does Prevent encourage spying")
    spying.get_by_role("button", name=re.compile("^Take back your vote")).click()
    expect(anon.get_by_text("You voted for this")).to_have_count(1)
    expect(named.get_by_text("Priya, Grays Youth Club")).to_be_visible()
    referral = anon.locator(".app-question", has_text="Will a referral give")
    expect(referral.locator(".app-question__meta")).to_contain_text("2 votes")
    expect(spying.locator(".app-question__meta")).to_contain_text("1 vote")
    axe_check(anon)

    # The presenter view: most voted first, AAA contrast, no navigation.
    page.goto(f"/events/{event.id}/questions/present")
    items = page.locator(".app-present__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Will a referral give my son a criminal record?")
    axe_check(page)
    assert _aaa_contrast(page) == []

    # A second tab keeps the presenter view open while the chair works.
    projector = new_page(context)
    projector.goto(f"/events/{event.id}/questions/present")
    projector.evaluate("() => { window.notReloaded = true; }")
    expect(projector.locator(".app-present__item")).to_have_count(2)

    # The chair marks the top question answered and records an action against it.
    page.goto(f"/events/{event.id}/questions/chair")
    axe_check(page)
    top = page.locator(".govuk-summary-card", has_text="Will a referral give")
    top.get_by_role("link", name=re.compile("Add a follow-up action")).click()
    page.get_by_label("What needs to be done?").fill("Send the Channel leaflet to Priya's club")
    page.get_by_role("button", name="Save action").click()
    page.goto(f"/events/{event.id}/questions/chair")
    page.locator(".govuk-summary-card", has_text="Will a referral give").get_by_role(
        "button", name=re.compile("^Mark answered")
    ).click()
    expect(page.locator(".govuk-summary-card", has_text="Will a referral give")).to_have_count(0)
    page.goto(f"/events/{event.id}")
    expect(page.get_by_text("1 open follow-up action")).to_be_visible()

    # The presenter view (with JavaScript) drops the answered question without a reload.
    expect(projector.locator(".app-present__item")).to_have_count(1, timeout=12_000)
    assert projector.evaluate("() => window.notReloaded === true")
    assert problems_of(projector).console_errors == []
    for phone_context, _ in phones:
        phone_context.close()
    assert problems_of(page).page_errors == []


def test_every_question_page_passes_axe(page: Page, make_event, organiser) -> None:
    event = make_event()
    from eventapp.events.models import EventStatus

    event.status = EventStatus.OPEN
    services.save_settings(
        event=event,
        actor=organiser,
        is_open=True,
        needs_approval=False,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    question = services.ask(
        event=event,
        asker=services.Asker("browser:axe"),
        details=services.NewQuestion(text="Is Channel voluntary?", anonymous=True),
    )
    db.session.commit()
    # The ask form with its error summary, on a phone.
    page.set_viewport_size({"width": PUBLIC_DESIGN_WIDTH, "height": 800})
    page.goto(f"/e/{event.public_slug}/questions/ask")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    axe_check(page)
    page.goto(f"/e/{event.public_slug}")
    axe_check(page)
    page.set_viewport_size({"width": 1024, "height": 800})
    sign_in(page, organiser, check=False)
    base = f"/events/{event.id}/questions"
    for path in (
        "/settings",
        f"/{question.id}/hide",
        f"/{question.id}/edit",
        f"/{question.id}/faq",
        f"/{question.id}/actions/new",
        f"/{question.id}/merge",
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
    assert problems_of(page).page_errors == []
