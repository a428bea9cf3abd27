"""The three-way merge of one form's answers (eventapp.merge), as a table of cases."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from eventapp.events.models import EventFormat
from eventapp.merge import (
    Conflict,
    Merged,
    Source,
    canonical,
    changed,
    snapshot,
    three_way,
    ticks,
)

M, T = Source.MINE, Source.THEIRS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("Civic Hall", "Civic Hall"),
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        (True, "yes"),
        (False, "no"),
        (0, "0"),
        (40, "40"),
        (Decimal("2.50"), "2.5"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("NaN"), "NaN"),
        # Zero written with places is still zero (a falsy Decimal, but finite).
        (Decimal("0.00"), "0"),
        (Decimal("-0.0"), "-0"),
        (date(2027, 3, 4), "2027-03-04"),
        (datetime(2027, 3, 4, 18, 5), "2027-03-04T18:05:00"),
        (time(8, 5), "08:05"),
        (EventFormat.ONLINE, "online"),
        (["b", "a"], ("a", "b")),
        (("a",), ("a",)),
        ({"z", "y"}, ("y", "z")),
        (frozenset({"b", "a"}), ("a", "b")),
        ([], ()),
        ([None, 3], ("", "3")),
    ],
)
def test_canonical(value: object, expected: object) -> None:
    assert canonical(value) == expected


@pytest.mark.parametrize(
    ("base", "theirs", "mine", "source", "clash"),
    [
        ("40", "40", "40", M, False),  # nobody changed it
        ("40", "40", "45", M, False),  # only I changed it
        ("40", "50", "40", T, False),  # only they changed it
        ("40", "50", "50", M, False),  # both changed it the same way
        ("40", "50", "60", M, True),  # both changed it differently
        ("", "x", "", T, False),
        (("a",), ("a", "b"), ("a",), T, False),
        (("a",), ("a", "b"), ("c",), M, True),
    ],
)
def test_three_way_one_field(
    base: str, theirs: str, mine: str, source: Source, clash: bool
) -> None:
    merged = three_way({"f": base}, {"f": theirs}, {"f": mine})
    assert merged.sources == {"f": source}
    assert merged.conflicts == ((Conflict("f", base, theirs, mine),) if clash else ())
    assert merged.clean is not clash
    assert merged.taken_from_theirs() == (["f"] if source is T else [])


def test_different_fields_merge_and_only_the_clash_is_reported() -> None:
    base = {"capacity": "40", "role": "", "title": "A", "venue": "Hall"}
    theirs = {"capacity": "50", "role": "", "title": "B", "venue": "Hall"}
    mine = {"capacity": "40", "role": "Chair", "title": "C", "venue": "Hall"}
    merged = three_way(base, theirs, mine)
    assert merged.sources == {"capacity": T, "role": M, "title": M, "venue": M}
    assert merged.conflicts == (Conflict("title", "A", "B", "C"),)
    assert merged.taken_from_theirs() == ["capacity"]
    assert not merged.clean


def test_a_field_missing_from_what_was_loaded_counts_as_unchanged_by_them() -> None:
    # An answer added to the form after the page was loaded: the person's value stands.
    merged = three_way({}, {"f": "saved"}, {"f": "typed"})
    assert merged.sources == {"f": M} and merged.clean


def test_a_field_missing_from_what_is_saved_counts_as_unchanged() -> None:
    merged = three_way({"f": "loaded"}, {}, {"f": "typed"})
    assert merged.sources == {"f": M} and merged.clean
    merged = three_way({"f": "loaded"}, {}, {"f": "loaded"})
    assert merged.sources == {"f": M} and merged.clean


def test_nothing_sent_nothing_merged() -> None:
    assert three_way({"f": "a"}, {"f": "b"}, {}) == Merged({}, ())
    assert Merged().clean and Merged().taken_from_theirs() == []


def test_changed_lists_what_differs_in_order() -> None:
    assert changed({"a": "1", "b": "2", "c": "3"}, {"c": "4", "a": "1", "b": "5", "d": "6"}) == [
        "c",
        "b",
    ]


def test_snapshot_takes_the_named_fields_blank_when_missing() -> None:
    assert snapshot({"a": 1, "b": ["y", "x"], "c": "no"}, ["a", "b", "z"]) == {
        "a": "1",
        "b": ("x", "y"),
        "z": "",
    }


def test_sources_are_named_as_the_page_names_the_choice() -> None:
    # The clash panel's radios send these values (templates/macros/form_state.html).
    assert [s.value for s in Source] == ["mine", "theirs"]


@pytest.mark.parametrize(
    ("base", "theirs", "mine", "expected"),
    [
        # Nobody else saved: what was sent.
        (("a",), ("a",), ("a", "b"), ("a", "b")),
        (("a", "b"), ("a", "b"), (), ()),
        # A colleague ticked c meanwhile; this person ticked b: both kept.
        (("a",), ("a", "c"), ("a", "b"), ("a", "b", "c")),
        # A colleague unticked a meanwhile; this person left it alone: stays unticked.
        (("a", "b"), ("b",), ("a", "b"), ("b",)),
        # This person unticked a; a colleague ticked c: a goes, c stays.
        (("a",), ("a", "c"), (), ("c",)),
        # Both ticked the same box: once.
        ((), ("b",), ("b",), ("b",)),
        # Both unticked the same box: gone.
        (("a", "b"), ("b",), ("b",), ("b",)),
        # This person unticked b and ticked a, which a colleague also ticked: a once, b gone.
        (("b",), ("a", "b"), ("a",), ("a",)),
        # Sorted whatever order the boxes came in.
        ((), ("z", "c"), ("m",), ("c", "m", "z")),
    ],
)
def test_ticks_merge_box_by_box(
    base: tuple[str, ...], theirs: tuple[str, ...], mine: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert ticks(base, theirs, mine) == expected
