"""Personal single-use feedback links, emailed to attendees through the outbox.

Who may still answer lives apart from the answers (QUALITY 18; REFERENCES: Indico and
LimeSurvey): ``feedback_link`` holds, per attendee sent a link, only the keyed hash of their
unused token (``eventapp.tokens.hash_token``, purpose FEEDBACK). Using the link *deletes*
that row in the transaction that stores the response, so no surviving row shares anything
with the response — not a time, an order, a sequence number or even the transaction that
wrote it. ``feedback_invited`` says that a link was sent (so a second mail-out skips them).

A reminder goes to whoever still holds a row: it reveals "has not answered yet", never which
response is whose. It carries a fresh link (only hashes are kept, so the old one cannot be
sent again), which replaces the old one.

Recipients are the event's attendees from registration: those checked in on the day, or,
if nobody was checked in, everyone with a confirmed place; each needs an email address.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from eventapp import audit, tokens
from eventapp.accounts.models import User
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import services
from eventapp.feedback.answers import Answers
from eventapp.feedback.link_models import FeedbackInvited, FeedbackLink
from eventapp.feedback.models import Source
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.registration.models import Registration
from eventapp.registration.queries import attendance, attended_attendees, confirmed_attendees
from eventapp.tokens import TokenPurpose

KIND_LINK = "feedback_link"
KIND_REMINDER = "feedback_reminder"


def hash_of(raw: str) -> str:
    return tokens.hash_token(TokenPurpose.FEEDBACK, raw)


def recipients(event: Event) -> list[Registration]:
    """The attendees to send links to: checked in on the day, else confirmed; with email."""
    people = attended_attendees(event.id) or confirmed_attendees(event.id)
    return [p for p in people if p.email]


def attendee_count(event: Event) -> int | None:
    """How many attended (checked in), else how many had a confirmed place; None if none."""
    figures = attendance(event.id)
    return figures.attended or figures.confirmed or None


@dataclass(frozen=True)
class LinkCounts:
    sent: int  # attendees sent a link
    waiting: int  # links not used yet (reminders go to these)
    to_send: int  # attendees not sent one yet

    @property
    def used(self) -> int:
        return self.sent - self.waiting


def link_counts(event: Event) -> LinkCounts:
    sent = db.session.scalar(
        select(func.count())
        .select_from(FeedbackInvited)
        .where(FeedbackInvited.event_id == event.id)
    )
    waiting = db.session.scalar(
        select(func.count()).select_from(FeedbackLink).where(FeedbackLink.event_id == event.id)
    )
    invited = set(
        db.session.scalars(
            select(FeedbackInvited.registration_id).where(FeedbackInvited.event_id == event.id)
        )
    )
    to_send = sum(1 for p in recipients(event) if p.id not in invited)
    return LinkCounts(int(sent or 0), int(waiting or 0), to_send)


def _mail(event: Event, person: Registration, raw: str, *, reminder: bool) -> None:
    window = services.window_of(event)
    content = outbox.render(
        "feedback_link",
        subject=("Reminder: " if reminder else "") + f"Your feedback on {event.title}",
        name=person.name,
        event=event,
        link=external_url("feedback.personal", token=raw),
        last_day=window.last_day,
        reminder=reminder,
        council_name=event.council.name,
    )
    assert person.email
    outbox.enqueue(
        to=person.email,
        name=person.name,
        content=content,
        kind=KIND_REMINDER if reminder else KIND_LINK,
        council_id=event.council_id,
        event_id=event.id,
        related=person,
    )


def send_links(*, event: Event, actor: User) -> int:
    """Email a personal link to every attendee not sent one yet; how many were sent."""
    if not services.window_of(event).is_open:
        raise DomainError("Links can be sent while the feedback form is open")
    invited = set(
        db.session.scalars(
            select(FeedbackInvited.registration_id).where(FeedbackInvited.event_id == event.id)
        )
    )
    people = [p for p in recipients(event) if p.id not in invited]
    for person in people:
        raw = tokens.new_token()
        db.session.add(FeedbackInvited(event_id=event.id, registration_id=person.id))
        db.session.add(
            FeedbackLink(event_id=event.id, registration_id=person.id, token_hash=hash_of(raw))
        )
        _mail(event, person, raw, reminder=False)
    if people:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="feedback.links",
            obj=event,
            summary=f"Feedback links sent to {len(people)} attendees",
        )
    db.session.flush()
    return len(people)


def send_reminders(*, event: Event, actor: User) -> int:
    """Email a fresh link to everyone whose link is unused (it replaces the old one)."""
    if not services.window_of(event).is_open:
        raise DomainError("Reminders can be sent while the feedback form is open")
    links = list(
        db.session.scalars(
            select(FeedbackLink).where(FeedbackLink.event_id == event.id).with_for_update()
        )
    )
    people = {
        p.id: p
        for p in db.session.scalars(
            select(Registration).where(
                Registration.id.in_([link.registration_id for link in links])
            )
        )
    }
    sent = 0
    for link in links:
        person = people.get(link.registration_id)
        if person is None or not person.email or person.purged_at is not None:
            continue
        raw = tokens.new_token()
        link.token_hash = hash_of(raw)
        link.sends += 1
        _mail(event, person, raw, reminder=True)
        sent += 1
    if sent:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="feedback.reminders",
            obj=event,
            summary=f"Feedback reminders sent to {sent} attendees",
        )
    db.session.flush()
    return sent


def event_of_link(raw: str) -> Event | None:
    """The event an unused personal link is for, or None (unknown, used or replaced)."""
    if not tokens.looks_like_token(raw):
        return None
    link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.token_hash == hash_of(raw)))
    return link.event if link is not None else None


def submit_personal(*, raw: str, answers: Answers, response_id: uuid.UUID) -> Event | None:
    """Use a personal link: delete its row and store the response in one transaction.

    Returns the event, or None if the link was already used (or replaced, or unknown): the
    conditional DELETE lets only one of two racing requests through.
    """
    if not tokens.looks_like_token(raw):
        return None
    deleted = db.session.execute(
        delete(FeedbackLink)
        .where(FeedbackLink.token_hash == hash_of(raw))
        .returning(FeedbackLink.event_id)
    ).first()
    if deleted is None:
        return None
    event = db.session.get(Event, deleted[0])
    assert event is not None
    if not services.accepts_online(event):
        raise DomainError("The feedback form for this event is closed")
    services.store_response(
        event=event, answers=answers, source=Source.PERSONAL_LINK, response_id=response_id
    )
    return event
