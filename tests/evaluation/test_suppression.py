"""Small-number suppression: 1–4 shown as "fewer than 5", and no hidden count can be solved for.

The attack is written here independently of the module: from the published text alone (what
the page, PDF and CSV show), an integer program finds the smallest and largest value each
"fewer than 5" cell could have. If they are equal, the count was revealed and the test fails.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from eventapp.evaluation.suppression import (
    FEWER_THAN_TEXT,
    WITHHELD_NOTE,
    WITHHELD_TEXT,
    Cell,
    Protected,
    State,
    percent_of,
    protect,
    protect_counts,
)

BIG = 10_000


def texts(table):
    return [c.text for c in table.row()] + [table.total().text]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Nothing small: everything shown.
        ([10, 20, 30], ["10", "20", "30", "60"]),
        # Zeros are shown: no group of people is revealed by a zero.
        ([0, 12, 0], ["0", "12", "0", "12"]),
        ([0, 0, 0], ["0", "0", "0", "0"]),
        # One small cell with a total: the smallest other cell is withheld with it.
        ([3, 10, 20], [FEWER_THAN_TEXT, WITHHELD_TEXT, "20", "33"]),
        ([20, 10, 3], ["20", WITHHELD_TEXT, FEWER_THAN_TEXT, "33"]),
        # Each boundary: 4 is small, 5 is not; 1 is small.
        ([4, 5, 6], [FEWER_THAN_TEXT, WITHHELD_TEXT, "6", "15"]),
        ([5, 6, 7], ["5", "6", "7", "18"]),
        ([1, 9, 9], [FEWER_THAN_TEXT, WITHHELD_TEXT, "9", "19"]),
        # Two small cells hide each other unless their sum pins them (2 = 1 + 1).
        ([2, 3, 9], [FEWER_THAN_TEXT, FEWER_THAN_TEXT, "9", "14"]),
        ([1, 1, 9], [FEWER_THAN_TEXT, FEWER_THAN_TEXT, WITHHELD_TEXT, "11"]),
        # The partner cell would pin it (1 + 5 = 6: 1 is the only answer): the total goes.
        ([1, 5, 0], [FEWER_THAN_TEXT, WITHHELD_TEXT, "0", WITHHELD_TEXT]),
        ([1, 6, 0], [FEWER_THAN_TEXT, WITHHELD_TEXT, "0", "7"]),
        # A small total is itself "fewer than 5".
        ([3, 0, 0], [FEWER_THAN_TEXT, "0", "0", FEWER_THAN_TEXT]),
    ],
)
def test_one_way_tables(counts, expected):
    assert texts(protect_counts(counts)) == expected


def test_a_table_of_only_small_counts_is_withheld_whole():
    table = protect_counts([1, 1, 1, 1])
    assert table.withheld and [c.text for c in table.row()] == [WITHHELD_TEXT] * 4
    assert table.total().text == WITHHELD_TEXT
    assert not protect_counts([1, 1, 9]).withheld


def test_cell_texts_and_published_numbers():
    assert Cell(7).text == "7" and Cell(7).published == 7 and Cell(7).shown
    assert Cell(3, State.FEWER_THAN_5).text == "fewer than 5"
    assert Cell(3, State.FEWER_THAN_5).published is None
    assert Cell(9, State.WITHHELD).text == "withheld"
    assert Cell(9, State.WITHHELD).published is None


def test_percentages_follow_their_counts():
    table = protect_counts([3, 10, 20])
    small, withheld, shown = table.row()
    assert percent_of(shown, table.total()) == "61%"
    assert percent_of(small, table.total()) == ""
    assert percent_of(withheld, table.total()) == ""
    assert percent_of(Cell(3), Cell(0)) == ""
    assert percent_of(Cell(3), None) == ""
    assert percent_of(Cell(3), Cell(4, State.FEWER_THAN_5)) == ""
    assert percent_of(Cell(5), Cell(10)) == "50%"


def test_any_hidden():
    assert not protect_counts([5, 6]).any_hidden
    assert protect_counts([4, 6]).any_hidden
    assert protect([[1, 6]], row_totals=False).any_hidden
    assert not protect(
        [[7, 0], [0, 7]], row_totals=True, col_totals=True, grand_total=True
    ).any_hidden


def test_without_totals_a_small_cell_needs_no_partner():
    table = protect([[3, 10, 20]], row_totals=False)
    assert [c.text for c in table.row()] == [FEWER_THAN_TEXT, "10", "20"]
    assert table.total() is None


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match=r"^counts cannot be negative$"):
        protect_counts([-1, 3])
    with pytest.raises(ValueError, match=r"^every row must have the same number of cells$"):
        protect([[1, 2], [3]])


def test_two_way_table_protects_rows_and_columns():
    table = protect([[3, 10], [9, 12], [15, 2]], row_totals=True, col_totals=True, grand_total=True)
    cells = [[c.text for c in row] for row in table.cells]
    assert cells[0][0] == FEWER_THAN_TEXT and cells[2][1] == FEWER_THAN_TEXT
    assert_nothing_solvable(table)
    assert table.grand_total is not None and table.grand_total.text == "51"


def test_a_table_is_published_with_a_row_total_unless_told_otherwise():
    """A one-way table is one row with its total: the default adds the total, and with it
    the partner cell that stops the small count being worked back from it."""
    table = protect([[3, 10, 20]])
    assert table.total() is not None
    assert texts(table) == [FEWER_THAN_TEXT, WITHHELD_TEXT, "20", "33"]


def test_row_and_total_default_to_the_first_row():
    table = protect([[3, 10, 20], [7, 8, 9]], row_totals=True)
    assert table.row() == table.cells[0] and table.total() == table.row_totals[0]
    assert [c.text for c in table.row(1)] == ["7", "8", "9"] and table.total(1).text == "24"


@pytest.mark.parametrize(
    ("matrix", "kwargs", "cells", "row_totals", "col_totals"),
    [
        # Rows with their own totals only: the small count's partner comes from its own row
        # (the only total that could give it away), and the other row is left whole.
        ([[0, 6], [12, 3]], {}, [["0", "6"], [WITHHELD_TEXT, FEWER_THAN_TEXT]], ["6", "15"], None),
        (
            [[20, 9], [3, 20]],
            {},
            [["20", "9"], [FEWER_THAN_TEXT, WITHHELD_TEXT]],
            ["29", "23"],
            None,
        ),
        ([[9, 0], [2, 6]], {}, [["9", "0"], [FEWER_THAN_TEXT, WITHHELD_TEXT]], ["9", "8"], None),
        # Columns with their own totals only: the partner comes from the small count's column.
        (
            [[7, 5], [6, 4]],
            {"row_totals": False, "col_totals": True},
            [["7", WITHHELD_TEXT], ["6", FEWER_THAN_TEXT]],
            None,
            ["13", "9"],
        ),
    ],
)
def test_secondary_suppression_stays_in_the_line_that_needs_it(
    matrix, kwargs, cells, row_totals, col_totals
):
    table = protect(matrix, **{"row_totals": True, **kwargs})
    assert [[c.text for c in row] for row in table.cells] == cells
    assert ([c.text for c in table.row_totals] if table.row_totals else None) == row_totals
    assert ([c.text for c in table.col_totals] if table.col_totals else None) == col_totals
    assert_nothing_solvable(table)


def test_a_grand_total_alone_is_protected_like_any_total():
    """Published with only the grand total, 3 = 63 - 10 - 20 - 30 unless a partner goes."""
    table = protect([[3, 10], [20, 30]], row_totals=False, grand_total=True)
    assert [[c.text for c in row] for row in table.cells] == [
        [FEWER_THAN_TEXT, WITHHELD_TEXT],
        ["20", "30"],
    ]
    assert table.grand_total is not None and table.grand_total.text == "63"
    assert table.row_totals is None and table.col_totals is None
    assert_nothing_solvable(table)


def test_an_empty_table_has_empty_margins_and_a_zero_grand_total():
    table = protect([], row_totals=True, col_totals=True, grand_total=True)
    assert table.cells == () and table.row_totals == () and table.col_totals == ()
    assert table.grand_total == Cell(0) and not table.withheld and not table.any_hidden


def test_a_two_way_table_withheld_whole_withholds_every_margin_it_publishes():
    table = protect([[1, 1], [1, 1]], row_totals=True, col_totals=True, grand_total=True)
    assert table.withheld
    assert [c.text for c in table.row_totals] == [WITHHELD_TEXT] * 2
    assert [c.text for c in table.col_totals] == [WITHHELD_TEXT] * 2
    assert table.grand_total is not None and table.grand_total.text == WITHHELD_TEXT
    only_rows = protect([[1, 1, 1, 1]], row_totals=True)
    assert only_rows.withheld and only_rows.col_totals is None and only_rows.grand_total is None


def test_a_zero_total_is_shown_when_the_other_totals_are_withheld():
    """A reader takes "withheld" to mean 5 or more, so a zero is never withheld: when the
    totals have to go, a total of 0 stays "0"."""
    table = protect([[1, 5, 0]], row_totals=True, col_totals=True)
    assert [c.text for c in table.col_totals] == [FEWER_THAN_TEXT, WITHHELD_TEXT, "0"]
    assert [c.text for c in table.row_totals] == [WITHHELD_TEXT]
    table = protect([[7, 2], [0, 0]], row_totals=True, col_totals=True, grand_total=True)
    assert table.row_totals[1].text == "0"  # the zero row's total, whatever else goes
    assert_nothing_solvable(table)


@pytest.mark.parametrize("where", ["row", "col", "grand"])
def test_any_hidden_counts_a_hidden_total(where):
    """The note under a table is needed when any figure is hidden, a total as much as a cell."""
    hidden_total = Cell(7, State.WITHHELD)
    table = Protected(
        cells=((Cell(7), Cell(0)),),
        row_totals=(hidden_total if where == "row" else Cell(7),),
        col_totals=(hidden_total if where == "col" else Cell(7), Cell(0)),
        grand_total=hidden_total if where == "grand" else Cell(7),
    )
    assert table.any_hidden


def test_a_percentage_of_any_shown_base_is_given():
    assert percent_of(Cell(1), Cell(1)) == "100%"
    assert percent_of(Cell(0), Cell(1)) == "0%"


def test_the_note_names_the_words_the_tables_use():
    assert WITHHELD_NOTE.startswith("Counts from 1 to 4 are shown as")
    assert f"\u201c{FEWER_THAN_TEXT}\u201d" in WITHHELD_NOTE and WITHHELD_TEXT in WITHHELD_NOTE
    assert WITHHELD_NOTE.endswith("from the totals.")


# --- the attacker ------------------------------------------------------------------------


def _domain(cell: Cell) -> tuple[int, int]:
    if cell.text == FEWER_THAN_TEXT:
        return (1, 4)
    if cell.text == WITHHELD_TEXT:
        return (5, BIG)
    return (int(cell.text), int(cell.text))


def solve_ranges(table) -> dict[tuple, tuple[int, int]]:
    """From the published texts only: each "fewer than 5" cell's integer min and max."""
    rows, cols = len(table.cells), len(table.cells[0])
    names: list[tuple] = [("cell", r, c) for r in range(rows) for c in range(cols)]
    published: dict[tuple, Cell] = {n: table.cells[n[1]][n[2]] for n in names}
    if table.row_totals:
        for r, cell in enumerate(table.row_totals):
            published[("row", r)] = cell
    if table.col_totals:
        for c, cell in enumerate(table.col_totals):
            published[("col", c)] = cell
    if table.grand_total:
        published[("grand",)] = table.grand_total
    names = list(published)
    at = {n: i for i, n in enumerate(names)}
    rows_of_a: list[np.ndarray] = []

    def equation(total, parts):
        row = np.zeros(len(names))
        row[at[total]] = 1
        for p in parts:
            row[at[p]] -= 1
        rows_of_a.append(row)

    if table.row_totals:
        for r in range(rows):
            equation(("row", r), [("cell", r, c) for c in range(cols)])
    if table.col_totals:
        for c in range(cols):
            equation(("col", c), [("cell", r, c) for r in range(rows)])
    if table.grand_total:
        equation(("grand",), [("cell", r, c) for r in range(rows) for c in range(cols)])
    lower = np.array([_domain(published[n])[0] for n in names], dtype=float)
    upper = np.array([_domain(published[n])[1] for n in names], dtype=float)
    constraints = [LinearConstraint(np.array(rows_of_a), 0, 0)] if rows_of_a else []
    ranges = {}
    for name in names:
        if published[name].text != FEWER_THAN_TEXT:
            continue
        found = []
        for sign in (1, -1):
            objective = np.zeros(len(names))
            objective[at[name]] = sign
            result = milp(
                objective,
                constraints=constraints,
                integrality=np.ones(len(names)),
                bounds=Bounds(lower, upper),
            )
            assert result.success, "the true values always satisfy what is published"
            found.append(round(sign * result.fun))
        ranges[name] = (found[0], found[1])
    return ranges


