"""Agenda timings and guidance ("Setting the agenda"): pure functions, advice never blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eventapp.agenda.models import PART_LABELS, AgendaPart

# "Two or three speakers should be enough."
MAX_SPEAKERS = 3
# "Always expect to overrun": planned items should leave at least a tenth of the slot free.
CONTINGENCY_PERCENT = 10
# The three broad objectives every agenda should meet, in the handbook's order.
CORE_PARTS = (AgendaPart.SCENE, AgendaPart.MESSAGES, AgendaPart.ENGAGE)


@dataclass(frozen=True)
class ItemFacts:
    """What the guidance needs to know about one agenda item."""

    duration_minutes: int
    part: AgendaPart
    is_speaker: bool = False
    collects_feedback: bool = False


@dataclass(frozen=True)
class Guidance:
    """Something to reconsider, with the handbook's reason: advice, never a blocker."""

    key: str
    title: str
    reason: str


def minutes(count: int) -> str:
    """'1 minute', '20 minutes'."""
    return f"{count} minute{'' if count == 1 else 's'}"


def duration_text(count: int) -> str:
    """The handbook's way of writing a duration: '10 mins', '1 hour 10 mins', '2 hours'."""
    hours, mins = divmod(count, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'' if hours == 1 else 's'}")
    if mins or not hours:
        parts.append(f"{mins} min{'' if mins == 1 else 's'}")
    return " ".join(parts)


def clock(value: datetime) -> str:
    """A 24-hour clock time, as the handbook and the event form write it: '18:00'."""
    return value.strftime("%H:%M")


def schedule(start_local: datetime | None, durations: list[int]) -> list[tuple[datetime, datetime]]:
    """The start and end of each item, one after the other from the event's start.

    Without a start time there is nothing to schedule, so the list is empty. Aware times are
    added in UTC and shown in the start's zone, so an agenda that crosses a clock change
    still lasts exactly as long as its items.
    """
    if start_local is None:
        return []
    zone = start_local.tzinfo
    base = start_local.astimezone(UTC) if zone is not None else start_local
    times: list[tuple[datetime, datetime]] = []
    elapsed = 0
    for duration in durations:
        begins = base + timedelta(minutes=elapsed)
        elapsed += duration
        ends = base + timedelta(minutes=elapsed)
        if zone is not None:
            begins, ends = begins.astimezone(zone), ends.astimezone(zone)
        times.append((begins, ends))
    return times


def slot_minutes(starts_at: datetime | None, ends_at: datetime | None) -> int | None:
    """How long the event lasts, in whole minutes, or None until both times are set."""
    if starts_at is None or ends_at is None:
        return None
    return int((ends_at - starts_at).total_seconds() // 60)


def total_against_slot(total: int, slot: int | None) -> str:
    """'Planned 120 minutes of a 120-minute slot'."""
    if slot is None:
        return f"Planned {minutes(total)}"
    return f"Planned {minutes(total)} of a {slot}-minute slot"


# For each of the three parts: what its absence is called, and what to add.
_MISSING_PART = {
    AgendaPart.SCENE: (
        "Nothing sets the scene",
        "Add an item that welcomes people and sets the strategic context.",
    ),
    AgendaPart.MESSAGES: (
        "Nothing lands the key messages",
        "Add a presentation that lands the key messages, for example with case studies and "
        "real-life examples.",
    ),
    AgendaPart.ENGAGE: (
        "No discussion or Q&A",
        "Add a discussion and Q&A: the handbook calls it the most important part of the "
        "roundtable.",
    ),
}


def guidance(items: Sequence[ItemFacts], slot_minutes: int | None) -> list[Guidance]:
    """What to reconsider about an agenda, following "Setting the agenda".

    Every rule is advice: the organiser can keep the agenda as it is. An empty agenda has
    nothing to advise on; the times rules need the event's slot.
    """
    if not items:
        return []
    total = sum(i.duration_minutes for i in items)
    advice: list[Guidance] = []

    if slot_minutes is not None and total > slot_minutes:
        advice.append(
            Guidance(
                "overrun",
                f"The agenda runs {minutes(total - slot_minutes)} past the end of the event",
                "Shorten or remove items. The handbook says to always expect to overrun, so an "
                "agenda that is already too long will finish late.",
            )
        )
    elif slot_minutes is not None and total * 100 > slot_minutes * (100 - CONTINGENCY_PERCENT):
        free = slot_minutes - total
        spare = (
            "The items fill the whole slot."
            if free == 0
            else f"Only {minutes(free)} of the slot {'is' if free == 1 else 'are'} free."
        )
        advice.append(
            Guidance(
                "no_contingency",
                "No time to spare if things overrun",
                f"{spare} The handbook says to always expect to overrun and not to overfill the "
                f"agenda: keep at least {CONTINGENCY_PERCENT}% of the slot free.",
            )
        )

    speakers = sum(1 for i in items if i.is_speaker)
    if speakers > MAX_SPEAKERS:
        advice.append(
            Guidance(
                "too_many_speakers",
                f"{speakers} speaker slots",
                "The handbook says two or three speakers should be enough: too many speakers leave "
                "too little time for discussion.",
            )
        )

    present = {i.part for i in items}
    engage = sum(i.duration_minutes for i in items if i.part is AgendaPart.ENGAGE)
    # With no Q&A at all, the missing-part advice below says so more plainly.
    if AgendaPart.ENGAGE in present and engage * 3 < total:
        advice.append(
            Guidance(
                "little_discussion",
                "Less than a third of the time for discussion and Q&A",
                f"Discussion and Q&A take {minutes(engage)} of {minutes(total)}. The handbook calls "
                "the Q&A the most important part of the roundtable: leave plenty of time for it.",
            )
        )

    for part in CORE_PARTS:
        if part not in present:
            title, what_to_add = _MISSING_PART[part]
            advice.append(
                Guidance(
                    f"missing_{part.value}",
                    title,
                    f"The agenda has no item for “{PART_LABELS[part]}”. The handbook's agendas set "
                    f"the scene, land the key messages and engage people through Q&A. {what_to_add}",
                )
            )

    if not any(i.collects_feedback for i in items):
        advice.append(
            Guidance(
                "no_feedback",
                "No time to collect feedback",
                "The handbook asks you to collect feedback at the event, for example by leaving a few "
                "minutes at the end for the feedback form. Mark the item where this happens.",
            )
        )
    return advice
