"""The objectives stage on an event's overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event
from eventapp.objectives import services


@stages.register("objectives", order=stages.Order.OBJECTIVES)
def objectives_stage(event: Event) -> stages.Stage:
    """Complete when there is at least one objective and every one passes the SMART check."""
    objectives = event.objectives
    attention = sum(1 for o in objectives if not services.check(o, event).passed)
    if not objectives:
        status, hint = stages.NOT_STARTED, "Set at least one SMART objective."
    elif attention == 0:
        plural = "s" if len(objectives) != 1 else ""
        status, hint = stages.COMPLETED, f"{len(objectives)} objective{plural}, all SMART."
    else:
        status = stages.IN_PROGRESS
        hint = f"{attention} of {len(objectives)} need attention to be SMART."
    return stages.Stage("Objectives", hint, status, url_for("objectives.index", event_id=event.id))
