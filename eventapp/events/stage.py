"""The event details stage on the overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event


@stages.register("details", order=stages.Order.DETAILS)
def details_stage(event: Event) -> stages.Stage:
    """Complete once the event has its aims, date and times."""
    done = bool(event.starts_at and event.ends_at and event.aims)
    return stages.Stage(
        "Event details",
        "Title, aims, date and time, venue or joining link, chairperson and speakers.",
        stages.COMPLETED if done else stages.IN_PROGRESS,
        url_for("events.edit", event_id=event.id),
    )
