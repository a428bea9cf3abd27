"""Checklist pages through HTTP: what they show, what the buttons do, and who may use them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.accounts.models import Role, User
from eventapp.checklist import services
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.checklist.weeks import week_window
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.formatting import govuk_date
from tests.checklist.conftest import days_ahead, tasks_of
from tests.conftest import login_as

MakeEvent = Callable[..., Event]


def task_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr class="govuk-table__row" id="task-(\d+)"', html)]


def overdue_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'id="task-(\d+)"[^>]*data-overdue="true"', html)}


def urls(event: Event, task: ChecklistTask) -> list[tuple[str, str]]:
    base = f"/events/{event.id}/checklist"
    return [
        ("get", base),
        ("get", f"{base}/new"),
        ("post", f"{base}/new"),
        ("get", f"{base}/{task.id}"),
        ("post", f"{base}/{task.id}"),
        ("post", f"{base}/{task.id}/done"),
        ("post", f"{base}/{task.id}/remove"),
        ("post", f"{base}/{task.id}/restore"),
    ]


# The checklist page ------------------------------------------------------------------------


def test_checklist_page_shows_weeks_tasks_and_progress(
    signed_in: FlaskClient, make_event: MakeEvent, organiser: User
) -> None:
    event = make_event(day=days_ahead(40))
    tasks = tasks_of(event)
    services.set_status(task=tasks["chair"], actor=organiser, status=TaskStatus.DONE)
    services.set_owner(task=tasks["venue"], actor=organiser, owner_id=organiser.id)
    db.session.commit()
    day = services.event_day(event)
    assert day is not None

    html = signed_in.get(f"/events/{event.id}/checklist").text

    for week in range(1, 6):
        start, end = week_window(day, week)
        assert f"Week {week}" in html
        assert f"{govuk_date(start)} to {govuk_date(end)}" in html
    assert f"1 of {len(tasks)} done" in html
    assert set(task_ids(html)) == {t.id for t in tasks.values()}
    assert html.count(">Mark as done<") == len(tasks) - 1
    assert "Optional: if required or desirable" in html
    assert organiser.display_name in html
    assert "Invitations can no longer go out" not in html
    assert not overdue_ids(html)
    assert "Removed tasks" not in html


def test_late_start_is_warned_and_overdue_tasks_highlighted(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=days_ahead(10))
    tasks = tasks_of(event)
    html = signed_in.get(f"/events/{event.id}/checklist").text
    assert "Invitations can no longer go out two weeks ahead" in html
    early = {t.id for t in tasks.values() if t.week in (1, 2)}
    assert overdue_ids(html) == early
    assert f"{len(early)} overdue" in html
    assert html.count('govuk-tag--red">Overdue') == len(early)


def test_without_a_date_the_page_explains_and_links_to_the_details(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(day=None, start=None, end=None)
    html = signed_in.get(f"/events/{event.id}/checklist").text
    assert "The checklist appears once the event has a date" in html
    assert f'href="/events/{event.id}/edit"' in html
    assert not task_ids(html)
    response = signed_in.get(f"/events/{event.id}/checklist/new")
    assert response.status_code == 302


# Buttons and forms -----------------------------------------------------------------------


def test_mark_as_done(signed_in: FlaskClient, make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    task = tasks_of(event)["chair"]
    response = signed_in.post(f"/events/{event.id}/checklist/{task.id}/done")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/events/{event.id}/checklist#task-{task.id}"
    db.session.refresh(task)
    assert (task.status, task.completed_by_id) == (TaskStatus.DONE, organiser.id)
    assert task.completed_at is not None
    response = signed_in.post(
        f"/events/{event.id}/checklist/{task.id}/done", data={"back": "my-tasks"}
    )
    assert response.headers["Location"] == "/my-tasks"


def test_edit_task_saves_status_owner_and_note_and_shows_who_finished_it(
    signed_in: FlaskClient, make_event: MakeEvent, organiser: User, colleague: User
) -> None:
    event = make_event()
    task = tasks_of(event)["chair"]
    page = signed_in.get(f"/events/{event.id}/checklist/{task.id}").text
    assert task.title in page and colleague.display_name in page
    response = signed_in.post(
        f"/events/{event.id}/checklist/{task.id}",
        data={"status": "done", "owner": str(colleague.id), "note": "The deputy leader"},
    )
    assert response.status_code == 302
    db.session.refresh(task)
    assert (task.status, task.owner_id, task.note, task.completed_by_id) == (
        TaskStatus.DONE, colleague.id, "The deputy leader", organiser.id
    )
    page = signed_in.get(f"/events/{event.id}/checklist/{task.id}").text
    assert "Done by" in page and organiser.display_name in page


def test_edit_task_refuses_someone_from_another_council(
    signed_in: FlaskClient, make_event: MakeEvent, outsider: User
) -> None:
    event = make_event()
    task = tasks_of(event)["chair"]
    response = signed_in.post(
        f"/events/{event.id}/checklist/{task.id}",
        data={"status": "done", "owner": str(outsider.id), "note": "kept"},
    )
    assert response.status_code == 200
    assert "Choose someone from your council who plans events" in response.text
    assert "kept" in response.text
    db.session.refresh(task)
    assert (task.status, task.owner_id) == (TaskStatus.TODO, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "", "owner": ""}, "Select whether the task is to do, done or not needed"),
        ({"status": "finished", "owner": ""}, "Select whether the task is to do, done or not needed"),
        ({"status": "done", "owner": "x"}, "Choose someone from your council who plans events"),
        ({"status": "done", "owner": "", "note": "n" * 2001}, "Enter a note of 2000 characters"),
    ],
)
def test_edit_task_bad_input_is_an_instruction(
    signed_in: FlaskClient, make_event: MakeEvent, data: dict[str, str], message: str
) -> None:
    event = make_event()
    task = tasks_of(event)["chair"]
    response = signed_in.post(f"/events/{event.id}/checklist/{task.id}", data=data)
    assert response.status_code == 200
    assert message in response.text
    db.session.refresh(task)
    assert task.status is TaskStatus.TODO


def test_add_own_task(signed_in: FlaskClient, make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    day = services.event_day(event)
    assert day is not None
    form = signed_in.get(f"/events/{event.id}/checklist/new?week=3").text
    assert f"Week 2: {govuk_date(week_window(day, 2)[0])}" in form
    assert re.search(r'value="3"\s+checked', form) or 'value="3" checked' in form
    response = signed_in.post(
        f"/events/{event.id}/checklist/new",
        data={"title": "Print name badges", "week": "3", "owner": str(organiser.id),
              "description": ""},
    )
    assert response.status_code == 302
    task = tasks_of(event)["Print name badges"]
    assert (task.week, task.owner_id, task.template_key) == (3, organiser.id, None)
    html = signed_in.get(f"/events/{event.id}/checklist").text
    assert "Print name badges" in html and "Your own task" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "week": "2"}, "Enter the task"),
        ({"title": "Badges"}, "Select the week the task belongs to"),
        ({"title": "Badges", "week": "9"}, "Select the week the task belongs to"),
        ({"title": "x" * 301, "week": "2"}, "Enter the task in 300 characters or fewer"),
    ],
)
def test_add_own_task_errors(
    signed_in: FlaskClient, make_event: MakeEvent, data: dict[str, str], message: str
) -> None:
    event = make_event()
    count = len(tasks_of(event))
    response = signed_in.post(f"/events/{event.id}/checklist/new", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert len(tasks_of(event)) == count


def test_remove_and_restore_through_the_page(signed_in: FlaskClient, make_event: MakeEvent) -> None:
    event = make_event()
    task = tasks_of(event)["prevent_staff"]
    assert signed_in.post(f"/events/{event.id}/checklist/{task.id}/remove").status_code == 302
    html = signed_in.get(f"/events/{event.id}/checklist").text
    assert "Removed tasks" in html
    assert f'action="/events/{event.id}/checklist/{task.id}/restore"' in html
    assert signed_in.post(f"/events/{event.id}/checklist/{task.id}/restore").status_code == 302
    db.session.refresh(task)
    assert task.removed_at is None
    assert "Removed tasks" not in signed_in.get(f"/events/{event.id}/checklist").text


def test_csrf_is_required_and_a_failed_form_keeps_its_input(
    signed_in: FlaskClient, csrf_on: Flask, make_event: MakeEvent
) -> None:
    event = make_event()
    task = tasks_of(event)["chair"]
    assert signed_in.post(f"/events/{event.id}/checklist/{task.id}/done").status_code == 400
    response = signed_in.post(
        f"/events/{event.id}/checklist/{task.id}",
        data={"status": "done", "owner": "", "note": "Typed before the form expired"},
    )
    assert response.status_code == 400
    assert "This form expired" in response.text
    assert "Typed before the form expired" in response.text
    db.session.refresh(task)
    assert (task.status, task.note) == (TaskStatus.TODO, "")


# My tasks --------------------------------------------------------------------------------


def test_my_tasks_page(
    client: FlaskClient, make_event: MakeEvent, organiser: User, colleague: User, outsider: User
) -> None:
    soon = make_event(day=days_ahead(10), title="Soon")
    later = make_event(day=days_ahead(60), title="Later")
    elsewhere = make_event(actor=outsider, title="Elsewhere")
    a, b = tasks_of(soon), tasks_of(later)
    for task in (b["invitations"], a["chase"], a["chair"]):
        services.set_owner(task=task, actor=organiser, owner_id=colleague.id)
    tasks_of(elsewhere)["chair"].owner_id = colleague.id
    db.session.commit()
    login_as(client, colleague)
    html = client.get("/my-tasks").text
    assert task_ids(html) == [a["chair"].id, a["chase"].id, b["invitations"].id]
    assert overdue_ids(html) == {a["chair"].id}
    assert "Elsewhere" not in html
    assert "1 overdue" in html


def test_my_tasks_when_there_are_none(signed_in: FlaskClient) -> None:
    assert "You do not own any planning tasks yet" in signed_in.get("/my-tasks").text


# Access ----------------------------------------------------------------------------------


def test_another_councils_event_and_task_are_not_found(
    signed_in: FlaskClient, make_event: MakeEvent, outsider: User
) -> None:
    theirs = make_event(actor=outsider)
    task = tasks_of(theirs)["chair"]
    for method, url in urls(theirs, task):
        assert getattr(signed_in, method)(url).status_code == 404, url
    db.session.refresh(task)
    assert task.status is TaskStatus.TODO and task.removed_at is None


def test_a_task_of_another_event_of_the_same_council_is_not_found(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    mine, other = make_event(), make_event()
    task = tasks_of(other)["chair"]
    for method, url in urls(mine, task)[3:]:
        assert getattr(signed_in, method)(url).status_code == 404, url
    db.session.refresh(task)
    assert task.status is TaskStatus.TODO


def test_administrators_and_strangers_cannot_use_the_checklist(
    client: FlaskClient, make_event: MakeEvent, make_user: Callable[..., User], organiser: User
) -> None:
    event = make_event()
    assert client.get(f"/events/{event.id}/checklist").status_code == 302
    assert client.get("/my-tasks").status_code == 302
    login_as(client, make_user(Role.ADMIN, council=organiser.council))
    assert client.get(f"/events/{event.id}/checklist").status_code == 403
    assert client.get("/my-tasks").status_code == 403


# Query counts (QUALITY.md line 22) ---------------------------------------------------------


def test_my_tasks_query_count_is_the_same_for_5_and_30_tasks(
    client: FlaskClient,
    make_event: MakeEvent,
    organiser: User,
    make_user: Callable[..., User],
    count_queries: Callable,
) -> None:
    few, many = (make_user(Role.ORGANISER, council=organiser.council) for _ in range(2))
    events = [make_event(day=days_ahead(20 + 7 * n)) for n in range(3)]
    tasks = [t for e in events for t in tasks_of(e).values()]
    for task in tasks[:5]:
        task.owner_id = few.id
    for task in tasks[5:35]:
        task.owner_id = many.id
    db.session.commit()
    counts = []
    for user_id in (few.id, many.id):
        login_as(client, db.session.get(User, user_id))
        with count_queries() as counted:
            html = client.get("/my-tasks").text
        counts.append(counted.count)
        assert len(task_ids(html)) == (5 if user_id == few.id else 30)
    assert counts[0] == counts[1], counts


def _checklist_of(
    event: Event, size: int, organiser: User, users: list[User]
) -> None:
    """Make the event's checklist exactly `size` tasks, with owners and finishers all different."""
    generated = list(tasks_of(event).values())
    for task in generated[size:]:
        db.session.delete(task)
    for n in range(size - len(generated)):
        services.add_task(event=event, actor=organiser, title=f"Own {n}", week=n % 5 + 1)
    db.session.commit()
    for n, task in enumerate(tasks_of(event).values()):
        services.set_owner(task=task, actor=organiser, owner_id=users[n % len(users)].id)
        if n % 2:
            services.set_status(task=task, actor=users[(n + 1) % len(users)],
                                status=TaskStatus.DONE)
    db.session.commit()


