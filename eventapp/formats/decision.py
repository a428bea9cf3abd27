"""Weighing the handbook's pros of virtual and in-person events (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from eventapp.events.models import EventFormat
from eventapp.handbook import IN_PERSON_PRO_KEYS, VIRTUAL_PRO_KEYS


@dataclass(frozen=True)
class Tally:
    virtual: int
    in_person: int
    suggestion: EventFormat | None
    explanation: str


def tally(ticked: Iterable[str]) -> Tally:
    """Count what the organiser ticked on each side and suggest a format."""
    keys = set(ticked)
    virtual = len(keys & VIRTUAL_PRO_KEYS)
    in_person = len(keys & IN_PERSON_PRO_KEYS)
    if virtual == 0 and in_person == 0:
        return Tally(0, 0, None, "Tick what matters for this audience to see a suggestion.")
    if virtual > in_person:
        return Tally(
            virtual,
            in_person,
            EventFormat.ONLINE,
            f"More of what matters ({virtual} to {in_person}) favours an online event. "
            "Check it would not leave out people who are less confident online.",
        )
    if in_person > virtual:
        return Tally(
            virtual,
            in_person,
            EventFormat.IN_PERSON,
            f"More of what matters ({in_person} to {virtual}) favours meeting in person.",
        )
    return Tally(
        virtual,
        in_person,
        EventFormat.HYBRID,
        f"The two sides are level ({virtual} each). A hybrid event could give you both, "
        "though it needs more organising; or let the most important point decide.",
    )
