"""The chair's briefing pack brings the event's plan onto one printable page."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from eventapp.agenda import services as agenda_services
from eventapp.audience import services as audience_services
from eventapp.events.models import EventFormat
from eventapp.extensions import db
from eventapp.formats import services as format_services
from eventapp.handbook import Aim, Sector
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Metric
from tests.conftest import login_as


def _page(client, event) -> str:
    response = client.get(f"/events/{event.id}/briefing/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


@pytest.mark.timezone_sensitive
def test_pack_has_details_objectives_audience_and_timed_agenda(app, client, make_event, organiser) -> None:
    event = make_event(day=date(2027, 6, 16), start=time(18, 0), end=time(20, 0),
                       chair_name="Sam Patel", chair_role="Prevent Coordinator")
    objective_services.add_objective(
        event=event, actor=organiser,
        details=objective_services.ObjectiveDetails(
            statement="Raise awareness amongst safeguarding leads in 15 local schools",
            metric=Metric.ORGANISATIONS_REPRESENTED, target_value=Decimal(15),
            relevant_aim=Aim.AWARENESS, measure_by=date(2027, 6, 16),
        ),
    )
    audience_services.save_profile(
        event=event, actor=organiser,
        values={"sector": Sector.EDUCATION_SCHOOLS, "profession": "Safeguarding leads"},
    )
    audience_services.add_organisations(
        event=event, actor=organiser,
        items=[audience_services.ParsedOrganisation("Hall Lane Primary", 1)],
    )
    agenda_services.start_from_example(event=event, actor=organiser)
    db.session.commit()
    login_as(client, organiser)
    html = _page(client, event)
    assert "Sam Patel, Prevent Coordinator" in html
    assert "Civic Hall" in html  # private venue: the pack is for staff and the chair
    assert "Raise awareness amongst safeguarding leads in 15 local schools" in html
    assert "Target: 15 organisations" in html
    assert "Education (Primary/ Secondary/ Further)" in html
    assert "Hall Lane Primary" in html
    for start, end in [("18:00", "18:10"), ("18:10", "18:30"), ("18:30", "18:40"),
                       ("18:40", "19:50"), ("19:50", "19:55"), ("19:55", "20:00")]:
        assert f"{start}–{end}" in html
    # No promise of a list the service cannot fill yet (tests/handbook/test_promises.py).
    assert "The service does not take registrations yet" in html
    assert "Running the event online" not in html


def test_online_event_pack_shows_virtual_notes(app, client, make_event, organiser) -> None:
    event = make_event(format=EventFormat.ONLINE, venue_name="", venue_address="",
                       online_platform="Teams", joining_link="https://teams.example/j/1")
    format_services.record_decision(
        event=event, actor=organiser, pros=["reach"], chosen=EventFormat.ONLINE,
        rationale="Parents can join from home", actions=["qa", "disruption"],
    )
    db.session.commit()
    login_as(client, organiser)
    html = _page(client, event)
    assert "Running the event online" in html
    assert "Decide how the Q&amp;A will run" in html
    assert "back-up links" in html
    assert "https://teams.example/j/1" in html


def test_empty_event_pack_says_what_is_missing(app, client, make_event, organiser) -> None:
    event = make_event(day=None, start=None, end=None)
    login_as(client, organiser)
    html = _page(client, event)
    assert "No objectives have been set." in html
    assert "The audience profile has not been filled in." in html
    assert "The agenda has not been built yet." in html


def test_another_councils_pack_is_404(app, client, make_event, make_user) -> None:
    event = make_event()
    login_as(client, make_user())
    assert client.get(f"/events/{event.id}/briefing/").status_code == 404
