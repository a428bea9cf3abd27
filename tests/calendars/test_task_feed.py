"""Each user's private feed of checklist due dates: a revocable token, only a hash stored."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from eventapp.calendars import services
from eventapp.checklist.models import ChecklistTask, TaskStatus
from eventapp.extensions import db
from eventapp.models.base import utcnow
from eventapp.tokens import SecretToken, TokenPurpose, hash_token
from tests.calendars.icsfile import conformant, content_lines
from tests.conftest import login_as
from tests.formreader import read_form

# Re-run under other machine time zones by `make test` (and `make mutate`).
pytestmark = pytest.mark.timezone_sensitive


def _own_all_tasks(event, user) -> list[ChecklistTask]:
    tasks = db.session.scalars(
        db.select(ChecklistTask).where(ChecklistTask.event_id == event.id)
    ).all()
    for task in tasks:
        task.owner_id = user.id
    db.session.commit()
    return list(tasks)


def _issue_feed(client) -> str:
    response = client.post("/calendar", data={"action": "issue"})
    assert response.status_code == 200
    match = re.search(r'value="(http://[^"]+/calendar/[^"]+\.ics)"', response.get_data(as_text=True))
    assert match, "the new feed address is shown once"
    return match.group(1).replace("http://localhost", "")


def test_feed_lists_my_open_tasks_and_parses_with_vobject(app, client, make_event, organiser) -> None:
    event = make_event(day=date(2027, 6, 16))
    tasks = _own_all_tasks(event, organiser)
    assert tasks, "the event's checklist was generated"
    finished = tasks[0]
    finished.status = TaskStatus.DONE
    finished.completed_at = utcnow()
    db.session.commit()
    login_as(client, organiser)
    path = _issue_feed(client)

    with app.test_client() as anonymous:  # the feed itself needs no sign-in
        response = anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    content_lines(response.data)  # strictly well-formed
    calendar = conformant(response.data)
    entries = calendar.contents.get("vevent", [])
    assert len(entries) == len(tasks) - 1
    summaries = {e.summary.value for e in entries}
    assert all(event.title in s for s in summaries)
    assert f"task-{finished.id}" not in {e.uid.value.split("@")[0] for e in entries}
    dates = {e.dtstart.value for e in entries}
    assert all(isinstance(d, date) for d in dates)
    assert {t.due_on for t in tasks[1:]} == dates


def test_feed_shows_a_changed_due_date_as_a_new_sequence(
    app, client, make_event, organiser
) -> None:
    event = make_event(day=date(2027, 6, 16))
    tasks = _own_all_tasks(event, organiser)
    task = next(t for t in tasks if t.template_key == "chair")
    before = task.due_on
    login_as(client, organiser)
    path = _issue_feed(client)
    url = f"/events/{event.id}/checklist/{task.id}"
    form = read_form(client.get(url).text, having="loaded_version")
    form["due_on"] = ["3", "6", "2027"]
    assert client.post(url, data=form).status_code == 302

    with app.test_client() as anonymous:
        body = anonymous.get(path).data
    entry = next(
        e for e in conformant(body).contents["vevent"] if e.uid.value.startswith(f"task-{task.id}@")
    )
    assert before != date(2027, 6, 3)
    assert entry.dtstart.value == date(2027, 6, 3)
    assert entry.dtend.value == date(2027, 6, 4)
    assert entry.sequence.value == "1"


def test_regenerating_makes_the_old_url_404(app, client, organiser) -> None:
    login_as(client, organiser)
    old = _issue_feed(client)
    assert client.get(old).status_code == 200
    new = _issue_feed(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_turning_off_the_feed(app, client, organiser) -> None:
    login_as(client, organiser)
    path = _issue_feed(client)
    response = client.post("/calendar", data={"action": "revoke"})
    assert "turned off" in response.get_data(as_text=True)
    assert client.get(path).status_code == 404


def test_only_a_hash_of_the_token_is_stored(app, organiser) -> None:
    token = services.issue_feed_token(organiser)
    db.session.commit()
    assert len(token) >= 43  # 32 random bytes
    stored = db.session.scalars(select(SecretToken.token_hash)).all()
    assert stored == [hash_token(TokenPurpose.CALENDAR_FEED, token)]
    assert all(token not in value for value in stored)
    assert services.user_for_token(token) == organiser


def test_disabled_user_feed_is_gone(app, client, organiser) -> None:
    token = services.issue_feed_token(organiser)
    organiser.active = False
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_unknown_token_is_404(client) -> None:
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
