"""Sending the letter: to everyone not yet invited or a selection, chase-ups, and retries.

Each letter goes through the outbox in the organiser's unit of work, with a personal link
(a token of purpose INVITATION) that opens the event's public page and records the visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp import audit, tokens
from eventapp.accounts.models import User
from eventapp.errors import DomainError
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.invitations import letter
from eventapp.invitations.models import InvitationLetter, Invitee
from eventapp.invitations.services import get_letter, merge_values
from eventapp.mail import outbox
from eventapp.mail.links import external_url
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from eventapp.tokens import TokenPurpose

KINDS = ("invitation", "chase_up")
MINIMUM_NOTICE = timedelta(days=14)
LINK_KEPT_AFTER_EVENT = timedelta(days=30)

# The handbook's week 2 task, quoted on the page when the notice is shorter.
HANDBOOK_NOTICE = (
    "Send invites at least two weeks ahead of event, including a link to Sli.do to allow "
    "collection of questions."
)
CHASE_PREFACE = (
    "We have not heard from you yet, so here is your invitation again. We would be glad to "
    "see you; if you cannot come, you can let us know through the same link."
)


def short_notice(event: Event, *, now: datetime | None = None) -> bool:
    """Whether the event is less than the handbook's two weeks away."""
    now = now or utcnow()
    return event.starts_at is not None and event.starts_at - now < MINIMUM_NOTICE


def check_can_send(event: Event, saved: InvitationLetter) -> None:
    if event.status in (EventStatus.DRAFT, EventStatus.ARCHIVED):
        raise DomainError(
            "Move the event out of draft before sending invitations: the link in the letter "
            "opens its public page"
            if event.status is EventStatus.DRAFT
            else "This event is archived: restore it to send invitations"
        )
    if event.starts_at is None:
        raise DomainError("Set the date and time of the event before sending invitations")
    if event.ends_at is not None and event.ends_at < utcnow():
        raise DomainError("This event has ended: invitations can no longer be sent")
    letter.check(saved.subject, saved.body)


def _link_lifetime(event: Event, now: datetime) -> timedelta:
    end = event.ends_at or event.starts_at or now
    return max(end + LINK_KEPT_AFTER_EVENT - now, timedelta(days=1))


def _send(event: Event, saved: InvitationLetter, invitees: list[Invitee], *, kind: str) -> None:
    now = utcnow()
    links = tokens.issue_many(
        TokenPurpose.INVITATION, [i.id for i in invitees], ttl=_link_lifetime(event, now), now=now
    )
    council_name = event.council.name
    with db.session.no_autoflush:  # one flush at the end, not one per letter
        for invitee in invitees:
            _send_one(event, saved, invitee, links[invitee.id], kind, council_name, now)
    db.session.flush()


def _send_one(
    event: Event,
    saved: InvitationLetter,
    invitee: Invitee,
    raw: str,
    kind: str,
    council_name: str,
    now: datetime,
) -> None:
    """Render and queue one letter (the caller flushes)."""
    link = external_url("public.invitation", token=raw)
    merged = letter.merge(
        saved.subject, saved.body, merge_values(event, saved, name=invitee.name, link=link)
    )
    subject, preface = merged.subject, None
    if kind == "chase_up":
        subject, preface = f"Reminder: {merged.subject}", CHASE_PREFACE
    html = render_template(
        "mail/invitation.html",
        subject=subject,
        letter=merged.html,
        preface=preface,
        council_name=council_name,
    )
    text = f"{preface}\n\n{merged.text}" if preface else merged.text
    invitee.last_message = outbox.enqueue(
        to=invitee.email or "",
        name=invitee.name,
        content=outbox.Rendered(subject, text, html),
        kind=kind,
        council_id=event.council_id,
        event_id=event.id,
        related=invitee,
        reply_to=saved.contact_details if "@" in saved.contact_details else "",
    )
    if kind == "invitation":
        invitee.invited_at = invitee.invited_at or now
    else:
        invitee.chased_at = now
        invitee.chase_count += 1


