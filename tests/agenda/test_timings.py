"""Agenda timings and guidance: pure functions, each rule tested either side of its boundary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventapp.agenda.models import AgendaPart
from eventapp.agenda.timings import (
    Guidance,
    ItemFacts,
    Source,
    _room_for_overrun,
    clock,
    distinct_speakers,
    duration_text,
    guidance,
    schedule,
    slot_minutes,
    total_against_slot,
)
from eventapp.formatting import LONDON
from eventapp.handbook import (
    Q_FEEDBACK_ITEM,
    Q_FEEDBACK_SOON,
    Q_PLENTY_OF_TIME,
    Q_QA_MOST_IMPORTANT,
    Q_THREE_OBJECTIVES,
    Quote,
)

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


def example(**overrides: str) -> list[ItemFacts]:
    """The handbook's example agenda, with who gives each speaker slot."""
    return [
        ItemFacts(10, SCENE),
        ItemFacts(20, SCENE, is_speaker=True, speaker=overrides.get("talk", "Home Office Prevent")),
        ItemFacts(10, MESSAGES, is_speaker=True, speaker="Prevent Coordinator"),
        ItemFacts(70, ENGAGE),
        ItemFacts(5, CLOSE, is_speaker=True, speaker=overrides.get("close", "Home Office Prevent")),
        ItemFacts(5, CLOSE, collects_feedback=True),
    ]


def test_the_handbook_example_unchanged_gets_no_advice() -> None:
    # It fills its two hours exactly: the handbook's own example is not "overfilled".
    assert guidance(example(), 120) == []
    assert guidance(example(), 135) == []
    assert guidance(example(), None) == []


@pytest.mark.parametrize(
    ("slot", "expected"),
    [
        pytest.param(99, ["overrun"], id="1-minute-over"),
        pytest.param(100, [], id="exactly-full-with-half-discussion"),
        pytest.param(None, [], id="no-slot"),
    ],
)
def test_time_rules_against_the_slot(slot: int | None, expected: list[str]) -> None:
    # balanced() plans 100 minutes, 50 of them discussion.
    assert keys(guidance(balanced(), slot)) == expected


# (planned, engage, slot): room = free time + discussion beyond a third of the slot.
@pytest.mark.parametrize(
    ("planned", "engage", "slot", "fires"),
    [
        pytest.param(90, 30, 100, False, id="10-free-no-spare-discussion"),
        pytest.param(91, 30, 100, True, id="9-free-no-spare-discussion"),
        pytest.param(100, 44, 100, False, id="full-discussion-10.67-over-third-is-enough"),
        pytest.param(100, 43, 100, True, id="full-discussion-9.67-over-third"),
        pytest.param(120, 52, 120, False, id="full-discussion-12-over-third"),
        pytest.param(120, 51, 120, True, id="full-discussion-11-over-third"),
        pytest.param(115, 47, 120, False, id="5-free-plus-7-spare"),
        pytest.param(115, 46, 120, True, id="5-free-plus-6-spare"),
        pytest.param(90, 10, 100, False, id="discussion-under-a-third-counts-nothing"),
    ],
)
def test_contingency_boundary(planned: int, engage: int, slot: int, fires: bool) -> None:
    agenda = items((10, SCENE), (planned - engage - 20, MESSAGES, "s"), (engage, ENGAGE),
                   (10, CLOSE, "f"))

    assert ("no_contingency" in keys(guidance(agenda, slot))) is fires


def test_room_counts_thirds_of_a_minute() -> None:
    # 100-minute slot: room must reach 10 minutes (30 thirds). 44 minutes of discussion give
    # 44 - 33.33 = 10.67 minutes, enough; 43 give 9.67, not enough.
    assert _room_for_overrun(100, 44, 100) is True
    assert _room_for_overrun(100, 43, 100) is False
    assert _room_for_overrun(90, 0, 100) is True
    assert _room_for_overrun(91, 0, 100) is False
    # Free time and spare discussion add up: 5 + 1.67 is short of 10; 5 + 5 reaches it.
    assert _room_for_overrun(95, 35, 100) is False
    assert _room_for_overrun(95, 40, 100) is True


