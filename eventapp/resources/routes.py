"""The resources page: Annex B, the Home Office contact and what the handbook offers."""

from __future__ import annotations

from flask import Blueprint, render_template

from eventapp.access import signed_in
from eventapp.briefing.faqs import FAQS, Q_FAQ_INTRO, Q_STATISTICS
from eventapp.resources import content

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.route("/")
@signed_in
def index() -> str:
    """The handbook's useful resources, its FAQs and whom to ask at the Home Office."""
    return render_template(
        "resources/index.html",
        content=content,
        faqs=FAQS,
        faq_intro=Q_FAQ_INTRO,
        statistics=Q_STATISTICS,
    )
