"""The events list: each event appears under upcoming, past or drafts, and only there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import Role, User
from eventapp.events import services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from tests.conftest import login_as
from tests.events.pages import parse

S = EventStatus
# (title, status, days from now to its start or None for no date, the list it belongs in)
EVENTS: list[tuple[str, EventStatus, int | None, str]] = [
    ("Draft next month", S.DRAFT, 30, "drafts"),
    ("Draft last month", S.DRAFT, -30, "drafts"),
    ("Draft with no date", S.DRAFT, None, "drafts"),
    ("Planning next month", S.PLANNING, 30, "upcoming"),
    ("Planning with no date", S.PLANNING, None, "upcoming"),
    ("Open next week", S.OPEN, 7, "upcoming"),
    ("Planning but already started", S.PLANNING, -1, "past"),
    ("Held last week", S.HELD, -7, "past"),
    ("Evaluated last year", S.EVALUATED, -300, "past"),
    ("Archived before it happened", S.ARCHIVED, 30, "past"),
    ("Archived after evaluation", S.ARCHIVED, -60, "past"),
]


def titles(html: str) -> list[str]:
    table = parse(html).find("table", cls="govuk-table")
    if table is None:
        return []
    return [a.text for a in table.find_all("a")]


@pytest.fixture
def all_kinds(make_event: Callable[..., Event]) -> dict[str, Event]:
    made = {}
    for title, status, days, _ in EVENTS:
        event = make_event(title=title, day=None, start=None, end=None)
        if days is not None:
            event.starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
            event.ends_at = event.starts_at + timedelta(hours=2)
        event.status = status
        made[title] = event
    db.session.commit()
    return made


@pytest.mark.timezone_sensitive
@pytest.mark.parametrize("listing", ["upcoming", "past", "drafts"])
def test_each_event_is_listed_in_the_right_list(
    signed_in: FlaskClient, all_kinds: dict[str, Event], listing: str
) -> None:
    response = signed_in.get(f"/events/?show={listing}")
    assert response.status_code == 200
    expected = {title for title, _, _, where in EVENTS if where == listing}
    assert set(titles(response.text)) == expected


def test_upcoming_is_soonest_first_with_undated_events_last(
    signed_in: FlaskClient, all_kinds: dict[str, Event]
) -> None:
    assert titles(signed_in.get("/events/?show=upcoming").text) == [
        "Open next week", "Planning next month", "Planning with no date",
    ]


def test_past_is_most_recent_first(signed_in: FlaskClient, all_kinds: dict[str, Event]) -> None:
    shown = titles(signed_in.get("/events/?show=past").text)
    assert shown.index("Planning but already started") < shown.index("Held last week")
    assert shown.index("Held last week") < shown.index("Evaluated last year")


@pytest.mark.parametrize("show", ["", "nonsense", "UPCOMING"])
def test_an_unknown_list_shows_upcoming(
    signed_in: FlaskClient, all_kinds: dict[str, Event], show: str
) -> None:
    response = signed_in.get(f"/events/?show={show}")
    assert response.status_code == 200
    assert set(titles(response.text)) == {t for t, _, _, where in EVENTS if where == "upcoming"}


@pytest.mark.timezone_sensitive
def test_list_events_moves_an_event_to_past_once_it_starts(
    make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(title="Tonight")
    event.status = S.OPEN
    db.session.commit()
    start = event.starts_at
    assert start is not None
    before = services.list_events(organiser.council_id, services.Listing.UPCOMING,
                                  now=start - timedelta(minutes=1))
    after = services.list_events(organiser.council_id, services.Listing.PAST,
                                 now=start + timedelta(minutes=1))
    assert [e.title for e in before] == ["Tonight"]
    assert [e.title for e in after] == ["Tonight"]
    assert services.list_events(organiser.council_id, services.Listing.UPCOMING,
                                now=start + timedelta(minutes=1)) == []


def test_the_list_shows_only_your_councils_events(
    client: FlaskClient, make_event: Callable[..., Event], make_user: Callable[..., User]
) -> None:
    ours, theirs = make_user(Role.ORGANISER), make_user(Role.ORGANISER)
    make_event(actor=ours, title="Our draft")
    make_event(actor=theirs, title="Their draft")
    login_as(client, ours)
    assert titles(client.get("/events/?show=drafts").text) == ["Our draft"]


def test_an_empty_list_says_so(signed_in: FlaskClient) -> None:
    html = signed_in.get("/events/?show=drafts").text
    assert titles(html) == []
    assert "There are no draft events." in html


@pytest.mark.timezone_sensitive
def test_a_listed_event_shows_its_uk_date_and_time(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    day = datetime(datetime.now(UTC).year + 1, 12, 9).date()
    event = make_event(title="Winter roundtable", day=day, start=time(18, 0), end=time(20, 0))
    event.status = S.PLANNING
    db.session.commit()
    row = parse(signed_in.get("/events/").text).one("tbody").find("tr")
    assert row is not None
    assert f"9 December {day.year} at 6pm" in row.text
