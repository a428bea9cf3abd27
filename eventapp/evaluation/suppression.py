"""Small-number disclosure control: one rule for every table the service publishes.

The rule (QUALITY.md property 19): a count from 1 to 4 is shown as "fewer than 5" (primary
suppression). If the published cells and totals would still let a reader work such a count
back, further cells are withheld (secondary suppression) until they cannot. Zero is shown:
it is not a small group of people. The screen, the PDF, the CSV exports and the dashboard all
print what `protect` returns, so no output can disagree with another.

"Cannot be worked back" is checked, not assumed: for every hidden count the smallest and
largest values consistent with everything published are found by linear programming, where
the reader knows that a "fewer than 5" cell is 1–4 and a withheld cell is 5 or more (the
service never withholds a zero). A count whose smallest and largest possible values are equal
is exposed and another cell is withheld. Tables with totals over rows and columns have totally
unimodular constraints, so these bounds are whole numbers and the test is exact.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5
FEWER_THAN_TEXT = "fewer than 5"
WITHHELD_TEXT = "withheld"
WITHHELD_NOTE = (
    "Counts from 1 to 4 are shown as \u201cfewer than 5\u201d, and some other figures are "
    "withheld so that those counts cannot be worked out from the totals."
)


class State(enum.StrEnum):
    SHOWN = "shown"
    FEWER_THAN_5 = "fewer_than_5"  # primary: the count is 1–4
    WITHHELD = "withheld"  # secondary: hidden to protect a small count


@dataclass(frozen=True)
class Cell:
    """A published count: its true value stays inside, only `text` goes out."""

    value: int
    state: State = State.SHOWN

    @property
    def shown(self) -> bool:
        return self.state is State.SHOWN

    @property
    def text(self) -> str:
        if self.state is State.FEWER_THAN_5:
            return FEWER_THAN_TEXT
        if self.state is State.WITHHELD:
            return WITHHELD_TEXT
        return str(self.value)

    @property
    def published(self) -> int | None:
        """The number a machine-readable output may carry, or None."""
        return self.value if self.shown else None


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Protected:
    """A table after disclosure control: cells by row and column, and its totals."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    col_totals: tuple[Cell, ...] | None
    grand_total: Cell | None
    withheld: bool = False  # the whole table: no cell of it can be published safely

    @property
    def any_hidden(self) -> bool:
        everything = [c for row in self.cells for c in row]
        everything += list(self.row_totals or ()) + list(self.col_totals or ())
        everything += [self.grand_total] if self.grand_total else []
        return any(not c.shown for c in everything)

    def row(self, r: int = 0) -> tuple[Cell, ...]:
        return self.cells[r]

    def total(self, r: int = 0) -> Cell | None:
        return self.row_totals[r] if self.row_totals else None


def percent_of(cell: Cell, base: Cell | None) -> str:
    """A percentage follows its count: shown only when the count and its base are shown."""
    from eventapp.evaluation.stats import percent_text

    if base is None or not cell.shown or not base.shown or base.value <= 0:
        return ""
    return percent_text(cell.value, base.value)


# --- the audit: what a reader could work out -------------------------------------------------

Key = tuple[str, int, int]  # ("cell", r, c) | ("row", r, 0) | ("col", c, 0) | ("grand", 0, 0)


@dataclass
class _Table:
    values: dict[Key, int]
    equations: list[tuple[Key, list[Key]]]  # total == sum(parts)


def _build(
    matrix: Sequence[Sequence[int]], row_totals: bool, col_totals: bool, grand_total: bool
) -> _Table:
    values: dict[Key, int] = {}
    equations: list[tuple[Key, list[Key]]] = []
    rows = len(matrix)
    cols = len(matrix[0]) if rows else 0
    for r, row in enumerate(matrix):
        if len(row) != cols:
            raise ValueError("every row must have the same number of cells")
        for c, value in enumerate(row):
            if value < 0:
                raise ValueError("counts cannot be negative")
            values[("cell", r, c)] = int(value)
    if row_totals:
        for r in range(rows):
            key: Key = ("row", r, 0)
            values[key] = sum(matrix[r])
            equations.append((key, [("cell", r, c) for c in range(cols)]))
    if col_totals:
        for c in range(cols):
            key = ("col", c, 0)
            values[key] = sum(matrix[r][c] for r in range(rows))
            equations.append((key, [("cell", r, c) for r in range(rows)]))
    if grand_total:
        values[("grand", 0, 0)] = sum(sum(row) for row in matrix)
        equations.append((("grand", 0, 0), [k for k in values if k[0] == "cell"]))
    return _Table(values, equations)


def _bounds(table: _Table, hidden: dict[Key, State], key: Key) -> tuple[float, float]:
    """What a reader knows of one count: its value if shown, 1–4 or 5 and more if hidden."""
    state = hidden.get(key)
    if state is State.FEWER_THAN_5:
        return (1, THRESHOLD - 1)
    if state is State.WITHHELD:
        return (THRESHOLD, math.inf)
    return (table.values[key], table.values[key])


def feasible_range(
    table: _Table, hidden: dict[Key, State], target: Key
) -> tuple[float, float] | None:
    """Smallest and largest value of `target` consistent with what is published."""
    if len(table.equations) == 1:
        return _one_total_range(table, hidden, target)
    return _linear_programme_range(table, hidden, target)


