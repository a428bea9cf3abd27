"""Input shapes that once gave a 500, each kept as a regression test (QUALITY 15 and 26).

A file where text is expected, control characters in text, and dates at the ends of the
calendar. The fuzz tests try the same shapes on every form; these pin the exact behaviour.
"""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import Aim
from eventapp.objectives.models import Objective
from tests.conftest import login_as
from tests.security.conftest import World

EVENT = {
    "title": "Roundtable",
    "aims": "awareness",
    "format": "in_person",
    "home_office_speaking": "no",
    "intro_video": "no",
}
TIMES = {"start": "18:00", "end": "20:00"}
HIDDEN = "contains a hidden character that cannot be saved. Type it again instead of pasting it"
OUT_OF_RANGE = "Date of the event must be between 1 January 2000 and 31 December 2100"


def a_file(name: str = "notes.txt") -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"a file, not text"), name


def page(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


# Files where text is expected -------------------------------------------------------


def test_a_file_in_the_sign_in_form_is_ignored_not_a_crash(client: FlaskClient) -> None:
    """It was a TypeError (a FileStorage has no len()) before any sign-in or CSRF check."""
    response = client.post(
        "/sign-in",
        data={"email": a_file(), "password": a_file(), "extra": a_file()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Enter your email address" in page(response)


def test_a_file_in_place_of_a_title_is_ignored(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post(
        "/events/new",
        data={**EVENT, "title": a_file(), "venue_address": a_file()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Enter the event title" in page(response)


def test_a_form_still_works_when_a_file_rides_along(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post(
        "/events/new",
        data={**EVENT, "title": "Sent with a file", "attachment": a_file()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Event.id).where(Event.title == "Sent with a file"))


# Control characters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Road\nshow", "Road show"),
        ("Road\r\nshow", "Road show"),
        ("Road\rshow", "Road show"),
        ("Road\tshow", "Road show"),
        ("Road\u2028show", "Road show"),
        ("Road\x85show", "Road show"),
        ("Road \r\n\t show", "Road   show"),
        ("\nRoadshow\n", "Roadshow"),
    ],
    ids=repr,
)
def test_single_line_fields_put_line_breaks_on_one_line(
    client: FlaskClient, world: World, typed: str, saved: str
) -> None:
    login_as(client, world.a.organiser)
    body = {**EVENT, "title": typed, "venue_name": typed, "chair_name": typed}
    response = client.post("/events/new", data=body)
    assert response.status_code == 302
    event = db.session.get(Event, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    assert event is not None
    assert (event.title, event.venue_name, event.chair_name) == (saved, saved, saved)


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\x9b", "\x08"], ids=repr)
def test_other_control_characters_are_refused_with_a_message(
    client: FlaskClient, world: World, character: str
) -> None:
    login_as(client, world.a.organiser)
    before = db.session.scalar(select(db.func.count()).select_from(Event))

    response = client.post("/events/new", data={**EVENT, "title": f"Road{character}show"})

    assert response.status_code == 200
    assert f"Event title {HIDDEN}" in page(response)
    assert db.session.scalar(select(db.func.count()).select_from(Event)) == before


def test_multi_line_fields_keep_their_line_breaks(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    body = {**EVENT, "title": "Address test", "venue_address": "1 High Street\r\nGrays\r\nRM17"}
    assert client.post("/events/new", data=body).status_code == 302
    address = db.session.scalar(select(Event.venue_address).where(Event.title == "Address test"))
    assert address is not None
    assert address.splitlines() == ["1 High Street", "Grays", "RM17"]


def test_multi_line_fields_refuse_other_control_characters(
    client: FlaskClient, world: World
) -> None:
    login_as(client, world.a.organiser)
    response = client.post(
        "/events/new", data={**EVENT, "venue_address": "1 High Street\x1b[31m\nGrays"}
    )
    assert response.status_code == 200
    assert f"Venue address {HIDDEN}" in page(response)


def test_a_prefixed_form_gets_the_same_rules(client: FlaskClient, world: World) -> None:
    """The organisation forms carry a prefix; the rule is bound to every field, prefix or not."""
    login_as(client, world.a.organiser)
    path = f"/events/{world.a.event.id}/audience/organisations"
    assert client.post(path, data={"add-name": "Hall\r\nSchool"}).status_code == 302
    response = client.post(path, data={"add-name": "Hall\x07School"})
    assert response.status_code == 200
    assert HIDDEN in page(response)


def test_passwords_are_checked_exactly_as_typed(client: FlaskClient, world: World) -> None:
    """A tab in a password is not turned into a space: sign-in just fails as usual."""
    response = client.post(
        "/sign-in", data={"email": world.a.organiser.email, "password": "correct\thorse"}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page(response)


# Dates at the ends of the calendar --------------------------------------------------------


@pytest.mark.parametrize(
    "typed", [("1", "1", "0001"), ("8", "1", "0001"), ("31", "12", "9999"),
              ("31", "12", "1999"), ("1", "1", "2101")],
    ids=lambda t: " ".join(t),
)
@pytest.mark.parametrize("where", ["create", "edit"])
def test_dates_outside_the_range_are_refused_with_a_message(
    client: FlaskClient, world: World, typed: tuple[str, str, str], where: str
) -> None:
    """Year 1 and year 9999 once crashed the week windows with an OverflowError."""
    login_as(client, world.a.organiser)
    path = "/events/new" if where == "create" else f"/events/{world.a.event.id}/edit"
    day, month, year = typed
    body = {**EVENT, **TIMES, "day": [day, month, year]}

    response = client.post(path, data=body)

    assert response.status_code == 200
    assert OUT_OF_RANGE in page(response)


@pytest.mark.parametrize("typed", [("1", "1", "2000"), ("31", "12", "2100")], ids=" ".join)
def test_the_first_and_last_day_of_the_range_are_accepted(
    client: FlaskClient, world: World, typed: tuple[str, str, str]
) -> None:
    login_as(client, world.a.organiser)
    body = {**EVENT, **TIMES, "title": "At the edge", "day": list(typed)}
    assert client.post(f"/events/{world.a.event.id}/edit", data=body).status_code == 302


def test_objective_dates_have_the_same_range(client: FlaskClient, world: World) -> None:
    login_as(client, world.a.organiser)
    response = client.post(
        f"/events/{world.a.event.id}/objectives/new",
        data={"statement": "Far future", "measure_by": ["31", "12", "9999"]},
    )
    assert response.status_code == 200
    assert "between 1 January 2000 and 31 December 2100" in page(response)
    assert db.session.scalar(select(Objective.id).where(Objective.statement == "Far future")) is None


@pytest.mark.parametrize("day", [date.min, date(1, 1, 8), date(1999, 12, 31), date.max])
def test_the_service_refuses_dates_outside_the_range_too(world: World, day: date) -> None:
    """The rule holds for any caller, not only the form (the CLI, the demo data, a test)."""
    details = event_services.EventDetails(
        title="Direct", aims=[Aim.AWARENESS], day=day, start=time(18, 0), end=time(20, 0)
    )
    with pytest.raises(DomainError, match="must be between 1 January 2000") as raised:
        event_services.create_event(
            council_id=world.a.council.id, actor=world.a.organiser, details=details
        )
    assert raised.value.field == "day"


def test_the_hidden_character_check_refuses_exactly_unicodes_control_characters() -> None:
    """Every code point: refused by the form check if and only if Unicode calls it a control
    character (category Cc) and it is not a tab or line break kept in paragraphs."""
    import sys
    import unicodedata

    from eventapp import forms

    for code in range(sys.maxunicode + 1):
        character = chr(code)
        hidden = unicodedata.category(character) == "Cc" and character not in "\t\n\r"
        assert bool(forms._HIDDEN.search(character)) is hidden, hex(code)
