"""The virtual or in-person decision page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat
from eventapp.formats import services
from eventapp.formats import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.formats.decision import tally
from eventapp.formats.forms import FormatDecisionForm
from eventapp.forms import show_error
from eventapp.handbook import IN_PERSON_PRO_KEYS, VIRTUAL_ACTIONS, VIRTUAL_PRO_KEYS
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("formats", __name__, url_prefix="/events/<int:event_id>/format")


def _decision_data(event: Event) -> dict[str, object]:
    """The saved decision as form data."""
    return {
        "virtual_pros": [p for p in event.format_pros if p in VIRTUAL_PRO_KEYS],
        "in_person_pros": [p for p in event.format_pros if p in IN_PERSON_PRO_KEYS],
        "format": event.format.value if event.format_decided_at else "",
        "rationale": event.format_rationale,
        "virtual_actions": event.virtual_actions,
    }


@bp.route("/", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def decide(event: Event) -> str | Response:
    """Weigh the pros of each format, see the tally, and record the choice."""
    if request.method == "GET":
        form = FormatDecisionForm(data=_decision_data(event))
        edits.remember(form, _decision_data(event))
    else:
        form = FormatDecisionForm()
    outcome = None
    if form.validate_on_submit() and form.submit.data:
        event_services.reread_locked(event)
        outcome = edits.reconcile(form, _decision_data(event))
        if not outcome.clean:
            uow.rollback()
    ticked = [*(form.virtual_pros.data or []), *(form.in_person_pros.data or [])]
    if outcome is not None and outcome.clean:
        try:
            uow.run(
                services.record_decision,
                event=event,
                actor=me(),
                pros=ticked,
                chosen=EventFormat(form.format.data) if form.format.data else None,
                rationale=form.rationale.data or "",
                actions=form.virtual_actions.data or [],
            )
        except DomainError as error:
            show_error(form, error, "format")
        else:
            flash("Format decision saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("events.overview", event_id=event.id))
    return render_template(
        "formats/decide.html",
        event=event,
        form=form,
        tally=tally(ticked),
        virtual_actions=VIRTUAL_ACTIONS,
    )
