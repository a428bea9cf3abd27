"""Channel pages: public links per channel, their QR codes and a printable A5 flyer."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from eventapp import uow
from eventapp.access import me, planner_required
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.invitations import bp, channels, sending
from eventapp.invitations.forms import ChannelForm
from eventapp.invitations.models import CHANNEL_LABELS, ChannelKind, InvitationChannel
from eventapp.invitations.services import get_letter, when_text
from eventapp.mail.links import external_url
from eventapp.web import keeps_input_on_csrf_error


def channel_url(event: Event, channel: InvitationChannel) -> str:
    return external_url("public.channel", event_slug=event.public_slug, code=channel.code)


@bp.route("/channels", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def channel_list(event: Event) -> str | Response:
    """The event's public links, one per channel, and adding another."""
    form = ChannelForm()
    if form.validate_on_submit():
        try:
            uow.run(
                channels.add_channel,
                event=event,
                actor=me(),
                kind=ChannelKind(form.kind.data),
                label=form.label.data or "",
            )
        except DomainError as error:
            show_error(form, error, "label")
        else:
            flash("Channel added, with its own link and QR code.", "success")
            return redirect(url_for("invitations.channel_list", event_id=event.id))
    listed = channels.list_channels(event)
    return render_template(
        "invitations/channels.html",
        event=event,
        channels=listed,
        urls={c.id: channel_url(event, c) for c in listed},
        kind_labels=CHANNEL_LABELS,
        form=form,
    )


@bp.route("/channels/<int:channel_id>/qr.<any(png, svg):kind>")
@planner_required
def channel_qr(event: Event, channel_id: int, kind: str) -> Response:
    """The channel's link as a QR code, to download."""
    channel = channels.get_channel(event, channel_id)
    url = channel_url(event, channel)
    name = f"qr-{channel.code}.{kind}"
    if kind == "png":
        response = Response(channels.qr_png(url), mimetype="image/png")
    else:
        response = Response(channels.qr_svg(url, title=channel.label), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/channels/<int:channel_id>/flyer")
@planner_required
def flyer(event: Event, channel_id: int) -> str:
    """A printable A5 flyer with the channel's QR code and link."""
    channel = channels.get_channel(event, channel_id)
    url = channel_url(event, channel)
    saved = get_letter(event, me())
    return render_template(
        "invitations/flyer.html",
        event=event,
        channel=channel,
        url=url,
        qr=Markup(channels.qr_svg(url, scale=3, title="QR code for the event's page")),  # noqa: S704 - segno's own SVG
        when=when_text(event),
        letter=saved,
        location=event.general_location,
        pre_registration=saved.pre_registration,
        short_notice=sending.short_notice(event),
    )
