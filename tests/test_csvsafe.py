"""The one place CSV cells are made safe for spreadsheets (QUALITY.md property 16)."""

from __future__ import annotations

import csv
import io

import pytest

from eventapp.csvsafe import FORMULA_STARTS, Lines, safe_cell


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_starts_get_a_leading_quote(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        (0, "0"),
        (-3, "'-3"),
        ("a=b", "a=b"),
        (" =x", " =x"),
        ("O'Neil", "O'Neil"),
    ],
)
def test_other_values_are_written_as_they_are(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_lines_hand_back_each_chunk_once_and_quote_as_csv() -> None:
    lines = Lines()
    first = lines.row(["name", "note"])
    second = lines.rows([["Ann", "=HYPERLINK()"], ["Bo, Jr", 'said "hi"\nbye']])

    assert first == "name,note\r\n"
    assert list(csv.reader(io.StringIO(second))) == [
        ["Ann", "'=HYPERLINK()"],
        ["Bo, Jr", 'said "hi"\nbye'],
    ]
    assert lines.rows([]) == ""
