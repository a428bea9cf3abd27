"""Objective pages: the list with its SMART check, and the add, edit and delete forms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, once, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.handbook import AIM_LABELS, Aim
from eventapp.objectives import services
from eventapp.objectives import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.objectives.forms import ObjectiveForm
from eventapp.objectives.models import Metric, Objective
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("objectives", __name__, url_prefix="/events/<int:event_id>/objectives")


def _details(form: ObjectiveForm) -> services.ObjectiveDetails:
    return services.ObjectiveDetails(
        statement=form.statement.data or "",
        specific_who=form.specific_who.data or "",
        specific_what=form.specific_what.data or "",
        metric=Metric(form.metric.data) if form.metric.data else None,
        manual_metric_name=form.manual_metric_name.data or "",
        target_value=form.target_value.data,
        target_unit=form.target_unit.data or "",
        baseline_value=form.baseline_value.data,
        attainable_reason=form.attainable_reason.data or "",
        relevant_aim=Aim(form.relevant_aim.data) if form.relevant_aim.data else None,
        relevant_reason=form.relevant_reason.data or "",
        measure_by=form.measure_by.data,
    )


def _render_form(event: Event, form: ObjectiveForm, objective: Objective | None) -> str:
    return render_template("objectives/form.html", event=event, form=form, objective=objective)


@bp.route("/")
@planner_required
def index(event: Event) -> str:
    """The event's objectives, each with its SMART check."""
    checked = [(o, services.check(o, event)) for o in event.objectives]
    return render_template(
        "objectives/index.html", event=event, checked=checked, aim_labels=AIM_LABELS
    )


@bp.route("/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new(event: Event) -> str | Response:
    """Add a SMART objective."""
    form = ObjectiveForm()
    if request.method == "GET" and len(event.aims) == 1:
        form.relevant_aim.data = event.aims[0].aim.value
    if form.validate_on_submit():
        try:
            done = once.run(
                form.form_token.data,
                lambda: services.add_objective(event=event, actor=me(), details=_details(form)),
                url=lambda _: url_for("objectives.index", event_id=event.id),
            )
        except DomainError as error:
            show_error(form, error, "statement")
        else:
            flash(once.ALREADY_DONE if done.repeat else "Objective added.", "success")
            return redirect(done.url)
    return _render_form(event, form, None)


@bp.route("/<int:objective_id>/edit", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event, objective_id: int) -> str | Response:
    """Change a SMART objective."""
    objective = services.get_objective(event, objective_id)
    form = ObjectiveForm()
    if request.method == "GET":
        form = ObjectiveForm(data=services.details_of(objective))
        edits.remember(form, services.details_of(objective))
    if form.validate_on_submit():
        event_services.reread_locked(event, objective)
        outcome = edits.reconcile(form, services.details_of(objective))
        if not outcome.clean:
            uow.rollback()
            return _render_form(event, form, objective)
        try:
            uow.run(
                services.update_objective, objective=objective, actor=me(), details=_details(form)
            )
        except DomainError as error:
            show_error(form, error, "statement")
        else:
            flash("Objective saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("objectives.index", event_id=event.id))
    return _render_form(event, form, objective)


@bp.route("/<int:objective_id>/delete", methods=["GET", "POST"])
@planner_required
def delete(event: Event, objective_id: int) -> str | Response:
    """Confirm, then delete an objective."""
    objective = services.get_objective(event, objective_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        uow.run(services.delete_objective, objective=objective, actor=me())
        flash("Objective deleted.", "success")
        return redirect(url_for("objectives.index", event_id=event.id))
    return render_template("objectives/delete.html", event=event, objective=objective, form=form)
