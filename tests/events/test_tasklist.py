"""The overview's task list: each planning stage with its status, as stages are completed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp import stages
from eventapp.accounts.models import User
from eventapp.audience import services as audience_services
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.formats import services as format_services
from eventapp.handbook import Aim, ReceptiveSlot, Sector
from eventapp.objectives import services as objective_services
from eventapp.objectives.models import Metric
from tests.conftest import future_day
from tests.events.pages import parse

CORE = ("Event details", "Objectives", "Audience", "Virtual or in person")
LATER = (
    "Agenda", "Planning checklist", "Invitations", "Registration", "Questions", "Feedback",
    "Evaluation",
)
# The stage key each later title is registered under (eventapp.stages).
KEYS = {
    "Agenda": "agenda", "Planning checklist": "checklist", "Invitations": "invitations",
    "Registration": "registration", "Questions": "questions", "Feedback": "feedback",
    "Evaluation": "evaluation",
}


@dataclass(frozen=True)
class ShownTask:
    title: str
    status: str
    href: str | None
    hint: str


def shown_tasks(html: str) -> list[ShownTask]:
    task_list = parse(html).one("ul", cls="govuk-task-list")
    shown = []
    for item in task_list.find_all("li", cls="govuk-task-list__item"):
        name = item.one(cls="govuk-task-list__name-and-hint")
        link = name.find("a")
        hint = item.find(cls="govuk-task-list__hint")
        title = link.text if link else name.text.removesuffix(hint.text if hint else "").strip()
        shown.append(ShownTask(
            title=title,
            status=item.one(cls="govuk-task-list__status").text,
            href=link.attrs["href"] if link else None,
            hint=hint.text if hint else "",
        ))
    return shown


def statuses(client: FlaskClient, event: Event) -> dict[str, str]:
    return {t.title: t.status for t in shown_tasks(client.get(f"/events/{event.id}").text)}


def smart_objective(event: Event, actor: User, **overrides: object) -> None:
    details = objective_services.ObjectiveDetails(
        statement="Raise awareness amongst safeguarding leads in 15 local schools",
        specific_who="Safeguarding leads in 15 local schools",
        specific_what="Understanding of the links between mental health and radicalisation",
        metric=Metric.ORGANISATIONS_REPRESENTED,
        target_value=Decimal(15),
        attainable_reason="The schools' safeguarding network will promote it",
        relevant_aim=Aim.AWARENESS,
        measure_by=future_day(60),
    )
    for name, value in overrides.items():
        setattr(details, name, value)
    objective_services.add_objective(event=event, actor=actor, details=details)
    db.session.commit()


def test_a_new_event_starts_with_details_done_and_the_rest_not_started(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    shown = statuses(signed_in, event)
    assert [shown[title] for title in CORE] == [
        "Completed", "Not started", "Not started", "Not started",
    ]


def test_event_details_are_in_progress_until_the_date_and_times_are_set(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(day=None, start=None, end=None)
    assert statuses(signed_in, event)["Event details"] == "In progress"


def test_objectives_complete_when_every_objective_is_smart(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    smart_objective(event, organiser)
    tasks = {t.title: t for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)}
    assert tasks["Objectives"].status == "Completed"
    assert tasks["Objectives"].hint == "1 objective, all SMART."

    smart_objective(event, organiser, measure_by=None)
    tasks = {t.title: t for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)}
    assert tasks["Objectives"].status == "In progress"
    assert tasks["Objectives"].hint == "1 of 2 need attention to be SMART."


def test_audience_is_in_progress_with_organisations_and_complete_with_a_full_profile(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    audience_services.add_organisations(
        event=event, actor=organiser,
        items=[audience_services.ParsedOrganisation("Hall Lane Primary School", 2)],
    )
    db.session.commit()
    assert statuses(signed_in, event)["Audience"] == "In progress"

    audience_services.save_profile(event=event, actor=organiser, values={
        "sector": Sector.EDUCATION_SCHOOLS,
        "profession": "Teachers and safeguarding leads",
        "vital_statistics": "About 40 people",
        "barriers": "Time after school",
        "influencers": "Head teachers",
        "receptive_slot": ReceptiveSlot.EVENING,
    })
    db.session.commit()
    assert statuses(signed_in, event)["Audience"] == "Completed"


def test_format_is_complete_once_decided(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    format_services.record_decision(
        event=event, actor=organiser, pros=["engaging"], chosen=EventFormat.IN_PERSON,
        rationale="Teachers value meeting in person", actions=[],
    )
    db.session.commit()
    assert statuses(signed_in, event)["Virtual or in person"] == "Completed"


def test_every_stage_is_completed_in_turn(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(day=None, start=None, end=None)
    assert [statuses(signed_in, event)[t] for t in CORE] == [
        "In progress", "Not started", "Not started", "Not started",
    ]
    day = future_day(30)
    signed_in.post(f"/events/{event.id}/edit", data={
        "title": event.title, "aims": ["awareness"], "day": [day.day, day.month, day.year],
        "start": "18:00", "end": "20:00", "format": "in_person", "home_office_speaking": "no",
        "intro_video": "no",
    })
    smart_objective(event, organiser, measure_by=day + timedelta(days=1))
    signed_in.post(f"/events/{event.id}/audience/", data={
        "sector": "education_schools", "profession": "Teachers", "receptive_slot": "evening",
        "vital_statistics": "40", "characteristics": "Busy", "barriers": "Time",
    })
    signed_in.post(f"/events/{event.id}/format/", data={
        "in_person_pros": ["engaging"], "format": "in_person", "rationale": "Better for trust",
        "submit": "Save decision",
    })
    assert [statuses(signed_in, event)[t] for t in CORE] == ["Completed"] * 4


def test_the_page_shows_what_task_list_says(
    app: Flask, signed_in: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event()
    smart_objective(event, organiser)
    with app.test_request_context():
        expected = [
            ShownTask(t.title, t.status, t.href, t.hint) for t in stages.stages_for(event)
        ]
    assert shown_tasks(signed_in.get(f"/events/{event.id}").text) == expected


@pytest.mark.parametrize("title", LATER)
def test_later_stages_are_listed_and_linked_only_once_they_exist(
    signed_in: FlaskClient, make_event: Callable[..., Event], title: str
) -> None:
    """Stages still to be built say "Not yet available" and are not links."""
    event = make_event()
    tasks = {t.title: t for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)}
    assert title in tasks, f"{title} is missing from the task list"
    task = tasks[title]
    if KEYS[title] in stages.placeholders():
        assert task.status == "Not yet available"
        assert task.href is None
    else:
        assert task.status != "Not yet available"
        assert task.href is not None
        assert signed_in.get(task.href).status_code == 200


def test_stages_are_in_the_handbooks_order(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    titles = [t.title for t in shown_tasks(signed_in.get(f"/events/{event.id}").text)]
    assert [t for t in titles if t in CORE + LATER] == list(CORE + LATER)
