"""Registrants ask and vote from their own page (/r/<token>); the registration form's question
joins the organiser's list; follow-up emails go only to named askers who agreed (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from eventapp.questions import registrants, services, voters
from eventapp.questions.models import (
    Question,
    QuestionAllowance,
    QuestionState,
    QuestionVote,
    WhoMayAsk,
)
from eventapp.registration import purge
from eventapp.registration import services as registration_services
from eventapp.registration.models import (
    ApprovalMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from tests.questions.conftest import ask as ask_publicly
from tests.questions.conftest import question_by_text
from tests.questions.conftest import vote as vote_publicly
from tests.registration.conftest import mails, register, register_and_confirm, registration


def _settings(event: Event, organiser: User, **changes: object) -> None:
    values: dict[str, object] = {
        "is_open": True,
        "needs_approval": False,
        "who_may_ask": WhoMayAsk.REGISTRANTS,
    }
    values.update(changes)
    services.save_settings(event=event, actor=organiser, **values)  # type: ignore[arg-type]
    db.session.commit()


@pytest.fixture
def event(make_event: Callable[..., Event], organiser: User) -> Event:
    """Open for registration (10 places, automatic) and for questions from registrants only."""
    made = make_event(capacity=10)
    made.status = EventStatus.OPEN
    db.session.add(RegistrationSettings(event_id=made.id, mode=ApprovalMode.AUTOMATIC))
    db.session.commit()
    _settings(made, organiser)
    return made


def _own(app: Flask, event: Event, email: str, name: str = "Sam Asker", question: str = "") -> str:
    """A confirmed registrant's own page path, /r/<token> (no form question unless given)."""
    client = app.test_client()
    register(client, event, email=email, name=name, question=question)
    return register_and_confirm(client, event, email, name=name)


def _ask(client: FlaskClient, own: str, text: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"{own}/questions/ask", data={"text": text, "identity": "anonymous", **fields}
    )


def _vote(client: FlaskClient, own: str, question: Question, up: bool = True):  # type: ignore[no-untyped-def]
    return client.post(
        f"{own}/questions/{question.id}/vote", data={"vote": "up" if up else "withdraw"}
    )


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


# Asking -------------------------------------------------------------------------------


def test_the_own_page_links_to_questions_and_the_form_offers_name_and_consent(
    app, client, event
) -> None:
    own = _own(app, event, "sam@example.org")
    page = client.get(own).get_data(as_text=True)
    assert f"{own}/questions" in page
    form = client.get(f"{own}/questions/ask")
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert 'value="Sam"' in text and 'value="Grays Academy"' in text  # prefilled, not chosen
    assert "Email me when the organiser has done a follow-up action" in text


def test_an_anonymous_question_from_a_registrant_keeps_no_link_to_them(app, client, event) -> None:
    own = _own(app, event, "sam@example.org")
    response = _ask(client, own, "Anonymous from my page?", name="Sam")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{own}/questions")
    question = question_by_text("Anonymous from my page?")
    assert question.anonymous and question.asker_name == ""
    assert question.asker_registration_id is None and not question.tell_asker
    # Counted against the allowance of the browser it came from, never of the registration.
    browser = voters.read(client.get_cookie(voters.COOKIE).value)
    assert browser is not None
    assert db.session.execute(select(QuestionAllowance.asker, QuestionAllowance.asked)).all() == [
        (voters.asker_key(voters.browser_subject(browser)), 1)
    ]
    assert "Anonymous from my page?" in client.get(f"{own}/questions").get_data(as_text=True)


def test_a_named_question_keeps_its_registration_only_with_consent(app, client, event) -> None:
    own = _own(app, event, "sam@example.org")
    named = {"identity": "named", "name": "Sam", "organisation": "Grays Academy"}
    _ask(client, own, "Tell me later?", tell_asker="y", **named)
    _ask(client, own, "Named, no email?", **named)
    told = question_by_text("Tell me later?")
    assert told.asker_registration_id == registration("sam@example.org").id and told.tell_asker
    assert told.shown_asker == "Sam, Grays Academy"
    untold = question_by_text("Named, no email?")
    assert untold.asker_registration_id is None and not untold.tell_asker


