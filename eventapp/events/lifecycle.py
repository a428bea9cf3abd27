"""Which status changes are allowed, and why one is not (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eventapp.events.models import EventStatus as S

# Every move an event can make, with the words on its button.
TRANSITIONS: dict[tuple[S, S], str] = {
    (S.DRAFT, S.PLANNING): "Start planning",
    (S.DRAFT, S.ARCHIVED): "Archive this draft",
    (S.PLANNING, S.DRAFT): "Return to draft",
    (S.PLANNING, S.OPEN): "Open registration",
    (S.PLANNING, S.HELD): "Mark as held",
    (S.PLANNING, S.ARCHIVED): "Archive (event will not go ahead)",
    (S.OPEN, S.PLANNING): "Close registration",
    (S.OPEN, S.HELD): "Mark as held",
    (S.HELD, S.EVALUATED): "Mark as evaluated",
    (S.EVALUATED, S.HELD): "Reopen evaluation",
    (S.EVALUATED, S.ARCHIVED): "Archive",
    (S.ARCHIVED, S.DRAFT): "Restore as a draft",
    (S.ARCHIVED, S.EVALUATED): "Restore",
}


@dataclass(frozen=True)
class EventFacts:
    """What the rules need to know about an event."""

    status: S
    starts_at: datetime | None
    ends_at: datetime | None
    was_held: bool


@dataclass(frozen=True)
class Move:
    to: S
    label: str
    blocked_because: str | None = None

    @property
    def allowed(self) -> bool:
        return self.blocked_because is None


WRONG_RESTORE_HELD = "This event was held: restore it to its evaluation instead"
WRONG_RESTORE_NOT_HELD = "This event was never held: restore it as a draft instead"


def why_not(facts: EventFacts, to: S, *, now: datetime, can_evaluate: bool) -> str | None:
    """The reason a move is not allowed now, or None if it is."""
    if (facts.status, to) not in TRANSITIONS:
        return "An event cannot move directly between these stages"
    if to is S.OPEN:
        if facts.starts_at is None or facts.ends_at is None:
            return "Enter the date, start time and end time before opening registration"
        if facts.starts_at <= now:
            return "Registration cannot open for an event that has already started"
    if to is S.HELD and (facts.starts_at is None or facts.starts_at > now):
        return "An event can be marked as held once it has started"
    if facts.status is S.ARCHIVED:
        if to is S.DRAFT and facts.was_held:
            return WRONG_RESTORE_HELD
        if to is S.EVALUATED and not facts.was_held:
            return WRONG_RESTORE_NOT_HELD
        if to is S.EVALUATED and not can_evaluate:
            return "Only a coordinator can restore this event, because it was held"
    if to is S.EVALUATED and not can_evaluate:
        return "Only a coordinator can mark an event as evaluated"
    return None


def moves(facts: EventFacts, *, now: datetime, can_evaluate: bool) -> list[Move]:
    """Every move from the current status, allowed or not, in a stable order.

    An archived event is offered only the restore that fits it (to its evaluation if it was
    held, else as a draft): the other is left out rather than shown with a reason.
    """
    listed = [
        Move(to, label, why_not(facts, to, now=now, can_evaluate=can_evaluate))
        for (frm, to), label in TRANSITIONS.items()
        if frm is facts.status
    ]
    wrong = {WRONG_RESTORE_HELD, WRONG_RESTORE_NOT_HELD}
    return [m for m in listed if m.blocked_because not in wrong]
