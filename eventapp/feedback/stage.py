"""The overview's "Feedback" stage."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event
from eventapp.feedback import services
from eventapp.feedback.window import State


@stages.register("feedback", order=stages.Order.FEEDBACK)
def feedback_stage(event: Event) -> stages.Stage:
    href = url_for("feedback.index", event_id=event.id)
    window = services.window_of(event)
    counts = services.counts(event)
    if counts.total:
        status = stages.COMPLETED if window.state is State.CLOSED else stages.IN_PROGRESS
        return stages.Stage("Feedback", f"{counts.text}.", status, href)
    if window.state is State.OPEN:
        return stages.Stage(
            "Feedback", "The form is open: no responses yet.", stages.IN_PROGRESS, href
        )
    return stages.Stage(
        "Feedback",
        "The anonymous Annex A form opens when the event starts.",
        stages.NOT_STARTED,
        href,
    )
