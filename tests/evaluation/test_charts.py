"""Server-rendered bar charts: scaled bars, no bar for a hidden count, text escaped; each chart
drawn wide and narrow, saying the same in both."""

from __future__ import annotations

import re

from eventapp.evaluation.charts import (
    LABEL_CHARACTERS,
    Bar,
    ShareBar,
    bar_chart,
    share_bar,
    share_chart,
    short_label,
)
from eventapp.evaluation.suppression import Cell, State


def drawings(svg: str) -> tuple[str, str]:
    """The wide drawing and the narrow one, in that order, and nothing else."""
    parts = re.findall(r"<svg .*?</svg>", svg, re.S)
    assert len(parts) == 2 and "".join(parts) == svg
    assert 'class="app-chart app-chart--wide"' in parts[0]
    assert 'class="app-chart app-chart--narrow"' in parts[1]
    return parts[0], parts[1]


def widths(svg: str) -> list[float]:
    """The bars' widths in the wide drawing; the narrow one's are the same bars on 190 units."""
    wide, narrow = (
        [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', drawing)]
        for drawing in drawings(svg)
    )
    assert len(narrow) == len(wide)
    assert all(abs(n - w * 190 / 300) <= 0.11 for n, w in zip(narrow, wide, strict=True))
    return wide


def test_bars_are_scaled_to_the_largest_shown_count():
    svg = bar_chart(
        "Q6",
        [Bar("Yes", Cell(30), "75%"), Bar("No", Cell(10), "25%"), Bar("None", Cell(0))],
        chart_id="q6",
    )
    assert widths(svg) == [300.0, 100.0]  # a zero draws no bar
    assert ">30 (75%)</text>" in svg and ">10 (25%)</text>" in svg and ">0</text>" in svg
    assert 'aria-labelledby="q6-title"' in svg
    assert '<title id="q6-title">Q6 (the table gives the numbers)</title>' in svg
    assert 'viewBox="0 0 670 98"' in svg


def test_a_hidden_count_draws_no_bar_and_says_why():
    svg = bar_chart(
        "Q1",
        [
            Bar("Male", Cell(9, State.WITHHELD)),
            Bar("Other", Cell(3, State.FEWER_THAN_5)),
            Bar("Female", Cell(20), "61%"),
        ],
        chart_id="q1",
    )
    assert widths(svg) == [300.0]
    assert ">withheld</text>" in svg and ">fewer than 5</text>" in svg
    assert "9" not in re.sub(r'"[^"]*"', "", svg).replace("61%", "")


def test_nothing_shown_draws_nothing():
    svg = bar_chart(
        "Empty", [Bar("A", Cell(0)), Bar("B", Cell(2, State.FEWER_THAN_5))], chart_id="e"
    )
    assert widths(svg) == []


def test_text_is_escaped():
    svg = bar_chart('<script>"x"</script>', [Bar("<b>&", Cell(5), "100%")], chart_id='a"b')
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;&amp;" in svg and 'id="a&#34;b-title"' in svg


def test_long_labels_are_shortened_for_the_chart_only():
    long = "Meeting local Prevent Co-ordinator or local authority representative"
    assert len(short_label(long)) == LABEL_CHARACTERS
    assert short_label(long).endswith("\u2026")
    assert short_label("x" * LABEL_CHARACTERS) == "x" * LABEL_CHARACTERS
    assert short_label("x" * (LABEL_CHARACTERS + 1)) == "x" * (LABEL_CHARACTERS - 1) + "\u2026"
    svg = bar_chart("t", [Bar(long, Cell(5))], chart_id="t")
    assert short_label(long) in svg and long not in svg


def test_shares_are_drawn_on_a_0_to_100_percent_scale_from_the_published_percentage():
    svg = share_chart(
        "Would recommend",
        [
            share_bar("Jan–Mar 2026", Cell(45), Cell(50), "90%"),
            share_bar("Apr–Jun 2026", Cell(21), Cell(25), "84%"),
            share_bar("Jul–Sep 2026", Cell(0), Cell(20), "0%"),
        ],
        chart_id="r",
    )
    # 300 px is 100%: 90% is 270 px, 84% is 252 px; 0% draws no bar.
    assert widths(svg) == [270.0, 252.0]
    assert ">90%</text>" in svg and ">84%</text>" in svg and ">0%</text>" in svg
    assert '<title id="r-title">Would recommend (the table gives the numbers)</title>' in svg


def test_a_share_whose_percentage_is_not_published_draws_no_bar():
    svg = share_chart(
        "More positive",
        [
            share_bar("Small", Cell(3, State.FEWER_THAN_5), Cell(3, State.FEWER_THAN_5), ""),
            share_bar("Hidden", Cell(18, State.WITHHELD), Cell(20), ""),
            share_bar("Base hidden", Cell(9), Cell(11, State.WITHHELD), ""),
            share_bar("Nobody answered", Cell(0), Cell(0), ""),
        ],
        chart_id="m",
    )
    assert widths(svg) == []
    for drawing in drawings(svg):
        values = re.findall(r'class="app-chart__value">([^<]*)<', drawing)
        assert values == ["fewer than 5", "withheld", "percentage not shown", "no answers"]
    assert not re.search(r">\s*(18|9|11|3)\b", svg)


def test_a_share_over_a_shown_base_that_is_not_published_says_so() -> None:
    """Both counts shown, the base not zero, and still no percentage (the table withheld it):
    the bar says "percentage not shown", never "no answers"."""
    bar = share_bar("Dominant", Cell(19), Cell(20), "")
    assert bar.text == "percentage not shown"


def test_a_withheld_base_is_never_told_as_nobody_answering() -> None:
    """Saying "no answers" would publish that a withheld count is zero."""
    bar = share_bar("Hidden base", Cell(4), Cell(0, State.WITHHELD), "")
    assert bar.text == "percentage not shown"
    assert share_bar("Nobody", Cell(0), Cell(0), "").text == "no answers"


def test_only_a_published_whole_percentage_draws_a_bar() -> None:
    """A bar's length comes from the table's "N%" text alone: anything else draws none."""
    texts = ["40%", "40", "x%", "%", "40.5%", "", "fewer than 5"]
    svg = share_chart(
        "Shares",
        [ShareBar(f"row {n}", text, text or "none") for n, text in enumerate(texts)],
        chart_id="s",
    )
    assert widths(svg) == [120.0]  # 40% of 300
