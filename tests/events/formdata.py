"""What a person would post from the event form, with overrides for each test."""

from __future__ import annotations

from datetime import date
from typing import Any


def date_parts(day: date | None) -> list[str]:
    """The three boxes of a GOV.UK date input."""
    return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]


def event_form(on: date | None = None, /, **overrides: Any) -> dict[str, Any]:
    """A valid event form: in person, 18:00 to 20:00 on the given day (or with no date)."""
    data: dict[str, Any] = {
        "title": "Mental health and radicalisation",
        "aims": ["awareness"],
        "other_aim": "",
        "day": date_parts(on),
        "start": "18:00" if on else "",
        "end": "20:00" if on else "",
        "format": "in_person",
        "venue_name": "Civic Hall",
        "venue_address": "1 High Street",
        "online_platform": "",
        "joining_link": "",
        "capacity": "40",
        "chair_name": "Sam Patel",
        "chair_role": "Prevent Coordinator",
        "home_office_speaking": "no",
        "intro_video": "no",
    }
    data.update(overrides)
    return data
