"""Server-rendered bar charts: SVG with a title, always printed beside the table of its numbers.

The chart is decoration for sighted readers; the table is its text alternative, so the SVG is
`aria-hidden` apart from its title and never carries a number the table does not show. A
suppressed count draws no bar (a bar's length would give the number away).
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


def bar_chart(title: str, bars: Sequence[Bar], *, chart_id: str) -> Markup:
    """A horizontal bar chart as inline SVG, scaled to the largest shown count."""
    largest = max((b.cell.value for b in bars if b.cell.shown), default=0)
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" overflow="hidden" '
        f'aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)} (the table gives the numbers)</title>',
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'fill="#0b0c0c" font-size="13" class="app-chart__label">{escape(short_label(bar.label))}</text>'
        )
        length = 0.0
        if bar.cell.shown and largest:
            length = BAR_WIDTH * bar.cell.value / largest
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="#1d70b8" class="app-chart__bar"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{text_y:.1f}" '
            f'fill="#0b0c0c" font-size="13" class="app-chart__value">{escape(_value_text(bar))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