def test_overrun_says_by_how_much_and_that_it_is_the_service_s_check() -> None:
    (advice,) = guidance(balanced(), 90)

    assert advice == Guidance(
        "overrun",
        "The agenda runs 10 minutes past the end of the event",
        "The items add up to 100 minutes, longer than the event. Shorten or remove items, or "
        "change the event's times.",
        Source.SERVICE,
        (Q_PLENTY_OF_TIME,),
    )
    assert guidance(balanced(), 99)[0].title == "The agenda runs 1 minute past the end of the event"


def no_contingency(agenda: list[ItemFacts], slot: int) -> Guidance:
    return next(g for g in guidance(agenda, slot) if g.key == "no_contingency")


def test_no_contingency_is_the_service_s_suggestion_and_says_how_much_is_free() -> None:
    agenda = items((10, SCENE), (50, MESSAGES, "s"), (30, ENGAGE), (5, CLOSE, "f"))

    advice = no_contingency(agenda, 100)

    assert advice == Guidance(
        "no_contingency",
        "Little room if things overrun",
        "Only 5 minutes of the slot are free, and the discussion is too short to give time "
        "back. The service suggests keeping 10% of the slot for overruns: free time, or "
        "discussion beyond a third of the slot that the chair can shorten.",
        Source.SERVICE,
        (Q_PLENTY_OF_TIME,),
    )
    assert no_contingency(agenda, 96).reason.startswith(
        "Only 1 minute of the slot is free, and"
    )
    assert no_contingency(agenda, 95).reason.startswith(
        "The items fill the whole slot, and the discussion"
    )


def speakers_of(*names: str) -> list[ItemFacts]:
    return [ItemFacts(5, MESSAGES, is_speaker=True, speaker=name) for name in names]


@pytest.mark.parametrize(
    ("names", "count"),
    [
        pytest.param(("Home Office Prevent", "Prevent Coordinator", "Home Office Prevent"), 2,
                     id="handbook-example-two-speakers-three-slots"),
        pytest.param(("A", "B", "C"), 3, id="three"),
        pytest.param(("A", "B", "C", "D"), 4, id="four"),
        pytest.param(("Dr Khan", " dr  KHAN "), 1, id="same-name-spaced-and-cased"),
        pytest.param(("A", "B", "Chairperson"), 2, id="chair-is-not-a-speaker"),
        pytest.param(("chair", "The Chair", "the chairperson", "Chairman", "Chairwoman"), 0,
                     id="every-way-of-naming-the-chair"),
        pytest.param(("Chair of governors", "Chairs"), 2, id="only-the-chair-itself"),
        pytest.param(("", "", "A"), 3, id="unnamed-slots-count-each"),
        pytest.param((), 0, id="none"),
    ],
)
def test_distinct_speakers(names: tuple[str, ...], count: int) -> None:
    assert distinct_speakers(speakers_of(*names)) == count


def test_only_speaker_slots_count() -> None:
    assert distinct_speakers([ItemFacts(5, MESSAGES, speaker="A")]) == 0


@pytest.mark.parametrize(("speakers", "fires"), [(2, False), (3, False), (4, True), (6, True)])
def test_more_than_three_speakers(speakers: int, fires: bool) -> None:
    agenda = items((10, SCENE), (120, ENGAGE, "f")) + speakers_of(*"ABCDEF"[:speakers])

    advice = guidance(agenda, 240)

    assert ("too_many_speakers" in keys(advice)) is fires
    if fires:
        found = next(g for g in advice if g.key == "too_many_speakers")
        assert found == Guidance(
            "too_many_speakers",
            f"{speakers} speakers",
            f"The agenda has {speakers} different speakers. Fewer speakers leave more time for "
            "discussion.",
            Source.HANDBOOK,
            (Q_PLENTY_OF_TIME,),
        )


