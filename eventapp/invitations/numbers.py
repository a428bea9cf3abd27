"""The week-3 numbers (the handbook asks organisers to update Home Office Prevent on them):
invited and opened-the-link, and registrations by status (registered, confirmed, waiting, to
approve, declined, cancelled) and walk-ins, overall and by channel, sector and organisation.

Every figure is aggregated in SQL (grouped, with conditional counts), so the page reads the
same number of queries for 2 registrations as for 2,000. Registrations are counted exactly as
``registration.queries.attendance`` counts them, row by row, so each table's column adds up to
that figure: "registered" leaves out unconfirmed email addresses and walk-ins, walk-ins are
their own column (and the "Walk-in on the day" channel). Purged rows keep their status,
sector, organisation and channel (``registration.purge``), so they still count, and nothing
here reads their personal data. Invitees are counted whether or not their data was purged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import SECTOR_LABELS, Sector
from eventapp.invitations.models import CHANNEL_LABELS, InvitationChannel, Invitee
from eventapp.invitations.services import when_text
from eventapp.registration.models import Registration
from eventapp.registration.models import RegistrationStatus as S
from eventapp.registration.organiser import organisation_key
from eventapp.registration.queries import attendance

NO_SECTOR = "Sector not given"
NO_ORGANISATION = "Organisation not given"
# The channels a registration can come through besides the event's own channels, worded as
# the registrations list's channel filter words them (registration.organiser.channel_choices).
INVITATION = "Their invitation"
DIRECT = "The event's page"
WALK_IN = "Walk-in on the day"


@dataclass(frozen=True)
class Registrations:
    """Registrations counted as ``attendance`` counts them (one group of them)."""

    registered: int = 0  # every registration except unconfirmed emails and walk-ins
    confirmed: int = 0  # walk-ins excluded
    waiting: int = 0
    pending: int = 0  # waiting for the organiser's approval
    declined: int = 0
    cancelled: int = 0
    walk_ins: int = 0

    def __add__(self, other: Registrations) -> Registrations:
        return Registrations(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(r: Registrations) -> tuple[int, ...]:
    return (r.registered, r.confirmed, r.waiting, r.pending, r.declined, r.cancelled, r.walk_ins)


@dataclass(frozen=True)
class Line:
    """One sector or organisation: its invitees and its registrations."""

    label: str
    invited: int = 0
    opened: int = 0
    registrations: Registrations = field(default_factory=Registrations)


@dataclass(frozen=True)
class ChannelLine:
    """One way people came: their invitation, the event's page, a channel, or on the day.

    ``opened`` is the invitees who opened their personal link (invitation), the visits to a
    channel's link, or None where nothing is counted (the event's page, walk-ins)."""

    label: str
    kind: str
    opened: int | None
    registrations: Registrations = field(default_factory=Registrations)


@dataclass(frozen=True)
class Numbers:
    invited: int
    opened: int
    chased: int
    channels: list[ChannelLine]  # the event's own channels (newsletter, flyer...)
    by_sector: list[Line]
    by_organisation: list[Line]
    # Every registration channel: their invitation, the event's page, each channel, walk-in.
    by_channel: list[ChannelLine] = field(default_factory=list)
    # The totals: equal to registration.queries.attendance(event.id).
    registrations: Registrations = field(default_factory=Registrations)

    @property
    def channel_opens(self) -> int:
        return sum(c.opened or 0 for c in self.channels)

    @property
    def registered(self) -> int:
        return self.registrations.registered

    @property
    def confirmed(self) -> int:
        return self.registrations.confirmed

    @property
    def waiting(self) -> int:
        return self.registrations.waiting

    @property
    def pending(self) -> int:
        return self.registrations.pending

    @property
    def declined(self) -> int:
        return self.registrations.declined

    @property
    def cancelled(self) -> int:
        return self.registrations.cancelled

    @property
    def walk_ins(self) -> int:
        return self.registrations.walk_ins

    @property
    def sector_totals(self) -> Line:
        return _total(self.by_sector, invited=self.invited, opened=self.opened)

    @property
    def organisation_totals(self) -> Line:
        return _total(self.by_organisation, invited=self.invited, opened=self.opened)

    @property
    def channel_totals(self) -> Registrations:
        return _sum(c.registrations for c in self.by_channel)


def _sum(groups: Iterable[Registrations]) -> Registrations:
    total = Registrations()
    for group in groups:
        total = total + group
    return total


def _total(lines: list[Line], *, invited: int, opened: int) -> Line:
    return Line("Total", invited, opened, _sum(line.registrations for line in lines))


def _count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0)).cast(Integer)


def _registration_counts() -> list[ColumnElement[int]]:
    """The columns of ``Registrations``, as ``attendance`` writes them."""
    return [
        _count_where((Registration.status != S.UNCONFIRMED) & Registration.walk_in.is_(False)),
        _count_where((Registration.status == S.CONFIRMED) & Registration.walk_in.is_(False)),
        _count_where(Registration.status == S.WAITING),
        _count_where(Registration.status == S.PENDING),
        _count_where(Registration.status == S.DECLINED),
        _count_where(Registration.status == S.CANCELLED),
        _count_where(Registration.walk_in.is_(True)),
    ]


def _registrations(values: Iterable[Any]) -> Registrations:
    return Registrations(*(int(v or 0) for v in values))


def _invitees_by(event: Event, column: Any) -> list[tuple[Any, int, int, int]]:
    """(key, invited, opened, chased) per value of ``column``, for invitees sent the letter."""
    query = (
        select(
            column,
            func.count(Invitee.invited_at),
            func.count(Invitee.opened_at),
            func.count(Invitee.chased_at),
        )
        .where(Invitee.event_id == event.id, Invitee.invited_at.is_not(None))
        .group_by(column)
    )
    return [(key, int(i), int(o), int(c)) for key, i, o, c in db.session.execute(query)]


def _registrations_by(event: Event, column: Any) -> list[tuple[Any, Registrations]]:
    query = (
        select(column, *_registration_counts())
        .where(Registration.event_id == event.id)
        .group_by(column)
    )
    return [(row[0], _registrations(row[1:])) for row in db.session.execute(query)]


def _by_channel(event: Event, opened: int) -> tuple[list[ChannelLine], list[ChannelLine]]:
    """The event's channels, and every registration channel with its registrations, in the
    order and with the rules of the registrations list's channel filter: a walk-in is a
    walk-in, then a registration with an invitee came through its invitation, then one with a
    channel through that channel, and the rest through the event's page."""
    invited = Registration.invitee_id.is_not(None)
    grouped: dict[tuple[str, int | None], Registrations] = {}
    for walk_in, from_invitation, channel_id, *counts in db.session.execute(
        select(Registration.walk_in, invited, Registration.channel_id, *_registration_counts())
        .where(Registration.event_id == event.id)
        .group_by(Registration.walk_in, invited, Registration.channel_id)
    ):
        if walk_in:
            key: tuple[str, int | None] = ("walk_in", None)
        elif from_invitation:
            key = ("invitation", None)
        elif channel_id is not None:
            key = ("channel", int(channel_id))
        else:
            key = ("direct", None)
        grouped[key] = grouped.get(key, Registrations()) + _registrations(counts)
    channels = [
        ChannelLine(
            str(label),
            CHANNEL_LABELS[kind],
            int(opens),
            grouped.pop(("channel", int(cid)), Registrations()),
        )
        for cid, label, kind, opens in db.session.execute(
            select(
                InvitationChannel.id,
                InvitationChannel.label,
                InvitationChannel.kind,
                InvitationChannel.opens,
            )
            .where(InvitationChannel.event_id == event.id)
            .order_by(InvitationChannel.id)
        )
    ]
    invitation = grouped.pop(("invitation", None), Registrations())
    walk_ins = grouped.pop(("walk_in", None), Registrations())
    # What is left is the event's page, and any channel that is not the event's (none should
    # be: a deleted channel's registrations lose it), so the column totals stay whole.
    direct = _sum(grouped.values())
    by_channel = [
        ChannelLine(INVITATION, "", opened, invitation),
        ChannelLine(DIRECT, "", None, direct),
        *channels,
    ]
    if any(_values(walk_ins)):  # before the day there are none: no line of noughts
        by_channel.append(ChannelLine(WALK_IN, "", None, walk_ins))
    return channels, by_channel


