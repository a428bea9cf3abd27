"""When the audience is most receptive, the event form suggests that time instead of the evening."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from eventapp.events.models import Event
from tests.conftest import future_day
from tests.events.pages import input_value, parse

# The handbook's words, shown on every event form; the exact other times are the service's.
USUAL = (
    "While events tend to take place in the evening (from 18:00-20:00), you should consider a "
    "morning or lunchtime event if your audience would be more receptive to this."
)


def save_slot(client: FlaskClient, event: Event, slot: str) -> None:
    response = client.post(f"/events/{event.id}/audience/", data={
        "sector": "education_schools", "profession": "Teachers", "receptive_slot": slot,
    })
    assert response.status_code == 302


def inset_text(html: str) -> str:
    inset = parse(html).find(cls="govuk-inset-text")
    return inset.text if inset else ""


@pytest.mark.parametrize(
    ("slot", "words", "start", "end"),
    [
        ("morning", "mornings", "09:30", "11:30"),
        ("lunchtime", "lunchtime", "12:00", "14:00"),
        ("afternoon", "afternoons", "14:00", "16:00"),
    ],
)
def test_an_undated_event_is_offered_the_audiences_time(
    signed_in: FlaskClient, make_event: Callable[..., Event],
    slot: str, words: str, start: str, end: str,
) -> None:
    event = make_event(day=None, start=None, end=None)
    save_slot(signed_in, event, slot)
    page = signed_in.get(f"/events/{event.id}/edit").text

    assert inset_text(page) == (
        f"Your audience profile says they are most receptive in the {words} rather than the "
        f"usual evening slot. The service’s suggestion: {start} to {end}. The handbook gives no "
        "exact times for other slots."
    )
    assert (input_value(page, "start"), input_value(page, "end")) == (start, end)
    assert f"The handbook says (Example schedule for organising an in-person event): {USUAL}" in (
        " ".join(parse(page).text.split())
    )


@pytest.mark.parametrize(("slot", "start", "end"), [("morning", "09:30", "11:30"),
                                                     ("lunchtime", "12:00", "14:00")])
def test_a_dated_event_keeps_its_times_but_still_sees_the_suggestion(
    signed_in: FlaskClient, make_event: Callable[..., Event], slot: str, start: str, end: str
) -> None:
    event = make_event(day=future_day(35))
    save_slot(signed_in, event, slot)
    page = signed_in.get(f"/events/{event.id}/edit").text
    assert f"The service’s suggestion: {start} to {end}." in inset_text(page)
    assert (input_value(page, "start"), input_value(page, "end")) == ("18:00", "20:00")


@pytest.mark.parametrize("slot", ["evening", "unknown", None])
def test_evening_or_unknown_audiences_see_the_usual_slot(
    signed_in: FlaskClient, make_event: Callable[..., Event], slot: str | None
) -> None:
    event = make_event(day=None, start=None, end=None)
    if slot:
        save_slot(signed_in, event, slot)
    page = signed_in.get(f"/events/{event.id}/edit").text
    assert inset_text(page) == ""
    assert USUAL in " ".join(parse(page).text.split())
    assert (input_value(page, "start"), input_value(page, "end")) == ("", "")


def test_a_suggested_time_is_only_a_suggestion_until_saved(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    """A failed save shows what the person typed, not the suggestion again."""
    event = make_event(day=None, start=None, end=None)
    save_slot(signed_in, event, "morning")
    page = signed_in.post(f"/events/{event.id}/edit", data={
        "title": "", "aims": ["awareness"], "day": ["", "", ""], "start": "10:00", "end": "",
        "format": "in_person", "home_office_speaking": "no", "intro_video": "no",
    }).text
    assert input_value(page, "start") == "10:00"
