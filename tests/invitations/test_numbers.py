"""The week-3 numbers page: invitees and registrations by status, channel, sector and
organisation, on the page and in the summary; totals equal to attendance(); purged rows still
counted; a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import astuple
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import Sector
from eventapp.invitations import numbers
from eventapp.invitations.models import ChannelKind, InvitationChannel, Invitee
from eventapp.models.base import utcnow
from eventapp.registration.checkin import add_walk_in
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.purge import purge_event
from eventapp.registration.queries import attendance
from tests.conftest import Counted

S = RegistrationStatus


class Tables(HTMLParser):
    """Each table's rows (by the table's id), as lists of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []
        elif tag == "span" and found.get("aria-hidden") == "true":
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def _registration(event: Event, n: int, status: RegistrationStatus, **fields: Any) -> None:
    now = utcnow()
    db.session.add(
        Registration(
            event_id=event.id,
            name=f"Registrant {n}",
            email=f"registrant{n}@example.org",
            status=status,
            confirmed_at=now if status == S.CONFIRMED else None,
            waitlisted_at=now if status == S.WAITING else None,
            **fields,
        )
    )


@pytest.fixture
def seeded(event: Event, organiser: User) -> Event:
    """Invitees, channels and registrations in every status, channel, sector and organisation
    (the figures each test expects are worked out in the comments)."""
    now = utcnow()
    flyer = InvitationChannel(
        event_id=event.id, kind=ChannelKind.FLYER, label="Flyers at Grays library", opens=7
    )
    newsletter = InvitationChannel(
        event_id=event.id, kind=ChannelKind.NEWSLETTER, label="Council newsletter", opens=3
    )
    a, b, c, d, e = (
        Invitee(event_id=event.id, name=f"Invitee {x}", email=f"{x}@example.org", **f)
        for x, f in (
            ("a", {"sector": Sector.HEALTH, "organisation": "Thurrock NHS", "opened_at": now}),
            ("b", {"sector": Sector.HEALTH, "organisation": "thurrock  nhs", "chased_at": now}),
            (
                "c",
                {
                    "sector": Sector.CHARITY,
                    "organisation": "Grays Food Bank",
                    "opened_at": now,
                    "chased_at": now,
                },
            ),
            ("d", {}),
            ("e", {"sector": Sector.CHARITY}),  # never sent the letter: not counted
        )
    )
    for invitee in (a, b, c, d):
        invitee.invited_at = now
    db.session.add_all([flyer, newsletter, a, b, c, d, e])
    db.session.flush()
    health, charity, faith, police = Sector.HEALTH, Sector.CHARITY, Sector.FAITH, Sector.POLICE
    rows: list[tuple[RegistrationStatus, dict[str, Any]]] = [
        (S.CONFIRMED, {"invitee_id": a.id, "sector": health, "organisation": "Thurrock NHS"}),
        (S.DECLINED, {"invitee_id": c.id, "sector": charity, "organisation": "Grays Food Bank"}),
        (S.WAITING, {"channel_id": flyer.id, "sector": health, "organisation": "Thurrock NHS"}),
        (S.CANCELLED, {"channel_id": flyer.id, "sector": faith, "organisation": "St Mary's"}),
        (S.PENDING, {"channel_id": newsletter.id, "sector": faith, "organisation": "St Mary's"}),
        (S.CONFIRMED, {"sector": charity, "organisation": "grays food bank"}),
        (S.UNCONFIRMED, {}),  # email not confirmed: counted nowhere
        (S.CONFIRMED, {"sector": police, "organisation": "Essex Police"}),
        (S.CANCELLED, {"sector": police, "organisation": "Essex Police"}),
    ]
    for n, (status, fields) in enumerate(rows):
        _registration(event, n, status, **fields)
    add_walk_in(
        event=event, actor=organiser, name="Walk In", organisation="Thurrock NHS", sector=health
    )
    db.session.commit()
    return event


