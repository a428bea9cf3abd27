"""The evaluation stage on an event's overview (the handbook's week 5)."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event, EventStatus


@stages.register("evaluation", order=stages.Order.EVALUATION)
def evaluation_stage(event: Event) -> stages.Stage:
    """Open once the event is held; completed when a coordinator signs it off as evaluated."""
    url = url_for("evaluation.report", event_id=event.id)
    if event.status is EventStatus.EVALUATED:
        return stages.Stage("Evaluation", "Signed off as evaluated.", stages.COMPLETED, url)
    if event.status is EventStatus.HELD:
        return stages.Stage(
            "Evaluation",
            "Review the report, add your conclusions and send it to Home Office Prevent.",
            stages.IN_PROGRESS,
            url,
        )
    return stages.Stage(
        "Evaluation", "The report fills in once the event is held.", stages.CANNOT_START, url
    )