def _merge(
    invitees: list[tuple[Any, int, int, int]],
    registrations: list[tuple[Any, Registrations]],
    key: Any,
) -> list[tuple[Any, Line]]:
    """Invitee and registration groups joined on ``key(value)``: (key, Line without label),
    labelled later. Several spellings of one key (organisations) add up."""
    lines: dict[Any, tuple[int, int, Registrations]] = {}
    for value, invited, opened, _chased in invitees:
        i, o, r = lines.get(key(value), (0, 0, Registrations()))
        lines[key(value)] = (i + invited, o + opened, r)
    for value, figures in registrations:
        i, o, r = lines.get(key(value), (0, 0, Registrations()))
        lines[key(value)] = (i, o, r + figures)
    # A group with nothing to count (only unconfirmed email addresses) is left out.
    return [(k, Line("", i, o, r)) for k, (i, o, r) in lines.items() if i or any(_values(r))]


def _order(line: Line) -> tuple[int, int, int, str]:
    r = line.registrations
    return (-line.invited, -(r.registered + r.walk_ins), -line.opened, line.label.lower())


def _sectors(
    invitees: list[tuple[Any, int, int, int]], registrations: list[tuple[Any, Registrations]]
) -> list[Line]:
    lines = []
    missing = []
    for key, line in _merge(invitees, registrations, lambda v: Sector(v) if v else None):
        if key is None:
            missing.append(Line(NO_SECTOR, line.invited, line.opened, line.registrations))
        else:
            lines.append(Line(SECTOR_LABELS[key], line.invited, line.opened, line.registrations))
    return sorted(lines, key=_order) + missing


