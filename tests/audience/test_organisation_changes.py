"""Target organisations after they are added: expected attendees changed (never over a
colleague's save), and several removed at once with one confirmation, once per page load."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.accounts.models import AuditEntry
from eventapp.audience.models import TargetOrganisation
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.once import ALREADY_DONE
from tests.audience.test_organisations import organisations, paste
from tests.events.pages import banners, error_summary
from tests.formreader import read_form


@pytest.fixture
def event(make_event: Callable[..., Event]) -> Event:
    return make_event()


def _ids(event: Event) -> dict[str, int]:
    return {
        o.name: o.id
        for o in db.session.scalars(
            select(TargetOrganisation).where(TargetOrganisation.event_id == event.id)
        )
    }


def _base(event: Event) -> str:
    return f"/events/{event.id}/audience/organisations"


def _removals() -> int:
    return db.session.scalar(
        select(func.count()).where(AuditEntry.action == "audience.organisations.remove")
    ) or 0


# Changing the expected attendees ------------------------------------------------------------


def test_the_expected_attendees_can_be_changed(signed_in: FlaskClient, event: Event) -> None:
    paste(signed_in, event, "Hall School, 2\nOak Academy")
    hall = _ids(event)["Hall School"]
    listing = signed_in.get(_base(event)).text
    assert f'href="{_base(event)}/{hall}"' in listing  # a Change link on each row

    url = f"{_base(event)}/{hall}"
    form = read_form(signed_in.get(url).text, having="loaded_version")
    assert (form["name"], form["expected"]) == ("Hall School", "2")
    form["expected"] = "5"
    response = signed_in.post(url, data=form, follow_redirects=True)
    assert any("Hall School saved." in text for text in banners(response.text))
    assert organisations(event) == [("Hall School", 5), ("Oak Academy", None)]

    form = read_form(signed_in.get(url).text, having="loaded_version")
    form["expected"] = ""
    assert signed_in.post(url, data=form).status_code == 302
    assert organisations(event)[0] == ("Hall School", None)


@pytest.mark.parametrize(
    ("name", "expected", "message"),
    [
        ("Hall School", "lots", "Enter the expected attendees as a whole number, like 2"),
        ("Hall School", "-3", "Enter a number between 0 and 10,000"),
        ("  ", "2", "Enter the organisation's name"),
        ("oak academy", "2", "oak academy is already on the list"),
    ],
)
def test_a_change_that_breaks_a_rule_says_what_to_do(
    signed_in: FlaskClient, event: Event, name: str, expected: str, message: str
) -> None:
    paste(signed_in, event, "Hall School, 2\nOak Academy")
    url = f"{_base(event)}/{_ids(event)['Hall School']}"
    form = read_form(signed_in.get(url).text, having="loaded_version")
    form.update(name=name, expected=expected)
    response = signed_in.post(url, data=form)
    assert response.status_code == 200
    assert message in [text for _, text in error_summary(response.text)]
    assert organisations(event) == [("Hall School", 2), ("Oak Academy", None)]


def test_two_tabs_renaming_and_changing_the_number_keep_both(
    signed_in: FlaskClient, event: Event
) -> None:
    paste(signed_in, event, "Hall School, 2")
    url = f"{_base(event)}/{_ids(event)['Hall School']}"
    first = read_form(signed_in.get(url).text, having="loaded_version")
    second = read_form(signed_in.get(url).text, having="loaded_version")
    first["expected"] = "4"
    assert signed_in.post(url, data=first).status_code == 302
    second["name"] = "Hall Lane Primary School"
    response = signed_in.post(url, data=second, follow_redirects=True)
    assert "changes saved since you opened the page were kept" in response.text
    assert organisations(event) == [("Hall Lane Primary School", 4)]


def test_two_tabs_changing_the_number_ask_which_to_keep(
    signed_in: FlaskClient, event: Event
) -> None:
    paste(signed_in, event, "Hall School, 2")
    url = f"{_base(event)}/{_ids(event)['Hall School']}"
    first = read_form(signed_in.get(url).text, having="loaded_version")
    second = read_form(signed_in.get(url).text, having="loaded_version")
    first["expected"] = "4"
    assert signed_in.post(url, data=first).status_code == 302
    second["expected"] = "9"
    response = signed_in.post(url, data=second)
    assert response.status_code == 200
    assert "Not saved yet" in response.text
    assert "Keep your answer: 9" in response.text
    assert organisations(event) == [("Hall School", 4)]


def test_another_events_organisation_cannot_be_changed(
    signed_in: FlaskClient, event: Event, make_event: Callable[..., Event]
) -> None:
    other = make_event(title="Another event")
    paste(signed_in, other, "Hall School, 2")
    hall = _ids(other)["Hall School"]
    assert signed_in.get(f"{_base(event)}/{hall}").status_code == 404
    response = signed_in.post(f"{_base(event)}/{hall}", data={"name": "Mine", "expected": "1"})
    assert response.status_code == 404
    assert organisations(other) == [("Hall School", 2)]


# Removing several at once ------------------------------------------------------------------


def test_several_are_removed_after_one_confirmation(signed_in: FlaskClient, event: Event) -> None:
    paste(signed_in, event, "Hall School\nOak Academy\nElm College\nAsh Nursery, 3")
    ids = _ids(event)
    listing = signed_in.get(_base(event)).text
    for name, number in ids.items():
        assert f'name="ids" value="{number}"' in listing, name

    chosen = [ids["Oak Academy"], ids["Ash Nursery"]]
    confirm = signed_in.get(f"{_base(event)}/remove", query_string={"ids": chosen})
    assert confirm.status_code == 200
    assert "Remove 2 target organisations?" in confirm.text
    assert "Ash Nursery (3 expected)" in confirm.text
    assert "Hall School" not in confirm.text
    assert len(organisations(event)) == 4  # asking changes nothing

    form = read_form(confirm.text, having="form_token")
    assert sorted(int(i) for i in form["ids"]) == sorted(chosen)
    response = signed_in.post(f"{_base(event)}/remove", data=form, follow_redirects=True)
    assert any("2 organisations removed." in text for text in banners(response.text))
    assert organisations(event) == [("Hall School", None), ("Elm College", None)]
    assert _removals() == 1

    # The same page sent again (Back, then the button) does nothing a second time.
    again = signed_in.post(f"{_base(event)}/remove", data=form, follow_redirects=True)
    assert any(ALREADY_DONE in text for text in banners(again.text))
    assert organisations(event) == [("Hall School", None), ("Elm College", None)]
    assert _removals() == 1


def test_removing_with_nothing_ticked_says_so(signed_in: FlaskClient, event: Event) -> None:
    paste(signed_in, event, "Hall School\nOak Academy")
    response = signed_in.get(f"{_base(event)}/remove")
    assert response.status_code == 200
    assert "Select the organisations to remove" in [t for _, t in error_summary(response.text)]
    assert response.text.count("<title>Error:") == 1
    assert len(organisations(event)) == 2


def test_another_events_organisations_cannot_be_removed_in_a_batch(
    signed_in: FlaskClient, event: Event, make_event: Callable[..., Event]
) -> None:
    other = make_event(title="Another event")
    paste(signed_in, other, "Hall School")
    paste(signed_in, event, "Oak Academy")
    theirs, mine = _ids(other)["Hall School"], _ids(event)["Oak Academy"]
    url = f"{_base(event)}/remove"
    assert signed_in.get(url, query_string={"ids": [mine, theirs]}).status_code == 404
    assert signed_in.post(url, data={"ids": [mine, theirs]}).status_code == 404
    assert organisations(other) == [("Hall School", None)]
    assert organisations(event) == [("Oak Academy", None)]


def test_one_removed_meanwhile_by_a_colleague_leaves_the_rest_to_remove(
    signed_in: FlaskClient, event: Event
) -> None:
    paste(signed_in, event, "Hall School\nOak Academy")
    ids = _ids(event)
    confirm = signed_in.get(f"{_base(event)}/remove", query_string={"ids": list(ids.values())})
    form = read_form(confirm.text, having="form_token")
    db.session.delete(db.session.get(TargetOrganisation, ids["Hall School"]))
    db.session.commit()
    response = signed_in.post(f"{_base(event)}/remove", data=form, follow_redirects=True)
    assert any("1 organisation removed." in text for text in banners(response.text))
    assert organisations(event) == []