def test_consent_to_be_told_needs_a_named_question(app, client, event) -> None:
    own = _own(app, event, "sam@example.org")
    response = _ask(client, own, "Anonymous but tell me?", tell_asker="y")
    assert response.status_code == 200
    assert "ask with your name: an anonymous question keeps no link to you" in (
        response.get_data(as_text=True)
    )
    assert _count(Question) == 0


def test_consent_to_be_told_needs_a_registration(app, event, organiser) -> None:
    _settings(event, organiser, who_may_ask=WhoMayAsk.ANYONE)
    with pytest.raises(Exception, match="from your own registration page"):
        services.ask(
            event=event,
            asker=services.Asker(voters.browser_subject("b" * 22)),
            details=services.NewQuestion(
                text="Tell me?", anonymous=False, name="Sam", tell_asker=True
            ),
        )


def test_a_registrant_reaches_the_allowance_of_the_browser_they_ask_from(app, event) -> None:
    """Per browser, as on the public link: a count kept per registration could be worked out
    from the registration's id, and say whose a lone anonymous question is (the README)."""
    app.config["QUESTIONS_PER_ASKER"] = 2
    own = _own(app, event, "sam@example.org")
    browser = app.test_client()
    assert _ask(browser, own, "One?").status_code == 302
    assert _ask(browser, own, "Two?").status_code == 302
    refused = _ask(browser, own, "Three?")
    assert "the most one person can ask" in refused.get_data(as_text=True)
    assert _count(Question) == 2
    assert _ask(app.test_client(), own, "Three?").status_code == 302  # the known limit


# Who may ask ------------------------------------------------------------------------------


def test_registrants_only_refuses_the_public_link_and_points_to_the_own_page(
    app, client, event
) -> None:
    own = _own(app, event, "sam@example.org")
    assert _ask(client, own, "Mine?").status_code == 302
    question = question_by_text("Mine?")
    public = app.test_client()
    refused = ask_publicly(public, event, "Public?")
    assert "Ask and vote on your own registration page" in refused.get_data(as_text=True)
    vote_publicly(public, event, question)
    listing = public.get(f"/e/{event.public_slug}/questions").get_data(as_text=True)
    assert "Ask and vote on your own registration page" in listing
    assert "Mine?" not in listing
    assert question_by_text("Mine?").vote_count == 0
    assert _count(Question) == 1


def test_one_vote_per_registration_whichever_browser_and_it_can_be_withdrawn(app, event) -> None:
    own = _own(app, event, "sam@example.org")
    other = _own(app, event, "kim@example.org", name="Kim Voter")
    _ask(app.test_client(), other, "Vote for me?")
    question = question_by_text("Vote for me?")
    phone, laptop = app.test_client(), app.test_client()
    assert _vote(phone, own, question).status_code == 302
    _vote(laptop, own, question)
    assert question_by_text("Vote for me?").vote_count == 1
    key = voters.vote_key(voters.registration_subject(registration("sam@example.org").id))
    assert db.session.scalars(select(QuestionVote.voter)).all() == [key]
    assert "You voted for this" in laptop.get(f"{own}/questions").get_data(as_text=True)
    _vote(phone, other, question)
    assert question_by_text("Vote for me?").vote_count == 2
    _vote(laptop, own, question, up=False)
    assert question_by_text("Vote for me?").vote_count == 1
    assert "You voted for this" not in phone.get(f"{own}/questions").get_data(as_text=True)


def _with_status(email: str, status: RegistrationStatus) -> None:
    row = registration(email)
    row.status = status
    row.waitlisted_at = row.waitlisted_at or utcnow()
    db.session.commit()