def _invitees(event: Event, ids: Sequence[int] | None, *condition: Any) -> list[Invitee]:
    query = select(Invitee).where(
        Invitee.event_id == event.id, Invitee.purged_at.is_(None), *condition
    )
    if ids is not None:
        query = query.where(Invitee.id.in_(list(ids)))
    return list(db.session.scalars(query.order_by(Invitee.id)))


def _not_sent_since(invitees: list[Invitee], loaded_at: datetime | None) -> list[Invitee]:
    """Leave out whoever was sent a message after the page was loaded: resubmitting a page
    (back button, double click) sends nothing twice."""
    if loaded_at is None:
        return invitees
    sent_since = set(
        db.session.scalars(
            select(OutboxMessage.related_id).where(
                OutboxMessage.related_type == "invitee",
                OutboxMessage.related_id.in_([i.id for i in invitees]),
                OutboxMessage.created_at >= loaded_at,
            )
        )
    )
    return [i for i in invitees if i.id not in sent_since]


def send_invitations(
    *,
    event: Event,
    actor: User,
    invitee_ids: Sequence[int] | None,
    loaded_at: datetime | None = None,
) -> int:
    """Send the letter to the chosen invitees, or to everyone not yet invited; returns how many.

    A chosen invitee who was invited before gets the letter again (a new personal link; the
    old one still works).
    """
    saved = get_letter(event, actor)
    check_can_send(event, saved)
    if invitee_ids is None:
        chosen = _invitees(event, None, Invitee.invited_at.is_(None))
    else:
        if not invitee_ids:
            raise DomainError("Select at least one invitee", field="invitees")
        chosen = _not_sent_since(_invitees(event, invitee_ids), loaded_at)
    if not chosen:
        raise DomainError(
            "Everyone on the list has been invited already: add invitees, or choose people to "
            "send it to again"
            if invitee_ids is None
            else "Nothing was sent: the invitations from this page have been sent already",
            field="invitees",
        )
    _send(event, saved, chosen, kind="invitation")
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="invitation.send",
        obj=event,
        summary=f"{len(chosen)} invitation(s)",
    )
    return len(chosen)


def chase_up_candidates(event: Event) -> list[Invitee]:
    """Invited people who have not responded (the handbook's week 3 chase-up)."""
    return _invitees(event, None, Invitee.invited_at.is_not(None), Invitee.responded_at.is_(None))


def send_chase_ups(*, event: Event, actor: User, loaded_at: datetime | None = None) -> int:
    """Send a reminder to everyone invited who has not responded; returns how many."""
    saved = get_letter(event, actor)
    check_can_send(event, saved)
    waiting = chase_up_candidates(event)
    chosen = _not_sent_since(waiting, loaded_at)
    if not chosen:
        raise DomainError(
            "Nothing was sent: the chase-ups from this page have been sent already"
            if waiting
            else "Nobody is waiting to be chased: everyone invited has responded"
        )
    _send(event, saved, chosen, kind="chase_up")
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="invitation.chase",
        obj=event,
        summary=f"{len(chosen)} chase-up(s)",
    )
    return len(chosen)


def retry_failed(*, event: Event, actor: User, invitee_ids: Sequence[int] | None = None) -> int:
    """Queue again the invitees' latest messages that failed; returns how many."""
    query = (
        select(Invitee)
        .where(Invitee.event_id == event.id, Invitee.purged_at.is_(None))
        .options(selectinload(Invitee.last_message))
    )
    if invitee_ids is not None:
        query = query.where(Invitee.id.in_(list(invitee_ids)))
    failed = [
        i.last_message
        for i in db.session.scalars(query)
        if i.last_message is not None and i.last_message.state is MessageState.FAILED
    ]
    count = outbox.retry(failed)
    if count:
        audit.record(
            actor=actor,
            council_id=event.council_id,
            action="invitation.retry",
            obj=event,
            summary=f"{count} message(s)",
        )
    return count


def progress(event: Event) -> dict[MessageState, int]:
    """The event's invitation and chase-up messages by delivery state."""
    return outbox.counts_by_state(event_id=event.id, kinds=KINDS)
