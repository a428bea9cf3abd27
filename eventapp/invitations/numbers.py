"""The week-3 numbers (the handbook asks organisers to update Home Office Prevent on them):
invited and opened-the-link, overall and by channel, sector and organisation. Aggregated in
SQL, so the page's queries do not grow with the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations.models import CHANNEL_LABELS, InvitationChannel, Invitee
from eventapp.invitations.services import invitee_counts, when_text

NO_SECTOR = "Sector not given"
NO_ORGANISATION = "Organisation not given"


@dataclass(frozen=True)
class Line:
    label: str
    invited: int
    opened: int


@dataclass(frozen=True)
class ChannelLine:
    label: str
    kind: str
    opened: int


@dataclass(frozen=True)
class Numbers:
    invitees: int
    invited: int
    opened: int
    chased: int
    channels: list[ChannelLine]
    by_sector: list[Line]
    by_organisation: list[Line]
    # Registrations (eventapp.registration): confirmed, waiting, to approve.
    registered: int = 0
    confirmed: int = 0
    waiting: int = 0
    pending: int = 0

    @property
    def channel_opens(self) -> int:
        return sum(c.opened for c in self.channels)


def _grouped(event: Event, column: Any) -> list[tuple[Any, int, int]]:
    query = (
        select(column, func.count(Invitee.invited_at), func.count(Invitee.opened_at))
        .where(Invitee.event_id == event.id, Invitee.invited_at.is_not(None))
        .group_by(column)
    )
    return [(key, int(invited), int(opened)) for key, invited, opened in db.session.execute(query)]


def numbers(event: Event) -> Numbers:
    from eventapp.registration.queries import attendance

    counts = invitee_counts(event)
    registrations = attendance(event.id)
    sectors = [
        Line(SECTOR_LABELS[Sector(key)] if key else NO_SECTOR, invited, opened)
        for key, invited, opened in _grouped(event, Invitee.sector)
    ]
    organisations = [
        Line(str(key) or NO_ORGANISATION, invited, opened)
        for key, invited, opened in _grouped(event, Invitee.organisation)
    ]
    channels = [
        ChannelLine(channel.label, CHANNEL_LABELS[channel.kind], channel.opens)
        for channel in db.session.scalars(
            select(InvitationChannel)
            .where(InvitationChannel.event_id == event.id)
            .order_by(InvitationChannel.id)
        )
    ]
    return Numbers(
        invitees=counts["total"],
        invited=counts["invited"],
        opened=counts["opened"],
        chased=counts["chased"],
        channels=channels,
        by_sector=sorted(sectors, key=lambda line: (-line.invited, line.label)),
        by_organisation=sorted(organisations, key=lambda line: (-line.invited, line.label)),
        registered=registrations.registered,
        confirmed=registrations.confirmed,
        waiting=registrations.waiting,
        pending=registrations.pending,
    )


def summary_text(event: Event, figures: Numbers) -> str:
    """A plain-text summary to paste into an email to Home Office Prevent."""
    lines = [
        f"{event.title}",
        f"{event.council.name}, {when_text(event)}",
        "",
        f"Invited by email: {figures.invited}",
        f"Opened their personal link: {figures.opened}",
        f"Sent a reminder: {figures.chased}",
        f"Registered: {figures.registered} ({figures.confirmed} confirmed, "
        f"{figures.waiting} waiting, {figures.pending} to approve)",
    ]
    if figures.channels:
        lines += ["", "Other channels (visits to each channel's link):"]
        lines += [f"- {c.label} ({c.kind}): {c.opened}" for c in figures.channels]
    if figures.by_sector:
        lines += ["", "Invited by sector (opened the link):"]
        lines += [f"- {s.label}: {s.invited} ({s.opened})" for s in figures.by_sector]
    if figures.by_organisation:
        lines += ["", "Invited by organisation (opened the link):"]
        lines += [f"- {o.label}: {o.invited} ({o.opened})" for o in figures.by_organisation]
    return "\n".join(lines) + "\n"
