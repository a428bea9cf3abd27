"""Create and move forms do their work once per page load (QUALITY.md property 25)."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.checklist.models import ChecklistTask
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.objectives.models import Objective
from tests.conftest import future_day
from tests.events.formdata import event_form
from tests.formreader import read_form


def _count(model: type) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_sending_the_new_event_form_twice_makes_one_event_and_shows_it(
    signed_in: FlaskClient,
) -> None:
    page = read_form(signed_in.get("/events/new").text, having="form_token")
    data = {**event_form(future_day()), "form_token": page["form_token"]}
    first = signed_in.post("/events/new", data=data)
    again = signed_in.post("/events/new", data=data, follow_redirects=True)

    assert _count(Event) == 1
    event = db.session.scalars(select(Event)).one()
    assert first.headers["Location"] == f"/events/{event.id}"
    assert again.request.path == f"/events/{event.id}"
    assert "nothing was done twice" in again.text


def test_each_page_load_gets_its_own_token(signed_in: FlaskClient) -> None:
    one = read_form(signed_in.get("/events/new").text, having="form_token")["form_token"]
    two = read_form(signed_in.get("/events/new").text, having="form_token")["form_token"]
    assert one != two
    for token in (one, two):
        signed_in.post("/events/new", data={**event_form(future_day()), "form_token": token})
    assert _count(Event) == 2


def test_a_refused_form_leaves_its_token_unused(signed_in: FlaskClient) -> None:
    token = read_form(signed_in.get("/events/new").text, having="form_token")["form_token"]
    refused = signed_in.post("/events/new", data={**event_form(), "title": "", "form_token": token})
    assert refused.status_code == 200
    signed_in.post("/events/new", data={**event_form(), "form_token": token})
    assert _count(Event) == 1


def test_the_same_token_from_another_person_is_theirs_to_use(
    signed_in: FlaskClient, make_user: Callable[..., User], organiser: User, client: FlaskClient
) -> None:
    token = read_form(signed_in.get("/events/new").text, having="form_token")["form_token"]
    signed_in.post("/events/new", data={**event_form(), "form_token": token})
    from tests.conftest import login_as

    login_as(client, make_user(council=organiser.council))
    client.post("/events/new", data={**event_form(), "form_token": token})
    assert _count(Event) == 2


def test_objective_agenda_item_and_task_forms_sent_twice_add_once(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    item = {
        "title": "Welcome", "duration_minutes": "10", "part": "scene",
        "is_speaker": "no", "collects_feedback": "no",
    }
    forms: list[tuple[str, dict[str, str], type]] = [
        (f"/events/{event.id}/objectives/new", {"statement": "Raise awareness"}, Objective),
        (f"/events/{event.id}/agenda/new", item, AgendaItem),
        (f"/events/{event.id}/checklist/new", {"title": "Print badges", "week": "2"}, ChecklistTask),
    ]
    for url, data, model in forms:
        before = _count(model)
        token = read_form(signed_in.get(url).text, having="form_token")["form_token"]
        first = signed_in.post(url, data={**data, "form_token": token})
        again = signed_in.post(url, data={**data, "form_token": token})
        assert _count(model) == before + 1, url
        assert again.headers["Location"] == first.headers["Location"]


def test_a_double_click_on_move_up_moves_once(
    signed_in: FlaskClient, organiser: User, make_event: Callable[..., Event]
) -> None:
    event = make_event()
    for title in ("Welcome", "Talk", "Questions"):
        agenda_services.add_item(
            event=event,
            actor=organiser,
            details=agenda_services.ItemDetails(
                title=title, duration_minutes=10, part=AgendaPart.SCENE
            ),
        )
    db.session.commit()
    last = db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Questions")).one()
    page = signed_in.get(f"/events/{event.id}/agenda/").text
    button = {**read_form(page, action=f"/{last.id}/move"), "direction": "up"}
    assert "form_token" in button
    for _ in range(2):
        signed_in.post(f"/events/{event.id}/agenda/{last.id}/move", data=button)

    db.session.expire_all()
    titles = list(
        db.session.scalars(
            select(AgendaItem.title)
            .where(AgendaItem.event_id == event.id)
            .order_by(AgendaItem.position)
        )
    )
    assert titles == ["Welcome", "Questions", "Talk"]


def test_a_form_sent_without_its_token_is_not_given_one(signed_in: FlaskClient) -> None:
    # A made-up token would count as a first submission and record a row for nothing.
    from eventapp.once.models import FormSubmission

    signed_in.post("/events/new", data=event_form())
    assert _count(Event) == 1
    assert _count(FormSubmission) == 0
