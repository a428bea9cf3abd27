"""The pure rules: the feedback window and checking a filled-in form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventapp.feedback.annex_a import OTHER_ITEMS, OTHER_MAX, Condition
from eventapp.feedback.answers import OTHER_WHAT, Answer, clean, items_for, tidy_text, valid
from eventapp.feedback.window import State, feedback_window, last_day

BOTH = [Condition.VIDEO, Condition.HOME_OFFICE_QA]
# 18:00 to 20:00 UK time (BST) on 10 June 2027.
START = datetime(2027, 6, 10, 17, 0, tzinfo=UTC)
END = datetime(2027, 6, 10, 19, 0, tzinfo=UTC)


def window(
    now: datetime, days: int = 14, closed: datetime | None = None, opened: datetime | None = None
):  # type: ignore[no-untyped-def]
    return feedback_window(
        starts_at=START, ends_at=END, days_open=days, closed_at=closed, now=now, opened_at=opened
    )


@pytest.mark.parametrize(
    ("now", "days", "state"),
    [
        (START - timedelta(seconds=1), 14, State.NOT_YET),
        (START, 14, State.OPEN),
        (END, 0, State.OPEN),
        # The end of the UK day 14 days after: 24 June, 23:59:59 BST is 22:59:59 UTC.
        (datetime(2027, 6, 24, 22, 59, 59, tzinfo=UTC), 14, State.OPEN),
        (datetime(2027, 6, 24, 23, 0, tzinfo=UTC), 14, State.CLOSED),
        (datetime(2027, 6, 10, 22, 59, tzinfo=UTC), 0, State.OPEN),
        (datetime(2027, 6, 10, 23, 0, tzinfo=UTC), 0, State.CLOSED),
    ],
)
def test_window_opens_at_start_and_closes_at_the_end_of_the_last_uk_day(
    now: datetime, days: int, state: State
) -> None:
    result = window(now, days)
    assert result.state is state
    assert result.is_open is (state is State.OPEN)


def test_window_facts() -> None:
    result = window(START)
    assert result.opens_at == START
    assert result.closes_at == datetime(2027, 6, 24, 23, 0, tzinfo=UTC)
    assert result.last_day == datetime(2027, 6, 24).date()
    assert not result.closed_early
    assert last_day(START, None, 1) == datetime(2027, 6, 11).date()
    # An event ending after midnight counts its days from the day it ends.
    late_end = datetime(2027, 6, 10, 23, 30, tzinfo=UTC)
    assert last_day(START, late_end, 0) == datetime(2027, 6, 11).date()


def test_no_date_means_no_window() -> None:
    result = feedback_window(starts_at=None, ends_at=None, days_open=14, closed_at=None, now=START)
    assert result.state is State.NO_DATE and result.opens_at is None and not result.is_open


def test_closed_early_and_opened_early() -> None:
    closed = window(START + timedelta(hours=3), closed=START + timedelta(hours=2))
    assert closed.state is State.CLOSED and closed.closed_early
    assert closed.closes_at == START + timedelta(hours=2)
    # Closing after the window's own end changes nothing.
    late = window(START + timedelta(days=30), closed=START + timedelta(days=29))
    assert late.state is State.CLOSED and not late.closed_early
    early = window(START - timedelta(minutes=30), opened=START - timedelta(hours=1))
    assert early.state is State.OPEN and early.opens_at == START - timedelta(hours=1)
    assert (
        window(START - timedelta(hours=2), opened=START - timedelta(hours=1)).state is State.NOT_YET
    )
    # "Opened" after the start does not move the start later.
    assert window(START + timedelta(minutes=1), opened=START + timedelta(hours=1)).is_open


def test_items_follow_what_happened() -> None:
    none = dict((i.key, o) for i, o in items_for([]))
    assert "video" not in none
    assert none["element"] == ("presentation", "networking", "meeting_local", "group_discussion")
    both = dict((i.key, o) for i, o in items_for(BOTH))
    assert "video" in both and len(both["element"]) == 6
    assert len(both) == 12 and len(none) == 11
    only_video = dict((i.key, o) for i, o in items_for([Condition.VIDEO]))
    assert "home_office_qa" not in only_video["element"] and "video" in only_video["element"]


def test_clean_blank_answers_are_not_answered() -> None:
    answers, errors = clean({}, BOTH)
    assert errors == {}
    assert set(answers) == {i.key for i, _ in items_for(BOTH)}
    assert all(a == Answer() for a in answers.values())
    assert valid(answers, BOTH)


def test_clean_keeps_chosen_options_and_ignores_unknown_keys() -> None:
    answers, errors = clean({"gender": "female", "age": " 25_34 ", "nonsense": "x"}, BOTH)
    assert errors == {}
    assert answers["gender"] == Answer("female") and answers["age"] == Answer("25_34")
    assert "nonsense" not in answers


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"gender": "Male"}, "gender", "Select one of the answers, or leave the question blank"),
        ({"element": "video"}, "element", "Select one of the answers"),
        (
            {"sector": "other"},
            "sector_other",
            "Enter the sector you work in, or choose another answer",
        ),
        (
            {"heard": "other", "heard_other": "   "},
            "heard_other",
            "Enter how you heard about the event",
        ),
        (
            {"heard": "other", "heard_other": "x" * (OTHER_MAX + 1)},
            "heard_other",
            "How you heard about the event must be 200 characters or fewer",
        ),
        ({"sector": "other", "sector_other": "a\x07b"}, "sector_other", "hidden character"),
        ({"sector": "other", "sector_other": "a\u200bb"}, "sector_other", "hidden character"),
    ],
)
def test_clean_errors(raw: dict[str, str], field: str, message: str) -> None:
    applies = [] if raw.get("element") == "video" else BOTH
    answers, errors = clean(raw, applies)
    assert list(errors) == [field]
    assert message in errors[field]
    assert field.removesuffix("_other") not in answers


def test_clean_other_text_is_tidied_and_limited() -> None:
    answers, errors = clean({"sector": "other", "sector_other": "  Youth \n  work "}, BOTH)
    assert errors == {} and answers["sector"] == Answer("other", "Youth work")
    exact, errors = clean({"heard": "other", "heard_other": "y" * OTHER_MAX}, BOTH)
    assert errors == {} and exact["heard"].other_text == "y" * OTHER_MAX
    dropped, _ = clean({"sector": "charity", "sector_other": "kept?"}, BOTH)
    assert dropped["sector"] == Answer("charity")
    assert tidy_text(" a \t b ") == "a b"


def test_clean_tolerates_values_that_are_not_text() -> None:
    answers, errors = clean({"gender": None, "sector": "other", "sector_other": 5}, BOTH)  # type: ignore[dict-item]
    assert answers["gender"] == Answer()
    assert "sector_other" in errors


@pytest.mark.parametrize(
    "change",
    [
        {"video": Answer("yes")},  # asked only when the video played
        {"gender": Answer("unknown")},
        {"sector": Answer("other")},
        {"sector": Answer("other", "x" * (OTHER_MAX + 1))},
        {"sector": Answer("charity", "text")},
        {"heard": Answer(None, "text")},
    ],
)
def test_valid_refuses_anything_outside_annex_a(change: dict[str, Answer]) -> None:
    answers, _ = clean({}, [])
    assert valid(answers, [])
    assert not valid({**answers, **change}, [])


def test_valid_needs_every_item_asked() -> None:
    answers, _ = clean({}, BOTH)
    missing = dict(answers)
    missing.pop("element")
    assert not valid(missing, BOTH)
    assert valid({**answers, "sector": Answer("other", "Youth work")}, BOTH)


def test_closing_exactly_when_the_window_ends_is_not_closing_early() -> None:
    end = datetime(2027, 6, 24, 23, 0, tzinfo=UTC)
    result = window(end + timedelta(hours=1), closed=end)
    assert result.state is State.CLOSED and not result.closed_early
    assert result.closes_at == end


def test_state_values_are_stable() -> None:
    assert [s.value for s in State] == ["no_date", "not_yet", "open", "closed"]


def test_error_messages_word_for_word() -> None:
    _, errors = clean(
        {"gender": "Male", "sector": "other", "heard": "other", "heard_other": "x" * 201}, BOTH
    )
    assert errors == {
        "gender": "Select one of the answers, or leave the question blank",
        "sector_other": "Enter the sector you work in, or choose another answer",
        "heard_other": "How you heard about the event must be 200 characters or fewer",
    }
    _, hidden = clean({"sector": "other", "sector_other": "a\x07"}, BOTH)
    assert hidden == {
        "sector_other": "Your answer contains a hidden character that cannot be saved. "
        "Type it again instead of pasting it"
    }


@pytest.mark.parametrize("character", ["\ud800", "\ue000", "\u0378", "\u200b", "\x00"])
def test_every_kind_of_hidden_character_is_refused(character: str) -> None:
    _, errors = clean({"heard": "other", "heard_other": f"Radio{character}"}, BOTH)
    assert list(errors) == ["heard_other"]


def test_a_value_that_is_not_text_counts_as_blank() -> None:
    answers, errors = clean({"gender": 5, "sector": "other", "sector_other": None}, BOTH)  # type: ignore[dict-item]
    assert answers["gender"] == Answer() and list(errors) == ["sector_other"]


def test_valid_says_false_plainly_and_takes_the_longest_text() -> None:
    answers, _ = clean({}, [])
    assert valid({**answers, "sector": Answer("other", "y" * OTHER_MAX)}, []) is True
    for change in (
        {"video": Answer("yes")},
        {"gender": Answer("unknown")},
        {"sector": Answer("other")},
        {"sector": Answer("charity", "text")},
    ):
        assert valid({**answers, **change}, []) is False


def test_every_item_with_other_says_what_to_enter() -> None:
    # Annex A offers "Other (please state)" for the sector and for how people heard: each has
    # its own words in the messages, and no other item needs any.
    assert set(OTHER_WHAT) == set(OTHER_ITEMS) == {"sector", "heard"}
    for key in OTHER_ITEMS:
        _, errors = clean({key: "other"}, BOTH)
        assert errors == {f"{key}_other": f"Enter {OTHER_WHAT[key]}, or choose another answer"}
