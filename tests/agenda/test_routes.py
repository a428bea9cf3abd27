"""Agenda pages through the test client: the example, item forms, moving without JS, printing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from eventapp.agenda import services
from eventapp.agenda.models import AgendaPart
from eventapp.events.models import Event, PresentationType
from tests.agenda.conftest import (
    EXAMPLE_TIMES,
    VALID,
    AddItem,
    error_messages,
    header_cells,
    page,
    positions,
    table_rows,
    text_of,
    titles,
    url,
)

# --- The agenda page and the example -------------------------------------


def test_an_empty_agenda_offers_the_handbook_example(
    signed_in: FlaskClient, evening: Event
) -> None:
    html = page(signed_in, url(evening))

    assert "There are no items on the agenda yet." in html
    assert re.search(rf'<form method="post" action="{url(evening, "example")}"', html)
    assert "Start from the handbook's example" in text_of(html)
    assert f'href="{url(evening, "new")}"' in html
    # The preview lists what the button creates, here with local speakers.
    preview = re.search(r'<ol[^>]*id="example-preview">(.*?)</ol>', html, re.S)
    assert preview
    assert [text_of(li) for li in re.findall(r"<li>(.*?)</li>", preview.group(1), re.S)] == [
        "Welcome and introductions (Chairperson, 10 mins)",
        "Local presentation: the terrorist threat and how Prevent responds "
        "(Local speaker, 20 mins)",
        "Local risk and local delivery (Prevent Coordinator, 10 mins)",
        "Discussion and Q&A (All, facilitated by the chairperson, 1 hour 10 mins)",
        "Closing remarks (Chairperson, 5 mins)",
        "Expressions of thanks and next steps (Chairperson, 5 mins)",
    ]


def test_starting_from_the_example_shows_the_handbook_timings(
    signed_in: FlaskClient, evening: Event
) -> None:
    response = signed_in.post(url(evening, "example"))

    assert response.status_code == 302
    assert response.headers["Location"] == url(evening)
    html = page(signed_in, url(evening))
    rows = table_rows(html)
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r[4] for r in rows] == EXAMPLE_TIMES
    assert [r[5] for r in rows] == ["10 mins", "20 mins", "10 mins", "1 hour 10 mins", "5 mins",
                                    "5 mins"]
    assert rows[3][1].startswith("Discussion and Q&A")
    assert rows[3][3] == "Engage (Q&A)"
    text = text_of(html)
    assert "Planned 120 minutes of a 120-minute slot." in text
    assert "The agenda ends at 20:00; the event ends at 20:00." in text
    # The handbook's own example, loaded unchanged, raises no warning or advice.
    assert 'id="agenda-guidance"' not in html
    assert "Things to check" not in text
    assert "The handbook's example agenda has been added." in text
    assert "Start from the handbook's example" not in text


def test_the_example_is_refused_once_the_agenda_has_items(
    signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    add_item(evening, "Mine")

    response = signed_in.post(url(evening, "example"), follow_redirects=True)

    assert "The agenda already has items" in text_of(response.get_data(as_text=True))
    assert titles(evening) == ["Mine"]


def test_the_thematic_example_through_the_page(
    signed_in: FlaskClient, make_event: Callable[..., Event]
) -> None:
    event = make_event(home_office_speaking=True, presentation_type=PresentationType.THEMATIC,
                       presentation_topic="Extremist right-wing terrorism")

    signed_in.post(url(event, "example"))

    rows = table_rows(page(signed_in, url(event)))
    assert rows[1][1].startswith("Thematic presentation: Extremist right-wing terrorism")
    assert rows[1][2] == "Home Office Prevent"
    assert rows[4][2] == "Home Office Prevent"


def test_guidance_is_shown_with_its_reason(
    signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    add_item(evening, "Long talk", 130, AgendaPart.MESSAGES, is_speaker=True)

    html = page(signed_in, url(evening))
    text = text_of(html)

    assert "Planned 130 minutes of a 120-minute slot." in text
    assert "The agenda runs 10 minutes past the end of the event." in text
    assert "Nothing sets the scene" in text
    assert "No discussion or Q&A" in text
    assert "No time set aside for the feedback form" in text
    assert "you can keep the agenda as it is." in text
    # The handbook's points quote it; the service's own are labelled as its suggestions.
    handbook = guidance_block(html, "missing_scene")
    assert 'data-source="handbook"' in handbook
    assert "The handbook says (Setting the agenda):" in text_of(handbook)
    assert "There are three broad objectives" in text_of(handbook)
    assert "The service’s suggestion" not in text_of(handbook)


def guidance_block(html: str, key: str) -> str:
    found = re.search(rf'<div class="app-guidance" id="guidance-{key}"(.*?)</div>', html, re.S)
    assert found, f"no guidance {key}"
    return found.group(0)


def test_the_service_s_thresholds_are_labelled_as_its_own_suggestions(
    signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    add_item(evening, "Welcome", 10, AgendaPart.SCENE)
    add_item(evening, "Talk", 60, AgendaPart.MESSAGES, is_speaker=True)
    add_item(evening, "Questions", 20, AgendaPart.ENGAGE, collects_feedback=True)

    html = page(signed_in, url(evening))

    block = text_of(guidance_block(html, "little_discussion"))
    assert "The service’s suggestions" in text_of(html)
    assert block.startswith("Less than a third of the time for discussion and Q&A")
    assert "The service’s suggestion: Discussion and Q&A take 20 minutes of 90 minutes." in block
    # The handbook's words behind it are quoted, never the service's threshold.
    said = block.split("The handbook says (Setting the agenda):", 1)[1]
    assert said.strip().startswith("you should be mindful of leaving plenty of time for discussion")
    assert "third" not in said


def test_an_event_without_times_points_to_its_details(
    signed_in: FlaskClient, make_event: Callable[..., Event], add_item: AddItem
) -> None:
    event = make_event(day=None, start=None, end=None)
    add_item(event, "Welcome", 10, AgendaPart.SCENE)

    html = page(signed_in, url(event))

    assert f'href="/events/{event.id}/edit"' in html
    assert table_rows(html)[0][4] == ""
    assert "Planned 10 minutes." in text_of(html)


# --- Adding, changing, deleting --------------------------------------------


def test_add_an_item(signed_in: FlaskClient, evening: Event) -> None:
    assert page(signed_in, url(evening, "new"))

    response = signed_in.post(url(evening, "new"), data={**VALID, "is_speaker": "yes"})

    assert response.status_code == 302
    (item,) = services.list_items(evening)
    assert (item.position, item.title, item.duration_minutes, item.part, item.is_speaker) == (
        1, "Welcome", 10, AgendaPart.SCENE, True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"title": ""}, "Enter the item title", id="no-title"),
        pytest.param({"title": "   "}, "Enter the item title", id="blank-title"),
        pytest.param({"title": "x" * 301}, "Enter the item title in 300 characters or fewer",
                     id="long-title"),
        pytest.param({"duration_minutes": ""}, "Enter a duration in minutes, like 10",
                     id="no-duration"),
        pytest.param({"duration_minutes": "  "}, "Enter a duration in minutes, like 10",
                     id="spaces"),
        pytest.param({"duration_minutes": "ten"}, "Enter a duration in minutes, like 10",
                     id="words"),
        pytest.param({"duration_minutes": "10.5"}, "Enter a duration in minutes, like 10",
                     id="fraction"),
        pytest.param({"duration_minutes": "0"}, "Enter a duration between 1 and 1440 minutes",
                     id="zero"),
        pytest.param({"duration_minutes": "-5"}, "Enter a duration between 1 and 1440 minutes",
                     id="negative"),
        pytest.param({"duration_minutes": "1441"}, "Enter a duration between 1 and 1440 minutes",
                     id="over-a-day"),
        pytest.param({"part": ""}, "Select which part of the event the item is for", id="no-part"),
        pytest.param({"part": "bogus"}, "Select which part of the event the item is for",
                     id="bad-part"),
        pytest.param({"is_speaker": "maybe"}, "Select yes if someone gives a talk in this item",
                     id="bad-speaker"),
        pytest.param({"notes": "x" * 2001}, "Enter notes of 2000 characters or fewer",
                     id="long-notes"),
    ],
)
def test_validation_messages_say_what_to_do(
    signed_in: FlaskClient, evening: Event, changes: dict[str, str], message: str
) -> None:
    response = signed_in.post(url(evening, "new"), data={**VALID, **changes})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert error_messages(html) == [message]
    assert "<title>Error: " in html
    assert services.list_items(evening) == []


def test_a_rejected_form_keeps_what_was_typed(signed_in: FlaskClient, evening: Event) -> None:
    html = signed_in.post(
        url(evening, "new"), data={**VALID, "title": "Keep me", "duration_minutes": "ten"}
    ).get_data(as_text=True)

    assert 'value="Keep me"' in html
    assert 'value="ten"' in html


def test_change_an_item(signed_in: FlaskClient, evening: Event, add_item: AddItem) -> None:
    item = add_item(evening, "Old", 15, AgendaPart.ENGAGE, collects_feedback=True)

    html = page(signed_in, url(evening, f"{item.id}/edit"))
    assert 'value="Old"' in html and 'value="15"' in html
    assert re.search(r'value="engage" checked|checked[^>]*value="engage"', html)

    response = signed_in.post(url(evening, f"{item.id}/edit"), data={**VALID, "title": "New"})

    assert response.status_code == 302
    (saved,) = services.list_items(evening)
    assert (saved.title, saved.part, saved.collects_feedback) == ("New", AgendaPart.SCENE, False)


def test_delete_asks_first_then_closes_the_gap(
    signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    first, second, third = (add_item(evening, t) for t in ("A", "B", "C"))

    html = page(signed_in, url(evening, f"{second.id}/delete"))
    assert "Are you sure you want to delete agenda item 2?" in text_of(html)
    assert titles(evening) == ["A", "B", "C"]

    response = signed_in.post(url(evening, f"{second.id}/delete"))

    assert response.status_code == 302
    assert titles(evening) == ["A", "C"]
    assert positions(evening) == [1, 2]


# --- Moving, without JavaScript --------------------------------------------


def test_each_row_has_move_buttons_that_post(
    signed_in: FlaskClient, evening: Event, add_item: AddItem
) -> None:
    items = [add_item(evening, t) for t in ("A", "B", "C")]

    html = page(signed_in, url(evening))

    forms = re.findall(r'<form method="post" action="([^"]+/move)"[^>]*>(.*?)</form>', html, re.S)
    assert [action for action, _ in forms] == [url(evening, f"{i.id}/move") for i in items]
    buttons = [re.findall(r'name="direction" value="(up|down)"', body) for _, body in forms]
    assert buttons == [["down"], ["up", "down"], ["up"]]
    assert all('name="csrf_token"' in body for _, body in forms)


@pytest.mark.parametrize(
    ("index", "direction", "order"),
    [(1, "up", "BAC"), (1, "down", "ACB"), (0, "up", "ABC"), (2, "down", "ABC")],
)
def test_move_through_the_page(
    signed_in: FlaskClient, evening: Event, add_item: AddItem, index: int, direction: str,
    order: str,
) -> None:
    items = [add_item(evening, t) for t in "ABC"]

    response = signed_in.post(
        url(evening, f"{items[index].id}/move"), data={"direction": direction}
    )

    # At either end nothing moves, and that is not an error.
    assert response.status_code == 302
    assert response.headers["Location"] == url(evening)
    assert titles(evening) == list(order)
    assert positions(evening) == [1, 2, 3]


@pytest.mark.parametrize("data", [{"direction": "sideways"}, {"direction": ""}, {}])
def test_a_bad_direction_is_a_bad_request(
    signed_in: FlaskClient, evening: Event, add_item: AddItem, data: dict[str, str]
) -> None:
    items = [add_item(evening, t) for t in "AB"]

    response = signed_in.post(url(evening, f"{items[1].id}/move"), data=data)

    assert response.status_code == 400
    assert titles(evening) == ["A", "B"]


def test_move_is_post_only(signed_in: FlaskClient, evening: Event, add_item: AddItem) -> None:
    item = add_item(evening, "A")

    assert signed_in.get(url(evening, f"{item.id}/move?direction=up")).status_code == 405


# --- The printable agenda ---------------------------------------------------


def test_the_print_page_is_the_handbook_table(signed_in: FlaskClient, evening: Event) -> None:
    signed_in.post(url(evening, "example"))

    html = page(signed_in, url(evening, "print"))

    assert header_cells(html) == ["Item number", "Agenda item", "Introduced by", "Timings"]
    rows = table_rows(html)
    assert rows[0] == ["1", "Welcome and introductions", "Chairperson", "18:00–18:10 (10 mins)"]
    assert rows[3] == ["4", "Discussion and Q&A", "All, facilitated by the chairperson",
                       "18:40–19:50 (1 hour 10 mins)"]
    assert [r[3].split(" ")[0] for r in rows] == EXAMPLE_TIMES
    assert rows[-1][3] == "19:55–20:00 (5 mins)"
    # No edit controls to print.
    assert "Move up" not in html and "/edit" not in html
    assert 'class="govuk-body app-no-print"' in html


def test_the_print_page_without_items(signed_in: FlaskClient, evening: Event) -> None:
    assert "There are no items on the agenda yet." in page(signed_in, url(evening, "print"))
