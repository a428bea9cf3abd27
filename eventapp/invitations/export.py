"""The invitee list as CSV, streamed, with spreadsheet formulas neutralised (QUALITY 16)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.csvsafe import Lines
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS
from eventapp.invitations.models import Invitee
from eventapp.mail.models import STATE_LABELS

HEADING = ["name", "email", "organisation", "sector", "role", "invited", "opened link", "delivery"]


def rows(event: Event, *, batch: int = 500) -> Iterator[str]:
    """The CSV, a line at a time, reading the invitees in batches (memory stays flat)."""
    lines = Lines()
    yield lines.row(HEADING)
    last_id = 0
    while True:
        chunk = list(
            db.session.scalars(
                select(Invitee)
                .where(Invitee.event_id == event.id, Invitee.id > last_id)
                .options(selectinload(Invitee.last_message))
                .order_by(Invitee.id)
                .limit(batch)
            )
        )
        if not chunk:
            return
        yield lines.rows(_row(invitee) for invitee in chunk)
        last_id = chunk[-1].id
        db.session.expunge_all()


def _row(invitee: Invitee) -> tuple[object, ...]:
    message = invitee.last_message
    return (
        invitee.name,
        invitee.email or "",
        invitee.organisation,
        SECTOR_LABELS[invitee.sector] if invitee.sector else "",
        invitee.role,
        invitee.invited_at.date().isoformat() if invitee.invited_at else "",
        "yes" if invitee.opened_at else "no",
        STATE_LABELS[message.state] if message is not None else "Not sent",
    )
