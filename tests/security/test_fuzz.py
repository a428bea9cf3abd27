"""Bad input never gives a 500: every form and every id-bearing route is fuzzed (QUALITY 15, 26).

Routes come from the URL map, so a new route is fuzzed without editing this file. A form's
fields are found by asking the route: an empty POST records the form the view builds (and
stops there, changing nothing). Every POST route then gets, on SQLite and PostgreSQL:

- random bodies (Hypothesis) mixing every shape below, half of them a valid body with a few
  fields changed, so odd values get past the other fields and reach services and database;
- JSON bodies, which the forms ignore;
- a file upload in place of each field, beside valid text, and files under unknown names;
- CR, LF, other line breaks and other control characters in every text field: nothing gives
  a 500, no control character is ever saved (none at all in a single-line column), and the
  event's calendar file and the task feed stay well formed;
- dates at both ends of the calendar (year 1, year 9999) in every date field: refused with
  the range message, never an OverflowError.

Every route with an id in its path gets ids past 2**31 and 2**63, zero and negative ids in
each id argument, by every method it takes: a 404, never a driver error.

The database is emptied after each test, not after each example, so the checks hold whatever
earlier examples created (duplicate names, changed passwords, deleted rows and so on).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.wrappers import Response
from wtforms import Field, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import PasswordInput, TextArea

from eventapp.calendars import services as calendar_services
from eventapp.extensions import db
from eventapp.forms import BaseForm, GovDateField
from eventapp.routing import BoundedIntConverter
from tests.conftest import PASSWORD, login_as
from tests.security.conftest import (
    World,
    act_as,
    all_rules,
    id_arguments,
    methods_of,
    post_rules,
    rule_id,
    urls_for,
    valid_form,
)
from tests.security.test_calendar_injection import assert_well_formed

ALLOWED = {200, 302, 400, 429}
EXAMPLES = 20
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Line breaks of every kind, and control characters that are not line breaks.
BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\t"]
CONTROLS = ["\x01", "\x07", "\x08", "\x1b", "\x7f", "\x9b"]
CONTROL_VALUES = [
    "Before\r\nX-INJECTED:yes",
    "Before\rX-INJECTED:yes\nAfter",
    "Before" + "".join(BREAKS) + "After",
    "Before" + "".join(CONTROLS) + "After",
]
# Day, month, year: both ends of Python's calendar, and just outside the service's range.
EDGE_DATES = [
    ("1", "1", "0001"), ("8", "1", "0001"), ("31", "12", "9999"), ("1", "1", "9999"),
    ("31", "12", "1999"), ("1", "1", "2101"),
]
RANGE_MESSAGE = "must be between 1 January 2000 and 31 December 2100"
# Path ids: past PostgreSQL's integer, past 64 bits, zero and negative.
BAD_IDS = [
    str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "0", "-1", str(-(2**63)),
]
SENTINEL = 987_654_321  # a valid-looking id, swapped for each bad one in a built URL


# Finding each route's form ---------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    name: str  # as posted, with the form's prefix
    kind: str  # line, paragraph, password, date, choice, other
    choices: tuple[str, ...] = ()


class _FormFound(HTTPException):
    code = 400


def kind_of(field: Field) -> str:
    if isinstance(field, GovDateField):
        return "date"
    if isinstance(field, PasswordField) or isinstance(field.widget, PasswordInput):
        return "password"
    if isinstance(field, TextAreaField) or isinstance(field.widget, TextArea):
        return "paragraph"
    if getattr(field, "choices", None) is not None:
        return "choice"
    if isinstance(field, StringField):
        return "line"
    return "other"


def choice_values(field: Field) -> tuple[str, ...]:
    values = []
    for choice in getattr(field, "choices", None) or ():
        value = choice[0] if isinstance(choice, tuple) else getattr(choice, "value", None)
        if value is not None:
            values.append(str(value))
    return tuple(values)


def discover_fields(client: FlaskClient, url: str) -> list[FormField]:
    """The fields of the first form the view builds for a POST (found before it acts)."""
    forms: list[BaseForm] = []
    original = BaseForm.__init__

    def record_and_stop(self: BaseForm, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        forms.append(self)
        raise _FormFound

    BaseForm.__init__ = record_and_stop  # type: ignore[method-assign]
    try:
        client.post(url, data={})
    finally:
        BaseForm.__init__ = original  # type: ignore[method-assign]
    if not forms:
        return []
    return [
        FormField(field.name, kind_of(field), choice_values(field))
        for field in forms[0]
        if not isinstance(field, (SubmitField, CSRFTokenField))
    ]


@dataclass
class Target:
    """One POST URL with what it accepts: its form's fields, and a valid body if known."""

    rule: Rule
    url: str
    fields: list[FormField]
    valid: dict[str, list[Any]]

    @property
    def names(self) -> list[str]:
        return sorted({f.name for f in self.fields} | set(self.valid) | {"unexpected"})

    def of_kind(self, *kinds: str) -> list[str]:
        return [f.name for f in self.fields if f.kind in kinds]

    @property
    def text_fields(self) -> list[str]:
        known = {f.name for f in self.fields}
        # Values a view reads itself (request.form) are text too.
        return self.of_kind("line", "paragraph", "other") + sorted(set(self.valid) - known)

    @property
    def choices(self) -> list[str]:
        return sorted({value for f in self.fields for value in f.choices})

    @property
    def allowed(self) -> set[int]:
        # A row deleted by an earlier example is then, rightly, not found.
        return ALLOWED | ({404} if id_arguments(self.rule) else set())


