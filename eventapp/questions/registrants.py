"""Registrants and questions: asking and voting from their own page, and the registration
form's question passed on to the organiser's list.

A registrant votes as their registration (``voters.registration_subject``): one vote per
registration, whichever browser they use; a browser they vote from here votes as the
registration on the public page too, and its earlier browser votes become the registration's
(eventapp.questions.voters). Their questions count against the allowance of the browser they
ask from, never of the registration (``services.Asker``). Who may: a registration with a place or on the
waiting list (both expect to attend; a waiting person may well get a place). Not yet: one
waiting for the organiser's approval (the organiser has not said yes yet). Not any more:
cancelled or declined ones, who will not be there to hear the answer.

An anonymous question from a registrant keeps nothing of them, as any anonymous question
(eventapp.questions.models); only a named one whose asker agreed to be told of follow-up
keeps its registration, for that email.
"""

from __future__ import annotations

from datetime import date

from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.formatting import LONDON
from eventapp.models.base import utcnow
from eventapp.questions import services, voters
from eventapp.questions.models import Question, QuestionSettings, QuestionState
from eventapp.registration.models import Registration, RegistrationStatus

MAY_ASK = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING})

NOT_YET = {
    RegistrationStatus.UNCONFIRMED: (
        "Confirm your email address with the link we sent you, then you can ask and vote."
    ),
    RegistrationStatus.PENDING: (
        "You can ask and vote once the organiser has approved your registration."
    ),
    RegistrationStatus.CANCELLED: (
        "Your registration is cancelled, so you can no longer ask or vote."
    ),
    RegistrationStatus.DECLINED: (
        "Only people with a place or on the waiting list can ask and vote."
    ),
}


def asker_for(registration: Registration, browser: str | None = None) -> services.Asker:
    """The registrant asking or voting; ``browser`` (its cookie id) is what the allowance
    counts. Without one (checking who may ask), the subject is never counted."""
    subject = voters.browser_subject(browser) if browser else "registrant"
    return services.Asker(subject, registration_id=registration.id)


def vote_key(registration: Registration) -> str:
    return voters.vote_key(voters.registration_subject(registration.id))


def why_not(settings: QuestionSettings, registration: Registration) -> str | None:
    """Why this registrant cannot ask or vote now, in words for them, or None if they can."""
    return services.why_not_ask(settings, asker_for(registration)) or NOT_YET.get(
        registration.status
    )


def ask(*, registration: Registration, details: services.NewQuestion, browser: str) -> Question:
    """Ask from one's own page: anonymously, or named (and, if chosen, to be told of follow-up).

    Counted against the allowance of ``browser`` (its cookie id), as on the public link."""
    problem = why_not(services.settings_for(registration.event), registration)
    if problem:
        raise DomainError(problem, field="text")
    return services.ask(
        event=registration.event, asker=asker_for(registration, browser), details=details
    )


def vote(
    *,
    registration: Registration,
    question: Question,
    up: bool,
    browser_voter: str | None = None,
) -> bool:
    """Upvote or withdraw, once per registration.

    ``browser_voter``: the vote key of the browser voting, whose votes on this event, cast
    on the public page, become the registration's first, so one person counts once.
    """
    problem = why_not(services.settings_for(registration.event), registration)
    if problem:
        raise DomainError(problem)
    if browser_voter is not None:
        services.adopt_votes(
            event=registration.event, from_voter=browser_voter, to_voter=vote_key(registration)
        )
    return services.vote(
        event=registration.event,
        question=question,
        voter=vote_key(registration),
        asker=asker_for(registration),
        up=up,
    )


def pass_on_registration_question(
    registration: Registration, *, today: date | None = None
) -> Question | None:
    """The registration form's "question for the speakers", once its asker has a place or is
    on the waiting list: an anonymous question on the organiser's list, under the event's
    moderation rule, and gone from the registration.

    Anonymous because the form says it is shown without a name, and it asks for no consent to
    be told of follow-up. Not counted against any allowance: the form takes one question per
    registration, and counting it under the registration would tie it to its asker (see
    ``services.Asker``). Whether questions are open does not matter: it was asked in advance.
    """
    text = registration.question.strip()
    if not text or registration.purged_at is not None:
        return None
    event = registration.event
    settings = services.settings_for(event)
    question = Question(
        id=services.free_id(),
        event_id=event.id,
        text=text,
        anonymous=True,
        asked_on=today or utcnow().astimezone(LONDON).date(),
        state=QuestionState.PENDING if settings.needs_approval else QuestionState.APPROVED,
    )
    db.session.add(question)
    registration.question = ""
    db.session.flush()
    return question
