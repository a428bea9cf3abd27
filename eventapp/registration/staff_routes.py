"""The organiser's registration pages: the list, approvals, settings, export and check-in."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import flash, redirect, render_template, request, stream_with_context, url_for
from werkzeug.wrappers import Response

from eventapp import audit, edits, uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.formatting import LONDON
from eventapp.forms import show_error
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.models.base import utcnow
from eventapp.registration import (
    checkin,
    instructions,
    organiser,
    purge,
    queries,
    services,
    staff_bp,
)
from eventapp.registration import privacy as _privacy  # noqa: F401 - the notice's section
from eventapp.registration import stage as _stage  # noqa: F401 - the overview's stage
from eventapp.registration.forms import (
    ActionForm,
    CheckInForm,
    DecideForm,
    SettingsForm,
    WalkInForm,
)
from eventapp.registration.models import MODE_LABELS, STATUS_LABELS, ApprovalMode
from eventapp.routing import ids_from, whole_number
from eventapp.web import keeps_input_on_csrf_error

__all__ = ["staff_bp"]

PAGE_SIZE = 200


def _filters() -> organiser.Filters:
    args = request.args
    return organiser.Filters(
        status=args.get("status", "")[:20],
        sector=args.get("sector", "")[:40],
        organisation=args.get("organisation", "")[:200],
        channel=args.get("channel", "")[:20],
        search=args.get("q", "")[:100],
    )


def _page_href(event: Event, filters: organiser.Filters, page: int) -> str:
    """A page of the list, narrowed by the same filters (empty ones left out)."""
    return url_for(
        "registrations.index",
        event_id=event.id,
        status=filters.status or None,
        sector=filters.sector or None,
        organisation=filters.organisation or None,
        channel=filters.channel or None,
        q=filters.search or None,
        page=page,
    )


@staff_bp.route("/", methods=["GET", "POST"])
@planner_required
def index(event: Event) -> str | Response:
    """Registrations by status, with counts, filters, search and bulk decisions."""
    form = DecideForm()
    if form.validate_on_submit():
        try:
            changed = uow.run(
                services.decide,
                event=event,
                actor=me(),
                ids=ids_from(request.form.getlist("ids")),
                action=services.Action(form.action.data),
                message=form.message.data or "",
            )
        except DomainError as error:
            show_error(form, error, "ids")
        else:
            flash(f"{changed:,} registration{'s' if changed != 1 else ''} changed.", "success")
            return redirect(request.full_path if request.query_string else request.path)
    page_arg = request.args.get("page", "1")
    page = whole_number(page_arg, high=99_999) or 1
    filters = _filters()
    rows, total = organiser.list_registrations(
        event, filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    settings = services.settings_for(event)
    return render_template(
        "registration/index.html",
        event=event,
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        page_href=lambda n: _page_href(event, filters, n),
        filters=filters,
        figures=queries.attendance(event.id),
        counts=queries.status_counts(event.id),
        delivery=organiser.delivery_states([r.id for r in rows]),
        status_labels=STATUS_LABELS,
        sector_labels=SECTOR_LABELS,
        sectors=list(Sector),
        channels=organiser.channel_choices(event),
        organisations=organiser.organisations(event),
        settings=settings,
        mode_label=MODE_LABELS[settings.mode],
        closes_at=services.closes_at(event, settings),
        release_at=services.release_at(event, settings),
        missing=instructions.missing_details(event),
        purge_at=purge.purge_at(event, settings),
        targets=organiser.target_matches(event, attended=False),
        action_form=ActionForm(),
    )


def _settings_data(event: Event) -> dict[str, object]:
    """The saved registration settings as form data (the closing time in UK time)."""
    saved = services.settings_for(event)
    closes_local = saved.closes_at.astimezone(LONDON) if saved.closes_at else None
    return {
        "mode": saved.mode.value,
        "closes_on": closes_local.date() if closes_local else None,
        "closes_time": closes_local.time() if closes_local else None,
        "release_hours": saved.release_hours,
        "retention_days": saved.retention_days,
        "instructions_note": saved.instructions_note,
    }


@staff_bp.route("/settings", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def settings(event: Event) -> str | Response:
    """How the event takes registrations: approval, deadline, release time, retention."""
    if request.method == "GET":
        form = SettingsForm(data=_settings_data(event))
        edits.remember(form, _settings_data(event))
    else:
        form = SettingsForm()
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event)
        outcome = edits.reconcile(form, _settings_data(event))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        closes_at = None
        if form.closes_on.data is not None:
            at = form.closes_time.data or time(23, 59)
            closes_at = datetime.combine(form.closes_on.data, at, tzinfo=LONDON).astimezone(UTC)
        details = organiser.SettingsDetails(
            mode=ApprovalMode(form.mode.data),
            closes_at=closes_at,
            release_hours=int(form.release_hours.data or 0),
            retention_days=int(form.retention_days.data or 0),
            instructions_note=form.instructions_note.data or "",
        )
        try:
            uow.run(organiser.save_settings, event=event, actor=me(), details=details)
        except DomainError as error:
            show_error(form, error, "closes_on")
        else:
            flash("Registration settings saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("registrations.index", event_id=event.id))
    return render_template("registration/settings.html", event=event, form=form)


@staff_bp.route("/send-update", methods=["POST"])
@planner_required
def send_update(event: Event) -> Response:
    """Send the joining instructions again to confirmed attendees (a room change, a link)."""
    form = ActionForm()
    if form.validate_on_submit():
        sent = uow.run(organiser.send_update, event=event, actor=me())
        if sent:
            flash(
                f"Update sent to {sent:,} confirmed attendee{'s' if sent != 1 else ''}.", "success"
            )
        else:
            flash(
                "Update saved: confirmed attendees get it with their joining instructions.",
                "success",
            )
    return redirect(url_for("registrations.index", event_id=event.id))


@staff_bp.route("/purge", methods=["POST"])
@planner_required
def purge_now(event: Event) -> Response:
    """Remove attendees' and invitees' personal data now, keeping anonymous counts."""
    form = ActionForm()
    if form.validate_on_submit():
        result = uow.run(purge.purge_event, event=event, actor=me())
        flash(
            f"Personal data removed from {result.registrations:,} registrations and "
            f"{result.invitees:,} invitees.",
            "success",
        )
    return redirect(url_for("registrations.index", event_id=event.id))


@staff_bp.route("/registrations.csv")
@planner_required
def export(event: Event) -> Response:
    """The registrations as a CSV file (formulas neutralised)."""
    uow.run(
        audit.record,
        actor=me(),
        council_id=event.council_id,
        action="registration.export",
        obj=event,
    )
    response = Response(
        stream_with_context(organiser.export_rows(event)), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="registrations-{event.id}.csv"'
    return response


@staff_bp.route("/check-in", methods=["GET"])
@planner_required
def check_in(event: Event) -> str:
    """On the day: search by name, tick arrived, undo. Works on a tablet without scripts."""
    search = request.args.get("q", "")[:100]
    return render_template(
        "registration/check_in.html",
        event=event,
        search=search,
        rows=checkin.expected(event, search=search),
        figures=queries.attendance(event.id),
        form=CheckInForm(),
        now=utcnow(),
        represented=organiser.target_matches(event, attended=True),
    )


@staff_bp.route("/check-in/<int:registration_id>", methods=["POST"])
@planner_required
def tick(event: Event, registration_id: int) -> Response:
    """Tick someone arrived, or undo it."""
    form = CheckInForm()
    search = request.form.get("q", "")[:100]
    if form.validate_on_submit():
        arrived = form.action.data == "arrived"
        registration = uow.run(
            checkin.set_arrived,
            event=event,
            actor=me(),
            registration_id=registration_id,
            arrived=arrived,
        )
        flash(
            f"{registration.name} {'checked in' if arrived else 'no longer checked in'}.", "success"
        )
    target = url_for("registrations.check_in", event_id=event.id, q=search or None)
    return redirect(f"{target}#r{registration_id}")


@staff_bp.route("/check-in/walk-in", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def walk_in(event: Event) -> str | Response:
    """Add someone who came without registering, checked in at once."""
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            uow.run(
                checkin.add_walk_in,
                event=event,
                actor=me(),
                name=form.name.data or "",
                organisation=form.organisation.data or "",
                sector=Sector(form.sector.data) if form.sector.data else None,
            )
        except DomainError as error:
            show_error(form, error, "name")
        else:
            flash(f"{form.name.data} added and checked in.", "success")
            return redirect(url_for("registrations.check_in", event_id=event.id))
    return render_template("registration/walk_in.html", event=event, form=form)


@staff_bp.route("/sign-in-sheet")
@planner_required
def sign_in_sheet(event: Event) -> str:
    """A printable sign-in sheet of everyone confirmed, for a paper back-up on the day."""
    return render_template(
        "registration/sign_in_sheet.html",
        event=event,
        rows=queries.confirmed_attendees(event.id),
        sector_labels=SECTOR_LABELS,
    )
