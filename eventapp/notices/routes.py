"""The privacy notice and the accessibility statement: public pages in the public layout."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from limits import parse

from eventapp.access import public
from eventapp.notices import accessibility, privacy

bp = Blueprint("notices", __name__)


def duration_words(seconds: int) -> str:
    """A limit's window in words: 900 is "15 minutes", 86400 is "1 day"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _longest_sign_in_window() -> str:
    """How long the longest sign-in limit keeps its counts, in words."""
    seconds = max(
        parse(str(value)).get_expiry()
        for name, value in current_app.config.items()
        if name.startswith("SIGN_IN_LIMIT") and value
    )
    return duration_words(seconds)


@bp.route("/privacy", endpoint="privacy")
@public
def privacy_notice() -> str:
    """What personal data the service keeps, why, for how long, and people's rights."""
    config = current_app.config
    return render_template(
        "notices/privacy.html",
        sections=privacy.sections(),
        last_updated=privacy.LAST_UPDATED,
        data_protection_email=config["DATA_PROTECTION_EMAIL"],
        idle_minutes=config["SESSION_IDLE_MINUTES"],
        absolute_hours=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600),
        sign_in_window=_longest_sign_in_window(),
    )


@bp.route("/accessibility", endpoint="accessibility")
@public
def accessibility_statement() -> str:
    """How accessible the service is, how it was tested, and how to report a problem."""
    return render_template(
        "notices/accessibility.html",
        statement=accessibility,
        service_contact_phone=current_app.config["SERVICE_CONTACT_PHONE"],
        idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
    )
