"""Organisers' question pages: settings, moderation, merging, FAQs, actions and the CSV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from eventapp import audit, edits, once, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import options, show_error
from eventapp.invitations.channels import qr_svg
from eventapp.mail.links import external_url
from eventapp.questions import export, faqs, services
from eventapp.questions import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.questions.forms import (
    ActionForm,
    EditForm,
    FaqForm,
    HideForm,
    MergeForm,
    ModerateForm,
    SettingsForm,
)
from eventapp.questions.models import STATE_LABELS, WHO_MAY_ASK_LABELS, QuestionState, WhoMayAsk
from eventapp.routing import version_sent
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("questions", __name__, url_prefix="/events/<int:event_id>/questions")


def _to_index(event: Event, anchor: str = "") -> WerkzeugResponse:
    return redirect(url_for("questions.index", event_id=event.id, _anchor=anchor or None))


@bp.route("/")
@planner_required
def index(event: Event) -> str:
    """Moderate the event's questions: approve, hide, star, merge, edit, answer, follow up."""
    grouped = services.staff_questions(event)
    return render_template(
        "questions/index.html",
        event=event,
        public_link=external_url("questions_public.index", event_slug=event.public_slug),
        settings=services.settings_for(event),
        grouped=grouped,
        state_labels=STATE_LABELS,
        who_labels=WHO_MAY_ASK_LABELS,
        states=QuestionState,
        actions=services.actions(event),
        faq_by_key=faqs.FAQ_BY_KEY,
        moderate_form=ModerateForm(),
    )


def _settings_data(event: Event) -> dict[str, object]:
    """The saved question settings as form data."""
    current = services.settings_for(event)
    return {
        "is_open": "yes" if current.is_open else "no",
        "needs_approval": "yes" if current.needs_approval else "no",
        "who_may_ask": current.who_may_ask.value,
    }


