"""The audience stage on an event's overview."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.audience import services
from eventapp.events.models import Event

_STATUS = {
    "completed": stages.COMPLETED,
    "in progress": stages.IN_PROGRESS,
    "not started": stages.NOT_STARTED,
}


@stages.register("audience", order=stages.Order.AUDIENCE)
def audience_stage(event: Event) -> stages.Stage:
    """How far the audience profile and the list of target organisations have got."""
    organisations = len(event.target_organisations)
    status = services.profile_status(services.get_profile(event), organisations)
    return stages.Stage(
        "Audience",
        f"Who the event is for. {organisations} target organisation"
        f"{'s' if organisations != 1 else ''}.",
        _STATUS[status],
        url_for("audience.edit", event_id=event.id),
    )