@pytest.mark.parametrize(
    ("status", "may"),
    [
        (RegistrationStatus.CONFIRMED, True),
        (RegistrationStatus.WAITING, True),
        (RegistrationStatus.PENDING, False),
        (RegistrationStatus.CANCELLED, False),
        (RegistrationStatus.DECLINED, False),
    ],
)
def test_places_and_the_waiting_list_may_ask_and_vote_others_may_not(
    app, client, event, status, may
) -> None:
    asker = _own(app, event, "kim@example.org", name="Kim Asker")
    _ask(client, asker, "Already here?")
    question = question_by_text("Already here?")
    own = _own(app, event, "sam@example.org")
    _with_status("sam@example.org", status)
    response = _ask(client, own, "Can I?")
    _vote(client, own, question)
    assert (_count(Question) == 2) is may
    assert (question_by_text("Already here?").vote_count == 1) is may
    listing = client.get(f"{own}/questions").get_data(as_text=True)
    assert "Already here?" in listing  # they still see the questions
    # Those who may not are offered no ask or vote buttons, and told why.
    assert ("Vote for this question" in listing or "Take back your vote" in listing) is may
    assert (f"{own}/questions/ask" in listing) is may
    if not may:
        assert response.status_code == 200
        assert registrants.NOT_YET[status] in response.get_data(as_text=True)
        assert registrants.NOT_YET[status] in listing


def test_closed_questions_refuse_registrants_too(app, client, event, organiser) -> None:
    own = _own(app, event, "sam@example.org")
    _settings(event, organiser, is_open=False)
    response = _ask(client, own, "Closed?")
    assert "not taking questions" in response.get_data(as_text=True)
    assert _count(Question) == 0


def test_a_purged_registrants_question_pages_are_gone(app, client, event) -> None:
    own = _own(app, event, "sam@example.org")
    purge.purge_event(event=event)
    db.session.commit()
    for path in ("/questions", "/questions/ask"):
        assert client.get(own + path).status_code == 404


# The registration form's question ------------------------------------------------------------


def test_the_registration_forms_question_joins_the_list_anonymously_once_they_have_a_place(
    app, event, organiser
) -> None:
    _settings(event, organiser, needs_approval=True)
    client = app.test_client()
    register(client, event, email="sam@example.org", question="  Who funds Prevent?  ")
    # Unconfirmed: it stays with the registration, not on anyone's list.
    assert _count(Question) == 0
    assert registration("sam@example.org").question == "Who funds Prevent?"
    own = register_and_confirm(client, event, "sam@example.org")
    question = question_by_text("Who funds Prevent?")
    assert question.anonymous and question.asker_registration_id is None
    assert question.state is QuestionState.PENDING  # the event's moderation rule
    assert registration("sam@example.org").question == ""
    # Counted nowhere: the form takes one question, and a count under the registration
    # would say whose it is.
    assert _count(QuestionAllowance) == 0
    assert client.get(own).status_code == 200


def test_the_registration_forms_question_waits_for_the_organisers_approval(
    app, make_event, organiser
) -> None:
    made = make_event(capacity=1)
    made.status = EventStatus.OPEN
    db.session.add(RegistrationSettings(event_id=made.id, mode=ApprovalMode.APPROVAL))
    db.session.commit()
    _settings(made, organiser, needs_approval=False)
    client = app.test_client()
    _own(app, made, "first@example.org", name="First Person")
    register(client, made, email="late@example.org", name="Late Person", question="Late?")
    register_and_confirm(client, made, "late@example.org", name="Late Person")
    # Waiting for approval: not on the list yet.
    assert _count(Question) == 0
    ids = [registration(e).id for e in ("first@example.org", "late@example.org")]
    registration_services.decide(
        event=made, actor=organiser, ids=ids, action=registration_services.Action.APPROVE
    )
    db.session.commit()
    assert registration("late@example.org").status is RegistrationStatus.WAITING
    question = question_by_text("Late?")
    assert question.state is QuestionState.APPROVED and question.anonymous


