"""Agenda timings and guidance: pure functions, each rule tested either side of its boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventapp.agenda.models import AgendaPart
from eventapp.agenda.timings import (
    ItemFacts,
    clock,
    duration_text,
    guidance,
    schedule,
    slot_minutes,
    total_against_slot,
)
from eventapp.formatting import LONDON

SCENE, MESSAGES, ENGAGE, CLOSE = (
    AgendaPart.SCENE, AgendaPart.MESSAGES, AgendaPart.ENGAGE, AgendaPart.CLOSE
)

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive


def hhmm(times: list[tuple[datetime, datetime]]) -> list[tuple[str, str]]:
    return [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in times]


# --- schedule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "durations", "expected"),
    [
        pytest.param(
            datetime(2027, 3, 4, 18, 0, tzinfo=LONDON), [10, 20, 10, 70, 5, 5],
            [("18:00", "18:10"), ("18:10", "18:30"), ("18:30", "18:40"), ("18:40", "19:50"),
             ("19:50", "19:55"), ("19:55", "20:00")],
            id="handbook-example",
        ),
        pytest.param(
            datetime(2027, 3, 4, 9, 30, tzinfo=LONDON), [45], [("09:30", "10:15")], id="one-item"
        ),
        pytest.param(datetime(2027, 3, 4, 18, 0, tzinfo=LONDON), [], [], id="no-items"),
        pytest.param(
            datetime(2027, 3, 4, 23, 30, tzinfo=LONDON), [20, 20],
            [("23:30", "23:50"), ("23:50", "00:10")], id="past-midnight",
        ),
        pytest.param(
            datetime(2027, 3, 4, 18, 0), [15, 15], [("18:00", "18:15"), ("18:15", "18:30")],
            id="naive",
        ),
    ],
)
def test_schedule_runs_items_back_to_back(
    start: datetime, durations: list[int], expected: list[tuple[str, str]]
) -> None:
    times = schedule(start, durations)

    assert hhmm(times) == expected
    for (_, end), (next_start, _) in zip(times, times[1:], strict=False):
        assert end == next_start


def test_schedule_without_a_start_time_is_empty() -> None:
    assert schedule(None, [10, 20]) == []


def test_schedule_keeps_real_durations_across_the_clock_change() -> None:
    # 00:30 on the last Sunday of March 2027: clocks go forward at 01:00.
    start = datetime(2027, 3, 28, 0, 30, tzinfo=LONDON)

    times = schedule(start, [60, 30])

    assert hhmm(times) == [("00:30", "02:30"), ("02:30", "03:00")]
    # Aware datetimes in one zone subtract by wall clock, so compare the instants in UTC.
    lengths = [b.astimezone(UTC) - a.astimezone(UTC) for a, b in times]
    assert lengths == [timedelta(minutes=60), timedelta(minutes=30)]
    assert times[0][0].tzinfo is LONDON


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        (datetime(2027, 3, 4, 18, tzinfo=UTC), datetime(2027, 3, 4, 20, tzinfo=UTC), 120),
        (datetime(2027, 3, 4, 18, tzinfo=UTC), datetime(2027, 3, 4, 18, 45, 30, tzinfo=UTC), 45),
        (None, None, None),
        (datetime(2027, 3, 4, 18, tzinfo=UTC), None, None),
        (None, datetime(2027, 3, 4, 20, tzinfo=UTC), None),
    ],
)
def test_slot_minutes(starts: datetime | None, ends: datetime | None, expected: int | None) -> None:
    assert slot_minutes(starts, ends) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2027, 3, 4, 9, 5, tzinfo=LONDON), "09:05"),
        (datetime(2027, 6, 4, 18, 0, tzinfo=LONDON), "18:00"),
        (datetime(2027, 6, 4, 0, 30), "00:30"),
    ],
)
def test_clock_is_the_24_hour_time_the_form_uses(value: datetime, text: str) -> None:
    assert clock(value) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [(1, "1 min"), (5, "5 mins"), (10, "10 mins"), (60, "1 hour"), (70, "1 hour 10 mins"),
     (120, "2 hours"), (121, "2 hours 1 min"), (0, "0 mins")],
)
def test_duration_is_written_like_the_handbook(count: int, text: str) -> None:
    assert duration_text(count) == text


@pytest.mark.parametrize(
    ("total", "slot", "text"),
    [
        (120, 120, "Planned 120 minutes of a 120-minute slot"),
        (1, 90, "Planned 1 minute of a 90-minute slot"),
        (130, 120, "Planned 130 minutes of a 120-minute slot"),
        (45, None, "Planned 45 minutes"),
    ],
)
def test_total_against_slot(total: int, slot: int | None, text: str) -> None:
    assert total_against_slot(total, slot) == text


# --- guidance ---------------------------------------------------------------


def items(*rows: tuple[int, AgendaPart] | tuple[int, AgendaPart, str]) -> list[ItemFacts]:
    """Items from (minutes, part[, flags]) where flags holds 's' for speaker, 'f' for feedback."""
    made = []
    for row in rows:
        flags = row[2] if len(row) == 3 else ""  # type: ignore[misc]
        made.append(
            ItemFacts(row[0], row[1], is_speaker="s" in flags, collects_feedback="f" in flags)
        )
    return made


# A balanced agenda that breaks no rule: 100 minutes, half of it Q&A, two speakers.
def balanced(engage: int = 50) -> list[ItemFacts]:
    return items((10, SCENE), (30, MESSAGES, "s"), (engage, ENGAGE), (10, CLOSE, "sf"))


def keys(advice: list) -> list[str]:
    return [g.key for g in advice]


def test_a_balanced_agenda_gets_no_advice() -> None:
    assert guidance(balanced(), 120) == []


def test_an_item_is_neither_a_speaker_nor_feedback_unless_marked() -> None:
    agenda = [ItemFacts(10, part) for part in (SCENE, MESSAGES, MESSAGES, MESSAGES)]
    agenda.append(ItemFacts(60, ENGAGE))

    assert keys(guidance(agenda, None)) == ["no_feedback"]


def test_an_empty_agenda_gets_no_advice() -> None:
    assert guidance([], 120) == []


def test_the_handbook_example_only_lacks_contingency() -> None:
    example = items((10, SCENE), (20, MESSAGES, "s"), (10, MESSAGES, "s"), (70, ENGAGE),
                    (5, CLOSE, "s"), (5, CLOSE, "f"))

    # It fills its two hours exactly: the handbook's own "always expect to overrun" applies.
    assert keys(guidance(example, 120)) == ["no_contingency"]
    assert guidance(example, 135) == []


@pytest.mark.parametrize(
    ("slot", "expected"),
    [
        pytest.param(99, ["overrun"], id="1-minute-over"),
        pytest.param(100, ["no_contingency"], id="exactly-full"),
        pytest.param(109, ["no_contingency"], id="91.7%"),
        pytest.param(111, ["no_contingency"], id="90.09%"),
        pytest.param(1000 // 9 + 1, [], id="89.3%"),
        pytest.param(None, [], id="no-slot"),
    ],
)
def test_time_rules_against_the_slot(slot: int | None, expected: list[str]) -> None:
    # balanced() plans 100 minutes.
    assert keys(guidance(balanced(), slot)) == expected


@pytest.mark.parametrize(
    ("planned", "slot", "fires"),
    [
        pytest.param(90, 100, False, id="exactly-90%"),
        pytest.param(91, 100, True, id="91%"),
        pytest.param(108, 120, False, id="108-of-120-is-90%"),
        pytest.param(109, 120, True, id="109-of-120"),
    ],
)
def test_contingency_boundary(planned: int, slot: int, fires: bool) -> None:
    agenda = balanced(engage=planned - 50)

    assert ("no_contingency" in keys(guidance(agenda, slot))) is fires


def test_overrun_says_by_how_much_and_why() -> None:
    advice = guidance(balanced(), 90)

    assert keys(advice) == ["overrun"]
    assert advice[0].title == "The agenda runs 10 minutes past the end of the event"
    assert "always expect to overrun" in advice[0].reason
    assert guidance(balanced(), 99)[0].title == "The agenda runs 1 minute past the end of the event"


def test_no_contingency_says_how_much_is_free() -> None:
    (advice,) = guidance(balanced(), 105)

    assert advice.title == "No time to spare if things overrun"
    assert advice.reason.startswith("Only 5 minutes of the slot are free.")
    assert "always expect to overrun" in advice.reason
    assert guidance(balanced(), 101)[0].reason.startswith("Only 1 minute of the slot is free.")
    assert guidance(balanced(), 100)[0].reason.startswith("The items fill the whole slot.")


@pytest.mark.parametrize(("speakers", "fires"), [(2, False), (3, False), (4, True), (6, True)])
def test_more_than_three_speakers(speakers: int, fires: bool) -> None:
    agenda = items((10, SCENE), (60, ENGAGE, "f")) + items(*[(5, MESSAGES, "s")] * speakers)

    advice = guidance(agenda, 240)

    assert ("too_many_speakers" in keys(advice)) is fires
    if fires:
        found = next(g for g in advice if g.key == "too_many_speakers")
        assert found.title == f"{speakers} speaker slots"
        assert "two or three speakers should be enough" in found.reason


@pytest.mark.parametrize(
    ("engage", "other", "fires"),
    [
        pytest.param(30, 60, False, id="exactly-a-third"),
        pytest.param(29, 60, True, id="just-under-a-third"),
        pytest.param(31, 60, False, id="just-over-a-third"),
        pytest.param(70, 50, False, id="handbook-share"),
        pytest.param(5, 60, True, id="token-q-and-a"),
    ],
)
def test_discussion_takes_at_least_a_third(engage: int, other: int, fires: bool) -> None:
    # other minutes split between the scene, the messages and the close.
    agenda = items((10, SCENE), (other - 20, MESSAGES, "s"), (engage, ENGAGE), (10, CLOSE, "f"))

    advice = guidance(agenda, None)

    assert ("little_discussion" in keys(advice)) is fires
    if fires:
        found = next(g for g in advice if g.key == "little_discussion")
        assert f"take {engage} minutes of {engage + other} minutes" in found.reason
        assert "most important part" in found.reason


@pytest.mark.parametrize(
    ("parts", "missing"),
    [
        pytest.param([SCENE, MESSAGES, ENGAGE], [], id="all-three"),
        pytest.param([MESSAGES, ENGAGE], ["missing_scene"], id="no-scene"),
        pytest.param([SCENE, ENGAGE], ["missing_messages"], id="no-messages"),
        pytest.param([SCENE, MESSAGES], ["missing_engage"], id="no-engage"),
        pytest.param(
            [CLOSE], ["missing_scene", "missing_messages", "missing_engage"], id="close-only"
        ),
    ],
)
def test_each_of_the_three_parts_is_needed(parts: list[AgendaPart], missing: list[str]) -> None:
    agenda = [ItemFacts(20, part) for part in parts] + items((5, CLOSE, "f"))

    advice = [g for g in guidance(agenda, None) if g.key.startswith("missing_")]

    assert keys(advice) == missing


@pytest.mark.parametrize(
    ("part", "title", "label"),
    [
        (SCENE, "Nothing sets the scene", "Set the scene"),
        (MESSAGES, "Nothing lands the key messages", "Land the key messages"),
        (ENGAGE, "No discussion or Q&A", "Engage (Q&A)"),
    ],
)
def test_a_missing_part_is_named(part: AgendaPart, title: str, label: str) -> None:
    others = [p for p in (SCENE, MESSAGES, ENGAGE) if p is not part]
    agenda = [ItemFacts(40, p) for p in others] + items((5, CLOSE, "f"))

    (advice,) = [g for g in guidance(agenda, None) if g.key.startswith("missing_")]

    assert advice.title == title
    assert f"no item for “{label}”" in advice.reason


def test_missing_q_and_a_is_not_also_reported_as_too_little() -> None:
    agenda = items((10, SCENE), (60, MESSAGES, "s"), (5, CLOSE, "f"))

    assert keys(guidance(agenda, None)) == ["missing_engage"]


@pytest.mark.parametrize(
    ("flags", "fires"),
    [("", True), ("s", True), ("f", False), ("sf", False)],
)
def test_some_item_collects_feedback(flags: str, fires: bool) -> None:
    agenda = items((10, SCENE), (30, MESSAGES), (50, ENGAGE), (10, CLOSE, flags))

    advice = guidance(agenda, None)

    assert ("no_feedback" in keys(advice)) is fires
    if fires:
        assert "feedback form" in advice[-1].reason


def test_every_rule_can_fire_at_once_in_a_stable_order() -> None:
    agenda = items(*[(30, CLOSE, "s")] * 4)

    assert keys(guidance(agenda, 100)) == [
        "overrun", "too_many_speakers", "missing_scene", "missing_messages", "missing_engage",
        "no_feedback",
    ]
    assert all(g.title and g.reason for g in guidance(agenda, 100))
