"""Public registration pages: the form, email confirmation and the registrant's own page."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from eventapp import edits, uow
from eventapp.access import public, token_route
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import limiter
from eventapp.forms import show_error
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations.services import when_text
from eventapp.models.base import utcnow
from eventapp.questions import registrants
from eventapp.questions import services as question_services
from eventapp.registration import bp, instructions, services
from eventapp.registration.forms import CancelForm, ConfirmForm, NeedsForm, RegisterForm
from eventapp.registration.models import (
    ACTIVE,
    STATUS_LABELS,
    Registration,
    RegistrationStatus,
)
from eventapp.tokens import TokenPurpose
from eventapp.web import keeps_input_on_csrf_error

VIA = "public.via"  # set by eventapp.public when a visitor arrives through a channel or invite


def _event_key() -> str:
    return "register-event:" + str((request.view_args or {}).get("event_slug", ""))[:40]


@bp.route("/e/<slug:event_slug>/register", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["REGISTRATION_LIMIT_PER_IP"],
    methods=["POST"],
    scope="register-client",
)
@limiter.limit(
    lambda: current_app.config["REGISTRATION_LIMIT_PER_EVENT"],
    methods=["POST"],
    key_func=_event_key,
    scope="register-event",
)
@keeps_input_on_csrf_error
def register(event: Event) -> str | Response:
    """Register for a place: the public form."""
    state = services.availability(event)
    form = RegisterForm()
    if state in (services.Availability.OPEN, services.Availability.WAITING_LIST) and (
        form.validate_on_submit()
    ):
        if form.website.data:
            # A bot filled in the hidden box: the same answer as everyone, and nothing kept.
            return redirect(url_for("registration.check_email", event_slug=event.public_slug))
        sector = Sector(form.sector.data)
        details = services.RegistrantDetails(
            name=form.name.data or "",
            email=form.email.data or "",
            organisation=form.organisation.data or "",
            sector=sector,
            sector_other=form.sector_other.data or "",
            role=form.role.data or "",
            access_needs=form.access_needs.data or "",
            dietary_needs=form.dietary_needs.data or "",
            question=form.question.data or "",
        )
        try:
            uow.run(services.register, event=event, details=details, via=session.get(VIA))
        except DomainError as error:
            show_error(form, error, "name")
        else:
            return redirect(url_for("registration.check_email", event_slug=event.public_slug))
    return render_template(
        "registration/register.html",
        event=event,
        form=form,
        state=state.value,
        when=when_text(event),
        location=event.general_location,
        retention_days=services.settings_for(event).retention_days,
    )


@bp.route("/e/<slug:event_slug>/register/check-your-email")
@public
def check_email(event: Event) -> str:
    """The same answer whoever registered: check your email."""
    return render_template(
        "registration/check_email.html", event=event, hours=services.CONFIRM_EMAIL_HOURS
    )


@bp.route("/r/confirm/<token:token>", methods=["GET", "POST"])
@token_route(TokenPurpose.EMAIL_CONFIRMATION)
def confirm(token: str) -> str | Response | tuple[str, int]:
    """Confirm an email address (a button, so that mail scanners opening links change nothing)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        # The service checks the link itself: no lookup here before it.
        result = uow.run(services.confirm_email, token)
        if result is None:
            return render_template("registration/link_expired.html"), 404
        return redirect(url_for("registration.own_page", token=result.link))
    registration = services.registration_for_confirmation(token)
    if registration is None:
        return render_template("registration/link_expired.html"), 404
    g.council = registration.event.council
    return render_template("registration/confirm.html", event=registration.event, form=form)


def _needs_form(registration: Registration) -> NeedsForm:
    """The needs form as saved, remembering what it showed (eventapp.edits)."""
    saved = services.needs_data(registration)
    form = NeedsForm(data=saved)
    edits.remember(form, saved)
    return form


def _own_page(token: str, *, needs_form: NeedsForm | None = None) -> str | tuple[str, int]:
    registration = services.registration_for_page(token)
    if registration is None:
        return render_template("registration/link_expired.html"), 404
    event = registration.event
    g.council = event.council
    settings = services.settings_for(event)
    question_settings = question_services.settings_for(event)
    now = utcnow()
    # Held back, like the email, while the event lacks the address or link it needs.
    show_venue = (
        registration.status is RegistrationStatus.CONFIRMED
        and services.is_released(event, settings, now)
        and not instructions.missing_details(event)
    )
    release_at = services.release_at(event, settings)
    return render_template(
        "registration/own_page.html",
        registration=registration,
        event=event,
        when=when_text(event),
        location=event.general_location,
        status_label=STATUS_LABELS[registration.status],
        statuses=RegistrationStatus,
        venue=instructions.venue_details(event) if show_venue else [],
        release_at=release_at if release_at and release_at > now else None,
        sector_label=SECTOR_LABELS.get(registration.sector) if registration.sector else "",
        active=registration.status in ACTIVE,
        cancel_form=CancelForm(),
        needs_form=needs_form or _needs_form(registration),
        token=token,
        questions_open=question_settings.is_open,
        questions_reason=registrants.why_not(question_settings, registration),
    )


@bp.route("/r/<token:token>")
@token_route(TokenPurpose.REGISTRATION)
def own_page(token: str) -> str | tuple[str, int]:
    """The registrant's own page: status, needs, cancel, calendar file."""
    return _own_page(token)


@bp.route("/r/<token:token>/cancel", methods=["POST"])
@token_route(TokenPurpose.REGISTRATION)
def cancel(token: str) -> str | Response | tuple[str, int]:
    """Cancel one's own registration; a waiting person gets the place."""
    form = CancelForm()
    if not form.validate_on_submit():
        return _own_page(token)
    registration = uow.run(services.cancel_own, token)
    if registration is None:
        abort(404)
    return redirect(url_for("registration.own_page", token=token))


@bp.route("/r/<token:token>/needs", methods=["POST"])
@token_route(TokenPurpose.REGISTRATION)
@keeps_input_on_csrf_error
def needs(token: str) -> str | Response | tuple[str, int]:
    """Update one's access or dietary needs; a form loaded before a newer save (another tab,
    another device) keeps that save's other answer, and asks which to keep if both changed
    the same one, as the staff edit forms do (eventapp.edits)."""
    form = NeedsForm()
    outcome = None
    if form.validate_on_submit():
        current = services.reread_needs_locked(token)
        if current is None:
            abort(404)
        outcome = edits.reconcile(form, services.needs_data(current))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        update = services.NeedsUpdate(
            access_needs=form.access_needs.data or "", dietary_needs=form.dietary_needs.data or ""
        )
        try:
            done = uow.run(services.update_needs, token, update)
        except DomainError as error:
            show_error(form, error, "access_needs")
        else:
            if done is None:
                abort(404)
            return redirect(url_for("registration.own_page", token=token) + "#needs")
    return _own_page(token, needs_form=form)


@bp.route("/r/<token:token>/calendar.ics")
@token_route(TokenPurpose.REGISTRATION)
def calendar(token: str) -> Response:
    """The event as a calendar file; the venue only for a confirmed place after release."""
    registration = services.registration_for_page(token)
    if registration is None or registration.status is not RegistrationStatus.CONFIRMED:
        abort(404)
    data = instructions.calendar_file(registration, now=utcnow())
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'attachment; filename="event.ics"',
            "Cache-Control": "no-store",
        },
    )
