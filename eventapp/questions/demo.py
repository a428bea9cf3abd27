"""Demo questions for the handbook's example event: anonymous and named, waiting, approved,
hidden, answered and merged, with votes and one open follow-up action. Loaded once. Then,
once the demo registrations exist, one named question asked by a registrant from their own
page, who asked to be emailed about follow-up, with an open action against it."""

from __future__ import annotations

from sqlalchemy import select

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.questions import registrants, services, voters
from eventapp.questions.models import Question, QuestionVote, WhoMayAsk
from eventapp.registration.models import Registration, RegistrationStatus

# (text, anonymous, name, organisation, votes, what happens to it)
QUESTIONS = (
    (
        "Does being referred to Prevent mean my child gets a criminal record?",
        True,
        "",
        "",
        9,
        "approve",
    ),
    (
        "How do schools decide when a concern is serious enough to refer?",
        False,
        "Amira",
        "Aveley Primary School",
        7,
        "approve",
    ),
    ("Is Prevent doing enough about far-right groups recruiting online?", True, "", "", 6, "star"),
    (
        "What support is there for parents worried about their teenager?",
        False,
        "Ben",
        "",
        4,
        "answered",
    ),
    ("Are teachers expected to spy on pupils?", True, "", "", 3, "approve"),
    ("Do teachers have to report on pupils to Prevent?", True, "", "", 2, "merge"),
    (
        "Where can I find the local referral figures?",
        False,
        "Chloe",
        "Thurrock Parents Forum",
        0,
        "pending",
    ),
    ("This is a waste of money.", True, "", "", 0, "hide"),
)


def load(event: Event, organiser: User) -> list[str]:
    """Add the demo questions unless the event already has some."""
    if db.session.scalar(select(Question.id).where(Question.event_id == event.id).limit(1)):
        return []
    services.save_settings(
        event=event,
        actor=organiser,
        is_open=True,
        needs_approval=True,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    made: dict[str, Question] = {}
    for n, (text, anonymous, name, organisation, votes, _) in enumerate(QUESTIONS):
        made[text] = services.ask(
            event=event,
            asker=services.Asker(voters.browser_subject(f"demo-asker-{n:02d}-xxxxxxxx")),
            details=services.NewQuestion(
                text=text, anonymous=anonymous, name=name, organisation=organisation
            ),
        )
        for v in range(votes):
            db.session.add(
                QuestionVote(
                    question_id=made[text].id,
                    voter=voters.vote_key(voters.browser_subject(f"demo-voter-{v:02d}-xxxxxxxx")),
                )
            )
        db.session.flush()
        services.recount(made[text])
    spying = made["Are teachers expected to spy on pupils?"]
    for text, *_, outcome in QUESTIONS:
        question = made[text]
        if outcome in ("approve", "star", "answered", "merge"):
            services.approve(question=question, actor=organiser)
        if outcome == "star":
            services.set_starred(question=question, actor=organiser, starred=True)
        if outcome == "answered":
            services.set_answered(question=question, actor=organiser, answered=True)
        if outcome == "merge":
            services.merge(question=question, into=spying, actor=organiser)
        if outcome == "hide":
            services.hide(question=question, actor=organiser, reason="Not a question")
    services.tag_faq(question=spying, actor=organiser, faq_key="spying")
    services.tag_faq(question=made[QUESTIONS[0][0]], actor=organiser, faq_key="criminal_record")
    services.add_action(
        question=made["Where can I find the local referral figures?"],
        actor=organiser,
        details=services.ActionDetails(
            what="Send the latest published Prevent referral figures to the parents' forum",
            who="Community safety team",
        ),
    )
    uow.commit()
    return ["its questions"]


REGISTRANT_QUESTION = "Can schools get training on spotting online radicalisation?"


def load_registrant_question(event: Event, organiser: User) -> list[str]:
    """A confirmed registrant asks by name from their own page and asks to be told of follow-up;
    the organiser approves it and records an action (marking it done emails them)."""
    if db.session.scalar(
        select(Question.id)
        .where(Question.event_id == event.id, Question.asker_registration_id.is_not(None))
        .limit(1)
    ):
        return []
    registration = db.session.scalar(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.purged_at.is_(None),
            Registration.organisation != "",
        )
        .order_by(Registration.id)
        .limit(1)
    )
    if registration is None:
        return []
    question = registrants.ask(
        registration=registration,
        details=services.NewQuestion(
            text=REGISTRANT_QUESTION,
            anonymous=False,
            name=registration.name.split()[0],
            organisation=registration.organisation,
            tell_asker=True,
        ),
        browser="demo-registrant-xxxxxxxx",
    )
    services.approve(question=question, actor=organiser)
    for v in range(5):
        db.session.add(
            QuestionVote(
                question_id=question.id,
                voter=voters.vote_key(voters.browser_subject(f"demo-voter-{v:02d}-xxxxxxxx")),
            )
        )
    db.session.flush()
    services.recount(question)
    services.add_action(
        question=question,
        actor=organiser,
        details=services.ActionDetails(
            what="Send the school the details of the Prevent online training for staff",
            who="Prevent coordinator",
        ),
    )
    uow.commit()
    return ["a registrant's named question with a follow-up action"]
