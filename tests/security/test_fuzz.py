"""Bad input never gives a 500: every form is fuzzed through the test client (QUALITY 15).

The database is emptied after each test, not after each Hypothesis example, so the checks
hold whatever earlier examples created (duplicate names, changed passwords and so on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from eventapp.accounts.forms import ChangePasswordForm, NewUserForm, SignInForm
from eventapp.agenda import services as agenda_services
from eventapp.agenda.forms import AgendaItemForm, MoveForm
from eventapp.audience.forms import AddOrganisationForm, AudienceForm, PasteOrganisationsForm
from eventapp.audience.models import TargetOrganisation
from eventapp.checklist.forms import NewTaskForm, TaskForm
from eventapp.checklist.models import ChecklistTask
from eventapp.events.forms import EventForm
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formats.forms import FormatDecisionForm
from eventapp.forms import GovDateField
from eventapp.objectives.forms import ObjectiveForm
from tests.conftest import PASSWORD, login_as
from tests.security.conftest import World, valid_form

ALLOWED = {200, 302, 400, 429}
EXAMPLES = 30
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class FormRoute:
    name: str
    path: Callable[[World], str]
    form: type | None
    prefix: str = ""
    user: str = "organiser"  # organiser, admin or anonymous
    extra_fields: tuple[str, ...] = ()


def _first_item(world: World) -> int:
    return agenda_services.list_items(world.a.event)[0].id


def _first_task(world: World) -> int:
    query = select(ChecklistTask.id).where(ChecklistTask.event_id == world.a.event.id)
    task_id = db.session.scalar(query.order_by(ChecklistTask.id).limit(1))
    assert task_id is not None, "the event has no checklist tasks to fuzz"
    return int(task_id)


ROUTES = [
    FormRoute("sign in", lambda w: "/sign-in", SignInForm, user="anonymous"),
    FormRoute("change password", lambda w: "/account/password", ChangePasswordForm),
    FormRoute("new user", lambda w: "/users/new", NewUserForm, user="admin"),
    FormRoute("new event", lambda w: "/events/new", EventForm),
    FormRoute("edit event", lambda w: f"/events/{w.a.event.id}/edit", EventForm),
    FormRoute("event status", lambda w: f"/events/{w.a.event.id}/status", None,
              extra_fields=("to", "submit")),
    FormRoute("new objective", lambda w: f"/events/{w.a.event.id}/objectives/new", ObjectiveForm),
    FormRoute(
        "edit objective",
        lambda w: f"/events/{w.a.event.id}/objectives/{w.a.objective.id}/edit",
        ObjectiveForm,
    ),
    FormRoute("audience", lambda w: f"/events/{w.a.event.id}/audience/", AudienceForm),
    FormRoute(
        "add organisation",
        lambda w: f"/events/{w.a.event.id}/audience/organisations",
        AddOrganisationForm,
        prefix="add-",
    ),
    FormRoute(
        "paste organisations",
        lambda w: f"/events/{w.a.event.id}/audience/organisations/paste",
        PasteOrganisationsForm,
        prefix="paste-",
    ),
    FormRoute("format decision", lambda w: f"/events/{w.a.event.id}/format/", FormatDecisionForm),
    FormRoute("new agenda item", lambda w: f"/events/{w.a.event.id}/agenda/new", AgendaItemForm),
    FormRoute(
        "edit agenda item",
        lambda w: f"/events/{w.a.event.id}/agenda/{_first_item(w)}/edit",
        AgendaItemForm,
    ),
    FormRoute(
        "move agenda item",
        lambda w: f"/events/{w.a.event.id}/agenda/{_first_item(w)}/move",
        MoveForm,
    ),
    FormRoute("new task", lambda w: f"/events/{w.a.event.id}/checklist/new", NewTaskForm),
    FormRoute(
        "edit task",
        lambda w: f"/events/{w.a.event.id}/checklist/{_first_task(w)}",
        TaskForm,
        extra_fields=("back",),
    ),
]


def unbound_fields(form: type) -> dict[str, UnboundField]:
    return {
        name: value for name in dir(form) if isinstance(value := getattr(form, name), UnboundField)
    }


def field_names(route: FormRoute) -> list[str]:
    names = [route.prefix + n for n in unbound_fields(route.form)] if route.form else []
    return sorted({*names, *route.extra_fields})


def choice_values(route: FormRoute) -> list[str]:
    """The values the form's radios, selects and checkboxes offer, so valid paths are reached."""
    values: set[str] = set()
    for field in unbound_fields(route.form).values() if route.form else ():
        for choice in field.kwargs.get("choices") or ():
            value = choice[0] if isinstance(choice, tuple) else getattr(choice, "value", None)
            if value is not None:
                values.add(str(value))
    return sorted(values)


def date_fields(route: FormRoute) -> list[str]:
    if route.form is None:
        return []
    return [
        route.prefix + name
        for name, field in unbound_fields(route.form).items()
        if issubclass(field.field_class, GovDateField)
    ]


TRICKY = [
    "", " ", "\t", "0", "1", "2", "5", "-0", "-1", "1e400", "-1e400", "NaN", "nan", "Infinity",
    "-inf", "1_000", "1,000", "1.5", "0.001", "99999999999999999999999999999", "0x1F", "１２",
    "١٢", "²",
    "31 2 2027", "29 2 2023", "2027-02-31", "00:00", "24:00", "23:60", "18.00", "6pm", "25:99",
    "\x00", "a\x00b", "\u202e", "\ud7ff", "\U0001f600", "İ" * 70, "ß" * 300,
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%s%n{0}", "{{7*7}}",
    "\r\nBcc: someone@example.com", "https://example.com", "javascript:alert(1)",
    "organiser.a@example.gov.uk", "ADMIN.A@EXAMPLE.GOV.UK", PASSWORD, "planning", "held",
    "Hall School, 3\nHall School, 4\n- \n•\n, 5\n x 99999",
]