def prepare(client: FlaskClient, rule: Rule, world: World) -> None:
    """Sign in as the route's user, and lift the sign-in limits so the form itself is reached."""
    act_as(client, world.a, rule)
    for name in (
        "SIGN_IN_LIMIT_PER_IP", "SIGN_IN_LIMIT_PER_ACCOUNT", "SIGN_IN_LIMIT_PER_ACCOUNT_ALL_ADDRESSES"
    ):
        client.application.config[name] = "100000 per minute"


def targets(client: FlaskClient, rule: Rule, world: World) -> list[Target]:
    prepare(client, rule, world)
    valid = valid_form(rule.endpoint, world.a) or {}
    body = {k: v if isinstance(v, list) else [v] for k, v in valid.items()}
    return [
        Target(rule, url, discover_fields(client, url), body) for url in urls_for(rule, world.a)
    ]


# Checks -----------------------------------------------------------------------------------


def check(response: Response, allowed: set[int], what: str) -> None:
    assert response.status_code in allowed, f"{what} gave {response.status_code}"
    assert "Traceback" not in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def no_control_characters_saved() -> None:
    """No table holds a control character: none in a single-line column (String), and only
    tab and line breaks in a multi-line one (Text)."""
    kept = {"\t", "\n", "\r"}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, (String, Text))]
            for column in columns:
                multi_line = isinstance(column.type, Text)
                for (value,) in conn.execute(table.select().with_only_columns(column)):
                    bad = {
                        c for c in value or "" if unicodedata.category(c) == "Cc"
                    } - (kept if multi_line else set())
                    assert not bad, f"{table.name}.{column.name} saved {value!r}"


def calendars_stay_well_formed(app: Flask, world: World) -> None:
    """The event's calendar file (if it has a date) and a fresh task feed both parse cleanly."""
    staff = app.test_client()
    login_as(staff, world.a.organiser)
    event_file = staff.get(f"/events/{world.a.event.id}/calendar.ics")
    assert event_file.status_code in {200, 404}
    if event_file.status_code == 200:
        assert_well_formed(event_file.data)
    token = calendar_services.issue_feed_token(world.a.organiser)
    db.session.commit()
    feed = app.test_client().get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    assert_well_formed(feed.data)


# Strategies ---------------------------------------------------------------------------------

TRICKY = [
    "", " ", "\t", "0", "1", "2", "5", "-0", "-1", "1e400", "-1e400", "NaN", "nan", "Infinity",
    "-inf", "1_000", "1,000", "1.5", "0.001", "99999999999999999999999999999", "0x1F", "１２",
    "١٢", "²",
    "31 2 2027", "29 2 2023", "2027-02-31", "00:00", "24:00", "23:60", "18.00", "6pm", "25:99",
    "\x00", "a\x00b", "\u202e", "\ud7ff", "\U0001f600", "İ" * 70, "ß" * 300,
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%s%n{0}", "{{7*7}}",
    "\r\nBcc: someone@example.com", "https://example.com", "javascript:alert(1)",
    "organiser.a@example.gov.uk", "ADMIN.A@EXAMPLE.GOV.UK", PASSWORD, "planning", "held",
    "Hall School, 3\nHall School, 4\n- \n•\n, 5\n x 99999", *CONTROL_VALUES,
]