# attendance(): registered 8 (every row but the unconfirmed one and the walk-in), confirmed 3,
# waiting 1, to approve 1, declined 1, cancelled 2, walk-ins 1.
TOTALS = numbers.Registrations(8, 3, 1, 1, 1, 2, 1)
R = numbers.Registrations
BY_CHANNEL = [
    ("Their invitation", 2, R(2, 1, 0, 0, 1, 0, 0)),
    ("The event's page", None, R(3, 2, 0, 0, 0, 1, 0)),
    ("Flyers at Grays library (Flyers at CSO centres or offices)", 7, R(2, 0, 1, 0, 0, 1, 0)),
    ("Council newsletter (Newsletters)", 3, R(1, 0, 0, 1, 0, 0, 0)),
    ("Walk-in on the day", None, R(0, 0, 0, 0, 0, 0, 1)),
]
BY_SECTOR = [
    ("Health", 2, 1, R(2, 1, 1, 0, 0, 0, 1)),
    ("Charity", 1, 1, R(2, 1, 0, 0, 1, 0, 0)),
    ("Faith", 0, 0, R(2, 0, 0, 1, 0, 1, 0)),
    ("Police and Crime", 0, 0, R(2, 1, 0, 0, 0, 1, 0)),
    ("Sector not given", 1, 0, R()),
]
# "Thurrock NHS" and "thurrock  nhs" are one organisation, as are the food bank's spellings.
BY_ORGANISATION = [
    ("Thurrock NHS", 2, 1, R(2, 1, 1, 0, 0, 0, 1)),
    ("Grays Food Bank", 1, 1, R(2, 1, 0, 0, 1, 0, 0)),
    ("Essex Police", 0, 0, R(2, 1, 0, 0, 0, 1, 0)),
    ("St Mary's", 0, 0, R(2, 0, 0, 1, 0, 1, 0)),
    ("Organisation not given", 1, 0, R()),
]


def _lines(lines: list[numbers.Line]) -> list[tuple[str, int, int, numbers.Registrations]]:
    return [(line.label, line.invited, line.opened, line.registrations) for line in lines]


def _channel_label(line: numbers.ChannelLine) -> str:
    return f"{line.label} ({line.kind})" if line.kind and line.kind != line.label else line.label


def test_the_figures_by_status_channel_sector_and_organisation(seeded: Event) -> None:
    figures = numbers.numbers(seeded)
    assert (figures.invited, figures.opened, figures.chased) == (4, 2, 2)
    assert figures.registrations == TOTALS
    assert [
        (_channel_label(c), c.opened, c.registrations) for c in figures.by_channel
    ] == BY_CHANNEL
    assert _lines(figures.by_sector) == BY_SECTOR
    assert _lines(figures.by_organisation) == BY_ORGANISATION
    assert figures.channel_opens == 10


def test_every_total_equals_attendance(seeded: Event) -> None:
    figures = numbers.numbers(seeded)
    counted = attendance(seeded.id)
    expected = (
        counted.registered,
        counted.confirmed,
        counted.waiting,
        counted.pending,
        counted.declined,
        counted.cancelled,
        counted.walk_ins,
    )
    assert astuple(figures.registrations) == expected
    for total in (
        figures.channel_totals,
        figures.sector_totals.registrations,
        figures.organisation_totals.registrations,
    ):
        assert astuple(total) == expected
    assert (figures.sector_totals.invited, figures.sector_totals.opened) == (4, 2)
    assert (figures.organisation_totals.invited, figures.organisation_totals.opened) == (4, 2)


def _cells(r: numbers.Registrations) -> list[str]:
    # Columns: registered, confirmed, waiting list, to approve, declined, cancelled, walked in
    # (to approve and walked in are shown because the event has some).
    return [str(v) for v in astuple(r)]


