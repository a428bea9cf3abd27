"""Recording the virtual or in-person decision."""

from __future__ import annotations

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat
from eventapp.events.signals import event_saved
from eventapp.extensions import db
from eventapp.handbook import (
    ALL_FORMAT_ACTION_KEYS,
    IN_PERSON_PRO_KEYS,
    VIRTUAL_ACTION_KEYS,
    VIRTUAL_PRO_KEYS,
)
from eventapp.models.base import utcnow


def record_decision(
    *,
    event: Event,
    actor: User,
    pros: list[str],
    chosen: EventFormat | None,
    rationale: str,
    actions: list[str],
) -> None:
    """Save the ticked pros, the chosen format, the reason and the virtual actions to take."""
    if chosen is None:
        raise DomainError("Select the format you have chosen", field="format")
    if not rationale.strip():
        raise DomainError("Say why you chose this format", field="rationale")
    known = VIRTUAL_PRO_KEYS | IN_PERSON_PRO_KEYS
    before = event_services.calendar_view(event)
    event.format_pros = [p for p in pros if p in known]
    event_services.set_format(event, chosen)
    event.format_rationale = rationale.strip()
    # The platform and tech tips are for online and hybrid events; the Q&A and evaluation
    # tips apply to every format, as the handbook says.
    kept = VIRTUAL_ACTION_KEYS if chosen is not EventFormat.IN_PERSON else ALL_FORMAT_ACTION_KEYS
    event.virtual_actions = [a for a in actions if a in kept]
    event.format_decided_at = utcnow()
    event_services.bump_sequence_if_changed(event, before)
    db.session.flush()
    audit.record(
        actor=actor,
        council_id=event.council_id,
        action="event.format",
        obj=event,
        summary=str(chosen),
    )
    event_saved.send(event=event, actor=actor)
