"""The invitee list as CSV, streamed, with spreadsheet formulas neutralised (QUALITY 16)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS
from eventapp.invitations.models import Invitee
from eventapp.mail.models import STATE_LABELS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADING = ["name", "email", "organisation", "sector", "role", "invited", "opened link", "delivery"]


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(event: Event, *, batch: int = 500) -> Iterator[str]:
    """The CSV, a line at a time, reading the invitees in batches (memory stays flat)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(HEADING)
    yield flush()
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
        for invitee in chunk:
            message = invitee.last_message
            writer.writerow(
                safe_cell(v)
                for v in (
                    invitee.name,
                    invitee.email or "",
                    invitee.organisation,
                    SECTOR_LABELS[invitee.sector] if invitee.sector else "",
                    invitee.role,
                    invitee.invited_at.date().isoformat() if invitee.invited_at else "",
                    "yes" if invitee.opened_at else "no",
                    STATE_LABELS[message.state] if message is not None else "Not sent",
                )
            )
        last_id = chunk[-1].id
        yield flush()
        db.session.expunge_all()