@bp.route("/settings", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def settings(event: Event) -> str | WerkzeugResponse:
    """Open or close questions, choose who may ask, and whether they wait for approval."""
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
        uow.run(
            services.save_settings,
            event=event,
            actor=me(),
            is_open=form.is_open.data == "yes",
            needs_approval=form.needs_approval.data == "yes",
            who_may_ask=WhoMayAsk(form.who_may_ask.data),
        )
        flash("Question settings saved." + edits.kept_note(outcome), "success")
        return _to_index(event)
    return render_template("questions/settings.html", event=event, form=form)


@bp.route("/<int:question_id>/moderate", methods=["POST"])
@planner_required
def moderate(event: Event, question_id: int) -> WerkzeugResponse:
    """Approve, star or unstar, mark answered or not: one button each."""
    question = services.get_question(event, question_id)
    form = ModerateForm()
    if not form.validate_on_submit():
        flash("Nothing was changed. Select the button again.", "error")
        return _to_index(event)
    action = form.action.data
    try:
        if action == "approve":
            uow.run(services.approve, question=question, actor=me())
        elif action in ("star", "unstar"):
            uow.run(services.set_starred, question=question, actor=me(), starred=action == "star")
        else:
            uow.run(
                services.set_answered,
                question=question,
                actor=me(),
                answered=action == "answered",
            )
    except DomainError as error:
        flash(error.message, "error")
    if request.form.get("back") == "chair":
        return redirect(url_for("questions.chair", event_id=event.id, _anchor=f"q{question.id}"))
    return _to_index(event, f"q{question.id}")


@bp.route("/<int:question_id>/hide", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def hide(event: Event, question_id: int) -> str | WerkzeugResponse:
    """Hide a question from everyone but organisers, with a reason kept for them."""
    question = services.get_question(event, question_id)
    form = HideForm()
    if form.validate_on_submit():
        try:
            uow.run(services.hide, question=question, actor=me(), reason=form.reason.data or "")
        except DomainError as error:
            show_error(form, error, "reason")
        else:
            flash("Question hidden.", "success")
            return _to_index(event)
    return render_template("questions/hide.html", event=event, question=question, form=form)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event, question_id: int) -> str | WerkzeugResponse:
    """Correct a question's typos."""
    question = services.get_question(event, question_id)
    form = (
        EditForm(data={"text": question.text, "version": str(question.version)})
        if request.method == "GET"
        else EditForm()
    )
    changed_meanwhile = False
    if form.validate_on_submit():
        version = form.version.data or ""
        try:
            uow.run(
                services.edit_text,
                question=question,
                actor=me(),
                text=form.text.data or "",
                version=version_sent(version),
            )
        except DomainError as error:
            show_error(form, error, "text")
            # Saving again now changes the question as it reads below, not as it read before.
            form.version.data = str(question.version)
            changed_meanwhile = version != str(question.version)
        else:
            flash("Question saved.", "success")
            return _to_index(event, f"q{question.id}")
    return render_template(
        "questions/edit.html",
        event=event,
        question=question,
        form=form,
        changed_meanwhile=changed_meanwhile,
    )


@bp.route("/<int:question_id>/merge", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def merge(event: Event, question_id: int) -> str | WerkzeugResponse:
    """Merge a duplicate into another question: votes carry over, each voter counted once."""
    question = services.get_question(event, question_id)
    targets = services.merge_targets(question)
    form = MergeForm()
    form.into.choices = options((str(t.id), t.text) for t in targets)
    if form.validate_on_submit():
        chosen = next((t for t in targets if str(t.id) == form.into.data), None)
        if chosen is not None and question.merged_into_id == chosen.id:
            # The same form sent again (back, or a double-click): it is already done.
            flash(once.ALREADY_DONE)
            return _to_index(event, f"q{chosen.id}")
        if chosen is None:
            form.into.errors = ["Choose the question to merge it into"]
        else:
            try:
                uow.run(services.merge, question=question, into=chosen, actor=me())
            except DomainError as error:
                show_error(form, error, "into")
            else:
                flash("Questions merged. The votes of both now count once each.", "success")
                return _to_index(event, f"q{chosen.id}")
    return render_template(
        "questions/merge.html", event=event, question=question, targets=targets, form=form
    )


@bp.route("/<int:question_id>/faq", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def faq(event: Event, question_id: int) -> str | WerkzeugResponse:
    """Tag a question with the handbook's Prevent FAQ it matches (suggested by keyword)."""
    question = services.get_question(event, question_id)
    form = FaqForm(data={"faq": question.faq_key}) if request.method == "GET" else FaqForm()
    if form.validate_on_submit():
        try:
            uow.run(services.tag_faq, question=question, actor=me(), faq_key=form.faq.data or "")
        except DomainError as error:
            show_error(form, error, "faq")
        else:
            flash("FAQ saved.", "success")
            return _to_index(event, f"q{question.id}")
    return render_template(
        "questions/faq.html",
        event=event,
        question=question,
        form=form,
        suggestions=faqs.suggest(question.text),
    )


@bp.route("/<int:question_id>/actions/new", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def new_action(event: Event, question_id: int) -> str | WerkzeugResponse:
    """Record a follow-up action against a question: what, who, by when."""
    question = services.get_question(event, question_id)
    form = ActionForm()
    if form.validate_on_submit():
        details = services.ActionDetails(
            what=form.what.data or "", who=form.who.data or "", due_on=form.due_on.data
        )
        try:
            done = once.run(
                form.form_token.data,
                lambda: services.add_action(question=question, actor=me(), details=details),
                url=lambda _action: url_for(
                    "questions.index", event_id=event.id, _anchor="actions"
                ),
            )
        except DomainError as error:
            show_error(form, error, "what")
        else:
            flash(*((once.ALREADY_DONE,) if done.repeat else ("Action recorded.", "success")))
            return redirect(done.url)
    return render_template("questions/action.html", event=event, question=question, form=form)


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@planner_required
def action_done(event: Event, action_id: int) -> WerkzeugResponse:
    """Mark a follow-up action done."""
    action = services.get_action(event, action_id)
    if ConfirmForm().validate_on_submit():
        uow.run(services.complete_action, action=action, actor=me())
        flash("Action marked as done.", "success")
    return _to_index(event, "actions")


@bp.route("/present")
@planner_required
def present(event: Event) -> str:
    """The presenter view for the Q&A slot: large type, high contrast, made to be projected.

    With JavaScript it refreshes its list in place (polling with an ETag); without, the
    Refresh button reloads the page.
    """
    questions = services.presenter_questions(event)
    open_to_all = services.why_not_ask(services.settings_for(event), services.PUBLIC_VISITOR)
    link = external_url("questions_public.index", event_slug=event.public_slug)
    return render_template(
        "questions/present.html",
        event=event,
        questions=questions,
        etag=services.presenter_etag(questions),
        # The handbook's tip: remind people where to ask, during the meeting.
        ask_link=link if open_to_all is None else None,
        qr=Markup(qr_svg(link, scale=6, title="QR code for asking a question"))  # noqa: S704 - segno's own SVG
        if open_to_all is None
        else "",
    )


@bp.route("/present/list")
@planner_required
def present_list(event: Event) -> Response:
    """The presenter view's list alone, for its script: 304 when nothing changed."""
    questions = services.presenter_questions(event)
    etag = services.presenter_etag(questions)
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        response = Response(
            render_template("questions/_present_list.html", event=event, questions=questions),
            mimetype="text/html",
        )
    response.set_etag(etag)
    return response


@bp.route("/chair")
@planner_required
def chair(event: Event) -> str:
    """The chair's view: the same questions with the handbook's suggested responses."""
    return render_template(
        "questions/chair.html",
        event=event,
        questions=services.presenter_questions(event),
        faq_by_key=faqs.FAQ_BY_KEY,
        statistics_warning=faqs.STATISTICS_WARNING,
    )


@bp.route("/export.csv")
@planner_required
def export_csv(event: Event) -> Response:
    """Every question as CSV, spreadsheet formulas neutralised; the export is audited."""
    uow.run(
        audit.record, actor=me(), council_id=event.council_id, action="questions.export", obj=event
    )
    return Response(
        export.rows(event),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="questions.csv"'},
    )
