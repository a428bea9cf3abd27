"""The planning checklist stage on an event's overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.checklist import services
from eventapp.events.models import Event


@stages.register("checklist", order=stages.Order.CHECKLIST)
def checklist_stage(event: Event) -> stages.Stage:
    """How many of the event's checklist tasks are done (none exist before it has a date)."""
    href = url_for("checklist.index", event_id=event.id)
    if event.starts_at is None:
        return stages.Stage(
            "Planning checklist",
            "The handbook's week-by-week tasks appear once the event has a date.",
            stages.NOT_STARTED,
            href,
        )
    done = services.progress(event)
    if done.total and done.done == done.total:
        status = stages.COMPLETED
    else:
        status = stages.IN_PROGRESS if done.done else stages.NOT_STARTED
    return stages.Stage("Planning checklist", done.summary + ".", status, href)
