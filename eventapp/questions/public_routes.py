"""Public question pages: the event's list, asking, and voting, for anyone the organiser allows.

Who is asking or voting comes from a random id in a signed cookie (eventapp.questions.voters);
nothing about it is stored with a question. A registrant's vote from their own page also
binds that cookie to their registration for the event, so the public page counts them once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import Response as FlaskResponse
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from eventapp import once, uow
from eventapp.access import public, token_route
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import limiter
from eventapp.forms import show_error
from eventapp.notices import privacy
from eventapp.questions import registrants, services, voters
from eventapp.questions.forms import AskForm, RegistrantAskForm, VoteForm
from eventapp.questions.models import Question, WhoMayAsk
from eventapp.registration import services as registration_services
from eventapp.registration.models import Registration
from eventapp.tokens import TokenPurpose
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("questions_public", __name__)

privacy.add_section(
    privacy.Section("questions", "Questions you ask at events", privacy.Order.ATTENDEES + 5)
)
F = TypeVar("F", bound=Callable[..., Any])


@bp.app_template_global("questions_open")
def questions_open(event: Event) -> bool:
    """Whether the event's public page should invite people to ask (for the page's template)."""
    return services.why_not_ask(services.settings_for(event), services.PUBLIC_VISITOR) is None


def _cookie_browser() -> str | None:
    return voters.read(request.cookies.get(voters.COOKIE))


def _set_cookie(browser: str, bindings: dict[int, int]) -> None:
    """Send the browser's cookie with the response (once, with the last value given)."""
    first = "voter_cookie" not in g
    g.voter_cookie = voters.sign(browser, bindings)
    if not first:
        return

    @after_this_request
    def _set(response: FlaskResponse) -> FlaskResponse:
        response.set_cookie(
            voters.COOKIE,
            g.voter_cookie,
            max_age=voters.COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
        return response


def _browser() -> str:
    """This browser's id, made (and set in its cookie with the response) on first use."""
    found = _cookie_browser()
    if found is not None:
        return found
    made = voters.new_browser_id()
    _set_cookie(made, {})
    return made


def _public_voter(event: Event, browser: str) -> str:
    """Whom a vote from this browser on the public page counts for: the registration it is
    bound to for this event (eventapp.questions.voters), or else the browser itself."""
    registration_id = voters.read_bindings(request.cookies.get(voters.COOKIE)).get(event.id)
    if registration_id is not None:
        return voters.vote_key(voters.registration_subject(registration_id))
    return voters.vote_key(voters.browser_subject(browser))


def _bind(registration: Registration, browser: str) -> None:
    """Remember in this browser's cookie that, for this event, it is this registration's."""
    bindings = voters.read_bindings(request.cookies.get(voters.COOKIE))
    if bindings.get(registration.event_id) == registration.id and _cookie_browser() == browser:
        return
    bindings.pop(registration.event_id, None)  # re-added last: the most recent are kept
    bindings[registration.event_id] = registration.id
    _set_cookie(browser, bindings)


def _asker(browser: str) -> services.Asker:
    return services.Asker(voters.browser_subject(browser))


def _limit(setting: str, scope: str) -> Callable[[F], F]:
    """Bound how fast one address may ask or vote (the cookie alone is easy to clear).

    Shared: the public page and registrants' own pages draw on one allowance per address
    (a plain per-route limit would give each route its own, doubling it).
    """
    return cast(
        Callable[[F], F],
        limiter.shared_limit(
            lambda: str(current_app.config[setting]),
            scope,
            key_func=lambda: f"client:{get_remote_address()}",
            methods=["POST"],
        ),
    )


@bp.route("/e/<slug:event_slug>/questions")
@public
def index(event: Event) -> str:
    """The questions others have asked, most voted first, with a vote button on each."""
    browser = _cookie_browser()
    settings = services.settings_for(event)
    # An event for registrants only shows its questions on their own pages, not here.
    questions = (
        [] if settings.who_may_ask is WhoMayAsk.REGISTRANTS else (services.public_questions(event))
    )
    voter = _public_voter(event, browser) if browser else None
    return render_template(
        "questions/public_list.html",
        event=event,
        questions=questions,
        voted=services.voted_for(questions, voter),
        closed_reason=services.why_not_ask(settings, services.PUBLIC_VISITOR),
        form=None,
        vote_form=VoteForm(),
        back_text="Back to the event",
        back_href=url_for("public.event", event_slug=event.public_slug),
        ask_href=url_for("questions_public.ask", event_slug=event.public_slug),
        vote_href=lambda q: url_for(
            "questions_public.vote", event_slug=event.public_slug, question_id=q.id
        ),
    )


def _ask_once(
    event: Event, details: services.NewQuestion, ask: Callable[[], Question]
) -> tuple[Question, bool]:
    """Ask once per page load (QUALITY.md property 25): returns the question and whether this
    was a repeat of a form already sent (going back and sending it again, a double-click).

    A repeat does nothing and gets the first's result, even if questions have closed since.
    Two sends at once both miss the first lookup; the second insert then breaks the unique
    submission key, and the question the first made is the result.
    """
    first = services.sent_before(event, details.submission_key)
    if first is not None:
        return first, True
    try:
        return uow.run(ask), False
    except IntegrityError:
        first = services.sent_before(event, details.submission_key)
        if first is None:
            raise
        return first, True


def _sent_before(event: Event, form: AskForm) -> bool:
    """Whether this POST repeats a form already sent (shown its result even if now closed)."""
    key = form.submission_key.data
    return (
        request.method == "POST"
        and isinstance(key, str)
        and services.sent_before(event, key) is not None
    )


def _flash_sent(question: Question, *, repeat: bool) -> None:
    if repeat:
        flash(once.ALREADY_DONE)
    elif question.state.value == "approved":
        flash("Your question was sent and is on the list.", "success")
    else:
        flash(
            "Your question was sent. It will appear on the list once the organiser "
            "has approved it.",
            "success",
        )


@bp.route("/e/<slug:event_slug>/questions/ask", methods=["GET", "POST"])
@public
@_limit("QUESTION_ASK_LIMIT_PER_IP", "question-ask")
@keeps_input_on_csrf_error
def ask(event: Event) -> str | Response:
    """Ask a question, anonymously or with a first name."""
    settings = services.settings_for(event)
    form = AskForm()
    if request.method == "GET":
        form.submission_key.data = secrets.token_urlsafe(24)
    closed_reason = services.why_not_ask(settings, services.PUBLIC_VISITOR)
    if (closed_reason is None or _sent_before(event, form)) and form.validate_on_submit():
        details = services.NewQuestion(
            text=form.text.data or "",
            anonymous=form.identity.data != "named",
            name=form.name.data or "",
            organisation=form.organisation.data or "",
            submission_key=form.submission_key.data or "",
        )
        asker = _asker(_browser())
        try:
            question, repeat = _ask_once(
                event,
                details,
                lambda: services.ask(event=event, asker=asker, details=details),
            )
        except DomainError as error:
            show_error(form, error, "text")
        else:
            _flash_sent(question, repeat=repeat)
            return redirect(url_for("questions_public.index", event_slug=event.public_slug))
    return render_template(
        "questions/ask.html",
        event=event,
        form=form,
        closed_reason=closed_reason,
        needs_approval=settings.needs_approval,
        list_href=url_for("questions_public.index", event_slug=event.public_slug),
    )


@bp.route("/e/<slug:event_slug>/questions/<int:question_id>/vote", methods=["POST"])
@public
@_limit("QUESTION_VOTE_LIMIT_PER_IP", "question-vote")
def vote(event: Event, question_id: int) -> Response:
    """Upvote a question, or withdraw the vote; sending either twice changes nothing."""
    question = services.get_public_question(event, question_id)
    form = VoteForm()
    back = redirect(
        url_for("questions_public.index", event_slug=event.public_slug, _anchor=f"q{question.id}")
    )
    if not form.validate_on_submit():
        flash("Your vote was not counted. Select the button again.", "error")
        return back
    browser = _browser()
    try:
        uow.run(
            services.vote,
            event=event,
            question=question,
            voter=_public_voter(event, browser),
            asker=_asker(browser),
            up=form.vote.data == "up",
        )
    except DomainError as error:
        flash(error.message, "error")
    return back


# A registrant's own questions pages (their secret link, /r/<token>) ------------------------


def _registration_or_expired(token: str) -> Registration | None:
    """The registration this own-page link belongs to, with its council for the layout."""
    registration = registration_services.registration_for_page(token)
    if registration is not None:
        g.council = registration.event.council
    return registration


def _expired() -> tuple[str, int]:
    return render_template("registration/link_expired.html"), 404


@bp.route("/r/<token:token>/questions")
@token_route(TokenPurpose.REGISTRATION)
def mine(token: str) -> str | tuple[str, int]:
    """The event's questions on a registrant's own page: one vote per registration."""
    registration = _registration_or_expired(token)
    if registration is None:
        return _expired()
    event = registration.event
    questions = services.public_questions(event)
    return render_template(
        "questions/public_list.html",
        event=event,
        questions=questions,
        voted=services.voted_for(questions, registrants.vote_key(registration)),
        closed_reason=registrants.why_not(services.settings_for(event), registration),
        form=None,
        vote_form=VoteForm(),
        back_text="Back to your registration",
        back_href=url_for("registration.own_page", token=token),
        ask_href=url_for("questions_public.ask_mine", token=token),
        vote_href=lambda q: url_for("questions_public.vote_mine", token=token, question_id=q.id),
    )


@bp.route("/r/<token:token>/questions/ask", methods=["GET", "POST"])
@token_route(TokenPurpose.REGISTRATION)
@_limit("QUESTION_ASK_LIMIT_PER_IP", "question-ask")
@keeps_input_on_csrf_error
def ask_mine(token: str) -> str | Response | tuple[str, int]:
    """Ask from one's own page: anonymously, or named and, if chosen, told of follow-up."""
    registration = _registration_or_expired(token)
    if registration is None:
        return _expired()
    event = registration.event
    settings = services.settings_for(event)
    form = RegistrantAskForm()
    if request.method == "GET":
        form.submission_key.data = secrets.token_urlsafe(24)
        form.name.data = registration.name.split()[0] if registration.name.split() else ""
        form.organisation.data = registration.organisation
    closed_reason = registrants.why_not(settings, registration)
    if (closed_reason is None or _sent_before(event, form)) and form.validate_on_submit():
        details = services.NewQuestion(
            text=form.text.data or "",
            anonymous=form.identity.data != "named",
            name=form.name.data or "",
            organisation=form.organisation.data or "",
            submission_key=form.submission_key.data or "",
            tell_asker=bool(form.tell_asker.data),
        )
        browser = _browser()
        try:
            question, repeat = _ask_once(
                event,
                details,
                lambda: registrants.ask(
                    registration=registration, details=details, browser=browser
                ),
            )
        except DomainError as error:
            show_error(form, error, "text")
        else:
            _flash_sent(question, repeat=repeat)
            return redirect(url_for("questions_public.mine", token=token))
    return render_template(
        "questions/ask.html",
        event=event,
        form=form,
        closed_reason=closed_reason,
        needs_approval=settings.needs_approval,
        list_href=url_for("questions_public.mine", token=token),
    )


@bp.route("/r/<token:token>/questions/<int:question_id>/vote", methods=["POST"])
@token_route(TokenPurpose.REGISTRATION)
@_limit("QUESTION_VOTE_LIMIT_PER_IP", "question-vote")
def vote_mine(token: str, question_id: int) -> Response | tuple[str, int]:
    """Upvote or withdraw as one's registration: one vote each, whichever browser."""
    registration = _registration_or_expired(token)
    if registration is None:
        return _expired()
    question = services.get_public_question(registration.event, question_id)
    back = redirect(url_for("questions_public.mine", token=token, _anchor=f"q{question.id}"))
    form = VoteForm()
    if not form.validate_on_submit():
        flash("Your vote was not counted. Select the button again.", "error")
        return back
    browser = _browser()
    try:
        uow.run(
            registrants.vote,
            registration=registration,
            question=question,
            up=form.vote.data == "up",
            browser_voter=voters.vote_key(voters.browser_subject(browser)),
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        # Only now, with the browser's votes made the registration's: from here on it votes
        # as the registration on the public page too.
        _bind(registration, browser)
    return back
