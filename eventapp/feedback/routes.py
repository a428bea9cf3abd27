"""Feedback pages: the public Annex A form (form, check your answers, thank you) and the
organiser's Feedback page. Thin handlers over ``services``.

The session holds the answers between the form and "Check your answers" (in the person's
own signed cookie, not on the server), and forgets them when they are sent. It then keeps
only which events this browser has answered for (to stop repeats), never what or when.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import planner_required, public, public_event, public_facts
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import limiter
from eventapp.feedback import annex_a, bp, links, services
from eventapp.feedback import paper as _paper  # noqa: F401 - the paper form's routes
from eventapp.feedback import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.feedback.answers import Answers, items_for
from eventapp.feedback.forms import (
    AnnexAForm,
    CloseForm,
    OpenForm,
    ReopenForm,
    SendForm,
    SendLinksForm,
    SendRemindersForm,
    WindowForm,
    answers_as_data,
    answers_from_data,
    form_class,
)
from eventapp.feedback.models import DEFAULT_DAYS_OPEN
from eventapp.feedback.window import State
from eventapp.forms import show_error
from eventapp.invitations.channels import qr_svg
from eventapp.web import keeps_input_on_csrf_error

DRAFT = "feedback.draft"
SENT = "feedback.sent"
REMEMBERED = 20  # events a browser remembers having answered for


def _sent_here(slug: str) -> bool:
    return slug in session.get(SENT, [])


def _draft(slug: str) -> tuple[Answers, str] | None:
    """This browser's answers waiting to be sent for the event, with the response's id."""
    draft = session.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("e") != slug:
        return None
    answers = answers_from_data(draft.get("a"))
    rid = draft.get("id")
    if answers is None or not isinstance(rid, str):
        return None
    return answers, rid


def _layout(event: Event) -> list[tuple[annex_a.Question, list[tuple[annex_a.Item, Any]]]]:
    """The questions asked at the event, each with its items and their options."""
    happened = services.applies(event)
    return [
        (q, [(item, q.options_for(item, happened)) for item in q.items])
        for q in annex_a.questions_for(happened)
    ]


def _unavailable(event: Event) -> str | None:
    """The page to show instead of the form, if it cannot be answered now."""
    window = services.window_of(event)
    if not services.accepts_online(event):
        return render_template("feedback/closed.html", event=event, window=window, State=State)
    return None


def public_link(event: Event) -> str:
    return url_for("feedback.form", event_slug=event.public_slug, _external=True)


@bp.route("/e/<slug:event_slug>/feedback", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_error
def form(event: Event) -> str | Response:
    """The Annex A form: every question on one page, each may be left blank."""
    if _sent_here(event.public_slug):
        return render_template("feedback/already_sent.html", event=event)
    closed = _unavailable(event)
    if closed is not None:
        return closed
    the_form: AnnexAForm = form_class(services.applies(event))()
    if request.method == "GET":
        kept = _draft(event.public_slug)
        if kept is not None:
            the_form.fill(kept[0])
    if the_form.validate_on_submit():
        kept = _draft(event.public_slug)
        rid = kept[1] if kept else str(uuid.uuid4())
        session[DRAFT] = {"e": event.public_slug, "a": answers_as_data(the_form.answers), "id": rid}
        return redirect(url_for("feedback.check", event_slug=event.public_slug))
    return render_template(
        "feedback/form.html",
        event=event,
        form=the_form,
        layout=_layout(event),
        intro=annex_a.INTRODUCTION,
        form_action=url_for("feedback.form", event_slug=event.public_slug),
    )


def _summary(event: Event, answers: Answers) -> list[dict[str, Any]]:
    rows = []
    for question, items in _layout(event):
        for item, _options in items:
            answer = answers.get(item.key)
            option = answer.option if answer else None
            value = annex_a.label(item.key, option)
            if answer and answer.other_text:
                value = f"{value}: {answer.other_text}"
            rows.append(
                {"question": question, "item": item, "value": value, "answered": option is not None}
            )
    return rows


def _submit_limit() -> str:
    return str(current_app.config["FEEDBACK_LIMIT_PER_ADDRESS"])


def _submit_key() -> str:
    from flask_limiter.util import get_remote_address

    return f"feedback:{get_remote_address()}:{request.view_args and request.view_args.get('event_slug')}"


@bp.route("/e/<slug:event_slug>/feedback/check")
@public
def check(event: Event) -> str | Response:
    """Check your answers, then send them (``send``)."""
    kept = _draft(event.public_slug)
    if kept is None:
        if _sent_here(event.public_slug):
            return redirect(url_for("feedback.thanks", event_slug=event.public_slug))
        return redirect(url_for("feedback.form", event_slug=event.public_slug))
    return _check_page(event, kept[0], SendForm())


def _check_page(event: Event, answers: Answers, send: SendForm) -> str:
    return render_template(
        "feedback/check.html",
        event=event,
        form=send,
        rows=_summary(event, answers),
        form_url=url_for("feedback.form", event_slug=event.public_slug),
    )


def _sending(slug: str) -> services.Sending | None:
    # The send reads the event, then writes one statement on PostgreSQL (the response with
    # its answers, services.store_response): no transaction needed around them.
    uow.single_statement()
    return services.sending(slug)


@bp.route("/e/<slug:event_slug>/feedback/check", methods=["POST"])
@public_facts(_sending)
@limiter.limit(_submit_limit, key_func=_submit_key, scope="feedback-send")
def send(event: services.Sending) -> str | Response:
    """Send the answers from "Check your answers". Everyone at an event sends at once, in its
    last minutes: this reads only the event's facts and window (one statement), and loads
    the event itself only for a page it shows instead (the form closed meanwhile)."""
    slug = event.public_slug
    kept = _draft(slug)
    if kept is None:
        if _sent_here(slug):
            return redirect(url_for("feedback.thanks", event_slug=slug))
        return redirect(url_for("feedback.form", event_slug=slug))
    answers, rid = kept
    form = SendForm()
    if not form.validate_on_submit():
        return _check_page(public_event(slug), answers, form)
    try:
        response_id = uuid.UUID(rid)
    except ValueError:
        session.pop(DRAFT, None)
        return redirect(url_for("feedback.form", event_slug=slug))
    try:
        uow.run(services.submit_online, event=event, answers=answers, response_id=response_id)
    except DomainError:
        closed = _unavailable(public_event(slug))
        if closed is not None:
            return closed
        # Answers that no longer fit the form (the organiser changed what happened):
        # go back to the form with what still fits.
        session.pop(DRAFT, None)
        return redirect(url_for("feedback.form", event_slug=slug))
    session.pop(DRAFT, None)
    session[SENT] = [*session.get(SENT, []), slug][-REMEMBERED:]
    return redirect(url_for("feedback.thanks", event_slug=slug))


@bp.route("/e/<slug:event_slug>/feedback/thanks")
@public
def thanks(event: Event) -> str:
    """Confirmation that the feedback was sent."""
    return render_template("feedback/thanks.html", event=event)


# The organiser's side -------------------------------------------------------------------


@bp.route("/events/<int:event_id>/feedback/", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def index(event: Event) -> str | Response:
    """The feedback window, the link and QR code, and how many have answered."""
    from eventapp.access import me

    saved = services.settings_of(event)
    window_form = WindowForm(
        data={"days_open": saved.days_open if saved else DEFAULT_DAYS_OPEN}
        if request.method == "GET"
        else None
    )
    if window_form.validate_on_submit():
        try:
            uow.run(
                services.save_settings,
                event=event,
                actor=me(),
                days_open=int(window_form.days_open.data or 0),
            )
        except DomainError as error:
            show_error(window_form, error, "days_open")
        else:
            flash("Feedback window saved.", "success")
            return redirect(url_for("feedback.index", event_id=event.id))
    link = public_link(event)
    return render_template(
        "feedback/index.html",
        event=event,
        form=window_form,
        window=services.window_of(event),
        State=State,
        counts=services.counts(event),
        link=link,
        qr=Markup(qr_svg(link, scale=4, title="QR code for the feedback form")),  # noqa: S704 - segno's own SVG
        close_form=CloseForm(),
        open_form=OpenForm(),
        reopen_form=ReopenForm(),
        threshold=services.BREAKDOWN_THRESHOLD,
        **_links_context(event),
        video=event.intro_video,
        items=items_for(services.applies(event)),
    )


@bp.route("/events/<int:event_id>/feedback/close", methods=["POST"])
@planner_required
def close(event: Event) -> Response:
    """Close the form before its window ends."""
    from eventapp.access import me

    if CloseForm().validate_on_submit():
        uow.run(services.close_form, event=event, actor=me())
        flash("The feedback form is closed.", "success")
    return redirect(url_for("feedback.index", event_id=event.id))


@bp.route("/events/<int:event_id>/feedback/open", methods=["POST"])
@planner_required
def open_early(event: Event) -> Response:
    """Open the form before the event's start time (the event began early)."""
    from eventapp.access import me

    if OpenForm().validate_on_submit():
        uow.run(services.open_now, event=event, actor=me())
        flash("The feedback form is open.", "success")
    return redirect(url_for("feedback.index", event_id=event.id))


