"""Invitation pages: thin handlers over the services."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, stream_with_context, url_for
from werkzeug.wrappers import Response

from eventapp import audit, edits, uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations import bp, letter, numbers, sending, services
from eventapp.invitations import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.invitations.export import rows as export_rows
from eventapp.invitations.forms import InviteeForm, LetterForm, PreviewForm, SendForm, UploadForm
from eventapp.invitations.models import InvitationLetter
from eventapp.mail.models import STATE_LABELS, MessageState
from eventapp.models.base import utcnow
from eventapp.routing import MAX_ID, ids_from, version_sent, whole_number
from eventapp.web import keeps_input_on_csrf_error

PAGE_SIZE = 100
MAX_UPLOAD = 5 * 1024 * 1024  # bytes: a list of several thousand people


def _loaded_at(form: SendForm) -> datetime:
    try:
        return datetime.fromtimestamp(float(form.loaded_at.data or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return utcnow()


@bp.route("/")
@planner_required
def index(event: Event) -> str:
    """Who is invited, what was sent and how it went, and what to do next."""
    page = request.args.get("page", "1")
    number = whole_number(page, high=99_999) or 1
    counts = services.invitee_counts(event)
    invitees = services.list_invitees(event, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-counts["total"] // PAGE_SIZE))
    return render_template(
        "invitations/index.html",
        event=event,
        letter=services.get_letter(event, me()),
        counts=counts,
        progress=sending.progress(event),
        invitees=invitees,
        page=number,
        pages=pages,
        short_notice=sending.short_notice(event),
        handbook_notice=sending.HANDBOOK_NOTICE,
        chase_count=len(sending.chase_up_candidates(event)) if counts["invited"] else 0,
        state_labels=STATE_LABELS,
        states=MessageState,
        sector_labels=SECTOR_LABELS,
        form=SendForm(loaded_at=str(utcnow().timestamp())),
    )


def _letter_data(saved: InvitationLetter) -> dict[str, str]:
    """The saved letter as form data."""
    return {
        "subject": saved.subject,
        "body": saved.body,
        "contact_name": saved.contact_name,
        "contact_details": saved.contact_details,
        "pre_registration": "yes" if saved.pre_registration else "no",
        "version": str(saved.version),
    }


@bp.route("/letter", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit_letter(event: Event) -> str | Response:
    """Edit the invitation letter and its merge fields."""
    saved = services.get_letter(event, me())
    form = LetterForm(data=_letter_data(saved) if request.method == "GET" else None)
    if request.method == "GET":
        edits.remember(form, _letter_data(saved))
    newer = None
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event)
        saved = services.get_letter(event, me())
        outcome = edits.reconcile(form, _letter_data(saved))
        if not outcome.clean:
            uow.rollback()
        elif outcome.loaded:
            form.version.data = str(saved.version)  # merged with what is saved now
    if outcome is not None and outcome.clean:
        version = form.version.data or ""
        details = services.LetterDetails(
            subject=form.subject.data or "",
            body=form.body.data or "",
            contact_name=form.contact_name.data or "",
            contact_details=form.contact_details.data or "",
            pre_registration=form.pre_registration.data == "yes",
            version=version_sent(version),
        )
        try:
            uow.run(services.save_letter, event=event, actor=me(), details=details)
        except DomainError as error:
            show_error(form, error, "body")
            if "Someone else saved" in error.message:
                newer = services.get_letter(event, me())
        else:
            flash("Invitation letter saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("invitations.preview", event_id=event.id))
    return render_template(
        "invitations/letter.html",
        event=event,
        form=form,
        fields=letter.FIELDS,
        newer=newer,
        default_in_person=letter.DEFAULT_BODY_IN_PERSON,
        default_online=letter.DEFAULT_BODY_ONLINE,
    )


@bp.route("/preview")
@planner_required
def preview(event: Event) -> str:
    """The letter as a chosen invitee will get it."""
    saved = services.get_letter(event, me())
    chooser = PreviewForm(request.args)
    chosen = None
    if chooser.validate() and chooser.invitee.data and 0 < chooser.invitee.data <= MAX_ID:
        chosen = services.find_invitee(event, chooser.invitee.data)
    problem = None
    try:
        letter.check(saved.subject, saved.body)
    except DomainError as error:
        problem = error.message
    return render_template(
        "invitations/preview.html",
        event=event,
        letter=saved,
        merged=services.preview(event, saved, chosen),
        chosen=chosen,
        choices=services.list_invitees(event, limit=200),
        problem=problem,
    )


@bp.route("/invitees/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new_invitee(event: Event) -> str | Response:
    """Add one invitee."""
    form = InviteeForm()
    if form.validate_on_submit():
        details = services.InviteeDetails(
            name=form.name.data or "",
            email=form.email.data or "",
            organisation=form.organisation.data or "",
            sector=Sector(form.sector.data) if form.sector.data else None,
            role=form.role.data or "",
        )
        try:
            uow.run(services.add_invitee, event=event, actor=me(), details=details)
        except DomainError as error:
            show_error(form, error, "email")
        else:
            flash(f"{details.name.strip()} has been added to the list.", "success")
            return redirect(url_for("invitations.index", event_id=event.id))
    return render_template("invitations/invitee.html", event=event, form=form)


@bp.route("/invitees/<int:invitee_id>/remove", methods=["POST"])
@planner_required
def remove_invitee(event: Event, invitee_id: int) -> Response:
    """Take someone off the list before they are invited."""
    invitee = services.get_invitee(event, invitee_id)
    if not SendForm().validate_on_submit():
        abort(400)
    try:
        uow.run(services.remove_invitee, event=event, actor=me(), invitee=invitee)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("The invitee has been removed from the list.", "success")
    return redirect(url_for("invitations.index", event_id=event.id))


@bp.route("/upload", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def upload(event: Event) -> str | Response:
    """Upload a CSV of invitees; nothing is imported before you confirm."""
    request.max_content_length = MAX_UPLOAD
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        try:
            staged = uow.run(
                services.stage_import,
                event=event,
                actor=me(),
                filename=getattr(file, "filename", "") or "",
                data=file.read(MAX_UPLOAD + 1) if hasattr(file, "read") else b"",
            )
        except DomainError as error:
            show_error(form, error, "file")
        else:
            return redirect(
                url_for("invitations.check_upload", event_id=event.id, import_id=staged.id)
            )
    return render_template("invitations/upload.html", event=event, form=form)


@bp.route("/upload/<int:import_id>")
@planner_required
def check_upload(event: Event, import_id: int) -> str | Response:
    """What the upload would import, and every row that was rejected, with its reason."""
    staged = services.get_import(event, import_id)
    if staged.finished_at is not None:
        flash("This upload has already been imported or cancelled.", "info")
        return redirect(url_for("invitations.index", event_id=event.id))
    return render_template(
        "invitations/check_upload.html",
        event=event,
        upload=staged,
        sample=staged.rows[:20],
        sector_labels=SECTOR_LABELS,
        sectors=Sector,
        form=SendForm(),
    )


@bp.route("/upload/<int:import_id>/<any(confirm, cancel):action>", methods=["POST"])
@planner_required
def finish_upload(event: Event, import_id: int, action: str) -> Response:
    """Import the good rows of a checked upload, or cancel it."""
    if not SendForm().validate_on_submit():
        abort(400)
    staged = services.get_import(event, import_id)
    if staged.finished_at is not None:
        flash("This upload has already been imported or cancelled.", "info")
        return redirect(url_for("invitations.index", event_id=event.id))
    if action == "cancel":
        uow.run(services.cancel_import, event=event, upload=staged)
        flash("The upload was cancelled: nobody was imported.", "success")
        return redirect(url_for("invitations.index", event_id=event.id))
    try:
        result = uow.run(services.confirm_import, event=event, actor=me(), upload=staged)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(
            f"{result.added:,} invitee{'s' if result.added != 1 else ''} imported"
            + (f", {result.merged:,} already on the list filled in." if result.merged else "."),
            "success",
        )
    return redirect(url_for("invitations.index", event_id=event.id))


@bp.route("/send", methods=["POST"])
@planner_required
def send(event: Event) -> Response:
    """Send the letter to everyone not yet invited, or to the invitees selected."""
    form = SendForm()
    if not form.validate_on_submit():
        abort(400)
    selected = request.form.get("scope") == "selected"
    try:
        count = uow.run(
            sending.send_invitations,
            event=event,
            actor=me(),
            invitee_ids=ids_from(request.form.getlist("invitees")) if selected else None,
            loaded_at=_loaded_at(form),
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"{count:,} invitation{'s' if count != 1 else ''} queued for sending.", "success")
    return redirect(url_for("invitations.index", event_id=event.id))


@bp.route("/chase", methods=["POST"])
@planner_required
def chase(event: Event) -> Response:
    """Send a reminder to everyone invited who has not responded."""
    form = SendForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        count = uow.run(sending.send_chase_ups, event=event, actor=me(), loaded_at=_loaded_at(form))
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(f"{count:,} chase-up{'s' if count != 1 else ''} queued for sending.", "success")
    return redirect(url_for("invitations.index", event_id=event.id))


@bp.route("/retry", methods=["POST"])
@planner_required
def retry(event: Event) -> Response:
    """Send again the letters the mail server refused (all, or those selected)."""
    if not SendForm().validate_on_submit():
        abort(400)
    selected = request.form.get("scope") == "selected"
    count = uow.run(
        sending.retry_failed,
        event=event,
        actor=me(),
        invitee_ids=ids_from(request.form.getlist("invitees")) if selected else None,
    )
    if count:
        flash(f"{count:,} failed message{'s' if count != 1 else ''} queued again.", "success")
    else:
        flash("There was no failed message to send again.", "info")
    return redirect(url_for("invitations.index", event_id=event.id))


@bp.route("/numbers")
@planner_required
def numbers_page(event: Event) -> str:
    """The week-3 numbers, with a plain-text summary to paste into an email."""
    figures = numbers.numbers(event)
    return render_template(
        "invitations/numbers.html",
        event=event,
        figures=figures,
        summary=numbers.summary_text(event, figures),
    )


@bp.route("/invitees.csv")
@planner_required
def export(event: Event) -> Response:
    """The invitee list as a CSV file (formulas neutralised)."""
    audit_export(event)
    response = Response(stream_with_context(export_rows(event)), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="invitees-{event.id}.csv"'
    return response


def audit_export(event: Event) -> None:
    uow.run(
        audit.record,
        actor=me(),
        council_id=event.council_id,
        action="invitee.export",
        obj=event,
    )


# The channel pages live beside these routes, on the same blueprint.
from eventapp.invitations import channel_routes as channel_routes  # noqa: E402
