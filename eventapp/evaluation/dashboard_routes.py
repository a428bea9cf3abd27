"""The coordinators' dashboard page and its tables as CSV."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from eventapp import audit, uow
from eventapp.access import me, planner_required
from eventapp.csvsafe import Lines
from eventapp.evaluation import dashboard as dash
from eventapp.evaluation.suppression import WITHHELD_NOTE
from eventapp.events.models import FORMAT_LABELS, STATUS_LABELS, EventFormat, EventStatus
from eventapp.formatting import uk_today
from eventapp.handbook import SECTOR_LABELS, Sector

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _date(text: str | None) -> date | None:
    try:
        value = date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None
    return value if date(2000, 1, 1) <= value <= date(2100, 12, 31) else None


def parse_filters(args: Mapping[str, str]) -> tuple[dash.Filters, list[str]]:
    """Filters from the query string; anything unreadable is ignored and said so."""
    problems = []
    start, end = _date(args.get("from")), _date(args.get("to"))
    if args.get("from") and start is None:
        problems.append("The start date was not a date from 2000 to 2100, so it is not used")
    if args.get("to") and end is None:
        problems.append("The end date was not a date from 2000 to 2100, so it is not used")
    fmt = args.get("format", "")
    sector = args.get("sector", "")
    home_office = {"yes": True, "no": False}.get(args.get("home_office", ""))
    status = args.get("status", "")
    statuses: tuple[EventStatus, ...] = dash.HELD_STATUSES
    if status in {s.value for s in EventStatus}:
        statuses = (EventStatus(status),)
    return (
        dash.Filters(
            start=start,
            end=end,
            format=EventFormat(fmt) if fmt in {f.value for f in EventFormat} else None,
            sector=Sector(sector) if sector in {s.value for s in Sector} else None,
            home_office=home_office,
            statuses=statuses,
        ),
        problems,
    )


@bp.route("/")
@planner_required
def index() -> str:
    """All the council's events pooled: reach, headline figures and trends by quarter."""
    filters, problems = parse_filters(request.args)
    board = dash.dashboard(me().council_id, filters, today=uk_today())
    return render_template(
        "evaluation/dashboard.html",
        board=board,
        problems=problems,
        args=request.args,
        format_labels=FORMAT_LABELS,
        sector_labels=SECTOR_LABELS,
        status_labels=STATUS_LABELS,
        withheld_note=WITHHELD_NOTE,
    )


def dashboard_rows(board: dash.Dashboard) -> Iterator[str]:
    lines = Lines()
    yield lines.row(("table", "row", "column", "value"))
    yield lines.row(("Summary", "Events", "", board.events))
    yield lines.row(("Summary", "Feedback responses", "", board.responses.text))
    for label, n in board.objectives:
        yield lines.row(("Objectives", label, "", n))
    for h in board.headlines:
        yield lines.row(("Headline figures", h.label, "percent", h.percent))
        yield lines.row(("Headline figures", h.label, "count", h.yes.text))
        yield lines.row(("Headline figures", h.label, "base", h.base.text))
    for change in board.changes:
        name = f"Before and after, pooled: {change.title}"
        for label, cell, percent in change.shifts:
            yield lines.row((name, label, "count", cell.text))
            yield lines.row((name, label, "percent", percent))
        yield lines.row((name, "Answered both", "count", change.pairs.text))
    for q in board.quarters:
        yield lines.row(("By quarter", q.label, "events", q.events))
        yield lines.row(("By quarter", q.label, "attended", q.attended.text))
        yield lines.row(("By quarter", q.label, "responses", q.responses.text))
        yield lines.row(("By quarter", q.label, "would recommend", q.recommend.percent))
        yield lines.row(("By quarter", q.label, "more positive", q.more_positive.percent))
    table = board.by_format
    for r, label in enumerate(board.quarter_labels):
        for c, fmt in enumerate(board.format_labels):
            yield lines.row(("Responses by format", label, fmt, table.cells[r][c].text))
        if table.row_totals:
            yield lines.row(("Responses by format", label, "Total", table.row_totals[r].text))
    if table.col_totals and board.quarter_labels:
        for c, fmt in enumerate(board.format_labels):
            yield lines.row(("Responses by format", "Total", fmt, table.col_totals[c].text))


@bp.route("/tables.csv")
@planner_required
def tables_csv() -> Response:
    """Every table of the dashboard as CSV, suppressed as on the page."""
    filters, _ = parse_filters(request.args)
    board = dash.dashboard(me().council_id, filters, today=uk_today())
    uow.run(audit.record, actor=me(), council_id=me().council_id, action="dashboard.export")
    response = Response("".join(dashboard_rows(board)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="dashboard.csv"'
    return response
