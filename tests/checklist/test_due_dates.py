"""A task's own due date: chosen when adding it or changed while it is to do, moved with the
event, never silently overwritten by a colleague; a finished task shows when it was done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from eventapp.accounts.models import User
from eventapp.checklist import services
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.weeks import due_date, schedule_window, week_of
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import govuk_date
from tests.checklist.conftest import days_ahead, save, tasks_of
from tests.formreader import read_form

MakeEvent = Callable[..., Event]


def _day(event: Event) -> date:
    day = services.event_day(event)
    assert day is not None
    return day


def _boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _reread(task: ChecklistTask) -> ChecklistTask:
    db.session.expire_all()
    fresh = db.session.get(ChecklistTask, task.id)
    assert fresh is not None
    return fresh


# Adding a task with a date of its own ---------------------------------------------------------


def test_own_task_with_a_date_goes_in_the_week_of_that_date(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    chosen = day - timedelta(days=16)  # a Thursday-or-so inside week 2, not its last day
    task = services.add_task(
        event=event, actor=organiser, title="Book a signer", week=None, due_on=chosen
    )
    db.session.commit()
    assert (task.week, task.due_on) == (week_of(day, chosen), chosen)
    assert task.due_on != due_date(day, task.week)


def test_own_task_date_and_week_must_agree(make_event: MakeEvent, organiser: User) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    with pytest.raises(DomainError) as error:
        services.add_task(event=event, actor=organiser, title="Book a signer", week=1, due_on=day)
    assert error.value.field == "due_on"
    assert "or select week 4" in error.value.message


@pytest.mark.parametrize("outside", [-28, 8])
def test_a_due_date_outside_the_five_weeks_is_refused(
    make_event: MakeEvent, organiser: User, outside: int
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    first, last = schedule_window(day)
    with pytest.raises(DomainError) as error:
        services.add_task(
            event=event,
            actor=organiser,
            title="Book a signer",
            week=None,
            due_on=day + timedelta(days=outside),
        )
    assert error.value.message == (
        f"Enter a due date from {govuk_date(first)} to {govuk_date(last)}: "
        "the five weeks of the schedule"
    )


def test_new_task_form_takes_a_due_date_without_a_week(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(40))
    chosen = _day(event) - timedelta(days=9)
    form = read_form(signed_in.get(f"/events/{event.id}/checklist/new").text, having="title")
    form.update(title="Order the banner", due_on=_boxes(chosen))
    response = signed_in.post(f"/events/{event.id}/checklist/new", data=form)
    assert response.status_code == 302
    task = tasks_of(event)["Order the banner"]
    assert (task.due_on, task.week, task.due_offset) == (chosen, 3, -9)


def test_new_task_form_needs_a_week_or_a_date(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(40))
    form = read_form(signed_in.get(f"/events/{event.id}/checklist/new").text, having="title")
    form.update(title="Order the banner")
    response = signed_in.post(f"/events/{event.id}/checklist/new", data=form)
    assert response.status_code == 200
    assert "Select the week the task belongs to, or enter a due date" in response.text
    assert "Order the banner" not in tasks_of(event)


# Changing the due date of an open task ----------------------------------------------------------


def test_changing_a_handbook_tasks_due_date_moves_it_to_that_week(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    task = tasks_of(event)["chair"]
    assert task.week == 1
    url = f"/events/{event.id}/checklist/{task.id}"
    form = read_form(signed_in.get(url).text, having="loaded_version")
    assert form["due_on"] == _boxes(task.due_on)
    chosen = day - timedelta(days=12)
    form["due_on"] = _boxes(chosen)
    assert signed_in.post(url, data=form).status_code == 302

    task = _reread(task)
    assert (task.due_on, task.week, task.ics_sequence) == (chosen, 3, 1)
    assert "a date chosen for this task" in signed_in.get(url).text

    # Blank puts it back at the end of the handbook's week for it.
    form = read_form(signed_in.get(url).text, having="loaded_version")
    form["due_on"] = ["", "", ""]
    assert signed_in.post(url, data=form).status_code == 302
    task = _reread(task)
    assert (task.due_on, task.week, task.due_offset) == (due_date(day, 1), 1, None)


def test_saving_a_task_without_touching_the_date_keeps_it_following_its_week(
    signed_in: FlaskClient, make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    task = tasks_of(event)["chair"]
    url = f"/events/{event.id}/checklist/{task.id}"
    form = read_form(signed_in.get(url).text, having="loaded_version")
    form["note"] = "Asked the leader"
    assert signed_in.post(url, data=form).status_code == 302
    task = _reread(task)
    assert (task.note, task.due_offset, task.ics_sequence) == ("Asked the leader", None, 0)


def test_a_chosen_date_moves_with_the_event_and_keeps_its_week(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    tasks = tasks_of(event)
    services.set_due(task=tasks["venue"], actor=organiser, due_on=day - timedelta(days=3))
    db.session.commit()
    assert tasks["venue"].week == 4

    save(event, organiser, day=day + timedelta(days=7))
    venue = _reread(tasks["venue"])
    assert (venue.due_on, venue.week) == (day + timedelta(days=4), 4)
    assert venue.ics_sequence == 2  # chosen, then moved with the event


def test_a_finished_tasks_due_date_cannot_change(
    signed_in: FlaskClient, make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    task = tasks_of(event)["chair"]
    services.set_status(task=task, actor=organiser, status=TaskStatus.DONE)
    db.session.commit()
    with pytest.raises(DomainError, match="no longer to do"):
        services.set_due(task=task, actor=organiser, due_on=task.due_on - timedelta(days=1))
    html = signed_in.get(f"/events/{event.id}/checklist/{task.id}").text
    assert 'name="due_on"' not in html


def test_two_tabs_due_date_and_note_are_both_kept(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    task = tasks_of(event)["venue"]
    url = f"/events/{event.id}/checklist/{task.id}"
    first = read_form(signed_in.get(url).text, having="loaded_version")
    second = read_form(signed_in.get(url).text, having="loaded_version")
    chosen = day - timedelta(days=20)
    first["due_on"] = _boxes(chosen)
    assert signed_in.post(url, data=first).status_code == 302
    second["note"] = "Civic Hall held"
    response = signed_in.post(url, data=second, follow_redirects=True)

    assert "changes saved since you opened the page were kept: Due date" in response.text
    task = _reread(task)
    assert (task.due_on, task.note) == (chosen, "Civic Hall held")


def test_two_tabs_changing_the_due_date_ask_which_to_keep(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    task = tasks_of(event)["venue"]
    url = f"/events/{event.id}/checklist/{task.id}"
    first = read_form(signed_in.get(url).text, having="loaded_version")
    second = read_form(signed_in.get(url).text, having="loaded_version")
    theirs, mine = day - timedelta(days=20), day - timedelta(days=10)
    first["due_on"] = _boxes(theirs)
    assert signed_in.post(url, data=first).status_code == 302
    second["due_on"] = _boxes(mine)
    response = signed_in.post(url, data=second)

    assert response.status_code == 200
    assert "Not saved yet" in response.text
    assert f"Keep your answer: {mine.strftime('%-d %B %Y')}" in response.text
    assert _reread(task).due_on == theirs

    again = read_form(response.text, having="loaded_version")
    again["keep-due_on"] = "theirs"
    assert signed_in.post(url, data=again).status_code == 302
    assert _reread(task).due_on == theirs


# A finished task shows when it was done ----------------------------------------------------------


@pytest.mark.parametrize("page", ["checklist", "my tasks"])
def test_a_finished_task_shows_when_it_was_done_not_a_stale_due_date(
    signed_in: FlaskClient, make_event: MakeEvent, organiser: User, page: str
) -> None:
    event = make_event(day=days_ahead(40))
    day = _day(event)
    task = tasks_of(event)["chair"]
    services.set_owner(task=task, actor=organiser, owner_id=organiser.id)
    services.set_status(task=task, actor=organiser, status=TaskStatus.DONE)
    db.session.commit()
    stale = task.due_on
    save(event, organiser, day=day + timedelta(days=21))  # done tasks keep their dates
    assert _reread(task).due_on == stale

    url = f"/events/{event.id}/checklist" if page == "checklist" else "/my-tasks"
    html = signed_in.get(url).text
    row = html[html.index(f'id="task-{task.id}"') :]
    row = row[: row.index("</tr>")]
    assert f"Done {govuk_date(task.completed_at)}" in row
    assert govuk_date(stale) not in row
