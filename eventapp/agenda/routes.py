"""Agenda pages: the timed agenda and its guidance, item forms, moving, and a printable copy."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, once, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.agenda import services
from eventapp.agenda import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.agenda.forms import PART_HINTS, AgendaItemForm, MoveForm
from eventapp.agenda.models import PART_LABELS, AgendaItem, AgendaPart
from eventapp.agenda.template import example_items
from eventapp.agenda.timings import clock, duration_text
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("agenda", __name__, url_prefix="/events/<int:event_id>/agenda")


def _details(form: AgendaItemForm) -> services.ItemDetails:
    return services.ItemDetails(
        title=form.title.data or "",
        introduced_by=form.introduced_by.data or "",
        # Validation has required a whole number of minutes by now.
        duration_minutes=int(form.duration_minutes.data or 0),
        part=AgendaPart(form.part.data),
        is_speaker=form.is_speaker.data == "yes",
        collects_feedback=form.collects_feedback.data == "yes",
        notes=form.notes.data or "",
    )


def _render_form(event: Event, form: AgendaItemForm, item: AgendaItem | None) -> str:
    hints = [PART_HINTS[p] for p in AgendaPart]
    return render_template("agenda/form.html", event=event, form=form, item=item, part_hints=hints)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"clock": clock, "duration_text": duration_text}


def _back(event: Event) -> Response:
    return redirect(url_for("agenda.index", event_id=event.id))


@bp.route("/")
@planner_required
def index(event: Event) -> str:
    """The event's timed agenda, the total against the slot, and what to reconsider."""
    return render_template(
        "agenda/index.html",
        event=event,
        move_token=once.new_token(),
        agenda=services.agenda_view(event),
        part_labels=PART_LABELS,
        example=example_items(event),
    )


@bp.route("/print")
@planner_required
def print_view(event: Event) -> str:
    """The agenda laid out like the handbook's example, to print or share."""
    return render_template("agenda/print.html", event=event, agenda=services.agenda_view(event))


@bp.route("/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new(event: Event) -> str | Response:
    """Add an item at the end of the agenda."""
    form = AgendaItemForm()
    if form.validate_on_submit():
        try:
            done = once.run(
                form.form_token.data,
                lambda: services.add_item(event=event, actor=me(), details=_details(form)),
                url=lambda _: url_for("agenda.index", event_id=event.id),
            )
        except DomainError as error:
            show_error(form, error, "title")
        else:
            flash(once.ALREADY_DONE if done.repeat else "Agenda item added.", "success")
            return redirect(done.url)
    return _render_form(event, form, None)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event, item_id: int) -> str | Response:
    """Change an agenda item."""
    item = services.get_item(event, item_id)
    form = AgendaItemForm()
    if request.method == "GET":
        form = AgendaItemForm(data=services.details_of(item))
        edits.remember(form, services.details_of(item))
    if form.validate_on_submit():
        event_services.reread_locked(event, item)
        outcome = edits.reconcile(form, services.details_of(item))
        if not outcome.clean:
            uow.rollback()
            return _render_form(event, form, item)
        try:
            uow.run(services.update_item, item=item, actor=me(), details=_details(form))
        except DomainError as error:
            show_error(form, error, "title")
        else:
            flash("Agenda item saved." + edits.kept_note(outcome), "success")
            return _back(event)
    return _render_form(event, form, item)


@bp.route("/<int:item_id>/delete", methods=["GET", "POST"])
@planner_required
def delete(event: Event, item_id: int) -> str | Response:
    """Confirm, then delete an item; the items after it move up."""
    item = services.get_item(event, item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        uow.run(services.delete_item, item=item, actor=me())
        flash("Agenda item deleted.", "success")
        return _back(event)
    return render_template("agenda/delete.html", event=event, item=item, form=form)


@bp.route("/<int:item_id>/move", methods=["POST"])
@planner_required
def move(event: Event, item_id: int) -> Response:
    """Move an item one place up or down; at either end this changes nothing."""
    item = services.get_item(event, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    direction = services.Direction(form.direction.data)
    done = once.run(
        form.form_token.data,
        lambda: services.move_item(item=item, actor=me(), direction=direction),
        url=lambda _: url_for("agenda.index", event_id=event.id),
    )
    if done.repeat:
        flash("That button was pressed twice: the item moved once.")
    elif done.value:
        flash(f"“{item.title}” moved {direction.value} to number {item.position}.", "success")
    return redirect(done.url)


@bp.route("/example", methods=["POST"])
@planner_required
def example(event: Event) -> Response:
    """Fill an empty agenda with the handbook's example."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        uow.run(services.start_from_example, event=event, actor=me())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            "The handbook's example agenda has been added. Change it to suit your event.", "success"
        )
    return _back(event)