def _organisation_key(name: Any) -> str:
    return organisation_key(str(name or ""))


def _organisations(
    invitees: list[tuple[Any, int, int, int]], registrations: list[tuple[Any, Registrations]]
) -> list[Line]:
    """Organisations as people wrote them, joined ignoring case and spacing (as the target
    organisations are matched), each under the spelling most of its people used."""
    spellings: dict[str, dict[str, int]] = {}
    for name, invited, _o, _c in invitees:
        counts = spellings.setdefault(_organisation_key(name), {})
        counts[str(name or "").strip()] = counts.get(str(name or "").strip(), 0) + invited
    for name, figures in registrations:
        counts = spellings.setdefault(_organisation_key(name), {})
        people = figures.registered + figures.walk_ins
        counts[str(name or "").strip()] = counts.get(str(name or "").strip(), 0) + people
    lines = []
    missing = []
    for key, line in _merge(invitees, registrations, _organisation_key):
        if not key:
            missing.append(Line(NO_ORGANISATION, line.invited, line.opened, line.registrations))
            continue
        label = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        lines.append(Line(label, line.invited, line.opened, line.registrations))
    return sorted(lines, key=_order) + missing


def numbers(event: Event) -> Numbers:
    """The figures, in seven queries whatever the number of invitees and registrations."""
    invitees_by_sector = _invitees_by(event, Invitee.sector)
    invitees_by_organisation = _invitees_by(event, Invitee.organisation)
    invited = sum(row[1] for row in invitees_by_sector)
    opened = sum(row[2] for row in invitees_by_sector)
    chased = sum(row[3] for row in invitees_by_sector)
    channels, by_channel = _by_channel(event, opened)
    figures = attendance(event.id)
    return Numbers(
        invited=invited,
        opened=opened,
        chased=chased,
        channels=channels,
        by_sector=_sectors(invitees_by_sector, _registrations_by(event, Registration.sector)),
        by_organisation=_organisations(
            invitees_by_organisation, _registrations_by(event, Registration.organisation)
        ),
        by_channel=by_channel,
        registrations=Registrations(
            registered=figures.registered,
            confirmed=figures.confirmed,
            waiting=figures.waiting,
            pending=figures.pending,
            declined=figures.declined,
            cancelled=figures.cancelled,
            walk_ins=figures.walk_ins,
        ),
    )


def _n(value: int) -> str:
    return f"{value:,}"


def registrations_text(r: Registrations, *, pending: bool, walk_ins: bool) -> str:
    """'12 registered (8 confirmed, 2 waiting, 1 declined, 1 cancelled)', with the count to
    approve and the walk-ins when the event has any (the same parts on every line)."""
    parts = [f"{_n(r.confirmed)} confirmed", f"{_n(r.waiting)} waiting"]
    if pending:
        parts.append(f"{_n(r.pending)} to approve")
    parts += [f"{_n(r.declined)} declined", f"{_n(r.cancelled)} cancelled"]
    text = f"{_n(r.registered)} registered ({', '.join(parts)})"
    if walk_ins:
        text += f", {_n(r.walk_ins)} walked in"
    return text


def summary_text(event: Event, figures: Numbers) -> str:
    """A plain-text summary to paste into an email to Home Office Prevent."""
    pending, walk_ins = figures.pending > 0, figures.walk_ins > 0

    def regs(r: Registrations) -> str:
        return registrations_text(r, pending=pending, walk_ins=walk_ins)

    lines = [
        f"{event.title}",
        f"{event.council.name}, {when_text(event)}",
        "",
        f"Invited by email: {_n(figures.invited)}",
        f"Opened their personal link: {_n(figures.opened)}",
        f"Sent a reminder: {_n(figures.chased)}",
        f"Registered: {_n(figures.registered)}",
        f"- Confirmed: {_n(figures.confirmed)}",
        f"- Waiting list: {_n(figures.waiting)}",
    ]
    if pending:
        lines.append(f"- Waiting for approval: {_n(figures.pending)}")
    lines += [
        f"- Declined: {_n(figures.declined)}",
        f"- Cancelled: {_n(figures.cancelled)}",
    ]
    if walk_ins:
        lines.append(f"Walked in on the day without registering: {_n(figures.walk_ins)}")
    lines += ["", "By channel:"]
    for c in figures.by_channel:
        label = f"{c.label} ({c.kind})" if c.kind and c.kind != c.label else c.label
        if c.label == INVITATION:
            opened = f"{_n(c.opened or 0)} opened their link; "
        elif c.opened is not None:
            opened = f"{_n(c.opened)} visits to its link; "
        else:
            opened = ""
        lines.append(f"- {label}: {opened}{regs(c.registrations)}")
    for title, rows in (
        ("By sector:", figures.by_sector),
        ("By organisation:", figures.by_organisation),
    ):
        if rows:
            lines += ["", title]
            lines += [
                f"- {line.label}: {_n(line.invited)} invited, {_n(line.opened)} opened the "
                f"link; {regs(line.registrations)}"
                for line in rows
            ]
    return "\n".join(lines) + "\n"
