"""Event pages: the list, the form, the overview with its task list, and status changes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, once, stages, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.audience import services as audience_services
from eventapp.checklist.queries import london_today
from eventapp.errors import DomainError
from eventapp.events import services
from eventapp.events import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.events.forms import EventForm
from eventapp.events.models import (
    FORMAT_LABELS,
    PRESENTATION_LABELS,
    STATUS_LABELS,
    Event,
    EventFormat,
    EventStatus,
    PresentationType,
)
from eventapp.forms import parse_time, show_error
from eventapp.handbook import (
    RECEPTIVE_LABELS,
    SUGGESTED_SLOTS,
    USUAL_SLOT,
    Aim,
    VideoEdit,
)
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("events", __name__, url_prefix="/events")


def _details(form: EventForm) -> services.EventDetails:
    return services.EventDetails(
        title=form.title.data or "",
        aims=[Aim(a) for a in form.aims.data or []],
        other_aim=form.other_aim.data or "",
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        format=EventFormat(form.format.data),
        public_location=form.public_location.data or "",
        venue_name=form.venue_name.data or "",
        venue_address=form.venue_address.data or "",
        online_platform=form.online_platform.data or "",
        joining_link=form.joining_link.data or "",
        capacity=form.capacity.data,
        chair_name=form.chair_name.data or "",
        chair_role=form.chair_role.data or "",
        home_office_speaking=form.home_office_speaking.data == "yes",
        presentation_type=PresentationType(form.presentation_type.data)
        if form.presentation_type.data
        else None,
        presentation_topic=form.presentation_topic.data or "",
        intro_video=form.intro_video.data == "yes",
        video_edit=VideoEdit(form.video_edit.data) if form.video_edit.data else None,
    )


def _no_date_note(form: EventForm) -> str:
    """Times without a date are not kept (a draft may have neither): say so."""
    if form.day.data is None and (form.start.data or form.end.data):
        return " It has no date yet, so no times were saved: add both when you know the date."
    return ""


def _past_note(form: EventForm) -> str:
    """A warning, not a refusal, for a date in the past: past events can be recorded."""
    if form.day.data is not None and form.day.data < london_today():
        return " The date is in the past: check it, unless you are recording an event already held."
    return ""


def _save(form: EventForm, save: Any) -> Any:
    """Run a save callback as the request's unit of work; a broken rule becomes a form error."""
    try:
        return uow.run(save, _details(form))
    except DomainError as error:
        show_error(form, error, "title")
        return None


@bp.route("/")
@planner_required
def index() -> str:
    """Your council's events: upcoming, past or drafts."""
    try:
        listing = services.Listing(request.args.get("show", "upcoming"))
    except ValueError:
        listing = services.Listing.UPCOMING
    return render_template(
        "events/index.html",
        events=services.list_events(me().council_id, listing),
        listing=listing,
        listings=services.Listing,
        status_labels=STATUS_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new() -> str | Response:
    """Create an event; it starts as a draft."""
    form = EventForm()
    if request.method == "GET":
        form.start.data, form.end.data = (parse_time(t) for t in USUAL_SLOT)
        form.format.data = EventFormat.IN_PERSON.value
    if form.validate_on_submit():
        try:
            done = once.run(
                form.form_token.data,
                lambda: services.create_event(
                    council_id=me().council_id, actor=me(), details=_details(form)
                ),
                url=lambda event: url_for("events.overview", event_id=event.id),
            )
        except DomainError as error:
            show_error(form, error, "title")
        else:
            if done.repeat:
                flash(once.ALREADY_DONE)
            else:
                flash(
                    "Event created as a draft. Work through the planning stages below."
                    + _no_date_note(form)
                    + _past_note(form),
                    "success",
                )
            return redirect(done.url)
    return render_template("events/form.html", form=form, event=None, slot_hint=None)


@bp.route("/<int:event_id>")
@planner_required
def overview(event: Event) -> str:
    """The event's overview: its details, planning stages and status."""
    return render_template(
        "events/overview.html",
        event=event,
        stages=stages.stages_for(event),
        moves=services.available_moves(event, me()),
        history=services.status_history(event),
        status_labels=STATUS_LABELS,
        format_labels=FORMAT_LABELS,
        presentation_labels=PRESENTATION_LABELS,
        aims_text="; ".join(event.aim_descriptions),
        virtual_actions=event.chosen_virtual_actions,
        form=ConfirmForm(),
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event) -> str | Response:
    """Change an event's details."""
    form = EventForm(data=services.details_of(event)) if request.method == "GET" else EventForm()
    if request.method == "GET":
        edits.remember(form, services.details_of(event))
    profile = audience_services.get_profile(event)
    slot_hint = None
    if profile is not None and profile.receptive_slot in SUGGESTED_SLOTS:
        suggested = SUGGESTED_SLOTS[profile.receptive_slot]
        if suggested != USUAL_SLOT:
            slot_hint = (RECEPTIVE_LABELS[profile.receptive_slot].lower(), *suggested)
            if request.method == "GET" and event.starts_at is None:
                form.start.data, form.end.data = (parse_time(t) for t in suggested)
    if form.validate_on_submit():
        services.reread_locked(event)
        saved_day = services.details_of(event)["day"]
        outcome = edits.reconcile(form, services.details_of(event))
        if not outcome.clean:
            uow.rollback()
        else:

            def update(details: services.EventDetails) -> bool:
                services.update_event(event=event, actor=me(), details=details)
                return True

            if _save(form, update):
                flash(
                    "Event details saved."
                    + _no_date_note(form)
                    + (_past_note(form) if form.day.data != saved_day else "")
                    + edits.kept_note(outcome),
                    "success",
                )
                return redirect(url_for("events.overview", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, slot_hint=slot_hint)


@bp.route("/<int:event_id>/status", methods=["POST"])
@planner_required
def change_status(event: Event) -> Response:
    """Move the event to another stage of its life."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        target = EventStatus(request.form.get("to", ""))
    except ValueError:
        abort(400)
    try:
        uow.run(services.change_status, event=event, to=target, actor=me())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"The event is now: {STATUS_LABELS[target].lower()}.", "success")
    return redirect(url_for("events.overview", event_id=event.id))