def assert_nothing_solvable(table) -> None:
    for name, (low, high) in solve_ranges(table).items():
        assert low < high, f"{name} can be worked back to exactly {low}"


def brute_force_one_way(table) -> dict[int, set[int]]:
    """Every value each hidden cell of a one-way table could take, by enumeration."""
    cells = table.row()
    total = table.total()
    hidden = [i for i, c in enumerate(cells) if not c.shown]
    shown_sum = sum(c.value for c in cells if c.shown)
    options = [range(1, 5) if cells[i].text == FEWER_THAN_TEXT else range(5, 60) for i in hidden]
    possible: dict[int, set[int]] = {i: set() for i in hidden}
    for combo in itertools.product(*options):
        grand = shown_sum + sum(combo)
        if total.shown and grand != total.value:
            continue
        if total.text == FEWER_THAN_TEXT and not 1 <= grand <= 4:
            continue
        if total.text == WITHHELD_TEXT and grand < 5:
            continue
        for i, value in zip(hidden, combo, strict=True):
            possible[i].add(value)
    return possible


def test_the_attacker_catches_an_unprotected_table():
    """Negative control: without secondary suppression the attack works."""
    naive_cells = (Cell(3, State.FEWER_THAN_5), Cell(10), Cell(20))
    naive = Protected(
        cells=(naive_cells,), row_totals=(Cell(33),), col_totals=None, grand_total=None
    )
    assert solve_ranges(naive) == {("cell", 0, 0): (3, 3)}
    assert brute_force_one_way(naive) == {0: {3}}
    with pytest.raises(AssertionError, match="exactly 3"):
        assert_nothing_solvable(naive)


