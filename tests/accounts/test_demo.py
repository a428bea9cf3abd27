"""`flask demo load`: Thurrock Council and the handbook's worked example, loaded once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from eventapp.accounts.models import Council, Role, User
from eventapp.audience.models import AudienceProfile, TargetOrganisation
from eventapp.demo import EXAMPLE_TITLE
from eventapp.evaluation.demo import OTHER_EVENTS
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.feedback.demo import PAST_TITLE
from eventapp.handbook import Sector
from eventapp.objectives.models import Metric, Objective
from eventapp.registration.demo import ONLINE_TITLE
from tests.accounts.conftest import sign_in

DEMO_USERS = {
    "organiser@thurrock.example": Role.ORGANISER,
    "coordinator@thurrock.example": Role.COORDINATOR,
    "admin@thurrock.example": Role.ADMIN,
}
DEMO_PASSWORD = "demo-password-change-me"  # noqa: S105


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def load_twice(runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    return first.output, second.output


def test_one_council_with_three_users(load_twice: tuple[str, str]) -> None:
    [council] = db.session.scalars(select(Council)).all()

    assert (council.name, council.area_name) == ("Thurrock Council", "Thurrock")
    users = db.session.scalars(select(User)).all()
    assert {u.email: u.role for u in users} == DEMO_USERS
    assert all(u.council_id == council.id and u.active for u in users)


def test_one_example_event_with_objective_audience_and_format(
    load_twice: tuple[str, str],
) -> None:
    # The handbook's example event, a past event with demo feedback (eventapp.feedback.demo),
    # the evaluation demo's two earlier held events (eventapp.evaluation.demo) and the
    # registration demo's online event tomorrow (eventapp.registration.demo).
    events = {e.title: e for e in db.session.scalars(select(Event))}
    others = {PAST_TITLE, ONLINE_TITLE, *(title for title, *_ in OTHER_EVENTS)}
    assert len(events) == 5 and others <= set(events)
    [event] = [e for title, e in events.items() if title not in others]
    assert event.title.startswith("Mental health and vulnerability to radicalisation")
    assert event.council.name == "Thurrock Council"
    assert (len(event.objectives), len(event.target_organisations)) == (1, 15)
    # The past event's evaluation adds 3 objectives, a profile and 6 target schools.
    assert (count(Objective), count(AudienceProfile), count(TargetOrganisation)) == (4, 2, 21)

    [objective] = event.objectives
    assert objective.metric is Metric.ORGANISATIONS_REPRESENTED
    assert objective.target_value == Decimal(15)
    assert "15 local schools" in objective.statement

    assert event.audience is not None
    assert event.audience.sector is Sector.EDUCATION_SCHOOLS
    assert len(event.target_organisations) == 15
    assert len({o.name for o in event.target_organisations}) == 15

    assert event.format is EventFormat.IN_PERSON
    assert event.format_decided_at is not None
    assert event.format_rationale


def test_output_says_what_was_created_then_already_loaded(load_twice: tuple[str, str]) -> None:
    first, second = load_twice

    assert "Demo data: user organiser@thurrock.example" in first
    assert "created." in first
    assert "already loaded" not in first
    assert "Demo data: already loaded." in second
    for output in (first, second):
        assert "http://127.0.0.1:5000/sign-in" in output
        for email in DEMO_USERS:
            assert email in output
        assert f"password     {DEMO_PASSWORD}" in output


def test_the_sign_in_address_names_the_port_make_run_serves_on(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["demo", "load", "--port", "5123"])
    assert result.exit_code == 0, result.output
    assert "Sign in at http://127.0.0.1:5123/sign-in" in result.output


def test_demo_users_sign_in_with_the_printed_password(
    app: Flask, load_twice: tuple[str, str]
) -> None:
    for email in DEMO_USERS:
        assert sign_in(app.test_client(), email, DEMO_PASSWORD).status_code == 302, email


def test_demo_password_can_come_from_the_environment(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = "a chosen demo passphrase"
    monkeypatch.setenv("EVENTAPP_DEMO_PASSWORD", chosen)

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 0, result.output
    assert f"password     {chosen}" in result.output
    assert DEMO_PASSWORD not in result.output
    assert sign_in(app.test_client(), "admin@thurrock.example", chosen).status_code == 302


def test_demo_load_fills_in_what_is_missing(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    runner.invoke(args=["demo", "load"])
    # The handbook's example event, by name: without an order a database may return any.
    db.session.delete(db.session.scalar(select(Event).where(Event.title == EXAMPLE_TITLE)))
    db.session.commit()

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 0, result.output
    assert "Demo data: the handbook's example event created." in result.output
    # With the past event of the demo feedback, the evaluation demo's two held events and
    # the registration demo's online event.
    assert (count(Council), count(User), count(Event)) == (1, 3, 5)


def test_the_demo_agenda_is_the_handbook_example_and_raises_no_warning(
    load_twice: tuple[str, str],
) -> None:
    from eventapp.agenda import services as agenda_services

    [event] = db.session.scalars(select(Event).where(Event.title == EXAMPLE_TITLE)).all()
    view = agenda_services.agenda_view(event)

    # With the introductory video on: a five-minute scene item, the discussion five shorter.
    assert [r.item.duration_minutes for r in view.rows] == [10, 5, 20, 10, 65, 5, 5]
    assert view.total_minutes == view.slot_minutes == 120
    assert view.guidance == []


def test_the_demo_briefing_pack_includes_the_mental_health_faq(
    load_twice: tuple[str, str],
) -> None:
    [event] = db.session.scalars(select(Event).where(Event.title == EXAMPLE_TITLE)).all()
    assert event.briefing_faqs == ["mental_health"]
