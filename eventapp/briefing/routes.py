"""The chair's briefing pack: one printable page with everything the chairperson needs."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, merge, uow
from eventapp.access import me, planner_required
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import PART_LABELS
from eventapp.audience import services as audience_services
from eventapp.briefing import services
from eventapp.briefing.faqs import Q_FAQ_INTRO, Q_STATISTICS
from eventapp.briefing.forms import FaqsForm
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import FORMAT_LABELS, PRESENTATION_LABELS, Event
from eventapp.forms import show_error
from eventapp.handbook import RECEPTIVE_LABELS, SECTOR_LABELS, VIDEO_EDIT_LABELS
from eventapp.objectives import services as objective_services
from eventapp.resources.content import Q_CASE_STUDIES
from eventapp.web import keeps_input_on_csrf_error

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
        faqs=services.chosen_faqs(event),
        faq_intro=Q_FAQ_INTRO,
        statistics=Q_STATISTICS,
        case_studies=Q_CASE_STUDIES,
        video_labels=VIDEO_EDIT_LABELS,
    )


@bp.route("/faqs", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def faqs(event: Event) -> str | Response:
    """Choose which of the handbook's FAQs the chair's pack includes."""
    form = FaqsForm()
    if request.method == "GET":
        form.faqs.data = list(event.briefing_faqs or [])
        edits.remember(form, {"faqs": form.faqs.data})
    if form.validate_on_submit():
        # Box by box against what is saved now: a colleague's ticks meanwhile are kept.
        event_services.reread_locked(event)
        saved = list(event.briefing_faqs or [])
        keys = list(form.faqs.data or [])
        loaded = (edits.decode(form.loaded_version.data) or {}).get("faqs")
        kept_theirs = False
        if isinstance(loaded, tuple):
            keys = list(merge.ticks(loaded, saved, keys))
            kept_theirs = tuple(sorted(saved)) != loaded
        try:
            uow.run(services.set_faqs, event=event, actor=me(), keys=keys)
        except DomainError as error:
            show_error(form, error, "faqs")
        else:
            note = (
                " A colleague's changes saved since you opened the page were kept."
                if kept_theirs
                else ""
            )
            flash("The questions for the chair's pack are saved." + note, "success")
            return redirect(url_for("briefing.pack", event_id=event.id, _anchor="faqs"))
    return render_template(
        "briefing/faqs.html", event=event, form=form, faq_intro=Q_FAQ_INTRO, statistics=Q_STATISTICS
    )
