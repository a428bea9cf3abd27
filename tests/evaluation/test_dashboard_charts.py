"""The dashboard's charts (issue 13, section 4): each beside its table, with exact bars for a
seeded set of events, and no bar for a count or percentage the table does not publish.

Seeded by hand: event A (this quarter, in person, 20 responses) and event B (two quarters or
more earlier, online, 3 responses).

- A: 15 of 20 would recommend (75%); opinion neutral before, positive after for 12 (same for
  8: 60% more positive); knowledge poor before, good after for 16 (same for 4).
- B: all 3 would recommend, all 3 more positive; knowledge poor to very poor for all 3.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient

from eventapp.evaluation import dashboard
from eventapp.evaluation.models import Evaluation
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.objectives.models import Metric, Objective
from tests.evaluation.conftest import PAST
from tests.evaluation.test_dashboard_counts import held
from tests.evaluation.test_pages import add_responses

SVG = "{http://www.w3.org/2000/svg}"


def event_a(i: int) -> dict[str, str | None]:
    return {
        "recommend": "yes" if i < 15 else "no",
        "opinion_before": "neutral",
        "opinion_after": "positive" if i < 12 else "neutral",
        "knowledge_before": "poor",
        "knowledge_after": "good" if i < 16 else "poor",
    }


B = {
    "recommend": "yes",
    "opinion_before": "neutral",
    "opinion_after": "positive",
    "knowledge_before": "poor",
    "knowledge_after": "very_poor",
}


def objective(event: Event, position: int, metric: Metric, target: int, **extra: Any) -> None:
    db.session.add(
        Objective(
            event_id=event.id,
            position=position,
            statement=f"Objective {position}",
            metric=metric,
            target_value=Decimal(target),
            measure_by=extra.pop("measure_by", PAST),
            **extra,
        )
    )


def seed(make_event: Callable[..., Event], *, b_blank: int) -> None:
    """Events A, B and C; B gets `b_blank` more responses that answer nothing."""
    a = held(make_event, "Event A", 0, EventFormat.IN_PERSON)
    b = held(make_event, "Event B", 200, EventFormat.ONLINE)
    c = held(make_event, "Event C", 200, EventFormat.IN_PERSON)
    add_responses(a, [event_a(i) for i in range(20)])
    add_responses(b, [dict(B) for _ in range(3)] + [{} for _ in range(b_blank)])
    add_responses(c, [{} for _ in range(10)])
    db.session.add(Evaluation(event_id=a.id, attendance_entered=30))
    objective(a, 1, Metric.WOULD_RECOMMEND, 70)  # 75%: met
    objective(a, 2, Metric.MORE_POSITIVE_OPINION, 80)  # 60%: not met
    objective(a, 3, Metric.ATTENDANCE, 25)  # 30: met
    objective(
        a,
        4,
        Metric.MANUAL,
        5,
        manual_metric_name="Members recruited",
        measure_by=PAST + timedelta(days=3650),
    )  # not yet measurable
    db.session.commit()


def chart(page: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg [^>]*aria-labelledby="{chart_id}-title".*?</svg>', page, re.S)
    assert match, chart_id
    return ET.fromstring(match.group(0))  # noqa: S314 - our own page


def bars(svg: ET.Element) -> list[tuple[str, float | None, str]]:
    """(label, bar width or None for no bar, value text) per row, in order."""
    rows: list[tuple[str, float | None, str]] = []
    children = list(svg)[1:]
    i = 0
    while i < len(children):
        label = children[i].text or ""
        width = None
        if children[i + 1].tag == f"{SVG}rect":
            width = float(children[i + 1].get("width", ""))
            i += 1
        rows.append((label, width, children[i + 1].text or ""))
        i += 2
    return rows


CHARTS_AFTER_TABLES = {
    # chart id: the caption of the table it draws (the nearest table before it)
    "chart-objectives": "Objectives of the selected events",
    "chart-pooled-knowledge": "Knowledge and understanding (question 8):",
    "chart-pooled-opinion": "Opinion of Prevent (question 9):",
    "chart-quarter-responses": "Events, attendance, responses and headline figures by quarter",
    "chart-quarter-recommend": "Events, attendance, responses and headline figures by quarter",
    "chart-quarter-more-positive": (
        "Events, attendance, responses and headline figures by quarter"
    ),
    "chart-quarter-format": "Feedback responses by quarter: online against in person</caption>",
}


def check_placement_and_roles(page: str) -> None:
    for chart_id, caption in CHARTS_AFTER_TABLES.items():
        at_chart = page.index(f'aria-labelledby="{chart_id}-title"')
        # The nearest table before the chart is the one it draws.
        last_table = page[page.rindex("<table", 0, at_chart) : at_chart]
        assert "<caption" in last_table and caption in last_table, chart_id
        svg = chart(page, chart_id)
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and title.get("id") == f"{chart_id}-title"
        assert (title.text or "").endswith("(the table gives the numbers)")


def test_each_chart_follows_its_table_with_exact_bars(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    seed(make_event, b_blank=5)
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    check_placement_and_roles(page)
    board_quarters = re.findall(r'app-table__row-header">(\w{3}–\w{3} \d{4})</th>', page)
    old, new = board_quarters[:2]  # B and C's quarter, then A's

    assert bars(chart(page, "chart-objectives")) == [
        ("Met", 300.0, "2"),
        ("Not met", 150.0, "1"),
        ("Not yet measurable", 150.0, "1"),
        ("Cannot be judged yet", None, "0"),
    ]
    # Knowledge pooled: 16 improved (A), 4 the same (A), 3 worse (B): two small counts hidden.
    assert bars(chart(page, "chart-pooled-knowledge")) == [
        ("Improved", 300.0, "16 (70%)"),
        ("Stayed the same", None, "fewer than 5"),
        ("Got worse", None, "fewer than 5"),
    ]
    # Opinion pooled: 12 + 3 improved, 8 the same, none worse; 8 of 15 is 160 px.
    assert bars(chart(page, "chart-pooled-opinion")) == [
        ("Improved", 300.0, "15 (65%)"),
        ("Stayed the same", 160.0, "8 (35%)"),
        ("Got worse", None, "0 (0%)"),
    ]
    # B and C: 8 + 10 responses; A: 20.
    assert bars(chart(page, "chart-quarter-responses")) == [(old, 270.0, "18"), (new, 300.0, "20")]
    # On a 0-100% scale (300 px): 75% is 225 px, 60% is 180 px; B's 3 of 3 is not published.
    assert bars(chart(page, "chart-quarter-recommend")) == [
        (old, None, "fewer than 5"),
        (new, 225.0, "75%"),
    ]
    assert bars(chart(page, "chart-quarter-more-positive")) == [
        (old, None, "fewer than 5"),
        (new, 180.0, "60%"),
    ]
    assert bars(chart(page, "chart-quarter-format")) == [
        (f"{old}: In person", 150.0, "10"),
        (f"{old}: Online", 120.0, "8"),
        (f"{old}: Hybrid", None, "0"),
        (f"{new}: In person", 300.0, "20"),
        (f"{new}: Online", None, "0"),
        (f"{new}: Hybrid", None, "0"),
    ]


def test_a_suppressed_cell_is_never_drawn_as_a_bar(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    """B's 3 responses alone in their cell: hidden (with the cells that would give it away) in
    every table, and in every chart drawn with no bar; each shown count's bar is scaled to
    the largest shown count of its chart."""
    seed(make_event, b_blank=0)
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    check_placement_and_roles(page)
    hidden = 0
    for chart_id in CHARTS_AFTER_TABLES:
        rows = bars(chart(page, chart_id))
        for _, width, text in rows:
            if text in ("fewer than 5", "withheld", "percentage not shown"):
                hidden += 1
                assert width is None, (chart_id, rows)
        if chart_id in ("chart-quarter-recommend", "chart-quarter-more-positive"):
            continue
        counts = [int(text.split()[0]) for _, _, text in rows if text[0].isdigit()]
        largest = max(counts, default=0)
        assert [w for _, w, _ in rows if w is not None] == [
            round(300 * n / largest, 1) for n in counts if n
        ], chart_id
    format_rows = bars(chart(page, "chart-quarter-format"))
    assert [text for _, _, text in format_rows] == [
        "withheld",
        "fewer than 5",
        "0",
        "withheld",
        "0",
        "0",
    ]
    assert all(width is None for _, width, _ in format_rows)
    # Knowledge: 2; recommend and more positive: 1 each; by format: 3.
    assert hidden == 7


def test_the_charts_send_no_queries_and_the_csv_has_the_pooled_shifts(
    signed_in: FlaskClient,
    make_event: Callable[..., Event],
    organiser: Any,
    count_queries: Any,
) -> None:
    seed(make_event, b_blank=5)
    counts = dashboard.event_counts(
        dashboard.selected_events(organiser.council_id, dashboard.Filters())
    )
    groups, joint = dashboard.group_counts(counts), dashboard.pooled_joint(counts)
    with count_queries() as counted:
        board = dashboard.build(groups, joint, dashboard.Filters())
        dashboard.objectives_chart([("Met", 2)])
    assert counted.count == 0
    assert set(board.charts) == {"responses", "recommend", "more_positive", "by_format"}
    text = signed_in.get("/dashboard/tables.csv").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(text)) if r[0].startswith("Before and after")]
    assert rows == [
        [f"Before and after, pooled: {title}", row, column, value]
        for title, table in (
            (
                "Knowledge and understanding (question 8)",
                [
                    ("Improved", "16", "70%"),
                    ("Stayed the same", "fewer than 5", ""),
                    ("Got worse", "fewer than 5", ""),
                ],
            ),
            (
                "Opinion of Prevent (question 9)",
                [
                    ("Improved", "15", "65%"),
                    ("Stayed the same", "8", "35%"),
                    ("Got worse", "0", "0%"),
                ],
            ),
        )
        for row, column, value in [
            *(
                (label, kind, v)
                for label, n, p in table
                for kind, v in (("count", n), ("percent", p))
            ),
            ("Answered both", "count", "23"),
        ]
    ]