def test_the_page_shows_the_figures_in_tables(signed_in: FlaskClient, seeded: Event) -> None:
    page = signed_in.get(f"/events/{seeded.id}/invitations/numbers").get_data(as_text=True)
    tables = Tables(page).tables
    heads = ["Registered", "Confirmed", "Waiting list", "To approve", "Declined", "Cancelled"]
    heads.append("Walked in")
    assert tables["numbers-by-channel"][0] == ["Channel", "Opened or visited its link", *heads]
    assert tables["numbers-by-channel"][1:] == [
        [label, "Not counted" if opened is None else str(opened), *_cells(r)]
        for label, opened, r in BY_CHANNEL
    ] + [["Total", "", *_cells(TOTALS)]]
    for table, first, expected in (
        ("numbers-by-sector", "Sector", BY_SECTOR),
        ("numbers-by-organisation", "Organisation", BY_ORGANISATION),
    ):
        assert tables[table][0] == [first, "Invited", "Opened the link", *heads]
        assert tables[table][1:] == [
            [label, str(invited), str(opened), *_cells(r)] for label, invited, opened, r in expected
        ] + [["Total", "4", "2", *_cells(TOTALS)]]
    # Captions and scopes: every header cell says what it heads.
    assert page.count("<caption") == 3
    assert (
        page.count('<th scope="row"') == len(BY_CHANNEL) + len(BY_SECTOR) + len(BY_ORGANISATION) + 3
    )
    assert "<th class" not in page and "<th>" not in page
    # Wide tables scroll inside their own labelled region, never the page (at 320px too).
    for label in ("By channel", "By sector", "By organisation"):
        assert f'class="app-table-scroll" role="region" aria-label="{label}" tabindex="0"' in page
    for key, value in (
        ("registered", 8),
        ("confirmed", 3),
        ("waiting", 1),
        ("pending", 1),
        ("declined", 1),
        ("cancelled", 2),
        ("walk-ins", 1),
    ):
        assert f'id="numbers-{key}">{value}</dd>' in page


SUMMARY = """\
Invited by email: 4
Opened their personal link: 2
Sent a reminder: 2
Registered: 8
- Confirmed: 3
- Waiting list: 1
- Waiting for approval: 1
- Declined: 1
- Cancelled: 2
Walked in on the day without registering: 1

By channel:
- Their invitation: 2 opened their link; 2 registered (1 confirmed, 0 waiting, 0 to approve, \
1 declined, 0 cancelled), 0 walked in
- The event's page: 3 registered (2 confirmed, 0 waiting, 0 to approve, 0 declined, \
1 cancelled), 0 walked in
- Flyers at Grays library (Flyers at CSO centres or offices): 7 visits to its link; \
2 registered (0 confirmed, 1 waiting, 0 to approve, 0 declined, 1 cancelled), 0 walked in
- Council newsletter (Newsletters): 3 visits to its link; 1 registered (0 confirmed, \
0 waiting, 1 to approve, 0 declined, 0 cancelled), 0 walked in
- Walk-in on the day: 0 registered (0 confirmed, 0 waiting, 0 to approve, 0 declined, \
0 cancelled), 1 walked in

By sector:
- Health: 2 invited, 1 opened the link; 2 registered (1 confirmed, 1 waiting, 0 to approve, \
0 declined, 0 cancelled), 1 walked in
- Charity: 1 invited, 1 opened the link; 2 registered (1 confirmed, 0 waiting, 0 to approve, \
1 declined, 0 cancelled), 0 walked in
- Faith: 0 invited, 0 opened the link; 2 registered (0 confirmed, 0 waiting, 1 to approve, \
0 declined, 1 cancelled), 0 walked in
- Police and Crime: 0 invited, 0 opened the link; 2 registered (1 confirmed, 0 waiting, 0 to approve, \
0 declined, 1 cancelled), 0 walked in
- Sector not given: 1 invited, 0 opened the link; 0 registered (0 confirmed, 0 waiting, \
0 to approve, 0 declined, 0 cancelled), 0 walked in

By organisation:
- Thurrock NHS: 2 invited, 1 opened the link; 2 registered (1 confirmed, 1 waiting, \
0 to approve, 0 declined, 0 cancelled), 1 walked in
- Grays Food Bank: 1 invited, 1 opened the link; 2 registered (1 confirmed, 0 waiting, \
0 to approve, 1 declined, 0 cancelled), 0 walked in
- Essex Police: 0 invited, 0 opened the link; 2 registered (1 confirmed, 0 waiting, \
0 to approve, 0 declined, 1 cancelled), 0 walked in
- St Mary's: 0 invited, 0 opened the link; 2 registered (0 confirmed, 0 waiting, \
1 to approve, 0 declined, 1 cancelled), 0 walked in
- Organisation not given: 1 invited, 0 opened the link; 0 registered (0 confirmed, \
0 waiting, 0 to approve, 0 declined, 0 cancelled), 0 walked in
"""


