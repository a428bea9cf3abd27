"""Two tabs editing the event details: merged when they change different answers, else asked."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from eventapp.events.models import Event
from eventapp.extensions import db
from tests.formreader import read_form


def _tab(client: FlaskClient, event: Event) -> dict[str, object]:
    return read_form(client.get(f"/events/{event.id}/edit").text, having="loaded_version")


def _saved(event: Event) -> Event:
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved is not None
    return saved


def test_changes_to_different_answers_are_both_kept(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=40)
    first, second = _tab(signed_in, event), _tab(signed_in, event)
    first["capacity"] = "50"
    assert signed_in.post(f"/events/{event.id}/edit", data=first).status_code == 302
    second["chair_role"] = "Head of Community Safety"
    response = signed_in.post(f"/events/{event.id}/edit", data=second, follow_redirects=True)

    saved = _saved(event)
    assert saved.capacity == 50
    assert saved.chair_role == "Head of Community Safety"
    assert "changes saved since you opened the page were kept: Capacity" in response.text


def test_the_same_answer_changed_twice_is_shown_and_nothing_is_saved(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=40)
    first, second = _tab(signed_in, event), _tab(signed_in, event)
    first["capacity"] = "50"
    signed_in.post(f"/events/{event.id}/edit", data=first)
    second["capacity"] = "60"
    second["chair_role"] = "Head of Community Safety"
    response = signed_in.post(f"/events/{event.id}/edit", data=second)

    assert response.status_code == 200
    assert "Not saved yet" in response.text
    assert "Keep your colleague’s answer: 50" in response.text
    assert "Keep your answer: 60" in response.text
    saved = _saved(event)
    assert (saved.capacity, saved.chair_role) == (50, "")

    # Sent again as shown, it keeps "yours" (the default choice) and the other change.
    again = read_form(response.text, having="loaded_version")
    assert again["keep-capacity"] == "mine"
    assert signed_in.post(f"/events/{event.id}/edit", data=again).status_code == 302
    saved = _saved(event)
    assert (saved.capacity, saved.chair_role) == (60, "Head of Community Safety")


def test_choosing_the_colleagues_answer_keeps_it(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=40)
    first, second = _tab(signed_in, event), _tab(signed_in, event)
    first["capacity"] = "50"
    signed_in.post(f"/events/{event.id}/edit", data=first)
    second["capacity"] = "60"
    again = read_form(
        signed_in.post(f"/events/{event.id}/edit", data=second).text, having="loaded_version"
    )
    again["keep-capacity"] = "theirs"
    assert signed_in.post(f"/events/{event.id}/edit", data=again).status_code == 302
    assert _saved(event).capacity == 50


def test_a_form_sent_without_its_version_saves_as_sent(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=40)
    data = _tab(signed_in, event)
    del data["loaded_version"]
    data["capacity"] = "45"
    assert signed_in.post(f"/events/{event.id}/edit", data=data).status_code == 302
    assert _saved(event).capacity == 45


def test_an_altered_version_is_ignored_not_an_error(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(capacity=40)
    data = _tab(signed_in, event)
    data["loaded_version"] = "eyJ0aXRsZSI6IngifQ.forged"
    data["capacity"] = "45"
    assert signed_in.post(f"/events/{event.id}/edit", data=data).status_code == 302
    assert _saved(event).capacity == 45
