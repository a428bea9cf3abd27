"""The tally of what matters on each side, and the format it suggests (pure function)."""

from __future__ import annotations

import pytest

from eventapp.events.models import EventFormat
from eventapp.formats.decision import tally
from eventapp.handbook import IN_PERSON_PROS, VIRTUAL_PROS

V = [c.key for c in VIRTUAL_PROS]
P = [c.key for c in IN_PERSON_PROS]


@pytest.mark.parametrize(
    ("ticked", "virtual", "in_person", "suggestion"),
    [
        ([], 0, 0, None),
        (["not-a-pro", "", "DROP TABLE"], 0, 0, None),
        (V[:1], 1, 0, EventFormat.ONLINE),
        (V[:3] + P[:2], 3, 2, EventFormat.ONLINE),
        (V, 7, 0, EventFormat.ONLINE),
        (P[:1], 0, 1, EventFormat.IN_PERSON),
        (V[:2] + P[:3], 2, 3, EventFormat.IN_PERSON),
        (P, 0, 7, EventFormat.IN_PERSON),
        (V[:1] + P[:1], 1, 1, EventFormat.HYBRID),
        (V + P, 7, 7, EventFormat.HYBRID),
        # Ticking the same thing twice counts once.
        (V[:1] * 3 + P[:2], 1, 2, EventFormat.IN_PERSON),
        (V[:2] + ["bogus"] + P[:2], 2, 2, EventFormat.HYBRID),
    ],
)
def test_tally(
    ticked: list[str], virtual: int, in_person: int, suggestion: EventFormat | None
) -> None:
    result = tally(ticked)
    assert (result.virtual, result.in_person, result.suggestion) == (virtual, in_person, suggestion)


@pytest.mark.parametrize(
    ("ticked", "explanation"),
    [
        ([], "Tick what matters for this audience to see a suggestion."),
        (V[:3] + P[:1], "More of what matters (3 to 1) favours an online event. "
         "Check it would not leave out people who are less confident online."),
        (V[:1] + P[:4], "More of what matters (4 to 1) favours meeting in person."),
        (V[:2] + P[:2], "The two sides are level (2 each). A hybrid event could give you both, "
         "though it needs more organising; or let the most important point decide."),
    ],
)
def test_tally_explains_its_suggestion(ticked: list[str], explanation: str) -> None:
    assert tally(ticked).explanation == explanation


def test_the_pros_are_the_handbooks_seven_on_each_side() -> None:
    assert len(V) == len(set(V)) == 7
    assert len(P) == len(set(P)) == 7
    assert not set(V) & set(P)