def test_a_speaker_with_several_slots_is_one_speaker() -> None:
    agenda = items((10, SCENE), (120, ENGAGE, "f")) + speakers_of("A", "B", "C", "A", "B")

    assert "too_many_speakers" not in keys(guidance(agenda, 240))


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
        assert found == Guidance(
            "little_discussion",
            "Less than a third of the time for discussion and Q&A",
            f"Discussion and Q&A take {engage} minutes of {engage + other} minutes. The "
            "service suggests giving them at least a third of the time.",
            Source.SERVICE,
            (Q_PLENTY_OF_TIME,),
        )


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
    ("part", "title", "reason", "why"),
    [
        (SCENE, "Nothing sets the scene",
         "The agenda has no item for “Set the scene”. Add an item that welcomes people and "
         "sets the strategic context.", Q_THREE_OBJECTIVES),
        (MESSAGES, "Nothing lands the key messages",
         "The agenda has no item for “Land the key messages”. Add an item that lands the key "
         "messages, for example with case studies and real-life examples.", Q_THREE_OBJECTIVES),
        (ENGAGE, "No discussion or Q&A",
         "The agenda has no item for “Engage (Q&A)”. Add a discussion and Q&A, with time for "
         "questions to the speakers.", Q_QA_MOST_IMPORTANT),
    ],
)
def test_a_missing_part_is_named_with_the_handbook_s_reason(
    part: AgendaPart, title: str, reason: str, why: Quote
) -> None:
    others = [p for p in (SCENE, MESSAGES, ENGAGE) if p is not part]
    agenda = [ItemFacts(40, p) for p in others] + items((5, CLOSE, "f"))

    (advice,) = [g for g in guidance(agenda, None) if g.key.startswith("missing_")]

    assert advice == Guidance(f"missing_{part.value}", title, reason, Source.HANDBOOK, (why,))


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
        assert advice[-1] == Guidance(
            "no_feedback",
            "No time set aside for the feedback form",
            "Mark the item where people can fill in the feedback form, such as the thanks and "
            "next steps, or plan to send it out straight after the event.",
            Source.HANDBOOK,
            (Q_FEEDBACK_ITEM, Q_FEEDBACK_SOON),
        )


def test_feedback_advice_quotes_the_handbook_s_timing_not_at_the_event_only() -> None:
    (advice,) = guidance(items((10, SCENE), (30, MESSAGES), (50, ENGAGE)), None)

    said = " ".join(q.text for q in advice.quotes)
    assert "as soon after the event as possible, or even while it's still running" in said
    assert "at the event" not in advice.reason


def test_every_rule_can_fire_at_once_in_a_stable_order() -> None:
    agenda = [ItemFacts(30, CLOSE, is_speaker=True, speaker=name) for name in "ABCD"]

    assert keys(guidance(agenda, 100)) == [
        "overrun", "too_many_speakers", "missing_scene", "missing_messages", "missing_engage",
        "no_feedback",
    ]
    assert keys(guidance(items((10, SCENE), (85, MESSAGES, "s"), (5, ENGAGE)), 100)) == [
        "no_contingency", "little_discussion", "no_feedback",
    ]


def test_sources_split_the_handbook_from_the_service() -> None:
    handbook = {"too_many_speakers", "missing_scene", "missing_messages", "missing_engage",
                "no_feedback"}
    agenda = [ItemFacts(30, CLOSE, is_speaker=True, speaker=name) for name in "ABCD"]
    mixed = guidance(agenda, 100) + guidance(
        items((10, SCENE), (85, MESSAGES, "s"), (5, ENGAGE)), 100
    )

    for advice in mixed:
        assert advice.source is (Source.HANDBOOK if advice.key in handbook else Source.SERVICE)
        assert advice.quotes, advice.key


def test_room_is_measured_against_a_tenth_that_is_not_a_whole_number_of_thirds() -> None:
    # A 101-minute slot needs 10.1 minutes of room: 10 free minutes (30 thirds) fall short,
    # and a discussion under a third of the slot gives nothing back.
    assert _room_for_overrun(91, 20, 101) is False
    assert _room_for_overrun(90, 20, 101) is True


def test_unnamed_speaker_slots_are_each_a_speaker() -> None:
    assert distinct_speakers([ItemFacts(5, MESSAGES, is_speaker=True)] * 2) == 2


def test_the_sources_are_named_as_the_page_shows_them() -> None:
    assert [s.value for s in Source] == ["handbook", "service"]
