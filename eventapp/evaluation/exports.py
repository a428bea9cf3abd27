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

import csv
import io
import uuid
from collections.abc import Iterable, Iterator

from flask import render_template
from sqlalchemy import select

from eventapp.evaluation.report import SECTOR_TABLE_TITLE, SECTOR_WITHHELD, Table
from eventapp.evaluation.services import Report
from eventapp.evaluation.suppression import Cell
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback.annex_a import ITEM_KEYS, OTHER, OTHER_ITEMS, label
from eventapp.feedback.models import SOURCE_LABELS, FeedbackAnswer, FeedbackResponse
from eventapp.invitations.export import safe_cell

RESPONSE_COLUMNS: tuple[str, ...] = (
    "source",
    *(
        column
        for item in ITEM_KEYS
        for column in ((item, f"{item}_other") if item in OTHER_ITEMS else (item,))
    ),
)
TABLE_COLUMNS = ("table", "answer", "count", "percent")


class _Lines:
    """A csv.writer whose output is collected a line at a time."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def row(self, values: Iterable[object]) -> str:
        self.writer.writerow(safe_cell(v) for v in values)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def _count_text(cell: Cell) -> str:
    return cell.text


def table_rows(report: Report) -> Iterator[str]:
    """Every published table of the report as CSV, with the same suppression as the page."""
    lines = _Lines()
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


def response_rows(event: Event, *, batch: int = 1000) -> Iterator[str]:
    """The anonymised responses, a batch at a time, so memory stays flat for any size."""
    lines = _Lines()
    yield lines.row(RESPONSE_COLUMNS)
    last: uuid.UUID | None = None
    while True:
        query = select(FeedbackResponse.id, FeedbackResponse.source).where(
            FeedbackResponse.event_id == event.id
        )
        if last is not None:
            query = query.where(FeedbackResponse.id > last)
        chunk = db.session.execute(query.order_by(FeedbackResponse.id).limit(batch)).all()
        if not chunk:
            return
        ids = [row[0] for row in chunk]
        answers: dict[uuid.UUID, dict[str, tuple[str | None, str | None]]] = {}
        for response_id, item, option, other in db.session.execute(
            select(
                FeedbackAnswer.response_id,
                FeedbackAnswer.item,
                FeedbackAnswer.option,
                FeedbackAnswer.other_text,
            ).where(FeedbackAnswer.response_id.in_(ids))
        ):
            answers.setdefault(response_id, {})[item] = (option, other)
        out = []
        for response_id, source in chunk:
            given = answers.get(response_id, {})
            values: list[object] = [SOURCE_LABELS[source]]
            for item in ITEM_KEYS:
                if item in given:
                    option, other = given[item]
                    values.append(label(item, option))
                else:
                    option, other = None, None
                    values.append("")
                if item in OTHER_ITEMS:
                    values.append(other or "" if option == OTHER else "")
            out.append(lines.row(values))
        yield "".join(out)
        last = chunk[-1][0]


def report_pdf(report: Report, **context: object) -> bytes:
    """The report as a PDF that looks like the page: same sections, charts and numbers."""
    from weasyprint import HTML

    html = render_template("evaluation/report_pdf.html", report=report, **context)
    return bytes(HTML(string=html).write_pdf())
