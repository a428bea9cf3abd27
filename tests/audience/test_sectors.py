"""The sector list is Annex A question 3, word for word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from eventapp.audience.forms import AUDIENCE_SECTORS
from eventapp.events.models import Event
from eventapp.handbook import SECTOR_LABELS, Sector
from tests.conftest import require
from tests.events.pages import parse

HANDBOOK = Path(__file__).resolve().parents[3] / "shared/handbook/community-events-handbook.md"

# Annex A, question 3: "Which of the following best represents the sector you currently work in?"
ANNEX_A_Q3 = [
    "Charity",
    "Education (Primary/ Secondary/ Further)",
    "Education (Academic / Lecturer)",
    "Social Care",
    "Government and Public Administration",
    "Health",
    "Student",
    "Retired",
    "Homemaker",
    "Police and Crime",
    "Faith",
    "Private Sector",
    "Unemployed",
    "Prefer not to say",
    "Other (please state)",
]


def test_sector_labels_are_annex_a_question_3_exactly() -> None:
    assert list(SECTOR_LABELS.values()) == ANNEX_A_Q3
    assert list(SECTOR_LABELS) == list(Sector)


def test_sector_labels_match_the_handbook_text() -> None:
    require(HANDBOOK.exists(), f"handbook text not found at {HANDBOOK} (shared/ beside the repo)")
    lines = HANDBOOK.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("3. Which of the following"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("4. "))
    printed = [
        line.removeprefix("☐").strip().removesuffix("_____").strip()
        for line in lines[start + 1:end]
        if line.strip()
    ]
    assert list(SECTOR_LABELS.values()) == printed


def test_an_audience_is_offered_every_sector_but_prefer_not_to_say(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    select = parse(signed_in.get(f"/events/{event.id}/audience/").text).one("select", name="sector")
    options = [(o.attrs.get("value", ""), o.text) for o in select.find_all("option")]
    assert options[0] == ("", "Select a sector")
    assert options[1:] == [
        (s.value, SECTOR_LABELS[s]) for s in Sector if s is not Sector.PREFER_NOT
    ]
    assert Sector.PREFER_NOT not in AUDIENCE_SECTORS
    assert "Prefer not to say" not in [label for _, label in options]