def test_a_declined_registrations_question_never_joins_the_list(app, make_event, organiser) -> None:
    made = make_event(capacity=5)
    made.status = EventStatus.OPEN
    db.session.add(RegistrationSettings(event_id=made.id, mode=ApprovalMode.APPROVAL))
    db.session.commit()
    _settings(made, organiser)
    register(app.test_client(), made, email="no@example.org", question="Declined?")
    register_and_confirm(app.test_client(), made, "no@example.org")
    registration_services.decide(
        event=made,
        actor=organiser,
        ids=[registration("no@example.org").id],
        action=registration_services.Action.DECLINE,
    )
    db.session.commit()
    assert _count(Question) == 0


# Follow-up emails ------------------------------------------------------------------------------


def _done(event: Event, organiser: User, question: Question) -> None:
    action = services.add_action(
        question=question, actor=organiser, details=services.ActionDetails(what="Send the leaflet")
    )
    db.session.commit()
    for _ in range(2):  # marking it done twice tells them once
        services.complete_action(action=action, actor=organiser)
        db.session.commit()


def test_a_done_action_emails_only_named_askers_who_agreed(app, event, organiser) -> None:
    named = {"identity": "named", "name": "Sam"}
    own = _own(app, event, "sam@example.org")
    _ask(app.test_client(), own, "Tell me?", tell_asker="y", **named)
    _ask(app.test_client(), own, "Do not tell me?", **named)
    _ask(app.test_client(), own, "Anonymous?")
    for text in ("Tell me?", "Do not tell me?", "Anonymous?"):
        _done(event, organiser, question_by_text(text))
    sent = mails("question_action_done")
    assert [m.recipient for m in sent] == ["sam@example.org"]
    assert "Tell me?" in sent[0].body_text and "Send the leaflet" in sent[0].body_text
    assert sent[0].related_type == "registration"


def test_a_registration_kept_without_consent_is_never_emailed(app, event, organiser) -> None:
    """The consent is checked when mailing, not only when the link is made."""
    own = _own(app, event, "sam@example.org")
    _ask(app.test_client(), own, "Linked, not agreed?", identity="named", name="Sam")
    question = question_by_text("Linked, not agreed?")
    question.asker_registration_id = registration("sam@example.org").id
    db.session.commit()
    _done(event, organiser, question)
    assert mails("question_action_done") == []


def test_a_done_action_tells_the_consenting_asker_of_a_merged_duplicate(
    app, event, organiser
) -> None:
    sam = _own(app, event, "sam@example.org")
    kim = _own(app, event, "kim@example.org", name="Kim Other")
    _ask(app.test_client(), sam, "Original?", identity="named", name="Sam", tell_asker="y")
    _ask(app.test_client(), kim, "Duplicate?", identity="named", name="Kim", tell_asker="y")
    services.merge(
        question=question_by_text("Duplicate?"), into=question_by_text("Original?"), actor=organiser
    )
    db.session.commit()
    _done(event, organiser, question_by_text("Original?"))
    assert sorted(m.recipient for m in mails("question_action_done")) == [
        "kim@example.org",
        "sam@example.org",
    ]


def test_the_purge_clears_the_link_and_consent_and_withholds_queued_mail(
    app, event, organiser
) -> None:
    own = _own(app, event, "sam@example.org")
    _ask(app.test_client(), own, "Tell me?", identity="named", name="Sam", tell_asker="y")
    question = question_by_text("Tell me?")
    action = services.add_action(
        question=question, actor=organiser, details=services.ActionDetails(what="Send the leaflet")
    )
    services.complete_action(action=action, actor=organiser)
    db.session.commit()
    queued = mails("question_action_done")[-1]
    queued.state = MessageState.QUEUED
    db.session.commit()
    purge.purge_event(event=event, now=utcnow() + timedelta(days=1))
    db.session.commit()
    question = question_by_text("Tell me?")
    assert question.asker_registration_id is None and not question.tell_asker
    message = db.session.get(OutboxMessage, queued.id)
    assert message is not None
    db.session.refresh(message)
    assert message.state is MessageState.WITHHELD and message.recipient == ""
    # A later action on it tells nobody.
    _done(event, organiser, question)
    assert len(mails("question_action_done")) == 1


