"""The report's files: its tables as CSV, the anonymised responses as CSV, and the PDF.

Responses CSV columns (stable; documented in the README):

    source, gender, age, sector, sector_other, heard, heard_other, interest, recommend,
    video, knowledge_before, knowledge_after, opinion_before, opinion_after, element

One row per response, in the order of its random id (never the order people answered).
Values are Annex A's own wording; "Not answered" when a question was left blank, empty when
it was not asked (question 7 without the video). Every cell that could start a spreadsheet
formula is neutralised.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from flask import render_template
from sqlalchemy import Select, case, func, select

from eventapp.csvsafe import Lines
from eventapp.evaluation.report import SECTOR_TABLE_TITLE, SECTOR_WITHHELD, Table
from eventapp.evaluation.services import Report
from eventapp.evaluation.suppression import Cell
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.annex_a import ITEM_BY_KEY, ITEM_KEYS, OTHER, OTHER_ITEMS, label
from eventapp.feedback.models import SOURCE_LABELS, FeedbackAnswer, FeedbackResponse

RESPONSE_COLUMNS: tuple[str, ...] = (
    "source",
    *(
        column
        for item in ITEM_KEYS
        for column in ((item, f"{item}_other") if item in OTHER_ITEMS else (item,))
    ),
)
TABLE_COLUMNS = ("table", "answer", "count", "percent")
# How many follow-up actions: their words are in the PDF, not in a table of counts.
ACTIONS_TABLE = "Follow-up actions from questions"


def _count_text(cell: Cell) -> str:
    return cell.text


def table_rows(report: Report) -> Iterator[str]:
    """Every published table of the report as CSV, with the same suppression as the page."""
    lines = Lines()
    yield lines.row(TABLE_COLUMNS)
    reach = report.reach
    yield lines.row(("Reach", "Feedback responses", reach.responses.text, ""))
    if reach.attended is not None:
        yield lines.row(("Reach", f"Attended ({reach.attendance_source})", reach.attended, ""))
    if reach.response_rate:
        yield lines.row(("Reach", "Response rate", "", reach.response_rate))
    if reach.registrations is not None:
        yield lines.row(("Reach", "Registrations", reach.registrations.registrations, ""))
        yield lines.row(("Reach", "Confirmed places", reach.registrations.confirmed, ""))
    if reach.organisations:
        yield lines.row(
            (
                "Reach",
                f"Target organisations represented ({reach.organisations_source})",
                reach.represented,
                "",
            )
        )
        yield lines.row(("Reach", "Target organisations", len(reach.organisations), ""))
        for name in reach.missing:
            yield lines.row(("Target organisations not represented", name, "", ""))
    if reach.by_sector is not None:
        if reach.by_sector.withheld:
            yield lines.row((SECTOR_TABLE_TITLE, f"Withheld: {SECTOR_WITHHELD}", "", ""))
        else:
            for row in reach.by_sector.rows:
                yield lines.row((SECTOR_TABLE_TITLE, row.label, row.cell.text, row.percent))
            yield lines.row(
                (SECTOR_TABLE_TITLE, "Total checked in", reach.by_sector.total.text, "")
            )
    actions = report.actions
    yield lines.row((ACTIONS_TABLE, "Open", len(actions.open), ""))
    yield lines.row((ACTIONS_TABLE, "Open and overdue", actions.overdue, ""))
    yield lines.row((ACTIONS_TABLE, "Done", len(actions.done), ""))
    feedback = report.feedback
    if feedback.withheld:
        yield lines.row(("Feedback", "Withheld: fewer than 5 responses", "", ""))
        return
    for h in feedback.headlines:
        yield lines.row(("Headline figures", h.label, h.yes.text, h.percent))
        yield lines.row(("Headline figures", f"{h.label}: base", h.base.text, ""))
    tables: list[Table] = list(feedback.tables)
    for change in feedback.changes:
        tables += [change.before, change.after]
        for row in change.shifts:
            yield lines.row((change.title, row.label, row.cell.text, row.percent))
        yield lines.row((change.title, "Answered both", change.pairs.text, ""))
    for table in tables:
        for row in table.rows:
            yield lines.row((table.title, row.label, row.cell.text, row.percent))
        yield lines.row((table.title, "Total answering", table.total.text, ""))
        yield lines.row((table.title, "Not answered", table.not_answered, ""))
    for result in report.objectives:
        yield lines.row(
            (
                "Objectives",
                result.objective.statement,
                result.actual.text,
                result.judgement.label,
            )
        )


# Each stored answer's wording, looked up once rather than searched per cell.
_WORDING = {item: {o.key: o.label for o in ITEM_BY_KEY[item].options} for item in ITEM_KEYS}
NOT_ANSWERED = label(ITEM_KEYS[0], None)


def _pivoted(event: Event, after: uuid.UUID | None, batch: int) -> Select[Any]:
    """The next `batch` responses after `after` (in id order), one row each: the source, then
    per item the option ("" when left blank, NULL when not asked) and any "other" text."""
    page = select(FeedbackResponse.id, FeedbackResponse.source).where(
        FeedbackResponse.event_id == event.id
    )
    if after is not None:
        page = page.where(FeedbackResponse.id > after)
    responses = page.order_by(FeedbackResponse.id).limit(batch).subquery("page")
    columns: list[Any] = []
    for item in ITEM_KEYS:
        this = FeedbackAnswer.item == item
        columns.append(func.max(case((this, func.coalesce(FeedbackAnswer.option, "")))))
        if item in OTHER_ITEMS:
            columns.append(func.max(case((this, FeedbackAnswer.other_text))))
    return (
        select(responses.c.id, responses.c.source, *columns)
        .select_from(responses)
        .outerjoin(FeedbackAnswer, FeedbackAnswer.response_id == responses.c.id)
        .group_by(responses.c.id, responses.c.source)
        .order_by(responses.c.id)
    )


def response_rows(event: Event, *, batch: int = 1000) -> Iterator[str]:
    """The anonymised responses, a batch at a time, so memory stays flat for any size: one
    query per batch, the answers turned into one row per response by the database."""
    lines = Lines()
    yield lines.row(RESPONSE_COLUMNS)
    last: uuid.UUID | None = None
    while True:
        chunk = db.session.execute(_pivoted(event, last, batch)).all()
        if not chunk:
            return
        out = []
        for row in chunk:
            values: list[object] = [SOURCE_LABELS[row[1]]]
            cells = iter(row[2:])
            for item in ITEM_KEYS:
                option = next(cells)
                if option is None:
                    values.append("")  # not asked at this event
                elif option == "":
                    values.append(NOT_ANSWERED)
                else:
                    values.append(_WORDING[item].get(option, option))
                if item in OTHER_ITEMS:
                    other = next(cells)
                    values.append(other or "" if option == OTHER else "")
            out.append(values)
        yield lines.rows(out)
        last = chunk[-1][0]


def report_pdf(report: Report, **context: object) -> bytes:
    """The report as a PDF that looks like the page: same sections, charts and numbers."""
    from weasyprint import HTML

    html = render_template("evaluation/report_pdf.html", report=report, **context)
    return bytes(HTML(string=html).write_pdf())
