"""Server-rendered bar charts: SVG with a title, always printed beside the table of its numbers.

The chart is for sighted readers; the table is its text alternative, so the SVG is an image
whose title says so, and it never carries a number the table does not show. A suppressed count
draws no bar (a bar's length would give the number away).

Each chart is drawn twice: wide, with the labels beside the bars, and narrow, with each label
above its bar. The wide drawing shrunk to a 320 px phone would print its 13-unit text at about
6 px; the narrow one, 300 units wide, keeps it near 13 px. The stylesheet shows the narrow one
where the chart itself is under 619 px wide (a phone, or a narrow column on a desktop) and the
wide one elsewhere; the narrow one carries display="none", so without the stylesheet (and in
the PDF) only the wide one is shown or read out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from eventapp.evaluation.suppression import Cell

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 300
VALUE_WIDTH = 110
# The narrow drawing: a label line above each bar, bars up to 190 units, values after them.
NARROW_BAR_WIDTH = 190
NARROW_WIDTH = NARROW_BAR_WIDTH + VALUE_WIDTH
LABEL_LINE = 18


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    percent: str = ""


LABEL_CHARACTERS = 34


def short_label(label: str) -> str:
    """A label that fits beside its bar; the table beside the chart has it in full."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "\u2026"


def _value_text(bar: Bar) -> str:
    if not bar.cell.shown:
        return bar.cell.text
    return f"{bar.cell.text} ({bar.percent})" if bar.percent else bar.cell.text


# A chart row: label, bar length as (numerator, denominator) of the full width or None, value text.
Row = tuple[str, tuple[int, int] | None, str]


def bar_chart(title: str, bars: Sequence[Bar], *, chart_id: str) -> Markup:
    """A horizontal bar chart as inline SVG, scaled to the largest shown count."""
    largest = max((b.cell.value for b in bars if b.cell.shown), default=0)
    return _draw(
        title,
        [
            (
                bar.label,
                (bar.cell.value, largest) if bar.cell.shown and largest else None,
                _value_text(bar),
            )
            for bar in bars
        ],
        chart_id=chart_id,
    )


@dataclass(frozen=True)
class ShareBar:
    """A share of people (a headline figure) as its table prints it: `percent` is the published
    whole percentage ("90%"), or "" when it is not published; `text` is what is printed."""

    label: str
    percent: str
    text: str


def share_bar(label: str, yes: Cell, base: Cell, percent: str) -> ShareBar:
    """The bar for a share, with the words printed when its percentage is not published."""
    if percent:
        text = percent
    elif not yes.shown:
        text = yes.text  # "fewer than 5" or "withheld", as in the table
    elif base.shown and base.value == 0:
        text = "no answers"
    else:
        text = "percentage not shown"
    return ShareBar(label, percent, text)


def _published_percent(percent: str) -> int | None:
    number = percent.removesuffix("%")
    return int(number) if percent.endswith("%") and number.isdigit() else None


def share_chart(title: str, bars: Sequence[ShareBar], *, chart_id: str) -> Markup:
    """Percentages as bars on a 0–100% scale. A bar is as long as the whole percentage the
    table prints (so it says no more than the table); a share whose percentage is not
    published draws no bar (its length would give the hidden count away) and says why."""
    rows: list[Row] = []
    for bar in bars:
        whole = _published_percent(bar.percent)
        rows.append((bar.label, (whole, 100) if whole is not None else None, bar.text))
    return _draw(title, rows, chart_id=chart_id)


def _draw(title: str, rows: Sequence[Row], *, chart_id: str) -> Markup:
    """Both drawings of the rows: (label, bar length as a fraction of the full width or None
    for no bar, value text)."""
    return _wide(title, rows, chart_id=chart_id) + _narrow(title, rows, chart_id=chart_id)


def _open(title: str, *, kind: str, width: int, height: int, title_id: str) -> list[str]:
    # The narrow drawing is hidden until the stylesheet shows it (a presentation attribute,
    # which any CSS rule overrides).
    hidden = ' display="none"' if kind == "narrow" else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart app-chart--{kind}" '
        f'role="img" viewBox="0 0 {width} {height}" width="100%" overflow="hidden"{hidden} '
        f'aria-labelledby="{escape(title_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)} (the table gives the numbers)</title>',
    ]


def _length(fraction: tuple[int, int] | None, full: int) -> float:
    if fraction is None:
        return 0.0
    numerator, denominator = fraction
    return full * numerator / denominator


def _bar_and_value(x: int, y: float, length: float, value: str) -> list[str]:
    """A bar starting at (x, y), if it has a length, and its value 6 units after its end."""
    parts = []
    if length:
        parts.append(
            f'<rect x="{x}" y="{y:g}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="#1d70b8" class="app-chart__bar"/>'
        )
    parts.append(
        f'<text x="{x + length + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
        f'fill="#0b0c0c" font-size="13" class="app-chart__value">{escape(value)}</text>'
    )
    return parts


def _wide(title: str, rows: Sequence[Row], *, chart_id: str) -> Markup:
    """Labels in a column ending 8 units before the bars, one row per bar."""
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = _open(title, kind="wide", width=width, height=height, title_id=f"{chart_id}-title")
    for i, (label, fraction, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'fill="#0b0c0c" font-size="13" class="app-chart__label">{escape(short_label(label))}</text>'
        )
        parts += _bar_and_value(LABEL_WIDTH, y, _length(fraction, BAR_WIDTH), value)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped


def _narrow(title: str, rows: Sequence[Row], *, chart_id: str) -> Markup:
    """Each label on a line of its own above its bar, all starting at the left edge."""
    row_height = LABEL_LINE + BAR_HEIGHT + GAP
    height = len(rows) * row_height + GAP
    parts = _open(
        title, kind="narrow", width=NARROW_WIDTH, height=height, title_id=f"{chart_id}-narrow-title"
    )
    for i, (label, fraction, value) in enumerate(rows):
        top = GAP + i * row_height
        parts.append(
            f'<text x="0" y="{top + 13}" fill="#0b0c0c" font-size="13" '
            f'class="app-chart__label">{escape(short_label(label))}</text>'
        )
        parts += _bar_and_value(0, top + LABEL_LINE, _length(fraction, NARROW_BAR_WIDTH), value)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