def a_file() -> tuple[io.BytesIO, str]:
    """A fresh upload each time (a stream is read once)."""
    return io.BytesIO(b"%PDF-1.4 not really\r\n\x00\xff"), "notes.pdf"


def text_values(target: Target) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.text(max_size=40),
        st.text(max_size=10).map(lambda s: f"{s}\x00{s}"),  # PostgreSQL text cannot hold NUL
        st.sampled_from(TRICKY + target.choices),
        st.tuples(st.text(max_size=8), st.sampled_from(BREAKS + CONTROLS), st.text(max_size=8))
        .map("".join),
        st.integers(min_value=0, max_value=5000).map(lambda n: "x" * n),
        st.text(min_size=1, max_size=4).map(lambda s: (s * 5000)[:5000]),
        st.integers().map(str),
        st.floats().map(str),
        st.decimals(allow_nan=True).map(str),
        st.builds(a_file),
    )


def form_bodies(target: Target) -> st.SearchStrategy[dict[str, list[Any]]]:
    values = text_values(target)
    body = st.dictionaries(
        keys=st.sampled_from(target.names),
        values=st.lists(values, min_size=1, max_size=4),
        max_size=len(target.names),
    )
    dates = target.of_kind("date")
    if not dates:
        return body
    date_part = st.one_of(
        st.sampled_from(["31", "2", "2027", "0", "29", "13", "00", "99999", "", "0001", "9999"]),
        st.integers(-5, 100_000).map(str),
        values,
    )
    edge = st.sampled_from(EDGE_DATES).map(list)
    three = st.dictionaries(
        keys=st.sampled_from(dates),
        values=st.one_of(edge, st.lists(date_part, min_size=3, max_size=3)),
    )
    return st.tuples(body, three).map(lambda pair: pair[0] | pair[1])


# The tests ----------------------------------------------------------------------------------

POST_RULES = post_rules()


def test_the_fuzzer_finds_every_form_and_its_fields(client: FlaskClient, world: World) -> None:
    """Discovery works: the forms' real fields, prefixes and choices are found."""
    by_endpoint = {rule.endpoint: rule for rule in POST_RULES}
    event_form = targets(client, by_endpoint["events.new"], world)[0]
    assert {"title", "aims", "day", "capacity", "venue_address"} <= {f.name for f in event_form.fields}
    assert event_form.of_kind("date") == ["day"]
    assert "venue_address" in event_form.of_kind("paragraph")
    assert {"title", "venue_name", "chair_name"} <= set(event_form.of_kind("line"))
    assert {"awareness", "in_person", "yes"} <= set(event_form.choices)
    add = targets(client, by_endpoint["audience.organisations"], world)[0]
    assert "add-name" in add.of_kind("line")
    sign_in = targets(client, by_endpoint["accounts.sign_in"], world)[0]
    assert sign_in.of_kind("password") == ["password"]
    # Every form-taking route in the URL map is found to have one.
    without = [
        rule_id(rule) for rule in POST_RULES
        if valid_form(rule.endpoint, world.a) and not targets(client, rule, world)[0].fields
        and rule.endpoint not in {"events.change_status", "calendars.feed_settings"}
        and valid_form(rule.endpoint, world.a) != {"submit": "Confirm"}
    ]
    assert without == []


def fuzz(client: FlaskClient, target: Target) -> None:
    fuzzed = form_bodies(target)

    @FUZZ
    @given(body=st.one_of(fuzzed, fuzzed.map(lambda changes: target.valid | changes)))
    def post(body: dict[str, list[Any]]) -> None:
        check(client.post(target.url, data=body), target.allowed, f"POST {target.url} {body!r}")

    post()


