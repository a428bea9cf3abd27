"""Public event pages and the links that lead to them."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import public, token_route
from eventapp.events.models import FORMAT_LABELS, Event
from eventapp.invitations.services import get_letter, when_text
from eventapp.public import bp, services
from eventapp.registration.services import availability
from eventapp.tokens import TokenPurpose

# Where a visitor came from, kept for the registration form (issue 10 records it).
VIA = "public.via"


def _page(event: Event, *, invitee_name: str | None = None) -> str:
    saved = get_letter(event)
    return render_template(
        "public/event.html",
        event=event,
        council=event.council,
        when=when_text(event),
        location=event.general_location,
        format_label=FORMAT_LABELS[event.format],
        contact_name=saved.contact_name,
        contact_details=saved.contact_details,
        pre_registration=saved.pre_registration,
        invitee_name=invitee_name,
        places=availability(event).value,
    )


@bp.route("/e/<slug:event_slug>")
@public
def event(event: Event) -> str:
    """What the event is, when, and roughly where."""
    return _page(event)


@bp.route("/e/<slug:event_slug>/via/<code>")
@public
def channel(event: Event, code: str) -> Response:
    """A channel's link (from a flyer, newsletter...): counted, then the event's page."""
    seen = session.get(VIA + ".seen", [])
    first = code not in seen
    opened = uow.run(services.open_channel, event, code, first_visit=first)
    if opened is None:
        abort(404)
    if first:
        session[VIA + ".seen"] = [*seen, code][-20:]
    session[VIA] = f"channel:{opened.id}"
    return redirect(url_for("public.event", event_slug=event.public_slug))


@bp.route("/i/<token:token>")
@token_route(TokenPurpose.INVITATION)
def invitation(token: str) -> str:
    """An invitee's personal link: records that it was opened and shows the event's page."""
    invitee = uow.run(services.open_invitation, token)
    if invitee is None:
        abort(404)
    g.council = invitee.event.council
    session[VIA] = f"invitee:{invitee.id}"
    return _page(invitee.event, invitee_name=invitee.name)
