"""The overview's "Registration" stage: "23 confirmed of 30, 4 waiting"."""

from __future__ import annotations

from flask import url_for

from eventapp import stages
from eventapp.events.models import Event
from eventapp.registration.queries import attendance


def summary(event: Event) -> str:
    """'23 confirmed of 30, 4 waiting' (and pending approvals, when there are some)."""
    figures = attendance(event.id)
    text = f"{figures.confirmed:,} confirmed"
    if event.capacity is not None:
        text += f" of {event.capacity:,}"
    text += f", {figures.waiting:,} waiting"
    if figures.pending:
        text += f", {figures.pending:,} to approve"
    return text


@stages.register("registration", order=stages.Order.REGISTRATION)
def registration_stage(event: Event) -> stages.Stage:
    figures = attendance(event.id)
    href = url_for("registrations.index", event_id=event.id)
    if figures.registered == 0 and figures.walk_ins == 0:
        return stages.Stage(
            "Registration",
            "Choose how people get a place; nobody has registered yet.",
            stages.NOT_STARTED,
            href,
        )
    full = event.capacity is not None and figures.confirmed >= event.capacity
    return stages.Stage(
        "Registration",
        summary(event) + ".",
        stages.COMPLETED if full else stages.IN_PROGRESS,
        href,
    )
