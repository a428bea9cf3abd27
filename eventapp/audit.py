"""Record who did what: organiser actions, never attendees' personal data or tokens."""

from __future__ import annotations

from typing import Protocol

from eventapp.accounts.models import AuditEntry, User
from eventapp.extensions import db
from eventapp.models.base import utcnow


class _HasId(Protocol):
    id: int


def record(
    *,
    actor: User | None,
    council_id: int,
    action: str,
    obj: _HasId | None = None,
    summary: str = "",
) -> AuditEntry:
    """Add an audit entry to the current transaction."""
    entry = AuditEntry(
        council_id=council_id,
        user_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=obj.id if obj is not None else None,
        summary=summary[:500],
        at=utcnow(),
    )
    db.session.add(entry)
    return entry
