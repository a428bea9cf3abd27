"""The bar chart's drawings, read back as SVG: where each label, bar and value lands.

Worked by hand for three rows. Wide (labels 260 px wide, bars up to 300 px, values 110 px; rows
22 px high with 8 px gaps): the view box is 670 x 98 (3 x 30 + 8); row i's bar starts at
y = 8 + 30i, and its text sits on a baseline 70% down the bar (y + 15.4). Narrow (for phones:
bars up to 190 px, values 110 px, so 300 wide; each row an 18 px label line above a 22 px bar,
then an 8 px gap): the view box is 300 x 152 (3 x 48 + 8); row i starts at top = 8 + 48i, its
label's baseline is at top + 13 and its bar at top + 18, with the value's baseline 15.4 lower.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from eventapp.evaluation.charts import Bar, bar_chart, short_label
from eventapp.evaluation.suppression import Cell, State

SVG = "{http://www.w3.org/2000/svg}"
THREE = [
    Bar("Yes", Cell(30), "75%"),
    Bar("No", Cell(10), "25%"),
    Bar("Maybe", Cell(3, State.FEWER_THAN_5)),
]


def parse(markup: str, which: int = 0) -> ET.Element:
    """The wide drawing (0) or the narrow one (1) of a chart's markup."""
    wrapped = ET.fromstring(f"<charts>{markup}</charts>")  # noqa: S314 - our own chart
    assert [child.tag for child in wrapped] == [f"{SVG}svg", f"{SVG}svg"]
    return wrapped[which]


def test_the_chart_is_one_well_formed_svg_with_nothing_between_its_elements() -> None:
    markup = str(bar_chart("Q6", THREE, chart_id="q6"))
    root = parse(markup)
    assert markup.startswith("<svg ") and markup.endswith("</svg>")
    assert root.get("class") == "app-chart app-chart--wide"
    assert root.get("viewBox") == "0 0 670 98"
    assert root.text is None and all(child.tail is None for child in root)
    assert [child.tag.removeprefix(SVG) for child in root] == [
        "title",
        *("text", "rect", "text"),
        *("text", "rect", "text"),
        *("text", "text"),  # the hidden count: label and value, no bar
    ]


def test_labels_end_8_px_before_the_bars_on_each_row() -> None:
    root = parse(bar_chart("Q6", THREE, chart_id="q6"))
    labels = root.findall(f"{SVG}text[@class='app-chart__label']")
    assert [label.text for label in labels] == ["Yes", "No", "Maybe"]
    assert [label.attrib for label in labels] == [
        {
            "x": "252",
            "y": y,
            "text-anchor": "end",
            "fill": "#0b0c0c",
            "font-size": "13",
            "class": "app-chart__label",
        }
        for y in ("23.4", "53.4", "83.4")
    ]


def test_bars_start_at_the_label_column_one_row_apart() -> None:
    root = parse(bar_chart("Q6", THREE, chart_id="q6"))
    rects = root.findall(f"{SVG}rect")
    assert [rect.attrib for rect in rects] == [
        {
            "x": "260",
            "y": y,
            "width": width,
            "height": "22",
            "fill": "#1d70b8",
            "class": "app-chart__bar",
        }
        for y, width in (("8", "300.0"), ("38", "100.0"))
    ]


def test_each_value_starts_6_px_after_its_bar() -> None:
    root = parse(bar_chart("Q6", THREE, chart_id="q6"))
    values = root.findall(f"{SVG}text[@class='app-chart__value']")
    assert [(v.get("x"), v.get("y"), v.text) for v in values] == [
        ("566.0", "23.4", "30 (75%)"),  # 260 + 300 + 6
        ("366.0", "53.4", "10 (25%)"),  # 260 + 100 + 6
        ("266.0", "83.4", "fewer than 5"),  # no bar: 260 + 6
    ]
    assert all(v.get("fill") == "#0b0c0c" and v.get("font-size") == "13" for v in values)


def test_a_hidden_count_draws_no_bar_of_any_width() -> None:
    bars = [Bar("Male", Cell(9, State.WITHHELD)), Bar("Other", Cell(3, State.FEWER_THAN_5))]
    root = parse(bar_chart("Q1", bars, chart_id="q1"))
    assert root.findall(f"{SVG}rect") == []
    assert [v.get("x") for v in root.findall(f"{SVG}text[@class='app-chart__value']")] == [
        "266.0",
        "266.0",
    ]


def test_the_longest_annex_a_label_is_cut_to_34_characters() -> None:
    long = "Meeting local Prevent Co-ordinator or local authority representative"
    assert short_label(long) == "Meeting local Prevent Co-ordinato\u2026"
    # A cut that ends in a space drops the space before the ellipsis.
    assert short_label("a" * 32 + " and the rest of the label") == "a" * 32 + "\u2026"


def test_the_narrow_drawing_has_the_same_rows_with_each_label_above_its_bar() -> None:
    markup = str(bar_chart("Q6", THREE, chart_id="q6"))
    root = parse(markup, 1)
    assert root.get("class") == "app-chart app-chart--narrow"
    assert root.get("viewBox") == "0 0 300 152"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "q6-narrow-title"
    # Hidden until the stylesheet shows it: without CSS only the wide drawing is seen or read.
    assert root.get("display") == "none" and parse(markup, 0).get("display") is None
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == "q6-narrow-title"
    assert title.text == "Q6 (the table gives the numbers)"
    assert root.text is None and all(child.tail is None for child in root)
    assert [child.tag.removeprefix(SVG) for child in root] == [
        "title",
        *("text", "rect", "text"),
        *("text", "rect", "text"),
        *("text", "text"),
    ]
    labels = root.findall(f"{SVG}text[@class='app-chart__label']")
    assert [(label.get("x"), label.get("y"), label.text) for label in labels] == [
        ("0", "21", "Yes"),
        ("0", "69", "No"),
        ("0", "117", "Maybe"),
    ]
    assert all(label.get("text-anchor") is None for label in labels)  # from the left edge
    rects = root.findall(f"{SVG}rect")
    assert [(r.get("x"), r.get("y"), r.get("width"), r.get("height")) for r in rects] == [
        ("0", "26", "190.0", "22"),
        ("0", "74", "63.3", "22"),
    ]
    values = root.findall(f"{SVG}text[@class='app-chart__value']")
    assert [(v.get("x"), v.get("y"), v.text) for v in values] == [
        ("196.0", "41.4", "30 (75%)"),  # 190 + 6
        ("69.3", "89.4", "10 (25%)"),  # 63.3 + 6
        ("6.0", "137.4", "fewer than 5"),  # no bar
    ]
    assert all(
        t.get("fill") == "#0b0c0c" and t.get("font-size") == "13" for t in [*labels, *values]
    )
