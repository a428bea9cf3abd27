"""Agenda test helpers: an evening event, items added through the service, reading pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.agenda import services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.events.models import Event
from eventapp.extensions import db

AddItem = Callable[..., AgendaItem]


@pytest.fixture
def evening(make_event: Callable[..., Event]) -> Event:
    """An event from 18:00 to 20:00 UK time, the handbook's usual slot."""
    return make_event(title="Evening roundtable")


@pytest.fixture
def add_item(organiser: User) -> AddItem:
    def add(event: Event, title: str = "Item", minutes: int = 10,
            part: AgendaPart = AgendaPart.MESSAGES, **overrides: Any) -> AgendaItem:
        details = services.ItemDetails(
            title=title, duration_minutes=minutes, part=part, **overrides
        )
        item = services.add_item(event=event, actor=organiser, details=details)
        db.session.commit()
        return item

    return add


def titles(event: Event) -> list[str]:
    return [i.title for i in services.list_items(event)]


def positions(event: Event) -> list[int]:
    return [i.position for i in services.list_items(event)]




def text_of(html: str) -> str:
    """The page's text with tags dropped and whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of each body row of the first table."""
    table = re.search(r"<table\b.*?</table>", html, flags=re.S)
    assert table, "the page has a table"
    body = re.search(r"<tbody\b.*?</tbody>", table.group(0), flags=re.S)
    assert body
    return [
        [text_of(cell) for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row, flags=re.S)]
        for row in re.findall(r"<tr\b.*?</tr>", body.group(0), flags=re.S)
    ]


def header_cells(html: str) -> list[str]:
    head = re.search(r"<thead\b.*?</thead>", html, flags=re.S)
    assert head, "the table has a header"
    return [text_of(c) for c in re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(0), flags=re.S)]


def error_messages(html: str) -> list[str]:
    """The messages in the GOV.UK error summary."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, flags=re.S)
    if not summary:
        return []
    return [text_of(li) for li in re.findall(r"<li>(.*?)</li>", summary.group(0), flags=re.S)]


# Pages -------------------------------------------------------------------

VALID = {
    "title": "Welcome", "introduced_by": "Chairperson", "duration_minutes": "10",
    "part": "scene", "is_speaker": "no", "collects_feedback": "no", "notes": "",
}
# The handbook example from 18:00.
EXAMPLE_TIMES = ["18:00–18:10", "18:10–18:30", "18:30–18:40", "18:40–19:50", "19:50–19:55",
                 "19:55–20:00"]


def url(event: Event, path: str = "") -> str:
    return f"/events/{event.id}/agenda/{path}"


def page(client: FlaskClient, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)
