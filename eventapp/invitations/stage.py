"""The overview's "Invitations" stage."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event
from eventapp.invitations.services import invitee_counts


@stages.register("invitations", order=stages.Order.INVITATIONS)
def invitations_stage(event: Event) -> stages.Stage:
    counts = invitee_counts(event)
    href = url_for("invitations.index", event_id=event.id)
    if counts["total"] == 0:
        return stages.Stage(
            "Invitations", "Write the letter, add invitees and send it.", stages.NOT_STARTED, href
        )
    hint = (
        f"{counts['invited']:,} of {counts['total']:,} invited; "
        f"{counts['opened']:,} opened their link."
    )
    status = stages.COMPLETED if counts["invited"] == counts["total"] else stages.IN_PROGRESS
    return stages.Stage("Invitations", hint, status, href)