def test_the_summary_has_every_figure(signed_in: FlaskClient, seeded: Event) -> None:
    summary = numbers.summary_text(seeded, numbers.numbers(seeded))
    assert summary.split("\n", 3)[3] == SUMMARY
    page = signed_in.get(f"/events/{seeded.id}/invitations/numbers").get_data(as_text=True)
    assert "Flyers at Grays library (Flyers at CSO centres or offices): 7 visits" in page
    assert "St Mary&#39;s: 0 invited" in page  # in the textarea, escaped


def test_purged_registrations_still_count_and_say_nothing(
    signed_in: FlaskClient, seeded: Event, organiser: User
) -> None:
    before = numbers.numbers(seeded)
    summary_before = numbers.summary_text(seeded, before)
    purge_event(event=seeded, actor=organiser)
    db.session.commit()
    after = numbers.numbers(seeded)
    assert after == before
    assert numbers.summary_text(seeded, after) == summary_before
    page = signed_in.get(f"/events/{seeded.id}/invitations/numbers").get_data(as_text=True)
    assert 'id="numbers-registered">8</dd>' in page
    assert "Registrant" not in page and "@example.org" not in page and "Walk In" not in page


@pytest.mark.parametrize("status", [s for s in RegistrationStatus])
def test_each_status_is_counted_in_its_own_column_only(
    event: Event, status: RegistrationStatus
) -> None:
    """One registration in ``status``: that status's figure is 1 and every other is 0,
    in the totals and in each breakdown (a miscounted status fails here)."""
    _registration(event, 1, status, sector=Sector.FAITH, organisation="St Mary's")
    db.session.commit()
    expected = {
        S.UNCONFIRMED: R(),
        S.PENDING: R(registered=1, pending=1),
        S.CONFIRMED: R(registered=1, confirmed=1),
        S.WAITING: R(registered=1, waiting=1),
        S.DECLINED: R(registered=1, declined=1),
        S.CANCELLED: R(registered=1, cancelled=1),
    }[status]
    figures = numbers.numbers(event)
    assert figures.registrations == expected
    direct = next(c for c in figures.by_channel if c.label == numbers.DIRECT)
    assert direct.registrations == expected
    if status == S.UNCONFIRMED:
        assert figures.by_sector == [] and figures.by_organisation == []
    else:
        assert _lines(figures.by_sector) == [("Faith", 0, 0, expected)]
        assert _lines(figures.by_organisation) == [("St Mary's", 0, 0, expected)]


def _add(event: Event, channel: InvitationChannel, invitees: list[Invitee], count: int) -> None:
    statuses = list(RegistrationStatus)
    sectors = list(Sector)
    start = db.session.query(Registration).count()
    for n in range(start, start + count):
        fields: dict[str, Any] = {
            "sector": sectors[n % len(sectors)],
            "organisation": f"Org {n % 9}",
        }
        if n % 3 == 0 and n // 3 < len(invitees):
            fields["invitee_id"] = invitees[n // 3].id
        elif n % 3 == 1:
            fields["channel_id"] = channel.id
        _registration(event, n, statuses[n % len(statuses)], **fields)
    if start == 0:
        db.session.add(
            Registration(
                event_id=event.id,
                name="Walk-in",
                status=S.CONFIRMED,
                walk_in=True,
                confirmed_at=utcnow(),
                checked_in_at=utcnow(),
            )
        )
    db.session.commit()


def test_page_queries_do_not_grow_with_registrations(
    signed_in: FlaskClient,
    event: Event,
    add_invitees: Callable[..., list[Invitee]],
    count_queries: Callable[[], AbstractContextManager[Counted]],
) -> None:
    channel = InvitationChannel(event_id=event.id, kind=ChannelKind.FLYER, label="Flyer")
    db.session.add(channel)
    people = add_invitees(20, sector=Sector.HEALTH)
    for person in people:
        person.invited_at = utcnow()
    db.session.commit()
    page = f"/events/{event.id}/invitations/numbers"

    def queries() -> int:
        with count_queries() as counted:
            assert signed_in.get(page).status_code == 200
        return counted.count

    _add(event, channel, people, 2)
    few = queries()
    _add(event, channel, people, 38)
    assert db.session.query(Registration).count() == 41  # 40 and the walk-in
    many = queries()
    assert numbers.numbers(event).registrations == numbers.numbers(event).channel_totals
    assert many == few
    print(f"\nnumbers page: {few} queries at 2 registrations, {many} at 40")
