"""Agenda services: order kept 1..n through every change, the example, the timed view, audit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.agenda import services
from eventapp.agenda.models import AgendaItem, AgendaPart
from eventapp.agenda.services import Direction, ItemDetails
from eventapp.errors import DomainError
from eventapp.events.models import Event, PresentationType
from eventapp.extensions import db
from tests.agenda.conftest import AddItem, positions, titles


def actions(event: Event) -> list[str]:
    return list(db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.council_id == event.council_id, AuditEntry.action.like("agenda.%"))
        .order_by(AuditEntry.id)
    ))


@pytest.fixture
def five(evening: Event, add_item: AddItem) -> list[AgendaItem]:
    return [add_item(evening, title) for title in "ABCDE"]


def test_items_are_added_at_the_end_and_audited(evening: Event, add_item: AddItem) -> None:
    first = add_item(evening, "Welcome", 10, AgendaPart.SCENE)
    second = add_item(evening, "Q&A", 60, AgendaPart.ENGAGE, is_speaker=False, notes="  Plan  ")

    assert (first.position, second.position) == (1, 2)
    assert second.notes == "Plan"
    assert titles(evening) == ["Welcome", "Q&A"]
    assert actions(evening) == ["agenda.add", "agenda.add"]


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (ItemDetails("   ", 10, AgendaPart.SCENE), "title", "Enter the item title"),
        (ItemDetails("Welcome", 0, AgendaPart.SCENE), "duration_minutes",
         "Enter a duration between 1 and 1440 minutes"),
        (ItemDetails("Welcome", 1441, AgendaPart.SCENE), "duration_minutes",
         "Enter a duration between 1 and 1440 minutes"),
    ],
)
def test_the_service_refuses_what_the_database_would(
    evening: Event, organiser: User, details: ItemDetails, field: str, message: str
) -> None:
    with pytest.raises(DomainError) as raised:
        services.add_item(event=evening, actor=organiser, details=details)

    assert (raised.value.field, raised.value.message) == (field, message)


def test_durations_at_the_limits_are_accepted(evening: Event, add_item: AddItem) -> None:
    add_item(evening, "Short", 1)
    add_item(evening, "Long", 1440)

    assert [i.duration_minutes for i in services.list_items(evening)] == [1, 1440]


def test_update_changes_every_field_but_the_position(
    evening: Event, organiser: User, five: list[AgendaItem]
) -> None:
    item = five[2]
    services.update_item(item=item, actor=organiser, details=ItemDetails(
        "Changed", 25, AgendaPart.ENGAGE, introduced_by="All", is_speaker=True,
        collects_feedback=True, notes="Bring slides",
    ))
    db.session.commit()

    db.session.expire_all()
    saved = services.get_item(evening, item.id)
    assert (saved.position, saved.title, saved.duration_minutes, saved.part, saved.introduced_by,
            saved.is_speaker, saved.collects_feedback, saved.notes) == (
        3, "Changed", 25, AgendaPart.ENGAGE, "All", True, True, "Bring slides")
    assert actions(evening)[-1] == "agenda.update"


@pytest.mark.parametrize(("index", "left"), [(0, "BCDE"), (2, "ABDE"), (4, "ABCD")])
def test_delete_closes_the_gap(
    evening: Event, organiser: User, five: list[AgendaItem], index: int, left: str
) -> None:
    services.delete_item(item=five[index], actor=organiser)
    db.session.commit()

    assert titles(evening) == list(left)
    assert positions(evening) == [1, 2, 3, 4]
    assert actions(evening)[-1] == "agenda.delete"


def test_deleting_every_item_one_by_one(
    evening: Event, organiser: User, five: list[AgendaItem]
) -> None:
    for item in [five[1], five[3], five[0], five[4], five[2]]:
        services.delete_item(item=item, actor=organiser)
        db.session.commit()
        assert positions(evening) == list(range(1, len(services.list_items(evening)) + 1))

    assert services.list_items(evening) == []


@pytest.mark.parametrize(
    ("index", "direction", "order", "moved"),
    [
        pytest.param(2, Direction.UP, "ACBDE", True, id="middle-up"),
        pytest.param(2, Direction.DOWN, "ABDCE", True, id="middle-down"),
        pytest.param(1, Direction.UP, "BACDE", True, id="second-up"),
        pytest.param(3, Direction.DOWN, "ABCED", True, id="fourth-down"),
        pytest.param(0, Direction.UP, "ABCDE", False, id="first-up-no-op"),
        pytest.param(4, Direction.DOWN, "ABCDE", False, id="last-down-no-op"),
    ],
)
def test_move_swaps_with_the_neighbour(
    evening: Event, organiser: User, five: list[AgendaItem], index: int, direction: Direction,
    order: str, moved: bool,
) -> None:
    result = services.move_item(item=five[index], actor=organiser, direction=direction)
    db.session.commit()

    assert result is moved
    assert titles(evening) == list(order)
    assert positions(evening) == [1, 2, 3, 4, 5]
    assert actions(evening).count("agenda.move") == (1 if moved else 0)


def test_moving_the_last_item_to_the_top_step_by_step(
    evening: Event, organiser: User, five: list[AgendaItem]
) -> None:
    last = five[-1]
    for _ in range(6):  # one more than needed: the last step is a no-op
        services.move_item(item=last, actor=organiser, direction=Direction.UP)
        db.session.commit()

    assert titles(evening) == list("EABCD")
    assert positions(evening) == [1, 2, 3, 4, 5]


def test_a_single_item_cannot_move(evening: Event, organiser: User, add_item: AddItem) -> None:
    only = add_item(evening, "Only")

    for direction in Direction:
        assert services.move_item(item=only, actor=organiser, direction=direction) is False
    assert positions(evening) == [1]


def test_a_move_sees_positions_changed_since_the_item_was_loaded(
    evening: Event, organiser: User, five: list[AgendaItem]
) -> None:
    # Another request deletes the first item behind this session's back.
    with db.engine.begin() as conn:
        conn.execute(AgendaItem.__table__.delete().where(AgendaItem.id == five[0].id))
        for item in five[1:]:
            conn.execute(AgendaItem.__table__.update().where(AgendaItem.id == item.id)
                         .values(position=item.position - 1))

    # C was loaded at 3 but is now at 2: it swaps with B, now at 1.
    assert services.move_item(item=five[2], actor=organiser, direction=Direction.UP) is True
    db.session.commit()
    assert titles(evening) == list("CBDE")
    assert positions(evening) == [1, 2, 3, 4]


@pytest.mark.timezone_sensitive
def test_the_example_runs_from_six_to_eight(evening: Event, organiser: User) -> None:
    services.start_from_example(event=evening, actor=organiser)
    db.session.commit()

    view = services.agenda_view(evening)

    assert [(r.starts.strftime("%H:%M"), r.ends.strftime("%H:%M")) for r in view.rows] == [
        ("18:00", "18:10"), ("18:10", "18:30"), ("18:30", "18:40"), ("18:40", "19:50"),
        ("19:50", "19:55"), ("19:55", "20:00"),
    ]
    assert [r.starts.strftime("%H:%M") for r in view.rows] == [
        "18:00", "18:10", "18:30", "18:40", "19:50", "19:55"
    ]
    assert view.ends is not None and view.ends.strftime("%H:%M") == "20:00"
    assert view.ends == view.event_ends
    assert view.total_minutes == view.slot_minutes == 120
    assert view.summary == "Planned 120 minutes of a 120-minute slot"
    # The handbook's own example, loaded unchanged, gets no advice.
    assert view.guidance == []
    assert positions(evening) == [1, 2, 3, 4, 5, 6]
    assert actions(evening) == ["agenda.example"]


def test_the_example_only_fills_an_empty_agenda(
    evening: Event, organiser: User, add_item: AddItem
) -> None:
    add_item(evening, "Already here")

    with pytest.raises(DomainError, match="already has items"):
        services.start_from_example(event=evening, actor=organiser)
    assert titles(evening) == ["Already here"]


def test_the_example_without_the_home_office(
    make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(home_office_speaking=False)

    services.start_from_example(event=event, actor=organiser)
    db.session.commit()

    items = services.list_items(event)
    assert [i.introduced_by for i in items][1::3] == ["Local speaker", "Chairperson"]
    assert items[1].title.startswith("Local presentation")
    assert all("Home Office" not in i.introduced_by for i in items)


def test_the_example_with_a_thematic_presentation(
    make_event: Callable[..., Event], organiser: User
) -> None:
    event = make_event(
        home_office_speaking=True, presentation_type=PresentationType.THEMATIC,
        presentation_topic="The role of friends and family in Prevent",
    )

    services.start_from_example(event=event, actor=organiser)
    db.session.commit()

    items = services.list_items(event)
    assert items[1].title == "Thematic presentation: The role of friends and family in Prevent"
    assert [i.introduced_by for i in items][1::3] == ["Home Office Prevent", "Home Office Prevent"]


def test_an_event_without_times_still_has_an_agenda(
    make_event: Callable[..., Event], add_item: AddItem
) -> None:
    event = make_event(day=None, start=None, end=None)
    add_item(event, "Welcome", 10, AgendaPart.SCENE)

    view = services.agenda_view(event)

    assert [(r.starts, r.ends) for r in view.rows] == [(None, None)]
    assert view.slot_minutes is None
    assert view.summary == "Planned 10 minutes"
    assert "overrun" not in [g.key for g in view.guidance]


def test_another_events_item_is_not_found(
    evening: Event, make_event: Callable[..., Event], add_item: AddItem
) -> None:
    other = make_event(title="Other")
    item = add_item(other, "Theirs")

    from eventapp.errors import NotFoundError

    with pytest.raises(NotFoundError):
        services.get_item(evening, item.id)
