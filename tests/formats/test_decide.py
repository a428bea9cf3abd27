"""The virtual or in-person page: update the tally, then save a decision with its reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.handbook import VIRTUAL_ACTIONS
from tests.events.pages import checked_values, error_summary, page_title, parse

ALL_ACTIONS = [c.key for c in VIRTUAL_ACTIONS]


@pytest.fixture
def event(make_event: Callable[..., Event]) -> Event:
    return make_event(format=EventFormat.IN_PERSON)


def decide(client: FlaskClient, event: Event, button: str = "submit", **fields: Any) -> Any:
    label = {"submit": "Save decision", "update": "Update the tally"}[button]
    return client.post(f"/events/{event.id}/format/", data={**fields, button: label})


def tally_text(html: str) -> str:
    return parse(html).one(id="tally").text


def reload(event: Event) -> Event:
    db.session.expire_all()
    fresh = db.session.get(Event, event.id)
    assert fresh is not None
    return fresh


def test_the_page_lists_the_handbooks_pros_and_the_virtual_tips(
    signed_in: FlaskClient, event: Event
) -> None:
    html = signed_in.get(f"/events/{event.id}/format/").text
    tree = parse(html)
    assert len(tree.find_all("input", name="virtual_pros")) == 7
    assert len(tree.find_all("input", name="in_person_pros")) == 7
    assert "Tick what matters for this audience to see a suggestion." in tally_text(html)
    # Each virtual action shows its hint from the handbook's tips.
    for action in VIRTUAL_ACTIONS:
        box = tree.one("input", name="virtual_actions", value=action.key)
        hint = tree.one(id=box.attrs["aria-describedby"])
        assert hint.text == action.hint


def test_update_re_renders_the_tally_without_saving(signed_in: FlaskClient, event: Event) -> None:
    response = decide(
        signed_in, event, "update",
        virtual_pros=["reach", "travel", "cost"], in_person_pros=["engaging"],
        format="online", rationale="Half-decided",
    )
    assert response.status_code == 200
    assert "Online: 3 of 7. In person: 1 of 7." in tally_text(response.text)
    assert "favours an online event" in tally_text(response.text)
    # What was ticked stays ticked, and nothing was saved.
    assert checked_values(response.text, "virtual_pros") == ["reach", "travel", "cost"]
    assert not error_summary(response.text)
    saved = reload(event)
    assert saved.format_decided_at is None
    assert saved.format_pros == []
    assert saved.format is EventFormat.IN_PERSON
    assert saved.format_rationale == ""


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"rationale": "Because"}, "format", "Select the format you have chosen"),
        ({"format": "online", "rationale": "   "}, "rationale", "Say why you chose this format"),
        ({"format": "online"}, "rationale", "Say why you chose this format"),
        # Whitespace alone is no choice (the fuzzer once found a 500 here).
        ({"format": "\r", "rationale": "Easier"}, "format", "Select the format you have chosen"),
        ({"format": " ", "rationale": "Easier"}, "format", "Select the format you have chosen"),
    ],
)
def test_saving_needs_a_format_and_a_reason(
    signed_in: FlaskClient, event: Event, fields: dict[str, Any], field: str, message: str
) -> None:
    response = decide(signed_in, event, virtual_pros=["reach"], **fields)
    assert response.status_code == 200
    assert (f"#{field}", message) in error_summary(response.text)
    assert page_title(response.text).startswith("Error: ")
    assert reload(event).format_decided_at is None


@pytest.mark.parametrize(
    ("chosen", "kept_actions"),
    [
        (EventFormat.ONLINE, ["platform", "tech_run", "qa"]),
        (EventFormat.HYBRID, ["platform", "tech_run", "qa"]),
        # "most of these points apply to both online and offline events": the Q&A stays.
        (EventFormat.IN_PERSON, ["qa"]),
    ],
    ids=lambda v: v.value if isinstance(v, EventFormat) else None,
)
def test_saving_records_the_decision_and_keeps_the_actions_that_apply_to_its_format(
    signed_in: FlaskClient, event: Event, organiser: User,
    chosen: EventFormat, kept_actions: list[str],
) -> None:
    response = decide(
        signed_in, event,
        virtual_pros=["reach", "travel"], in_person_pros=["engaging", "secure"],
        format=chosen.value, rationale="  Teachers value meeting in person  ",
        virtual_actions=["platform", "tech_run", "qa"],
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}"

    saved = reload(event)
    assert saved.format is chosen
    assert saved.format_rationale == "Teachers value meeting in person"
    assert saved.format_pros == ["reach", "travel", "engaging", "secure"]
    assert saved.virtual_actions == kept_actions
    assert saved.format_decided_at is not None
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.format")).one()
    assert (audit.user_id, audit.object_id) == (organiser.id, event.id)


def test_the_saved_decision_is_shown_when_the_page_is_opened_again(
    signed_in: FlaskClient, event: Event
) -> None:
    decide(signed_in, event, virtual_pros=["reach"], in_person_pros=["nuance"],
           format="hybrid", rationale="Both matter", virtual_actions=["qa"])
    html = signed_in.get(f"/events/{event.id}/format/").text
    assert checked_values(html, "virtual_pros") == ["reach"]
    assert checked_values(html, "in_person_pros") == ["nuance"]
    assert checked_values(html, "format") == ["hybrid"]
    assert checked_values(html, "virtual_actions") == ["qa"]
    assert parse(html).one("textarea", name="rationale").text == "Both matter"
    assert "Online: 1 of 7. In person: 1 of 7." in tally_text(html)


def test_an_undecided_event_has_no_format_ticked(signed_in: FlaskClient, event: Event) -> None:
    """The event's default format is not presented as a decision already made."""
    html = signed_in.get(f"/events/{event.id}/format/").text
    assert checked_values(html, "format") == []


def online_actions_on_overview(html: str) -> list[str] | None:
    tree = parse(html)
    if not tree.find_all("h2", where=lambda n: n.text == "Online event: what to act on"):
        return None
    [actions] = tree.find_all("ul", cls="govuk-list--bullet")
    return [li.text for li in actions.find_all("li")]


def test_the_overview_lists_the_chosen_virtual_actions_for_an_online_event(
    signed_in: FlaskClient, event: Event
) -> None:
    decide(signed_in, event, virtual_pros=["reach"], format="online", rationale="Reach",
           virtual_actions=["qa", "platform"])
    html = signed_in.get(f"/events/{event.id}").text
    labels = {c.key: c.label for c in VIRTUAL_ACTIONS}
    # In the handbook's order, whatever order they were ticked in.
    assert online_actions_on_overview(html) == [labels["platform"], labels["qa"]]


def test_the_overview_lists_no_virtual_actions_for_an_in_person_event(
    signed_in: FlaskClient, event: Event
) -> None:
    decide(signed_in, event, in_person_pros=["engaging"], format="in_person",
           rationale="Trust", virtual_actions=ALL_ACTIONS)
    assert online_actions_on_overview(signed_in.get(f"/events/{event.id}").text) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"format": "teleport", "rationale": "x"},
        {"virtual_pros": ["x" * 5000], "format": "online", "rationale": "x"},
        {"rationale": "x" * 2001, "format": "online"},
        {},
    ],
)
def test_odd_input_never_gives_a_server_error(
    signed_in: FlaskClient, event: Event, fields: dict[str, Any]
) -> None:
    response = decide(signed_in, event, **fields)
    assert response.status_code == 200
    assert error_summary(response.text)
    assert reload(event).format_decided_at is None