def test_the_action_form_warns_the_organiser_that_the_asker_is_emailed(
    app, signed_in, event
) -> None:
    own = _own(app, event, "sam@example.org")
    _ask(app.test_client(), own, "Tell me?", identity="named", name="Sam", tell_asker="y")
    question = question_by_text("Tell me?")
    page = signed_in.get(f"/events/{event.id}/questions/{question.id}/actions/new")
    assert "chose to be emailed when a follow-up action is done" in page.get_data(as_text=True)


def test_asking_from_ones_own_page_adds_no_vote(app, event) -> None:
    """No vote row points from an asker to their own question (as for browsers)."""
    own = _own(app, event, "sam@example.org")
    before = (_count(Registration), _count(QuestionVote))
    _ask(app.test_client(), own, "Just one?")
    assert (_count(Registration), _count(QuestionVote)) == before


def test_the_demo_has_a_registrants_named_question_with_an_open_action(runner) -> None:
    from eventapp.questions.demo import REGISTRANT_QUESTION
    from eventapp.questions.models import QuestionAction

    for _ in range(2):  # loaded once
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    [question] = db.session.scalars(
        select(Question).where(Question.asker_registration_id.is_not(None))
    ).all()
    assert question.text == REGISTRANT_QUESTION
    assert question.tell_asker and not question.anonymous
    assert question.state is QuestionState.APPROVED
    asker = db.session.get(Registration, question.asker_registration_id)
    assert asker is not None and asker.status is RegistrationStatus.CONFIRMED
    assert question.asker_name == asker.name.split()[0]
    [action] = db.session.scalars(
        select(QuestionAction).where(QuestionAction.question_id == question.id)
    ).all()
    assert action.done_at is None
    # The form question of someone still to be approved waits on their registration.
    waiting = db.session.scalar(select(Registration).where(Registration.question != ""))
    assert waiting is not None and waiting.status is RegistrationStatus.PENDING


def test_the_purge_removes_the_names_and_organisations_named_questions_show(
    app, event, organiser
) -> None:
    """The question stays, from "An attendee": the name and organisation were personal data."""
    _settings(event, organiser, who_may_ask=WhoMayAsk.ANYONE)
    own = _own(app, event, "sam@example.org")
    fields = {"identity": "named", "name": "Samira", "organisation": "Thurrock CVS"}
    assert _ask(app.test_client(), own, "From my page?", **fields).status_code == 302
    fields = {"identity": "named", "name": "Priyanka", "organisation": "Grays Library"}
    assert ask_publicly(app.test_client(), event, "From the link?", **fields).status_code == 302
    assert ask_publicly(app.test_client(), event, "Nobody's?").status_code == 302
    listing = f"/e/{event.public_slug}/questions"
    assert "Samira, Thurrock CVS" in app.test_client().get(listing).get_data(as_text=True)
    purge.purge_event(event=event, now=utcnow() + timedelta(days=1))
    db.session.commit()
    page = app.test_client().get(listing).get_data(as_text=True)
    for gone in ("Samira", "Thurrock CVS", "Priyanka", "Grays Library"):
        assert gone not in page
    assert page.count("An attendee") == 2 and page.count("Anonymous") == 1
    for text in ("From my page?", "From the link?"):
        question = question_by_text(text)
        assert (question.asker_name, question.asker_organisation) == ("", "")
        assert not question.anonymous and question.shown_asker == "An attendee"
        assert text in page
