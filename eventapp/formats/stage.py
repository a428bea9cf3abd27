"""The virtual or in-person stage on an event's overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event


@stages.register("format", order=stages.Order.FORMAT)
def format_stage(event: Event) -> stages.Stage:
    """Complete once a format has been chosen on the decision page."""
    return stages.Stage(
        "Virtual or in person",
        "Weigh the pros of each and record your choice.",
        stages.COMPLETED if event.format_decided_at else stages.NOT_STARTED,
        url_for("formats.decide", event_id=event.id),
    )
