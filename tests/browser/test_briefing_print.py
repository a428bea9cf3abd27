"""The chair's briefing pack as it prints: sizes in the printed agenda, and Chromium's PDF.

The pack is printed through the browser's print menu, so this prints it as Chromium would
(headless print to PDF, A4) and reads the PDF back: a sensible number of pages, and the
event, every agenda item and its notes on them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaItem
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.browser.test_journey import sign_in

pytestmark = pytest.mark.browser

NOTE = "Chair thanks the hosts and points out the fire exits"


@pytest.fixture
def pack_event(make_event: Callable[..., Event], organiser) -> Event:
    event = make_event(title="Safer streets roundtable, Llanfairpwllgwyngyll")
    items = agenda_services.start_from_example(event=event, actor=organiser)
    items[0].notes = NOTE
    db.session.commit()
    return event


def _items(event: Event) -> list[AgendaItem]:
    return agenda_services.list_items(event)


def _print_sizes(page: Page) -> list[dict[str, float]]:
    """For each agenda row with notes: the printed size of its title and of its notes, in px."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.app-agenda--print tbody tr')]
            .map(row => {
              const cell = row.cells[1];
              const notes = cell.querySelector('.app-agenda__notes');
              if (!notes) return null;
              return {
                title: parseFloat(getComputedStyle(cell).fontSize),
                notes: parseFloat(getComputedStyle(notes).fontSize),
              };
            })
            .filter(Boolean)"""
    )


def test_printed_agenda_notes_are_no_larger_than_item_titles(
    page: Page, organiser, pack_event: Event
) -> None:
    sign_in(page, organiser, check=False)
    page.goto(f"/events/{pack_event.id}/briefing/")
    expect(page.get_by_role("heading", level=1)).to_have_text(pack_event.title)
    page.emulate_media(media="print")
    sizes = _print_sizes(page)
    assert len(sizes) == sum(1 for item in _items(pack_event) if item.notes) > 0
    for size in sizes:
        assert size["notes"] < size["title"], size
    # The table's own print size reaches its cells: 11pt is 14.67 CSS px.
    assert {round(s["title"], 2) for s in sizes} == {14.67}


def test_the_pack_prints_to_a_pdf_with_everything_on_it(
    page: Page, organiser, pack_event: Event
) -> None:
    sign_in(page, organiser, check=False)
    page.goto(f"/events/{pack_event.id}/briefing/")
    expect(page.get_by_role("heading", level=1)).to_have_text(pack_event.title)
    pdf = page.pdf(format="A4", print_background=False)

    reader = PdfReader(io.BytesIO(pdf))
    # Event, objectives, audience, a whole example agenda, FAQs and case studies: more than
    # one page (two, measured), but not the many a broken print stylesheet spreads it over.
    assert 2 <= len(reader.pages) <= 4, len(reader.pages)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "Chair's briefing pack" in text
    assert "Llanfairpwllgwyngyll" in text
    for item in _items(pack_event):
        assert re.sub(r"\s+", " ", item.title) in text, item.title
    assert NOTE in text
    # What only makes sense on screen is not printed.
    assert "Print this page, or save it as a PDF" not in text
    assert "Back to the event" not in text