small_counts = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(small_counts)
def test_no_hidden_count_in_a_one_way_table_can_be_enumerated(counts):
    table = protect_counts(counts)
    if table.withheld:  # every count small and the total too: nothing is published
        assert all(not c.shown for c in table.row()) and not table.total().shown
        assert sum(counts) < 5
        return
    for i, cell in enumerate(table.row()):
        assert cell.shown == (not 1 <= counts[i] <= 4 and cell.state is State.SHOWN)
        if 1 <= counts[i] <= 4:
            assert cell.text == FEWER_THAN_TEXT
    for i, values in brute_force_one_way(table).items():
        if table.row()[i].text == FEWER_THAN_TEXT:
            assert len(values) >= 2, f"cell {i} of {counts} is revealed as {values}"
        assert counts[i] in values
    assert_nothing_solvable(table)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda rows: st.integers(min_value=1, max_value=4).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=15), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_hidden_count_in_a_two_way_table_can_be_solved(matrix):
    table = protect(matrix, row_totals=True, col_totals=True, grand_total=True)
    for r, row in enumerate(matrix):
        for c, value in enumerate(row):
            cell = table.cells[r][c]
            assert cell.value == value
            if table.withheld:
                # Every count small (such as 1, 1, 1 and 1): the whole table is withheld.
                assert cell.text == WITHHELD_TEXT
            elif 1 <= value <= 4:
                assert cell.text == FEWER_THAN_TEXT
            elif cell.text == WITHHELD_TEXT:
                assert value >= 5  # a zero is never withheld, so a reader may assume ≥ 5
    assert_nothing_solvable(table)


