"""The handbook's schedule as data, and the variants for Home Office speaking and online events."""

from __future__ import annotations

from datetime import date

import pytest

from eventapp.checklist.template import (
    SCHEDULE,
    TECH_RUN,
    TIP_SOURCE,
    due_on,
    source_of,
    tasks_for,
)
from eventapp.handbook import VIRTUAL_ACTION_KEYS

ALL_VIRTUAL = sorted(VIRTUAL_ACTION_KEYS)

# The in-person schedule with Home Office Prevent speaking, week by week (handbook order).
IN_PERSON_WITH_HOME_OFFICE = [
    (1, "ho_date"), (1, "ho_draft_list"), (1, "chair"), (1, "clearance"),
    (2, "venue"), (2, "invitations"), (2, "questions_feedback"), (2, "prevent_staff"),
    (3, "ho_numbers"), (3, "chase"), (3, "brief_chair"), (3, "ho_brief_officials"),
    (3, "brief_members"),
    (4, "ho_slides"), (4, "event"),
    (5, "evaluate_feedback"), (5, "share_feedback"),
]
HOME_OFFICE_STEPS = {"ho_date", "ho_draft_list", "ho_numbers", "ho_brief_officials", "ho_slides"}
OPTIONAL = {"prevent_staff", "brief_chair", "ho_brief_officials", "brief_members"}


def weeks(planned: list) -> dict[str, int]:
    return {p.key: p.week for p in planned}


def test_in_person_schedule_with_the_home_office_follows_the_handbook() -> None:
    planned = tasks_for(home_office_speaking=True, online=False)
    assert [(p.week, p.key) for p in planned] == IN_PERSON_WITH_HOME_OFFICE
    assert {p.key for p in planned if p.optional} == OPTIONAL
    assert {p.key for p in planned if p.home_office} == HOME_OFFICE_STEPS


def test_without_the_home_office_its_steps_become_one_notification_in_week_1() -> None:
    planned = tasks_for(home_office_speaking=False, online=False)
    keys = [p.key for p in planned]
    assert not HOME_OFFICE_STEPS & set(keys)
    assert keys.count("ho_notify") == 1
    assert weeks(planned)["ho_notify"] == 1
    expected = [k for _, k in IN_PERSON_WITH_HOME_OFFICE if k not in HOME_OFFICE_STEPS]
    assert [k for k in keys if k != "ho_notify"] == expected
    # The handbook asks for all feedback to be shared, speaking or not.
    assert "share_feedback" in keys


def test_with_the_home_office_there_is_no_separate_notification() -> None:
    assert "ho_notify" not in weeks(tasks_for(home_office_speaking=True, online=False))


@pytest.mark.parametrize("home_office", [True, False])
def test_in_person_events_keep_only_the_tips_for_every_format(home_office: bool) -> None:
    planned = weeks(
        tasks_for(home_office_speaking=home_office, online=False, virtual_actions=ALL_VIRTUAL)
    )
    # "most of these points apply to both online and offline events": the Q&A and the
    # evaluation; the platform, disruption and tech-run tips are for online events only.
    assert {k: w for k, w in planned.items() if k.startswith("virtual_")} == {
        "virtual_qa": 3, "virtual_evaluate": 4,
    }
    assert not [k for k in weeks(tasks_for(home_office_speaking=home_office, online=False))
                if k.startswith("virtual_")]


def test_online_slides_move_to_week_3_and_a_run_through_is_added() -> None:
    planned = weeks(tasks_for(home_office_speaking=True, online=True))
    assert planned["ho_slides"] == 3
    assert planned[TECH_RUN] == 4
    # Nothing chosen from the virtual tips: only the run-through.
    assert [k for k in planned if k.startswith("virtual_")] == [TECH_RUN]


def test_online_with_every_virtual_tip_chosen() -> None:
    planned = tasks_for(home_office_speaking=True, online=True, virtual_actions=ALL_VIRTUAL)
    keys = [p.key for p in planned]
    assert len(keys) == len(set(keys))
    virtual = {k: w for k, w in weeks(planned).items() if k.startswith("virtual_")}
    assert virtual == {
        "virtual_platform": 2,
        "virtual_disruption": 3,
        "virtual_qa": 3,
        "virtual_evaluate": 4,
        TECH_RUN: 4,
    }


def test_choosing_the_tech_run_tip_does_not_add_a_second_run_through() -> None:
    without = tasks_for(home_office_speaking=False, online=True)
    with_tip = tasks_for(home_office_speaking=False, online=True, virtual_actions=["tech_run"])
    assert [p.key for p in with_tip] == [p.key for p in without]
    assert sum("run-through" in p.title for p in with_tip) == 1


