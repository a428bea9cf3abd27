"""Every staff page of the demo event reflows at 320 px and 375 px (WCAG 2.2, 1.4.10).

QUALITY.md property 27: no page is wider than the screen, tables included (a wide table
scrolls inside its own labelled region). The demo event gets a long Welsh place name in its
title, which once overflowed the heading. Pages are found from the URL map, so a new staff
page is measured without being listed here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from eventapp import demo
from eventapp.access import PUBLIC_FACING, Access, access_of
from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem
from eventapp.audience.models import TargetOrganisation
from eventapp.checklist.models import ChecklistTask
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations.models import InvitationChannel, Invitee, InviteeImport
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Objective

pytestmark = pytest.mark.browser

WIDTHS = (320, 375)
PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
# Not pages: files, images and feeds.
NOT_PAGES = re.compile(r"\.(ics|csv|png|svg|pdf)$|/calendar|/qr")


def _first(model: Any, event: Event) -> int | None:
    return db.session.scalar(select(model.id).where(model.event_id == event.id).limit(1))


def _ids(event: Event) -> dict[str, int | None]:
    return {
        "event_id": event.id,
        "item_id": _first(AgendaItem, event),
        "task_id": _first(ChecklistTask, event),
        "objective_id": _first(Objective, event),
        "organisation_id": _first(TargetOrganisation, event),
        "invitee_id": _first(Invitee, event),
        "channel_id": _first(InvitationChannel, event),
        "import_id": _first(InviteeImport, event),
    }


def staff_pages(app: Flask, ids: dict[str, int | None], access: set[Access]) -> list[str]:
    """The GET pages of the URL map, for the given access rules, built with the demo's ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        rule_access = access_of(view, rule.endpoint)
        if rule_access in PUBLIC_FACING or rule_access not in access:
            continue
        values = {a: ids.get(a) for a in rule.arguments}
        if any(v is None for v in values.values()):
            continue
        url = rule.build(values, append_unknown=False)[1]
        if not NOT_PAGES.search(url):
            urls.append(url)
    return sorted(set(urls))


def too_wide(page: Page, width: int) -> dict[str, Any] | None:
    page.set_viewport_size({"width": width, "height": 700})
    return page.evaluate(
        """(width) => {
            const wide = document.documentElement.scrollWidth;
            if (wide <= width) return null;
            const over = [...document.querySelectorAll('body *')].filter(
                (el) => el.getBoundingClientRect().right > width + 1);
            const deepest = over.filter((el) => !over.some((o) => o !== el && el.contains(o)));
            const name = (el) => el.tagName.toLowerCase()
                + [...el.classList].map((c) => '.' + c).join('');
            return {wide, culprits: deepest.slice(0, 4).map(name)};
        }""",
        width,
    )


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(demo.DEMO_PASSWORD_DEFAULT)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in"))


def test_every_staff_page_fits_a_phone(
    page: Page, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    demo.load()
    event = db.session.scalars(select(Event).where(Event.title == demo.EXAMPLE_TITLE)).one()
    organiser = db.session.scalars(select(User).where(User.email == demo.USERS[0][0])).one()
    event.title = f"{event.title} in {PLACE}"
    if not event.objectives:
        objective_services.add_objective(
            event=event,
            actor=organiser,
            details=objective_services.ObjectiveDetails(statement=f"Reach every school in {PLACE}"),
        )
    db.session.commit()
    ids = _ids(event)

    problems = []
    measured = 0
    for email, access in (
        (demo.USERS[0][0], {Access.PLANNER, Access.SIGNED_IN}),
        (demo.USERS[2][0], {Access.ADMIN}),
    ):
        sign_in(page, email)
        for url in staff_pages(app, ids, access):
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            measured += 1
            for width in WIDTHS:
                if (wide := too_wide(page, width)) is not None:
                    problems.append(f"{url} at {width}px is {wide['wide']}px: {wide['culprits']}")
        page.context.clear_cookies()
    assert measured >= 25
    assert problems == []