# --- the one-total shortcut agrees with the linear programme ---------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6),
    st.data(),
)
def test_one_total_tables_are_solved_as_the_linear_programme_solves_them(counts, data):
    """Every question's table has one total: its ranges are worked out directly, and must be
    exactly the linear programme's, for any counts and any cells hidden either way."""
    from eventapp.evaluation.suppression import (
        _build,
        _linear_programme_range,
        _one_total_range,
    )

    table = _build([counts], row_totals=True, col_totals=False, grand_total=False)
    hidden = {}
    for key, value in table.values.items():
        choice = data.draw(st.sampled_from(["shown", "small", "withheld"]))
        if choice == "small" and 0 < value < 5:
            hidden[key] = State.FEWER_THAN_5
        elif choice == "withheld" and value >= 5:
            hidden[key] = State.WITHHELD
    # Sometimes a wrong state, as if a reader were told something impossible.
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(table.values)))
        hidden[key] = data.draw(st.sampled_from([State.FEWER_THAN_5, State.WITHHELD]))
    for key in table.values:
        quick = _one_total_range(table, hidden, key)
        slow = _linear_programme_range(table, hidden, key)
        if slow is None:
            assert quick is None
        else:
            assert quick is not None
            assert quick[0] == pytest.approx(slow[0]) and quick[1] == pytest.approx(slow[1])