def text_values(route: FormRoute) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.text(max_size=10).map(lambda s: f"{s}\x00{s}"),  # PostgreSQL text cannot hold NUL
        st.sampled_from(TRICKY + choice_values(route)),
        st.integers(min_value=0, max_value=5000).map(lambda n: "x" * n),
        st.text(min_size=1, max_size=4).map(lambda s: (s * 5000)[:5000]),
        st.integers().map(str),
        st.floats().map(str),
        st.decimals(allow_nan=True).map(str),
    )


def form_bodies(route: FormRoute) -> st.SearchStrategy[dict[str, list[str]]]:
    names = field_names(route)
    values = text_values(route)
    body = st.dictionaries(
        keys=st.sampled_from([*names, "unexpected"]),
        values=st.lists(values, min_size=1, max_size=4),
        max_size=len(names) + 1,
    )
    dates = date_fields(route)
    if not dates:
        return body
    date_part = st.one_of(
        st.sampled_from(["31", "2", "2027", "0", "29", "13", "00", "99999", ""]),
        st.integers(-5, 100_000).map(str),
        values,
    )
    three = st.dictionaries(
        keys=st.sampled_from(dates), values=st.lists(date_part, min_size=3, max_size=3)
    )
    return st.tuples(body, three).map(lambda pair: pair[0] | pair[1])


def prepare(client: FlaskClient, route: FormRoute, world: World) -> None:
    """Sign in as the route's user, and lift the sign-in rate limits."""
    if route.user == "organiser":
        login_as(client, world.a.organiser)
    elif route.user == "admin":
        login_as(client, world.a.admin)
    app = client.application
    # Let the fuzzer reach the sign-in form itself rather than the rate limit's 429 page.
    app.config["SIGN_IN_LIMIT_PER_IP"] = "100000 per minute"
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "100000 per minute"
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"] = "100000 per minute"


def check(response: object, what: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status in ALLOWED, f"{what} gave {status}"
    assert "Traceback" not in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Content-Security-Policy" in response.headers  # type: ignore[attr-defined]


def test_the_fuzzer_posts_the_fields_forms_really_have() -> None:
    routes = {r.name: r for r in ROUTES}
    assert {"title", "aims", "day", "capacity"} <= set(field_names(routes["new event"]))
    assert date_fields(routes["new event"]) == ["day"]
    assert "add-name" in field_names(routes["add organisation"])
    assert {"awareness", "in_person", "yes"} <= set(choice_values(routes["new event"]))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_fuzzed_form_never_gives_a_server_error(
    route: FormRoute, client: FlaskClient, world: World
) -> None:
    prepare(client, route, world)
    path = route.path(world)
    # Half the examples change a few fields of a valid body, so odd values get past the
    # other fields' validation and reach the services and the database.
    endpoint, _ = client.application.url_map.bind("localhost").match(path, method="POST")
    valid = valid_form(endpoint, world.a) or {}
    base = {k: v if isinstance(v, list) else [v] for k, v in valid.items()}
    fuzzed = form_bodies(route)

    @FUZZ
    @given(body=st.one_of(fuzzed, fuzzed.map(lambda changes: base | changes)))
    def post(body: dict[str, list[str]]) -> None:
        check(client.post(path, data=body), f"POST {path} with {body!r}")

    post()


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_json_body_never_gives_a_server_error(
    route: FormRoute, client: FlaskClient, world: World
) -> None:
    """The forms are form-encoded, but someone may post JSON to them anyway."""
    prepare(client, route, world)
    path = route.path(world)
    names = field_names(route)

    @settings(FUZZ, max_examples=10)
    @given(body=st.one_of(JSON, st.dictionaries(st.sampled_from(names), JSON, max_size=len(names))))
    def post(body: object) -> None:
        check(client.post(path, json=body), f"POST {path} with JSON {body!r}")

    post()



# Cases the fuzzer found, kept so they are always tried -------------------------------


def test_blank_organisation_name_is_an_error_not_a_crash(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post(
        f"/events/{world.a.event.id}/audience/organisations", data={"add-name": "   "}
    )
    assert response.status_code == 200
    assert "Enter the organisation&#39;s name" in response.get_data(as_text=True)


def test_nul_characters_are_dropped_from_text(client: FlaskClient, world: World) -> None:
    """PostgreSQL text cannot hold NUL; it is never typed, so it is removed rather than a 500."""
    login_as(client, world.a.organiser)
    for path, body in (
        ("/events/new", {"title": "Road\x00show", "aims": "awareness", "format": "in_person",
                         "home_office_speaking": "no", "intro_video": "no"}),
        ("/sign-in", {"email": "someone\x00@example.gov.uk", "password": "x\x00"}),
        (f"/events/{world.a.event.id}/audience/organisations", {"add-name": "Hall\x00 School"}),
    ):
        check(client.post(path, data=body), f"POST {path}")
    assert db.session.scalar(select(Event.id).where(Event.title == "Roadshow")) is not None
    assert db.session.scalar(
        select(TargetOrganisation.id).where(TargetOrganisation.name == "Hall School")
    ) is not None


@pytest.mark.parametrize("body", [False, 0, "text", [1, 2], {"title": 5}, {"title": ["a", {}]}])
def test_json_bodies_are_ignored(body: object, client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post("/events/new", json=body)
    check(response, f"JSON {body!r}")
    assert response.status_code == 200
    assert "Enter the event title" in response.get_data(as_text=True)