def test_checklist_page_query_count_is_the_same_for_5_and_30_tasks(
    signed_in: FlaskClient,
    make_event: MakeEvent,
    organiser: User,
    make_user: Callable[..., User],
    count_queries: Callable,
) -> None:
    users = [organiser] + [make_user(Role.ORGANISER, council=organiser.council) for _ in range(6)]
    few, many = make_event(day=days_ahead(10)), make_event(day=days_ahead(10))
    _checklist_of(few, 5, organiser, users)
    _checklist_of(many, 30, organiser, users)
    # Each has a removed task too, so the removed-by loader runs for both.
    for event in (few, many):
        services.remove_task(task=next(iter(tasks_of(event).values())), actor=organiser)
    db.session.commit()
    counts = []
    for event_id, size in ((few.id, 5), (many.id, 30)):
        with count_queries() as counted:
            html = signed_in.get(f"/events/{event_id}/checklist").text
        assert len(task_ids(html)) == size
        counts.append(counted.count)
    assert counts[0] == counts[1], counts


def test_a_task_page_says_whether_the_step_is_the_handbook_s_or_the_service_s(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event(
        home_office_speaking=True, format=EventFormat.ONLINE, venue_name="", venue_address=""
    )
    tasks = tasks_of(event)

    setup = text_of(signed_in.get(f"/events/{event.id}/checklist/{tasks['online_setup'].id}").text)
    slides = text_of(signed_in.get(f"/events/{event.id}/checklist/{tasks['ho_slides'].id}").text)

    assert "Source The service’s suggestion: not a step of the handbook’s schedule" in setup
    assert "Source The handbook’s schedule" in slides


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())
