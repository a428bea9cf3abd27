"""Finding an event by its public identifiers, and recording who opened which link."""

from __future__ import annotations

from sqlalchemy import update

from eventapp import tokens
from eventapp.events.models import Event
from eventapp.events.services import PUBLIC_STATUSES
from eventapp.extensions import db
from eventapp.invitations import channels
from eventapp.invitations.models import InvitationChannel, Invitee
from eventapp.models.base import utcnow
from eventapp.tokens import TokenPurpose


def open_invitation(raw: str) -> Invitee | None:
    """The invitee whose personal link this is, recording the first time it was opened."""
    row = tokens.find(TokenPurpose.INVITATION, raw)
    if row is None:
        return None
    invitee = db.session.get(Invitee, row.subject_id)
    if invitee is None or invitee.purged_at is not None:
        return None
    if invitee.event.status not in PUBLIC_STATUSES:
        return None
    if invitee.opened_at is None:
        # Conditional, so two tabs opening at once record the first time only.
        db.session.execute(
            update(Invitee)
            .where(Invitee.id == invitee.id, Invitee.opened_at.is_(None))
            .values(opened_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return invitee


def open_channel(event: Event, code: str, *, first_visit: bool) -> InvitationChannel | None:
    """The event's channel with this code; a browser's first visit is counted."""
    channel = channels.channel_by_code(code)
    if channel is None or channel.event_id != event.id:
        return None
    if first_visit:
        channels.count_open(channel)
    return channel
