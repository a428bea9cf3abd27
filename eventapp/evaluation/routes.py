"""The evaluation pages: the report, its files, the organiser's conclusions and sharing."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.wrappers import Response

from eventapp import audit, edits, uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.evaluation import exports, services
from eventapp.evaluation import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.evaluation.forms import ConclusionsForm, MeasureForm, ShareForm
from eventapp.evaluation.report import SECTOR_TABLE_TITLE, SECTOR_WITHHELD, WITHHELD_FEEDBACK
from eventapp.evaluation.stats import ZERO_DIFFERENCES_NOTE
from eventapp.evaluation.suppression import WITHHELD_NOTE
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.formatting import uk_today
from eventapp.forms import show_error
from eventapp.mail.message import Attachment
from eventapp.models.base import utcnow
from eventapp.objectives.models import Metric, Objective
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("evaluation", __name__, url_prefix="/events/<int:event_id>/evaluation")

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def _report(event: Event) -> services.Report:
    return services.build_report(event, today=uk_today())


def _context(report: services.Report) -> dict[str, object]:
    return {
        "report": report,
        "event": report.event,
        "withheld_feedback": WITHHELD_FEEDBACK,
        "sector_withheld": SECTOR_WITHHELD,
        "sector_title": SECTOR_TABLE_TITLE,
        "withheld_note": WITHHELD_NOTE,
        "zero_note": ZERO_DIFFERENCES_NOTE,
        "Metric": Metric,
    }


def _file_name(event: Event, what: str, extension: str) -> str:
    return f"evaluation-{event.id}-{what}.{extension}"


def _audit_export(event: Event, what: str) -> None:
    uow.run(
        audit.record,
        actor=me(),
        council_id=event.council_id,
        action=f"evaluation.export.{what}",
        obj=event,
    )


@bp.route("/")
@planner_required
def report(event: Event) -> str:
    """The event's evaluation report."""
    built = _report(event)
    return render_template(
        "evaluation/report.html",
        can_send=bool(current_app.config.get("PREVENT_SHARE_TO")),
        **_context(built),
    )


@bp.route("/report.pdf")
@planner_required
def pdf(event: Event) -> Response:
    """The report as a PDF file."""
    data = exports.report_pdf(_report(event), **_context_for_pdf(event))
    _audit_export(event, "pdf")
    response = Response(data, mimetype=PDF)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(event, "report", "pdf")}"'
    )
    return response


def _context_for_pdf(event: Event) -> dict[str, object]:
    return {
        "withheld_feedback": WITHHELD_FEEDBACK,
        "sector_withheld": SECTOR_WITHHELD,
        "sector_title": SECTOR_TABLE_TITLE,
        "withheld_note": WITHHELD_NOTE,
        "zero_note": ZERO_DIFFERENCES_NOTE,
        "event": event,
        "Metric": Metric,
        "generated_on": uk_today(),
    }


@bp.route("/tables.csv")
@planner_required
def tables_csv(event: Event) -> Response:
    """Every table of the report as CSV, suppressed exactly as on the page."""
    text = "".join(exports.table_rows(_report(event)))
    _audit_export(event, "tables")
    response = Response(text, mimetype=CSV)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(event, "tables", "csv")}"'
    )
    return response


@bp.route("/responses.csv")
@planner_required
def responses_csv(event: Event) -> Response | str:
    """The anonymised responses as CSV, streamed (withheld below 5 responses)."""
    built = _report(event)
    if built.feedback.withheld:
        return render_template("evaluation/withheld.html", **_context(built))
    _audit_export(event, "responses")
    response = Response(stream_with_context(exports.response_rows(event)), mimetype=CSV)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(event, "responses", "csv")}"'
    )
    return response


@bp.route("/conclusions", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def conclusions(event: Event) -> str | Response:
    """The organiser's attendance figure, organisations reached and conclusions."""
    if request.method == "GET":
        form = ConclusionsForm(data=services.conclusions_of(event))
        edits.remember(form, services.conclusions_of(event))
    else:
        form = ConclusionsForm()
    form.represented.choices = services.organisation_choices(event)
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event)
        outcome = edits.reconcile(form, services.conclusions_of(event))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        try:
            uow.run(
                services.save_conclusions,
                event=event,
                actor=me(),
                conclusions=services.Conclusions(
                    attendance_entered=form.attendance_entered.data,
                    attendance_note=form.attendance_note.data or "",
                    further_action=form.further_action.data or "",
                    behaviour_change=form.behaviour_change.data or "",
                    local_delivery=form.local_delivery.data or "",
                    recommendations=form.recommendations.data or "",
                    represented=[int(v) for v in form.represented.data or []],
                ),
            )
        except DomainError as error:
            show_error(form, error, "further_action")
        else:
            flash("Your conclusions are saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("evaluation.report", event_id=event.id))
    return render_template(
        "evaluation/conclusions.html",
        event=event,
        form=form,
        actions=services.open_actions(event, today=uk_today()),
    )


def _measure_data(objective: Objective) -> dict[str, object]:
    """The saved measure as form data (the value only where the organiser measures it)."""
    data: dict[str, object] = {"source_note": services.evidence_of(objective)}
    if objective.metric is Metric.MANUAL:
        data["actual_value"] = objective.actual_value
    return data


@bp.route("/objectives/<int:objective_id>", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def measure(event: Event, objective_id: int) -> str | Response:
    """Record what an objective's measure came to, and where the figure comes from."""
    objective = services.get_objective(event, objective_id)
    if request.method == "GET":
        form = MeasureForm(data=_measure_data(objective))
        edits.remember(form, _measure_data(objective))
    else:
        form = MeasureForm()
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event, objective)
        outcome = edits.reconcile(form, _measure_data(objective))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        uow.run(
            services.record_measure,
            objective=objective,
            actor=me(),
            value=form.actual_value.data,
            source_note=form.source_note.data or "",
        )
        flash("Saved." + edits.kept_note(outcome), "success")
        return redirect(url_for("evaluation.report", event_id=event.id))
    return render_template(
        "evaluation/measure.html", event=event, objective=objective, form=form, Metric=Metric
    )


@bp.route("/send", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def send(event: Event) -> str | Response:
    """Send the report, its tables and the responses to Home Office Prevent."""
    to = str(current_app.config.get("PREVENT_SHARE_TO") or "")
    form = ShareForm(data={"covering_note": services.suggested_note(event)})
    built = _report(event)
    if form.validate_on_submit():
        files = [
            Attachment(
                _file_name(event, "report", "pdf"),
                PDF,
                exports.report_pdf(built, **_context_for_pdf(event)),
            ),
            Attachment(
                _file_name(event, "tables", "csv"),
                "text/csv; charset=utf-8",
                "".join(exports.table_rows(built)).encode(),
            ),
        ]
        if not built.feedback.withheld:
            files.append(
                Attachment(
                    _file_name(event, "responses", "csv"),
                    "text/csv; charset=utf-8",
                    "".join(exports.response_rows(event)).encode(),
                )
            )
        try:
            uow.run(
                services.send_to_prevent,
                event=event,
                actor=me(),
                to=to,
                covering_note=form.covering_note.data or "",
                attachments=tuple(files),
                now=utcnow(),
            )
        except DomainError as error:
            show_error(form, error, "covering_note")
        else:
            flash("Sent to Home Office Prevent.", "success")
            return redirect(url_for("evaluation.report", event_id=event.id))
    return render_template("evaluation/send.html", form=form, to=to, **_context(built))