def _one_total_range(
    table: _Table, hidden: dict[Key, State], target: Key
) -> tuple[float, float] | None:
    """`feasible_range` for a table with one total (every question of the report), solved
    exactly without a linear programme: with one equation, total = sum of parts, and each
    count between its bounds, the values `target` can take are the interval its bounds and
    the others' bounds leave (empty: nothing published is consistent)."""
    [(total, parts)] = table.equations
    if target not in parts and target != total:
        return _bounds(table, hidden, target)
    part_low = sum(_bounds(table, hidden, k)[0] for k in parts)
    part_high = sum(_bounds(table, hidden, k)[1] for k in parts)
    total_low, total_high = _bounds(table, hidden, total)
    if max(total_low, part_low) > min(total_high, part_high):
        return None
    if target == total:
        return (max(total_low, part_low), min(total_high, part_high))
    low, high = _bounds(table, hidden, target)
    others = [_bounds(table, hidden, k) for k in parts if k != target]
    others_low = sum(b[0] for b in others)
    others_high = sum(b[1] for b in others)
    return (max(low, total_low - others_high), min(high, total_high - others_low))


def _linear_programme_range(
    table: _Table, hidden: dict[Key, State], target: Key
) -> tuple[float, float] | None:
    keys = list(table.values)
    index = {k: i for i, k in enumerate(keys)}
    bounds: list[tuple[float, float | None]] = []
    for k in keys:
        state = hidden.get(k)
        if state is State.FEWER_THAN_5:
            bounds.append((1, THRESHOLD - 1))
        elif state is State.WITHHELD:
            bounds.append((THRESHOLD, None))
        else:
            bounds.append((table.values[k], table.values[k]))
    a_eq = np.zeros((max(len(table.equations), 1), len(keys)))
    for i, (total, parts) in enumerate(table.equations):
        a_eq[i, index[total]] = 1
        for part in parts:
            a_eq[i, index[part]] -= 1
    b_eq = np.zeros(a_eq.shape[0])
    found: list[float] = []
    for sign in (1, -1):  # minimise, then maximise
        objective = np.zeros(len(keys))
        objective[index[target]] = sign
        result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if result.status == 3:  # unbounded: nothing caps it
            found.append(math.inf)
        elif result.status != 0:
            return None
        else:
            found.append(sign * result.fun)
    return (found[0], found[1])


def _exposed(table: _Table, hidden: dict[Key, State]) -> Key | None:
    """The first small count a reader could pin to one whole number, or None."""
    for key, state in hidden.items():
        if state is not State.FEWER_THAN_5:
            continue
        bounds = feasible_range(table, hidden, key)
        if bounds is None:
            continue
        low, high = bounds
        if math.floor(high + 1e-9) - math.ceil(low - 1e-9) < 1:
            return key
    return None


def _candidates(table: _Table, hidden: dict[Key, State], near: Key) -> list[Key]:
    """Shown cells of 5 or more that could be withheld: those sharing the smallest total with
    `near` first (its row or column before the grand total), else any in the table."""
    free = [
        k for k, v in table.values.items() if k[0] == "cell" and k not in hidden and v >= THRESHOLD
    ]
    related = sorted(
        (parts for total, parts in table.equations if near == total or near in parts), key=len
    )
    for parts in related:
        sharing = [k for k in free if k in parts]
        if sharing:
            return sorted(sharing, key=lambda k: (table.values[k], k))
    return sorted(free, key=lambda k: (table.values[k], k))


def protect(
    matrix: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = False,
    grand_total: bool = False,
) -> Protected:
    """Apply the rule to a table of counts and the totals it will be published with.

    A one-way table (a question's answers and how many answered) is one row with a row total.
    """
    table = _build(matrix, row_totals, col_totals, grand_total)
    hidden: dict[Key, State] = {
        k: State.FEWER_THAN_5 for k, v in table.values.items() if is_small(v)
    }
    margins_withheld = False
    while (exposed := _exposed(table, hidden)) is not None:
        candidates = _candidates(table, hidden, exposed)
        if not candidates:
            # Nothing left to hide among the cells: withhold the totals instead.
            margins_withheld = True
            for k, v in table.values.items():
                if k[0] != "cell" and k not in hidden and v:
                    hidden[k] = State.WITHHELD
            break
        hidden[candidates[0]] = State.WITHHELD
    if margins_withheld and _exposed(table, hidden) is not None:
        # Still solvable (every count small, such as 1, 1, 1 and 1 with a total below 5):
        # nothing of the table can be published.
        return _withheld_table(matrix, row_totals, col_totals, grand_total)

    def cell(key: Key) -> Cell:
        state = hidden.get(key, State.SHOWN)
        if margins_withheld and key[0] != "cell" and state is State.SHOWN and table.values[key]:
            state = State.WITHHELD
        return Cell(table.values[key], state)

    rows = len(matrix)
    cols = len(matrix[0]) if rows else 0
    return Protected(
        cells=tuple(tuple(cell(("cell", r, c)) for c in range(cols)) for r in range(rows)),
        row_totals=tuple(cell(("row", r, 0)) for r in range(rows)) if row_totals else None,
        col_totals=tuple(cell(("col", c, 0)) for c in range(cols)) if col_totals else None,
        grand_total=cell(("grand", 0, 0)) if grand_total else None,
    )


def _withheld_table(
    matrix: Sequence[Sequence[int]], row_totals: bool, col_totals: bool, grand_total: bool
) -> Protected:
    def w(value: int) -> Cell:
        return Cell(value, State.WITHHELD)

    return Protected(
        cells=tuple(tuple(w(v) for v in row) for row in matrix),
        row_totals=tuple(w(sum(row)) for row in matrix) if row_totals else None,
        col_totals=tuple(w(sum(col)) for col in zip(*matrix, strict=True)) if col_totals else None,
        grand_total=w(sum(map(sum, matrix))) if grand_total else None,
        withheld=True,
    )


def protect_counts(counts: Sequence[int]) -> Protected:
    """A one-way table with its total: the shape of every question in the report."""
    return protect([list(counts)], row_totals=True)