@bp.route("/events/<int:event_id>/feedback/reopen", methods=["POST"])
@planner_required
def reopen(event: Event) -> Response:
    """Reopen a form closed early."""
    from eventapp.access import me

    if ReopenForm().validate_on_submit():
        uow.run(services.reopen_form, event=event, actor=me())
        flash("The feedback form is open again until its window ends.", "success")
    return redirect(url_for("feedback.index", event_id=event.id))


@bp.route("/events/<int:event_id>/feedback/screen")
@planner_required
def screen(event: Event) -> str:
    """A full-screen page to project in the event's last minutes: the link and QR code."""
    link = public_link(event)
    return render_template(
        "feedback/screen.html",
        event=event,
        link=link,
        qr=Markup(qr_svg(link, scale=10, title="QR code for the feedback form")),  # noqa: S704 - segno's own SVG
    )


def _links_context(event: Event) -> dict[str, Any]:
    """What the Feedback page shows of personal links and attendance."""
    return {
        "link_counts": links.link_counts(event),
        "links_form": SendLinksForm(),
        "reminders_form": SendRemindersForm(),
        "attendees": links.attendee_count(event),
        "attended": links.attendance(event.id).attended > 0,
    }


from eventapp.feedback import personal as _personal  # noqa: E402, F401 - personal links' routes