def test_online_without_the_home_office_has_no_slides_but_keeps_the_run_through() -> None:
    planned = weeks(tasks_for(home_office_speaking=False, online=True, virtual_actions=["qa"]))
    assert "ho_slides" not in planned
    assert planned[TECH_RUN] == 4
    assert planned["virtual_qa"] == 3
    assert planned["ho_notify"] == 1


def test_unknown_virtual_actions_are_ignored() -> None:
    assert weeks(tasks_for(home_office_speaking=False, online=True, virtual_actions=["bogus"])) == (
        weeks(tasks_for(home_office_speaking=False, online=True))
    )


def test_tasks_are_ordered_by_week() -> None:
    planned = tasks_for(home_office_speaking=True, online=True, virtual_actions=ALL_VIRTUAL)
    assert [p.week for p in planned] == sorted(p.week for p in planned)


def test_schedule_data_is_well_formed() -> None:
    keys = [t.key for t in SCHEDULE]
    assert len(keys) == len(set(keys))
    assert all(len(k) <= 40 for k in keys)
    assert all(1 <= t.week <= 5 and t.title and len(t.title) <= 300 for t in SCHEDULE)
    assert all(t.online_week in (None, 1, 2, 3, 4, 5) for t in SCHEDULE)
    # Every virtual tip is covered exactly once; tech_run by the run-through itself.
    covered = {t.virtual_action for t in SCHEDULE if t.virtual_action} | {"tech_run"}
    assert covered == VIRTUAL_ACTION_KEYS
    # Optional steps say so, in the handbook's words.
    assert all("required or desirable" in t.description for t in SCHEDULE if t.optional)


def test_wholly_online_event_sets_up_the_meeting_instead_of_a_venue() -> None:
    online = weeks(tasks_for(home_office_speaking=True, online=True, in_person=False))
    assert "venue" not in online
    assert online["online_setup"] == 2


@pytest.mark.parametrize("online", [False, True])
def test_events_with_a_room_still_book_the_venue(online: bool) -> None:
    # In person, or hybrid (online and in person).
    planned = weeks(tasks_for(home_office_speaking=True, online=online, in_person=True))
    assert planned["venue"] == 2
    assert "online_setup" not in planned


# --- due dates and sources ---------------------------------------------------------------

EVENT_DAY = date(2027, 3, 10)


@pytest.mark.parametrize(
    ("key", "week", "due"),
    [
        # "24 hours prior to event": the day before, not the event day.
        pytest.param("ho_slides", 4, date(2027, 3, 9), id="slides-day-before"),
        # An online event moves them to week 3, which ends a week before the event.
        pytest.param("ho_slides", 3, date(2027, 3, 3), id="slides-online-week-3"),
        pytest.param("event", 4, EVENT_DAY, id="event-on-the-day"),
        pytest.param("chase", 3, date(2027, 3, 3), id="week-3"),
        pytest.param(None, 4, EVENT_DAY, id="own-task"),
        pytest.param("no_such_key", 4, EVENT_DAY, id="unknown-key"),
    ],
)
def test_due_on(key: str | None, week: int, due: date) -> None:
    assert due_on(EVENT_DAY, week, key) == due


def test_only_the_slides_have_their_own_day() -> None:
    assert {t.key for t in SCHEDULE if t.days_before_event is not None} == {"ho_slides"}


@pytest.mark.parametrize(
    ("key", "source"),
    [
        ("ho_slides", "The handbook’s schedule"),
        ("invitations", "The handbook’s schedule"),
        # Not in the handbook's schedule: the service's own.
        ("online_setup", "The service’s suggestion: not a step of the handbook’s schedule"),
        # Tips the handbook gives, placed in a week by the service.
        (TECH_RUN, TIP_SOURCE),
        ("virtual_platform", TIP_SOURCE),
        ("virtual_qa", TIP_SOURCE),
        (None, "Your own task"),
    ],
)
def test_each_task_says_whose_it_is(key: str | None, source: str) -> None:
    assert source_of(key) == source


def test_the_service_s_own_tasks_are_exactly_these() -> None:
    own = {t.key for t in SCHEDULE if not t.handbook}
    assert own == {"online_setup", TECH_RUN} | {f"virtual_{k}" for k in
                                                 ("platform", "disruption", "qa", "evaluate")}
    assert TIP_SOURCE.startswith("The service’s suggestion: the handbook gives this as a tip")
