"""Every edit form with more than one field, opened in two tabs (QUALITY.md property 24).

The registrant's own needs form is tested in tests/registration/test_needs.py.

Tab one saves one answer, tab two then saves another: both are kept. When both change the
same answer, tab two is shown both answers and nothing is saved until it chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import User
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.audience import services as audience_services
from eventapp.audience.models import AudienceProfile
from eventapp.checklist.models import ChecklistTask
from eventapp.evaluation import services as evaluation_services
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.formats import services as format_services
from eventapp.handbook import ReceptiveSlot, Sector
from eventapp.invitations import services as invitation_services
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Metric, Objective
from eventapp.questions import services as question_services
from eventapp.registration import services as registration_services
from tests.formreader import read_form


@dataclass(frozen=True)
class Case:
    """One edit form: where it is, two answers to change, and how to read them back."""

    name: str
    url: Callable[[Event, User], str]
    first: tuple[str, str]
    second: tuple[str, str]
    clash: str
    read: Callable[[Event], dict[str, Any]]
    clash_value: str = "Changed again 7"


def _event_url(event: Event, user: User) -> str:
    return f"/events/{event.id}/edit"


def _read_event(event: Event) -> dict[str, Any]:
    return {"capacity": str(event.capacity), "chair_role": event.chair_role}


def _objective_url(event: Event, user: User) -> str:
    objective = objective_services.add_objective(
        event=event, actor=user, details=objective_services.ObjectiveDetails(statement="Raise")
    )
    db.session.commit()
    return f"/events/{event.id}/objectives/{objective.id}/edit"


def _read_objective(event: Event) -> dict[str, Any]:
    objective = db.session.scalars(select(Objective)).one()
    target = objective.target_value
    return {
        "specific_who": objective.specific_who,
        "target_value": "" if target is None else format(Decimal(target).normalize(), "f"),
    }


def _item_url(event: Event, user: User) -> str:
    item = agenda_services.add_item(
        event=event,
        actor=user,
        details=agenda_services.ItemDetails(
            title="Welcome", duration_minutes=10, part=AgendaPart.SCENE
        ),
    )
    db.session.commit()
    return f"/events/{event.id}/agenda/{item.id}/edit"


def _read_item(event: Event) -> dict[str, Any]:
    item = db.session.scalars(select(AgendaItem)).one()
    return {"duration_minutes": str(item.duration_minutes), "notes": item.notes}


def _task_url(event: Event, user: User) -> str:
    task = db.session.scalars(
        select(ChecklistTask).where(ChecklistTask.event_id == event.id).order_by(ChecklistTask.id)
    ).first()
    assert task is not None
    return f"/events/{event.id}/checklist/{task.id}"


def _read_task(event: Event) -> dict[str, Any]:
    task = db.session.scalars(
        select(ChecklistTask).where(ChecklistTask.event_id == event.id).order_by(ChecklistTask.id)
    ).first()
    assert task is not None
    return {"note": task.note, "status": task.status.value}


def _profile_url(event: Event, user: User) -> str:
    audience_services.save_profile(
        event=event,
        actor=user,
        values={"sector": Sector.EDUCATION_SCHOOLS, "receptive_slot": ReceptiveSlot.MORNING},
    )
    db.session.commit()
    return f"/events/{event.id}/audience/"


def _read_profile(event: Event) -> dict[str, Any]:
    profile = db.session.scalars(select(AudienceProfile)).one()
    return {"barriers": profile.barriers, "profession": profile.profession}


def _format_url(event: Event, user: User) -> str:
    format_services.record_decision(
        event=event,
        actor=user,
        pros=[],
        chosen=EventFormat.IN_PERSON,
        rationale="Usual",
        actions=[],
    )
    db.session.commit()
    return f"/events/{event.id}/format/"


def _read_format(event: Event) -> dict[str, Any]:
    return {"rationale": event.format_rationale, "format": event.format.value}


def _letter_url(event: Event, user: User) -> str:
    return f"/events/{event.id}/invitations/letter"


def _read_letter(event: Event) -> dict[str, Any]:
    saved = invitation_services.get_letter(event, event.created_by)
    return {"subject": saved.subject, "contact_name": saved.contact_name}


def _conclusions_url(event: Event, user: User) -> str:
    return f"/events/{event.id}/evaluation/conclusions"


def _read_conclusions(event: Event) -> dict[str, Any]:
    saved = evaluation_services.conclusions_of(event)
    return {k: v for k, v in saved.items() if k in ("attendance_note", "further_action")}


def _measure_url(event: Event, user: User) -> str:
    objective = Objective(
        event=event,
        position=1,
        statement="Recruit 5 advisory group members",
        metric=Metric.MANUAL,
        manual_metric_name="Members recruited",
        target_value=Decimal(5),
        target_unit="members",
    )
    db.session.add(objective)
    db.session.commit()
    return f"/events/{event.id}/evaluation/objectives/{objective.id}"


def _read_measure(event: Event) -> dict[str, Any]:
    objective = db.session.scalars(select(Objective)).one()
    value = objective.actual_value
    return {
        "actual_value": "" if value is None else format(Decimal(value).normalize(), "f"),
        "source_note": evaluation_services.evidence_of(objective),
    }


def _registration_settings_url(event: Event, user: User) -> str:
    return f"/events/{event.id}/registrations/settings"


def _read_registration_settings(event: Event) -> dict[str, Any]:
    saved = registration_services.settings_for(event)
    return {"release_hours": str(saved.release_hours), "instructions_note": saved.instructions_note}


def _question_settings_url(event: Event, user: User) -> str:
    return f"/events/{event.id}/questions/settings"


def _read_question_settings(event: Event) -> dict[str, Any]:
    saved = question_services.settings_for(event)
    return {
        "is_open": "yes" if saved.is_open else "no",
        "who_may_ask": saved.who_may_ask.value,
    }


CASES = [
    Case(
        "event",
        _event_url,
        ("capacity", "50"),
        ("chair_role", "Chair"),
        "capacity",
        _read_event,
        "60",
    ),
    Case(
        "objective",
        _objective_url,
        ("specific_who", "Safeguarding leads"),
        ("target_value", "15"),
        "specific_who",
        _read_objective,
    ),
    Case(
        "agenda item",
        _item_url,
        ("duration_minutes", "15"),
        ("notes", "Chair welcomes"),
        "duration_minutes",
        _read_item,
        "20",
    ),
    Case("task", _task_url, ("note", "Booked"), ("status", "done"), "note", _read_task),
    Case(
        "audience profile",
        _profile_url,
        ("barriers", "Evenings are busy"),
        ("profession", "Teachers"),
        "barriers",
        _read_profile,
    ),
    Case(
        "format decision",
        _format_url,
        ("rationale", "Parents prefer it"),
        ("format", "online"),
        "rationale",
        _read_format,
    ),
    Case(
        "invitation letter",
        _letter_url,
        ("subject", "Come along"),
        ("contact_name", "Sam Patel"),
        "subject",
        _read_letter,
    ),
    Case(
        "evaluation conclusions",
        _conclusions_url,
        ("attendance_note", "Sign-in sheet"),
        ("further_action", "Meet Tilbury Academy"),
        "attendance_note",
        _read_conclusions,
    ),
    Case(
        "objective measure",
        _measure_url,
        ("actual_value", "4"),
        ("source_note", "Advisory group list"),
        "actual_value",
        _read_measure,
        "6",
    ),
    Case(
        "registration settings",
        _registration_settings_url,
        ("release_hours", "24"),
        ("instructions_note", "Step-free entrance on Orsett Road"),
        "release_hours",
        _read_registration_settings,
        "12",
    ),
]

# Forms whose every answer is yes or no (two choices): two tabs cannot change one answer to
# two different values, so they only have the different-answers case.
TWO_CHOICE_CASES = [
    Case(
        "question settings",
        _question_settings_url,
        ("is_open", "yes"),
        ("who_may_ask", "registrants"),
        "is_open",
        _read_question_settings,
    ),
]


def _saved(event: Event, case: Case) -> dict[str, Any]:
    db.session.expire_all()
    return case.read(db.session.get(Event, event.id))


def _tab(client: FlaskClient, url: str) -> dict[str, Any]:
    return read_form(client.get(url).text, having="loaded_version")


def _submit(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    if case.name == "format decision":
        data["submit"] = "Save decision"
    return data


@pytest.mark.parametrize("case", CASES + TWO_CHOICE_CASES, ids=lambda c: c.name)
def test_two_tabs_changing_different_answers_keep_both(
    case: Case, signed_in: FlaskClient, organiser: User, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    url = case.url(event, organiser)
    first, second = _tab(signed_in, url), _tab(signed_in, url)
    first[case.first[0]] = case.first[1]
    assert signed_in.post(url, data=_submit(case, first)).status_code == 302
    second[case.second[0]] = case.second[1]
    response = signed_in.post(url, data=_submit(case, second), follow_redirects=True)

    assert "changes saved since you opened the page were kept" in response.text
    saved = _saved(event, case)
    assert saved[case.first[0]] == case.first[1]
    assert saved[case.second[0]] == case.second[1]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_two_tabs_changing_the_same_answer_ask_which_to_keep(
    case: Case, signed_in: FlaskClient, organiser: User, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    url = case.url(event, organiser)
    first, second = _tab(signed_in, url), _tab(signed_in, url)
    first[case.first[0]] = case.first[1]
    assert signed_in.post(url, data=_submit(case, first)).status_code == 302
    before = _saved(event, case)
    second[case.clash] = case.clash_value
    second[case.second[0]] = case.second[1]
    response = signed_in.post(url, data=_submit(case, second))

    assert response.status_code == 200
    assert "Not saved yet" in response.text
    assert f"Keep your answer: {case.clash_value}" in response.text
    assert _saved(event, case) == before

    again = read_form(response.text, having="loaded_version")
    again[f"keep-{case.clash}"] = "theirs"
    assert signed_in.post(url, data=_submit(case, again)).status_code == 302
    saved = _saved(event, case)
    assert saved[case.clash] == case.first[1]
    assert saved[case.second[0]] == case.second[1]
