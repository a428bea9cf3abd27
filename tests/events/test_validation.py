"""The event form's validation: messages that say what to do, shown the GOV.UK way, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from tests.conftest import future_day
from tests.events.formdata import event_form
from tests.events.pages import error_summary, field_errors, page_title, parse, summary_link

DAY = future_day(40)

# (what the person typed, the field that should carry the error, the message)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("end before start", {"start": "20:00", "end": "18:00"}, "end",
     "Enter an end time after the start time"),
    ("end equals start", {"start": "18:00", "end": "18:00"}, "end",
     "Enter an end time after the start time"),
    ("blank title", {"title": ""}, "title", "Enter the event title"),
    ("spaces for a title", {"title": "   "}, "title", "Enter the event title"),
    ("no day", {"day": ["", str(DAY.month), str(DAY.year)]}, "day",
     "Date of the event must include a day"),
    ("no month or year", {"day": [str(DAY.day), "", ""]}, "day",
     "Date of the event must include a month and year"),
    ("letters in the date", {"day": ["x", "6", "2027"]}, "day",
     "Date of the event must be a real date, written in numbers"),
    ("31 February", {"day": ["31", "2", str(DAY.year + 1)]}, "day",
     "Date of the event must be a real date"),
    ("two-digit year", {"day": ["3", "6", "27"]}, "day",
     "Date of the event must have a year of 4 digits, like 2027"),
    ("date without a start", {"start": ""}, "start", "Enter a start time"),
    ("date without an end", {"end": ""}, "end", "Enter an end time"),
    ("6pm", {"start": "6pm"}, "start", "Enter start time as a 24-hour time, like 18:00"),
    ("25:00", {"end": "25:00"}, "end", "Enter end time as a real time, like 18:00"),
    ("thematic without a topic",
     {"home_office_speaking": "yes", "presentation_type": "thematic", "presentation_topic": ""},
     "presentation_topic", "Enter the topic of the thematic presentation"),
    ("capacity in words", {"capacity": "forty"}, "capacity",
     "Enter the capacity as a whole number, like 40"),
    ("fractional capacity", {"capacity": "2.5"}, "capacity",
     "Enter the capacity as a whole number, like 40"),
    ("negative capacity", {"capacity": "-5"}, "capacity", "Enter a capacity between 0 and 100,000"),
    ("huge capacity", {"capacity": "99999999999999999999"}, "capacity",
     "Enter a capacity between 0 and 100,000"),
    ("joining link that is not a link",
     {"format": "online", "joining_link": "Teams meeting on Tuesday"}, "joining_link",
     "Enter the joining link as a full web address, starting https://"),
    ("no aims", {"aims": []}, "aims", "Select at least one aim for the event"),
    ("other aim without a description", {"aims": ["other"], "other_aim": ""}, "other_aim",
     "Describe the other aim, or untick it"),
    ("no format", {"format": ""}, "format", "Select how people will attend"),
]


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize(("overrides", "field", "message"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_creating_with_bad_input_shows_a_message_that_says_what_to_do(
    signed_in: FlaskClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = signed_in.post("/events/new", data=event_form(DAY, **overrides))

    assert response.status_code == 200
    assert message in field_errors(response.text)
    assert (summary_link(field), message) in error_summary(response.text)
    assert event_count() == 0


@pytest.mark.parametrize(("overrides", "field", "message"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_editing_with_bad_input_shows_the_message_and_changes_nothing(
    signed_in: FlaskClient, make_event: Callable[..., Event],
    overrides: dict[str, Any], field: str, message: str,
) -> None:
    event = make_event(title="Original title", capacity=40)
    response = signed_in.post(f"/events/{event.id}/edit", data=event_form(DAY, **overrides))

    assert response.status_code == 200
    assert (summary_link(field), message) in error_summary(response.text)
    db.session.expire_all()
    assert (event.title, event.capacity) == ("Original title", 40)


def test_the_error_page_follows_the_govuk_pattern(signed_in: FlaskClient) -> None:
    """govuk-frontend-wtf's errors reach govuk-frontend-jinja's error summary and fields."""
    data = event_form(DAY, title="", capacity="forty")
    html = signed_in.post("/events/new", data=data).text
    tree = parse(html)

    assert page_title(html).startswith("Error: ")
    summary = tree.one(cls="govuk-error-summary")
    assert "There is a problem" in summary.text
    assert error_summary(html) == [
        ("#title", "Enter the event title"),
        ("#capacity", "Enter the capacity as a whole number, like 40"),
    ]
    # Each summary link points at a field on the page that shows the same message.
    for href, message in error_summary(html):
        target = tree.one(id=href[1:])
        group = next(
            g for g in tree.find_all(cls="govuk-form-group--error")
            if target in list(g.iter())
        )
        assert message in group.one(cls="govuk-error-message").text
        assert "govuk-input--error" in target.classes
    # The input the person typed is kept, so they can correct it.
    assert tree.one("input", name="capacity").attrs["value"] == "forty"


def test_a_page_without_errors_has_no_error_title(signed_in: FlaskClient) -> None:
    html = signed_in.get("/events/new").text
    assert not page_title(html).startswith("Error")
    assert parse(html).find(cls="govuk-error-summary") is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "x" * 5000},
        {"day": ["1", "2"]},
        {"day": ["99999999999999999999", "1", "2027"]},
        {"day": ["1", "13", "2027"]},
        {"day": ["0", "0", "0000"]},
        {"start": "99:99", "end": "\x00"},
        {"capacity": "1e9"},
        {"capacity": "NaN"},
        {"format": "teleport"},
        {"aims": ["world domination"]},
        {"presentation_type": "shouting", "home_office_speaking": "yes"},
        {"home_office_speaking": "maybe"},
        {"joining_link": "javascript:alert(1)", "format": "online"},
    ],
)
def test_odd_input_never_gives_a_server_error(
    signed_in: FlaskClient, data: dict[str, Any]
) -> None:
    form = event_form(DAY)
    form.update(data)
    response = signed_in.post("/events/new", data=form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert error_summary(response.text), "a rejected form says why"

