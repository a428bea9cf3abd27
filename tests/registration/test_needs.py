"""A registrant changes their access and dietary needs on their own page (issue 10).

Saved once, shown back on their page and on the organiser's list; a form opened before a
newer save (another tab, another device) is merged as the staff edit forms are
(QUALITY.md property 24, eventapp.edits): a different answer changed there is kept, the
same answer changed both ways is shown with a choice and nothing is saved until they choose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from eventapp.events.models import Event
from tests.formreader import read_form
from tests.registration.conftest import register_and_confirm, registration

EMAIL = "needs@example.org"


def _tab(client: FlaskClient, own: str) -> dict[str, Any]:
    """The needs form as the registrant's page shows it (one browser tab)."""
    return read_form(client.get(own).get_data(as_text=True), having="access_needs")


def _needs() -> tuple[str, str]:
    row = registration(EMAIL)
    return row.access_needs, row.dietary_needs


def test_changed_needs_are_saved_shown_back_and_seen_by_the_organiser(
    signed_in: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    public = signed_in.application.test_client()
    own = register_and_confirm(public, event, EMAIL, name="Nadia Needs")
    assert _needs() == ("Step-free access", "Vegetarian")  # as registered

    form = _tab(public, own)
    form["access_needs"] = "Hearing loop, seat near the front"
    form["dietary_needs"] = "Vegan"
    response = public.post(f"{own}/needs", data=form)
    assert response.status_code == 302 and response.location.endswith(f"{own}#needs")
    assert _needs() == ("Hearing loop, seat near the front", "Vegan")
    # Sent again (a double click, the back button): the same answers, nothing to choose.
    again = public.post(f"{own}/needs", data=form)
    assert again.status_code == 302
    assert _needs() == ("Hearing loop, seat near the front", "Vegan")

    shown = _tab(public, own)
    assert (shown["access_needs"], shown["dietary_needs"]) == (
        "Hearing loop, seat near the front",
        "Vegan",
    )
    listing = signed_in.get(f"/events/{event.id}/registrations/").get_data(as_text=True)
    assert "Access: Hearing loop, seat near the front" in listing
    assert "Dietary: Vegan" in listing
    assert "Step-free access" not in listing


def test_a_stale_form_keeps_the_other_answer_saved_meanwhile(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    own = register_and_confirm(client, event, EMAIL)
    phone, laptop = _tab(client, own), _tab(client, own)
    phone["dietary_needs"] = "Halal"
    assert client.post(f"{own}/needs", data=phone).status_code == 302
    laptop["access_needs"] = "Wheelchair space"
    assert client.post(f"{own}/needs", data=laptop).status_code == 302
    assert _needs() == ("Wheelchair space", "Halal")


def test_a_stale_form_changing_the_same_answer_asks_which_to_keep(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    own = register_and_confirm(client, event, EMAIL)
    phone, laptop = _tab(client, own), _tab(client, own)
    phone["access_needs"] = "Ramp"
    assert client.post(f"{own}/needs", data=phone).status_code == 302
    laptop["access_needs"] = "Lift"
    laptop["dietary_needs"] = "Kosher"
    response = client.post(f"{own}/needs", data=laptop)

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Not saved yet" in text
    assert "Keep the answer saved there: Ramp" in text and "Keep your answer: Lift" in text
    assert "colleague" not in text.lower()
    assert _needs() == ("Ramp", "Vegetarian")  # nothing from the stale form yet

    choose = read_form(text, having="access_needs")
    choose["keep-access_needs"] = "theirs"
    assert client.post(f"{own}/needs", data=choose).status_code == 302
    assert _needs() == ("Ramp", "Kosher")