@pytest.mark.parametrize("rule", POST_RULES, ids=rule_id)
def test_fuzzed_form_never_gives_a_server_error(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    for target in targets(client, rule, world):
        fuzz(client, target)
    no_control_characters_saved()


def post_changed(client: FlaskClient, target: Target, changes: dict[str, Any], what: str) -> Any:
    """POST a valid body with some fields changed; it must not give a server error."""
    response = client.post(target.url, data=target.valid | changes)
    check(response, target.allowed, f"POST {target.url} with {what}")
    return response


def try_each_shape(client: FlaskClient, target: Target) -> None:
    """Each shape in each field in turn, beside otherwise valid input."""
    # A file in place of each field, and files where the form expects none.
    for name in target.names:
        post_changed(client, target, {name: a_file()}, f"a file as {name}")
    post_changed(client, target, {name: a_file() for name in target.names}, "files everywhere")
    # Control characters and line breaks in each text field.
    for name in target.text_fields:
        for value in CONTROL_VALUES:
            post_changed(client, target, {name: value}, f"{value!r} as {name}")
    # Both ends of the calendar in each date field: the range message, never a crash.
    for name in target.of_kind("date"):
        for day in EDGE_DATES:
            response = post_changed(client, target, {name: list(day)}, f"{day} as {name}")
            if response.status_code == 200:
                assert RANGE_MESSAGE in response.get_data(as_text=True), (name, day)


@pytest.mark.parametrize("rule", POST_RULES, ids=rule_id)
def test_files_control_characters_and_edge_dates_in_every_field(
    rule: Rule, client: FlaskClient, world: World, app: Flask
) -> None:
    for target in targets(client, rule, world):
        try_each_shape(client, target)
    no_control_characters_saved()
    calendars_stay_well_formed(app, world)


def int_arguments(rule: Rule) -> list[str]:
    return [a for a in id_arguments(rule) if isinstance(rule._converters[a], BoundedIntConverter)]


INT_ID_RULES = [rule for rule in all_rules() if int_arguments(rule)]


@pytest.mark.parametrize("rule", INT_ID_RULES, ids=rule_id)
def test_huge_and_negative_ids_are_not_found(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    """Each bad id in each id argument, by every method the route takes: a 404, not a 500."""
    prepare(client, rule, world)
    for argument in int_arguments(rule):
        for url in urls_for(rule, world.a, **{argument: SENTINEL}):
            for bad in BAD_IDS:
                for method in methods_of(rule):
                    body = valid_form(rule.endpoint, world.a) if method == "POST" else None
                    bad_url = url.replace(str(SENTINEL), bad)
                    check(client.open(bad_url, method=method, data=body), {404}, bad_url)


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


def post_json(client: FlaskClient, target: Target) -> None:
    @settings(FUZZ, max_examples=6)
    @given(body=st.one_of(JSON, st.dictionaries(st.sampled_from(target.names), JSON, max_size=4)))
    def post(body: object) -> None:
        check(client.post(target.url, json=body), target.allowed, f"JSON {body!r}")

    post()


@pytest.mark.parametrize("rule", POST_RULES, ids=rule_id)
def test_json_body_never_gives_a_server_error(
    rule: Rule, client: FlaskClient, world: World
) -> None:
    """The forms are form-encoded, but someone may post JSON to them anyway."""
    for target in targets(client, rule, world):
        post_json(client, target)


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
    from sqlalchemy import select

    from eventapp.audience.models import TargetOrganisation
    from eventapp.events.models import Event

    login_as(client, world.a.organiser)
    for path, body in (
        ("/events/new", {"title": "Road\x00show", "aims": "awareness", "format": "in_person",
                         "home_office_speaking": "no", "intro_video": "no"}),
        ("/sign-in", {"email": "someone\x00@example.gov.uk", "password": "x\x00"}),
        (f"/events/{world.a.event.id}/audience/organisations", {"add-name": "Hall\x00 School"}),
    ):
        check(client.post(path, data=body), ALLOWED, f"POST {path}")
    assert db.session.scalar(select(Event.id).where(Event.title == "Roadshow")) is not None
    assert db.session.scalar(
        select(TargetOrganisation.id).where(TargetOrganisation.name == "Hall School")
    ) is not None


def test_tabs_in_pasted_organisations_do_not_reach_a_name(
    client: FlaskClient, world: World
) -> None:
    """A list pasted from a spreadsheet keeps its tabs (a paragraph may); a name may not."""
    from sqlalchemy import select

    from eventapp.audience.models import TargetOrganisation

    login_as(client, world.a.organiser)
    response = client.post(
        f"/events/{world.a.event.id}/audience/organisations/paste",
        data={"paste-names": "Hall\tSchool\t12\nRiver\t\tClub"},
    )
    assert response.status_code == 302
    names = db.session.scalars(
        select(TargetOrganisation.name).where(TargetOrganisation.event_id == world.a.event.id)
    ).all()
    assert {"Hall School", "River Club"} <= set(names)
    no_control_characters_saved()


@pytest.mark.parametrize("body", [False, 0, "text", [1, 2], {"title": 5}, {"title": ["a", {}]}])
def test_json_bodies_are_ignored(body: object, client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post("/events/new", json=body)
    check(response, ALLOWED, f"JSON {body!r}")
    assert response.status_code == 200
    assert "Enter the event title" in response.get_data(as_text=True)
