"""The agenda stage on an event's overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.agenda import services
from eventapp.events.models import Event

# Agenda guidance that means the agenda is not finished yet (the rest is advice).
UNFINISHED_AGENDA = frozenset({"overrun", "missing_scene", "missing_messages", "missing_engage"})


@stages.register("agenda", order=stages.Order.AGENDA)
def agenda_stage(event: Event) -> stages.Stage:
    """Complete unless the agenda overruns the event or misses one of its three parts."""
    agenda = services.agenda_view(event)
    if not agenda.rows:
        status = stages.NOT_STARTED
        hint = "Set the scene, land the key messages and leave plenty of time for questions."
    else:
        # Guidance is advice: only an agenda that overruns the event or misses one of its
        # three parts is unfinished.
        blocking = [g for g in agenda.guidance if g.key in UNFINISHED_AGENDA]
        status = stages.IN_PROGRESS if blocking else stages.COMPLETED
        hint = f"{len(agenda.rows)} items. {agenda.summary}."
        if agenda.guidance:
            count = len(agenda.guidance)
            hint += f" {count} point{'s' if count != 1 else ''} to consider."
    return stages.Stage("Agenda", hint, status, url_for("agenda.index", event_id=event.id))
