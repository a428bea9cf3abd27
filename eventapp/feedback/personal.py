"""Pages of a personal feedback link (``/f/<token>``), and the organiser's mail-out of them.

The token stays in the path (redacted from request logs by its converter); the session
keeps the answers waiting to be sent, never the token.
"""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import me, planner_required, token_route
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import bp, links, services
from eventapp.feedback.forms import (
    AnnexAForm,
    SendForm,
    SendLinksForm,
    SendRemindersForm,
    form_class,
)
from eventapp.feedback.models import FeedbackResponse
from eventapp.feedback.routes import (
    DRAFT,
    REMEMBERED,
    SENT,
    _draft,
    _layout,
    _summary,
    _unavailable,
    answers_as_data,
)
from eventapp.tokens import TokenPurpose
from eventapp.web import keeps_input_on_csrf_error


def _not_usable() -> tuple[str, int]:
    return render_template("feedback/link_used.html"), 404


@bp.route("/f/<token:token>", methods=["GET", "POST"])
@token_route(TokenPurpose.FEEDBACK)
@keeps_input_on_csrf_error
def personal(token: str) -> str | Response | tuple[str, int]:
    """The Annex A form opened from a personal link."""
    event = links.event_of_link(token)
    if event is None:
        return _not_usable()
    g.council = event.council
    closed = _unavailable(event)
    if closed is not None:
        return closed
    the_form: AnnexAForm = form_class(services.applies(event))()
    kept = _draft(event.public_slug)
    if kept is not None and not the_form.is_submitted():
        the_form.fill(kept[0])
    if the_form.validate_on_submit():
        rid = kept[1] if kept else str(uuid.uuid4())
        session[DRAFT] = {"e": event.public_slug, "a": answers_as_data(the_form.answers), "id": rid}
        return redirect(url_for("feedback.personal_check", token=token))
    return render_template(
        "feedback/form.html",
        event=event,
        form=the_form,
        layout=_layout(event),
        intro=_intro(),
        form_action=url_for("feedback.personal", token=token),
    )


def _intro() -> str:
    from eventapp.feedback.annex_a import INTRODUCTION

    return INTRODUCTION


@bp.route("/f/<token:token>/check", methods=["GET", "POST"])
@token_route(TokenPurpose.FEEDBACK)
def personal_check(token: str) -> str | Response | tuple[str, int]:
    """Check your answers, then send them: the link is used up."""
    event = links.event_of_link(token)
    kept = _draft(event.public_slug) if event is not None else None
    if event is None or kept is None:
        draft = session.get(DRAFT)
        if isinstance(draft, dict) and isinstance(draft.get("id"), str):
            # A double-click: the first request used the link and stored this response.
            try:
                mine = db.session.get(FeedbackResponse, uuid.UUID(draft["id"]))
            except ValueError:
                mine = None
            answered = db.session.get(Event, mine.event_id) if mine is not None else None
            if answered is not None:
                session.pop(DRAFT, None)
                return redirect(url_for("feedback.thanks", event_slug=answered.public_slug))
        if event is None:
            return _not_usable()
        # Nothing to check yet (the answers were sent, or never filled in): the form itself.
        if request.method == "GET":
            return personal(token=token)
        return redirect(url_for("feedback.personal", token=token))
    g.council = event.council
    answers, rid = kept
    send = SendForm()
    if send.validate_on_submit():
        try:
            used = uow.run(
                links.submit_personal, raw=token, answers=answers, response_id=uuid.UUID(rid)
            )
        except (DomainError, ValueError):
            closed = _unavailable(event)
            if closed is not None:
                return closed
            session.pop(DRAFT, None)
            return redirect(url_for("feedback.personal", token=token))
        if used is None:
            return _not_usable()
        session.pop(DRAFT, None)
        session[SENT] = [*session.get(SENT, []), event.public_slug][-REMEMBERED:]
        return redirect(url_for("feedback.thanks", event_slug=event.public_slug))
    return render_template(
        "feedback/check.html",
        event=event,
        form=send,
        rows=_summary(event, answers),
        form_url=url_for("feedback.personal", token=token),
    )


@bp.route("/events/<int:event_id>/feedback/links", methods=["POST"])
@planner_required
def send_links(event: Event) -> Response:
    """Email a personal link to each attendee not sent one yet."""
    if SendLinksForm().validate_on_submit():
        try:
            sent = uow.run(links.send_links, event=event, actor=me())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Feedback links sent to {sent} attendee{'s' if sent != 1 else ''}.", "success")
    return redirect(url_for("feedback.index", event_id=event.id))


@bp.route("/events/<int:event_id>/feedback/reminders", methods=["POST"])
@planner_required
def send_reminders(event: Event) -> Response:
    """Email a fresh link to everyone who has not used theirs."""
    if SendRemindersForm().validate_on_submit():
        try:
            sent = uow.run(links.send_reminders, event=event, actor=me())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"Reminders sent to {sent} attendee{'s' if sent != 1 else ''}.", "success")
    return redirect(url_for("feedback.index", event_id=event.id))
