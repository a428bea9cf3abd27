"""The wider channels: a public link per channel, its QR code, and counting who opens it."""

from __future__ import annotations

import io

import segno
from sqlalchemy import select, update

from eventapp import audit
from eventapp.accounts.models import User
from eventapp.errors import DomainError, NotFoundError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations.models import CHANNEL_LABELS, ChannelKind, InvitationChannel
from eventapp.mail.message import single_line


def list_channels(event: Event) -> list[InvitationChannel]:
    return list(
        db.session.scalars(
            select(InvitationChannel)
            .where(InvitationChannel.event_id == event.id)
            .order_by(InvitationChannel.id)
        )
    )


def get_channel(event: Event, channel_id: int) -> InvitationChannel:
    channel = db.session.scalar(
        select(InvitationChannel).where(
            InvitationChannel.event_id == event.id, InvitationChannel.id == channel_id
        )
    )
    if channel is None:
        raise NotFoundError
    return channel


def add_channel(*, event: Event, actor: User, kind: ChannelKind, label: str) -> InvitationChannel:
    """Add a channel with its own public link; the label tells channels of one kind apart."""
    label = single_line(label, limit=100) or CHANNEL_LABELS[kind]
    taken = db.session.scalar(
        select(InvitationChannel.id).where(
            InvitationChannel.event_id == event.id, InvitationChannel.label == label
        )
    )
    if taken is not None:
        raise DomainError(
            "The event already has a channel with this name: add a place or date to tell "
            "them apart, like “Flyers at Grays library”",
            field="label",
        )
    channel = InvitationChannel(event_id=event.id, kind=kind, label=label)
    db.session.add(channel)
    db.session.flush()
    audit.record(actor=actor, council_id=event.council_id, action="channel.add", obj=channel)
    return channel


def channel_by_code(code: str) -> InvitationChannel | None:
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(InvitationChannel).where(InvitationChannel.code == code))


def count_open(channel: InvitationChannel) -> None:
    """Count one more visitor, atomically (two visitors at once both count)."""
    db.session.execute(
        update(InvitationChannel)
        .where(InvitationChannel.id == channel.id)
        .values(opens=InvitationChannel.opens + 1)
        .execution_options(synchronize_session=False)
    )


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The link as a QR code in PNG (quiet zone included, error correction M)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """The link as a QR code in SVG, for print and for pages."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title or None,
    )
    return buffer.getvalue().decode()
