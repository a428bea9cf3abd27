"""The chair's briefing pack: one printable page with everything the chairperson needs."""

from __future__ import annotations

from flask import Blueprint, render_template

from eventapp.access import planner_required
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import PART_LABELS
from eventapp.audience import services as audience_services
from eventapp.events.models import FORMAT_LABELS, PRESENTATION_LABELS, Event
from eventapp.handbook import RECEPTIVE_LABELS, SECTOR_LABELS
from eventapp.objectives import services as objective_services

bp = Blueprint("briefing", __name__, url_prefix="/events/<int:event_id>/briefing")


@bp.route("/")
@planner_required
def pack(event: Event) -> str:
    """The briefing pack for the chairperson, ready to print."""
    return render_template(
        "briefing/pack.html",
        event=event,
        aims=event.aim_descriptions,
        objectives=[(o, objective_services.check(o, event)) for o in event.objectives],
        profile=audience_services.get_profile(event),
        organisations=audience_services.organisations(event),
        agenda=agenda_services.agenda_view(event),
        virtual_actions=event.chosen_virtual_actions,
        format_labels=FORMAT_LABELS,
        presentation_labels=PRESENTATION_LABELS,
        sector_labels=SECTOR_LABELS,
        receptive_labels=RECEPTIVE_LABELS,
        part_labels=PART_LABELS,
    )
