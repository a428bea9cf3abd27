"""The coordinators' dashboard filters (issue 13): date range, format, audience sector, Home
Office speaking and status each narrow the pooled figures to exactly the chosen events, and
another council's events never count.

Each event has its own number of responses, so the pooled total names the events counted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.audience.models import AudienceProfile
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.handbook import Sector
from tests.evaluation.test_pages import add_responses, standard

IN_PERSON, ONLINE, HYBRID = EventFormat.IN_PERSON, EventFormat.ONLINE, EventFormat.HYBRID
HELD, EVALUATED, PLANNING = EventStatus.HELD, EventStatus.EVALUATED, EventStatus.PLANNING
# (responses, day, format, audience sector, Home Office speaking, status)
Spec = tuple[int, str, EventFormat, Sector | None, bool, EventStatus]
EVENTS: dict[str, Spec] = {
    "A": (11, "2025-02-10", IN_PERSON, Sector.EDUCATION_SCHOOLS, True, HELD),
    "B": (12, "2025-05-12", ONLINE, Sector.CHARITY, False, HELD),
    "C": (14, "2025-05-20", HYBRID, None, True, EVALUATED),
    "D": (17, "2025-08-04", IN_PERSON, Sector.CHARITY, False, EVALUATED),
    "E": (19, "2025-08-05", ONLINE, Sector.CHARITY, False, PLANNING),  # not held
}


def _add(make_event: Callable[..., Event], actor: User | None, name: str, spec: Spec) -> None:
    responses, day, fmt, sector, home_office, status = spec
    event = make_event(actor=actor, title=f"Event {name}", format=fmt)
    event.starts_at = datetime.combine(datetime.fromisoformat(day).date(), time(18), UTC)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.status = status
    event.home_office_speaking = home_office
    if sector is not None:
        db.session.add(AudienceProfile(event_id=event.id, sector=sector))
    db.session.commit()
    add_responses(event, standard(responses, seed=responses))


@pytest.fixture
def board(
    make_event: Callable[..., Event], make_user: Callable[..., User], organiser: User
) -> None:
    for name, spec in EVENTS.items():
        _add(make_event, None, name, spec)
    # Another council's held event (online, charity, in May 2025): it never counts.
    _add(make_event, make_user(), "Z", (23, "2025-05-13", ONLINE, Sector.CHARITY, False, HELD))


def _summary(client: FlaskClient, query: str) -> tuple[str, str]:
    response = client.get(f"/dashboard/tables.csv?{query}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    found = {r[1]: r[3] for r in rows if r[0] == "Summary"}
    return found["Events"], found["Feedback responses"]


def _expect(*names: str) -> tuple[str, str]:
    return str(len(names)), str(sum(EVENTS[n][0] for n in names))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ("A", "B", "C", "D")),  # held and evaluated, this council only
        ("from=2025-05-01", ("B", "C", "D")),
        ("to=2025-05-12", ("A", "B")),  # the end day counts whole
        ("from=2025-04-01&to=2025-06-30", ("B", "C")),  # one quarter
        ("format=in_person", ("A", "D")),
        ("format=online", ("B",)),
        ("format=hybrid", ("C",)),
        ("sector=charity", ("B", "D")),
        ("sector=education_schools", ("A",)),
        ("home_office=yes", ("A", "C")),
        ("home_office=no", ("B", "D")),
        ("status=held", ("A", "B")),
        ("status=evaluated", ("C", "D")),
        ("status=planning", ("E",)),
        ("format=online&status=planning", ("E",)),
        ("sector=charity&home_office=no&from=2025-06-01", ("D",)),
        ("format=nonsense&sector=nonsense&home_office=maybe", ("A", "B", "C", "D")),
    ],
)
def test_each_filter_narrows_the_pooled_figures(
    signed_in: FlaskClient, board: None, query: str, names: tuple[str, ...]
) -> None:
    assert _summary(signed_in, query) == _expect(*names)
