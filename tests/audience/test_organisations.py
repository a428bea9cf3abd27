"""Target organisations: parsing a pasted list, adding one by one, duplicates, removal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry
from eventapp.audience.models import TargetOrganisation
from eventapp.audience.services import MAX_ORGANISATIONS
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.events.pages import banners, error_summary, parse


@pytest.fixture
def event(make_event: Callable[..., Event]) -> Event:
    return make_event()


def organisations(event: Event) -> list[tuple[str, int | None]]:
    db.session.expire_all()
    return [
        (o.name, o.expected_attendees)
        for o in db.session.scalars(
            select(TargetOrganisation).where(TargetOrganisation.event_id == event.id)
            .order_by(TargetOrganisation.id)
        )
    ]


def add(client: FlaskClient, event: Event, name: str, expected: str = "") -> object:
    return client.post(f"/events/{event.id}/audience/organisations",
                       data={"add-name": name, "add-expected": expected})


def paste(client: FlaskClient, event: Event, names: str) -> object:
    return client.post(f"/events/{event.id}/audience/organisations/paste",
                       data={"paste-names": names})


def test_organisations_are_added_one_by_one(signed_in: FlaskClient, event: Event) -> None:
    response = add(signed_in, event, "Hall Lane Primary School", "2")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/audience/organisations"
    add(signed_in, event, "Oak Academy")
    assert organisations(event) == [("Hall Lane Primary School", 2), ("Oak Academy", None)]

    page = signed_in.get(f"/events/{event.id}/audience/organisations").text
    assert any("Oak Academy added." in text for text in banners(page))
    rows = parse(page).one("tbody").find_all("tr")
    assert [r.find_all("td")[1].text for r in rows] == ["Hall Lane Primary School", "Oak Academy"]
    assert [r.find_all("td")[2].text for r in rows] == ["2", ""]


@pytest.mark.parametrize("again", ["Hall Lane Primary", "hall lane primary", "HALL LANE PRIMARY"])
def test_adding_a_duplicate_is_refused_whatever_its_case(
    signed_in: FlaskClient, event: Event, again: str
) -> None:
    add(signed_in, event, "Hall Lane Primary")
    response = add(signed_in, event, again, "3")
    assert response.status_code == 200
    assert ("#add-name", f"{again} is already on the list") in error_summary(response.text)
    assert organisations(event) == [("Hall Lane Primary", None)]


@pytest.mark.parametrize(
    ("name", "expected", "message"),
    [
        ("", "", "Enter the organisation's name"),
        ("Oak Academy", "two", "Enter the expected attendees as a whole number, like 2"),
        ("Oak Academy", "1.5", "Enter the expected attendees as a whole number, like 2"),
        ("Oak Academy", "-1", "Enter a number between 0 and 10,000"),
        ("x" * 201, "", "Enter a name of 200 characters or fewer"),
    ],
)
def test_adding_with_bad_input_says_what_to_do(
    signed_in: FlaskClient, event: Event, name: str, expected: str, message: str
) -> None:
    response = add(signed_in, event, name, expected)
    assert response.status_code == 200
    assert message in [text for _, text in error_summary(response.text)]
    assert organisations(event) == []


def test_a_pasted_list_is_added_skipping_duplicates(signed_in: FlaskClient, event: Event) -> None:
    add(signed_in, event, "Oak Academy")
    pasted = "Hall School, 3\n\n- Bullet School\nSchool 21 Academy\nhall school\nOAK ACADEMY, 2\n"
    response = paste(signed_in, event, pasted)
    assert response.status_code == 302

    assert organisations(event) == [
        ("Oak Academy", None), ("Hall School", 3), ("Bullet School", None),
        ("School 21 Academy", None),
    ]
    page = signed_in.get(f"/events/{event.id}/audience/organisations").text
    assert any(
        "3 organisations added. 2 already on the list: hall school, OAK ACADEMY." in text
        for text in banners(page)
    )


def test_a_paste_with_nothing_in_it_says_so(signed_in: FlaskClient, event: Event) -> None:
    for blank in ("", "\n  \n\t\n", "- \n*"):
        response = paste(signed_in, event, blank)
        assert response.status_code == 200
        assert "Paste at least one organisation" in [t for _, t in error_summary(response.text)]
    assert organisations(event) == []


def test_a_paste_cannot_take_an_event_past_the_limit(signed_in: FlaskClient, event: Event) -> None:
    names = "\n".join(f"School number {i}" for i in range(MAX_ORGANISATIONS + 1))
    response = paste(signed_in, event, names)
    assert response.status_code == 200
    assert (f"An event can have up to {MAX_ORGANISATIONS} target organisations"
            in [t for _, t in error_summary(response.text)])
    assert organisations(event) == []


def test_adding_one_more_past_the_limit_says_so(signed_in: FlaskClient, event: Event) -> None:
    # Regression: the limit's error named the paste form's field, which the single-add form
    # does not have, and gave a 500.
    paste(signed_in, event, "\n".join(f"School number {i}" for i in range(MAX_ORGANISATIONS)))
    response = add(signed_in, event, "One school too many", "")
    assert response.status_code == 200
    assert (f"An event can have up to {MAX_ORGANISATIONS} target organisations"
            in [t for _, t in error_summary(response.text)])
    assert len(organisations(event)) == MAX_ORGANISATIONS


def test_removing_an_organisation(signed_in: FlaskClient, event: Event) -> None:
    paste(signed_in, event, "Hall School\nOak Academy\nElm College")
    oak = db.session.scalars(select(TargetOrganisation).where(
        TargetOrganisation.name == "Oak Academy")).one()

    response = signed_in.post(f"/events/{event.id}/audience/organisations/{oak.id}/delete")
    assert response.status_code == 302
    assert organisations(event) == [("Hall School", None), ("Elm College", None)]
    page = signed_in.get(f"/events/{event.id}/audience/organisations").text
    assert any("Oak Academy removed." in text for text in banners(page))
    assert db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "audience.organisations.remove")).all()

    # Once removed, it can be added again.
    add(signed_in, event, "oak academy")
    assert ("oak academy", None) in organisations(event)


def test_another_events_organisation_cannot_be_removed(
    signed_in: FlaskClient, event: Event, make_event: Callable[..., Event]
) -> None:
    other = make_event(title="Another event")
    paste(signed_in, other, "Hall School")
    hall = db.session.scalars(select(TargetOrganisation)).one()
    response = signed_in.post(f"/events/{event.id}/audience/organisations/{hall.id}/delete")
    assert response.status_code == 404
    assert organisations(other) == [("Hall School", None)]


def test_the_same_name_may_be_a_target_of_two_events(
    signed_in: FlaskClient, event: Event, make_event: Callable[..., Event]
) -> None:
    other = make_event(title="Another event")
    add(signed_in, event, "Hall School")
    add(signed_in, other, "Hall School")
    assert organisations(event) == organisations(other) == [("Hall School", None)]


def test_lines_that_cannot_be_read_as_meant_are_reported_and_nothing_is_added(
    signed_in: FlaskClient, event: Event
) -> None:
    # Regression: " ,  " became an organisation called ",", a long name was silently cut,
    # and "Oak Academy, lots" became part of the name.
    pasted = f"Hall School, 3\n   ,  \nOak Academy, lots\nElm College, -3\n{'x' * 201}\n"
    response = paste(signed_in, event, pasted)
    assert response.status_code == 200
    assert [t for _, t in error_summary(response.text)] == [
        "Nothing was added: correct the lines listed, then add the list again"
    ]
    messages = [li.text for li in parse(response.text).one("ul", id="paste-problems").find_all("li")]
    assert any(m.startswith("Line 2 (“,”): there is no organisation name") for m in messages)
    assert any(m.startswith("Line 3 (“Oak Academy, lots”): put a whole number") for m in messages)
    assert any(m.startswith("Line 4 (“Elm College, -3”): put a whole number") for m in messages)
    assert any(m.startswith("Line 5") and "longer than 200 characters" in m for m in messages)
    assert organisations(event) == []
