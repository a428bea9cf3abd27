"""Agenda timings and guidance ("Setting the agenda"): pure functions, advice never blocks."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eventapp.agenda.models import PART_LABELS, AgendaPart
from eventapp.handbook import (
    Q_FEEDBACK_ITEM,
    Q_FEEDBACK_SOON,
    Q_PLENTY_OF_TIME,
    Q_QA_MOST_IMPORTANT,
    Q_THREE_OBJECTIVES,
    Quote,
)

# The handbook: "Two or three speakers should be enough."
MAX_SPEAKERS = 3
# The service's own suggestions, not the handbook's: room for an overrun of a tenth of the
# slot, and at least a third of the time for discussion and Q&A.
CONTINGENCY_PERCENT = 10
DISCUSSION_SHARE = 3
# The three broad objectives every agenda should meet, in the handbook's order.
CORE_PARTS = (AgendaPart.SCENE, AgendaPart.MESSAGES, AgendaPart.ENGAGE)
# Who chairs is not one of the speakers ("closing remarks by the chair" add no speaker).
_CHAIR = re.compile(r"(the )?chair(person|man|woman)?")


class Source(enum.StrEnum):
    """Whose advice a point of guidance is: the handbook's, or the service's own suggestion."""

    HANDBOOK = "handbook"
    SERVICE = "service"


@dataclass(frozen=True)
class ItemFacts:
    """What the guidance needs to know about one agenda item."""

    duration_minutes: int
    part: AgendaPart
    is_speaker: bool = False
    collects_feedback: bool = False
    # Who gives a speaker slot ("Introduced by"), so one speaker with two slots counts once.
    speaker: str = ""


@dataclass(frozen=True)
class Guidance:
    """Something to reconsider: advice, never a blocker.

    reason is the service's own words; quotes are the handbook's words behind the point.
    source says whose rule it is: a threshold of the service's own is its suggestion.
    """

    key: str
    title: str
    reason: str
    source: Source
    quotes: tuple[Quote, ...] = ()


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


def distinct_speakers(items: Sequence[ItemFacts]) -> int:
    """How many different people speak: speaker slots by name, the chair left out.

    A slot with no name counts as a speaker of its own, since nothing says who it is.
    """
    names: set[str] = set()
    unnamed = 0
    for item in items:
        if not item.is_speaker:
            continue
        name = " ".join(item.speaker.split()).casefold()
        if not name:
            unnamed += 1
        elif not _CHAIR.fullmatch(name):
            names.add(name)
    return len(names) + unnamed


def _room_for_overrun(total: int, engage: int, slot: int) -> bool:
    """Whether a tenth of the slot could absorb an overrun (the service's suggestion).

    Free time counts, and so does discussion beyond a third of the slot, which the chair can
    shorten: the handbook's example fills its two hours yet keeps 70 minutes of discussion.
    Worked in thirds of a minute to stay in whole numbers.
    """
    room_thirds = 3 * (slot - total) + max(0, 3 * engage - slot)
    return room_thirds * 100 >= 3 * slot * CONTINGENCY_PERCENT


# For each of the three parts: what its absence is called, what to add, and the handbook.
_MISSING_PART = {
    AgendaPart.SCENE: (
        "Nothing sets the scene",
        "Add an item that welcomes people and sets the strategic context.",
        Q_THREE_OBJECTIVES,
    ),
    AgendaPart.MESSAGES: (
        "Nothing lands the key messages",
        "Add an item that lands the key messages, for example with case studies and "
        "real-life examples.",
        Q_THREE_OBJECTIVES,
    ),
    AgendaPart.ENGAGE: (
        "No discussion or Q&A",
        "Add a discussion and Q&A, with time for questions to the speakers.",
        Q_QA_MOST_IMPORTANT,
    ),
}


def guidance(items: Sequence[ItemFacts], slot_minutes: int | None) -> list[Guidance]:
    """What to reconsider about an agenda, following "Setting the agenda".

    Every rule is advice: the organiser can keep the agenda as it is. An empty agenda has
    nothing to advise on; the times rules need the event's slot. The handbook's example
    agenda, unchanged, gets no advice at all.
    """
    if not items:
        return []
    total = sum(i.duration_minutes for i in items)
    engage = sum(i.duration_minutes for i in items if i.part is AgendaPart.ENGAGE)
    advice: list[Guidance] = []

    if slot_minutes is not None and total > slot_minutes:
        advice.append(
            Guidance(
                "overrun",
                f"The agenda runs {minutes(total - slot_minutes)} past the end of the event",
                f"The items add up to {minutes(total)}, longer than the event. Shorten or "
                "remove items, or change the event's times.",
                Source.SERVICE,
                (Q_PLENTY_OF_TIME,),
            )
        )
    elif slot_minutes is not None and not _room_for_overrun(total, engage, slot_minutes):
        free = slot_minutes - total
        spare = (
            "The items fill the whole slot"
            if free == 0
            else f"Only {minutes(free)} of the slot {'is' if free == 1 else 'are'} free"
        )
        advice.append(
            Guidance(
                "no_contingency",
                "Little room if things overrun",
                f"{spare}, and the discussion is too short to give time back. The service "
                f"suggests keeping {CONTINGENCY_PERCENT}% of the slot for overruns: free time, "
                "or discussion beyond a third of the slot that the chair can shorten.",
                Source.SERVICE,
                (Q_PLENTY_OF_TIME,),
            )
        )

    speakers = distinct_speakers(items)
    if speakers > MAX_SPEAKERS:
        advice.append(
            Guidance(
                "too_many_speakers",
                f"{speakers} speakers",
                f"The agenda has {speakers} different speakers. Fewer speakers leave more "
                "time for discussion.",
                Source.HANDBOOK,
                (Q_PLENTY_OF_TIME,),
            )
        )

    present = {i.part for i in items}
    # With no Q&A at all, the missing-part advice below says so more plainly.
    if AgendaPart.ENGAGE in present and engage * DISCUSSION_SHARE < total:
        advice.append(
            Guidance(
                "little_discussion",
                "Less than a third of the time for discussion and Q&A",
                f"Discussion and Q&A take {minutes(engage)} of {minutes(total)}. The service "
                "suggests giving them at least a third of the time.",
                Source.SERVICE,
                (Q_PLENTY_OF_TIME,),
            )
        )

    for part in CORE_PARTS:
        if part not in present:
            title, what_to_add, why = _MISSING_PART[part]
            advice.append(
                Guidance(
                    f"missing_{part.value}",
                    title,
                    f"The agenda has no item for “{PART_LABELS[part]}”. {what_to_add}",
                    Source.HANDBOOK,
                    (why,),
                )
            )

    if not any(i.collects_feedback for i in items):
        advice.append(
            Guidance(
                "no_feedback",
                "No time set aside for the feedback form",
                "Mark the item where people can fill in the feedback form, such as the thanks "
                "and next steps, or plan to send it out straight after the event.",
                Source.HANDBOOK,
                (Q_FEEDBACK_ITEM, Q_FEEDBACK_SOON),
            )
        )
    return advice
