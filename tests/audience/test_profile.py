"""Saving the audience profile: the handbook's prompts, and "Other" needing words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.audience.models import AudienceProfile
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.handbook import ReceptiveSlot, Sector
from tests.events.pages import banners, error_summary, field_errors, page_title, parse


def profile_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sector": "education_schools",
        "sector_other": "",
        "profession": "Teachers and safeguarding leads",
        "vital_statistics": "About 40 safeguarding leads from 15 schools",
        "characteristics": "Experienced, busy in term time",
        "location_lifestyle": "Across the borough",
        "behaviours": "Refer concerns through the school's safeguarding lead",
        "attitudes": "Some think Prevent targets one community",
        "barriers": "Time after school",
        "motivations_needs": "Practical guidance they can use on Monday",
        "cares_about": "Pupils' wellbeing",
        "information_sources": "The schools' safeguarding network bulletin",
        "receptive_slot": "evening",
        "receptive_notes": "After 4pm",
        "influencers": "Head teachers",
    }
    data.update(overrides)
    return data


def saved_profile() -> AudienceProfile:
    db.session.expire_all()
    return db.session.scalars(select(AudienceProfile)).one()


@pytest.fixture
def event(make_event: Callable[..., Event]) -> Event:
    return make_event()


def test_saving_the_profile_keeps_every_answer(
    signed_in: FlaskClient, event: Event, organiser: User
) -> None:
    data = profile_form()
    response = signed_in.post(f"/events/{event.id}/audience/", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/audience/"

    profile = saved_profile()
    assert profile.event_id == event.id
    assert profile.sector is Sector.EDUCATION_SCHOOLS
    assert profile.receptive_slot is ReceptiveSlot.EVENING
    for name, value in data.items():
        if name not in ("sector", "receptive_slot"):
            assert getattr(profile, name) == value, name
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "audience.save")).one()
    assert audit.user_id == organiser.id

    page = signed_in.get(response.headers["Location"]).text
    assert any("Audience profile saved." in text for text in banners(page))
    tree = parse(page)
    chosen = tree.one("select", name="sector").find("option", selected="")
    assert chosen is not None and chosen.attrs["value"] == "education_schools"
    assert tree.one("textarea", name="barriers").text == "Time after school"


def test_saving_again_updates_the_same_profile(signed_in: FlaskClient, event: Event) -> None:
    signed_in.post(f"/events/{event.id}/audience/", data=profile_form())
    signed_in.post(f"/events/{event.id}/audience/",
                   data=profile_form(sector="faith", profession="Faith leaders", barriers=""))
    profile = saved_profile()
    assert (profile.sector, profile.profession, profile.barriers) == (
        Sector.FAITH, "Faith leaders", "",
    )


def test_other_sector_needs_its_name(signed_in: FlaskClient, event: Event) -> None:
    response = signed_in.post(f"/events/{event.id}/audience/",
                              data=profile_form(sector="other", sector_other="  "))
    assert response.status_code == 200
    assert ("#sector_other", "Enter the other sector") in error_summary(response.text)
    assert "Enter the other sector" in field_errors(response.text)
    assert page_title(response.text).startswith("Error: ")
    assert db.session.scalars(select(AudienceProfile)).first() is None

    response = signed_in.post(f"/events/{event.id}/audience/",
                              data=profile_form(sector="other", sector_other="Sports clubs"))
    assert response.status_code == 302
    assert (saved_profile().sector, saved_profile().sector_other) == (Sector.OTHER, "Sports clubs")


def test_choosing_a_listed_sector_forgets_the_other_sectors_name(
    signed_in: FlaskClient, event: Event
) -> None:
    signed_in.post(f"/events/{event.id}/audience/",
                   data=profile_form(sector="other", sector_other="Sports clubs"))
    signed_in.post(f"/events/{event.id}/audience/",
                   data=profile_form(sector="health", sector_other="Sports clubs"))
    assert (saved_profile().sector, saved_profile().sector_other) == (Sector.HEALTH, "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"sector": ""}, "sector", "Select the primary audience sector"),
        ({"profession": "x" * 201}, "profession", "Enter 200 characters or fewer"),
        ({"barriers": "x" * 2001}, "barriers", "Enter 2000 characters or fewer"),
    ],
)
def test_bad_profile_input_says_what_to_do(
    signed_in: FlaskClient, event: Event, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = signed_in.post(f"/events/{event.id}/audience/", data=profile_form(**overrides))
    assert response.status_code == 200
    assert (f"#{field}", message) in error_summary(response.text)
    assert db.session.scalars(select(AudienceProfile)).first() is None


@pytest.mark.parametrize(
    "overrides",
    [{"sector": "prefer_not"}, {"sector": "martians"}, {"receptive_slot": "midnight"}, {}],
    ids=["prefer-not", "unknown-sector", "unknown-slot", "nothing"],
)
def test_tampered_choices_are_refused_not_a_server_error(
    signed_in: FlaskClient, event: Event, overrides: dict[str, Any]
) -> None:
    data = profile_form(**overrides) if overrides else {}
    response = signed_in.post(f"/events/{event.id}/audience/", data=data)
    assert response.status_code == 200
    assert error_summary(response.text)
    assert db.session.scalars(select(AudienceProfile)).first() is None


def test_the_profile_page_has_no_other_form_that_could_discard_its_typing(
    signed_in: FlaskClient, event: Event
) -> None:
    # Regression: "Add organisation" on the same page sent only its own form, and whatever
    # had been typed into the profile was lost. The organisations have a page of their own.
    page = signed_in.get(f"/events/{event.id}/audience/").text
    posting = re.findall(r'<form[^>]*method="post"[^>]*>', page)
    forms_in_main = [f for f in posting if "sign-out" not in f and "sign_out" not in f]
    assert len(forms_in_main) == 1, forms_in_main
    assert f'action="/events/{event.id}/audience/"' in forms_in_main[0]
    assert f'href="/events/{event.id}/audience/organisations"' in page

    listing = signed_in.get(f"/events/{event.id}/audience/organisations").text
    assert "Add one organisation" in listing
    assert 'name="vital_statistics"' not in listing
