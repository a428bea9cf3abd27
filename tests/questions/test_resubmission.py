"""Sending a question or action form twice does the thing once and shows the first's result
(QUALITY.md property 25), never an error page, on the public link and the own page alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select, update

from eventapp import once
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.models.base import utcnow
from eventapp.questions import services
from eventapp.questions.models import Question, QuestionAction, QuestionState, WhoMayAsk
from tests.conftest import login_as
from tests.questions.conftest import own_page, question_by_text

KEY = "k" * 32


def _questions() -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(Question)) or 0)


def _own_page(app: Flask, event: Event) -> str:
    return own_page(app, event, "sam@example.org")


@pytest.fixture(params=["public link", "own page"])
def ask_url(request: Any, app: Flask, open_event: Event) -> str:
    if request.param == "public link":
        return f"/e/{open_event.public_slug}/questions/ask"
    return f"{_own_page(app, open_event)}/questions/ask"


def _send(client: Any, url: str, text: str) -> Any:
    return client.post(url, data={"text": text, "identity": "anonymous", "submission_key": KEY})


def test_a_form_sent_twice_at_once_asks_once_and_shows_the_first(
    app, open_event, ask_url, monkeypatch
) -> None:
    """The second send looks for the first before it has committed, then collides with it."""
    original = services.free_id

    def first_commits_meanwhile() -> int:
        with db.engine.begin() as other:  # the first send, in its own connection
            other.execute(
                insert(Question).values(
                    id=original(),
                    event_id=open_event.id,
                    text="Sent twice?",
                    anonymous=True,
                    asked_on=date(2027, 1, 1),
                    state=QuestionState.APPROVED,
                    submission_key=KEY,
                )
            )
        return original()

    monkeypatch.setattr(services, "free_id", first_commits_meanwhile)
    client = app.test_client()
    response = _send(client, ask_url, "Sent twice?")
    assert response.status_code == 302, response.status_code
    assert _questions() == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert once.ALREADY_DONE in page


def test_a_form_sent_again_later_shows_the_first_even_after_questions_close(
    app, open_event, organiser, ask_url
) -> None:
    client = app.test_client()
    assert _send(client, ask_url, "Back and again?").status_code == 302
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=False,
        needs_approval=False,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    again = _send(client, ask_url, "Back and again?")
    assert again.status_code == 302
    assert once.ALREADY_DONE in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _questions() == 1


def test_the_action_form_sent_twice_records_one_action(app, open_event, organiser: User) -> None:
    from tests.questions.conftest import ask

    ask(app.test_client(), open_event, "Follow this up?")
    question = question_by_text("Follow this up?")
    client = app.test_client()
    login_as(client, organiser)
    url = f"/events/{open_event.id}/questions/{question.id}/actions/new"
    page = client.get(url).get_data(as_text=True)
    assert 'name="form_token"' in page
    token = page.split('name="form_token"')[1].split('value="')[1].split('"')[0]
    data = {"what": "Send the figures", "form_token": token}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert once.ALREADY_DONE in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuestionAction)) == 1


def test_an_action_marked_done_twice_at_once_emails_the_asker_once(
    app, open_event, organiser
) -> None:
    """The second request loaded the action before the first committed its done time."""
    own = _own_page(app, open_event)
    client = app.test_client()
    client.post(
        f"{own}/questions/ask",
        data={"text": "Tell me?", "identity": "named", "name": "Sam", "tell_asker": "y"},
    )
    question = question_by_text("Tell me?")
    assert question.tell_asker
    action = services.add_action(
        question=question, actor=organiser, details=services.ActionDetails(what="Done it")
    )
    db.session.commit()
    sent_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    stale = db.session.get(QuestionAction, action.id)
    assert stale is not None and stale.done_at is None
    with db.engine.begin() as other:  # the first request's mark, committed meanwhile
        other.execute(
            update(QuestionAction).where(QuestionAction.id == action.id).values(done_at=utcnow())
        )
    assert services.complete_action(action=stale, actor=organiser) is False
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == sent_before


def test_the_merge_and_edit_forms_sent_twice_show_the_first_result(
    app, open_event, organiser
) -> None:
    from tests.questions.conftest import ask

    client = app.test_client()
    ask(client, open_event, "Original?")
    ask(client, open_event, "Duplicate?")
    ask(client, open_event, "Teh typo?")
    original, duplicate = question_by_text("Original?"), question_by_text("Duplicate?")
    login_as(client, organiser)
    merge = f"/events/{open_event.id}/questions/{duplicate.id}/merge"
    first, second = (client.post(merge, data={"into": str(original.id)}) for _ in range(2))
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert once.ALREADY_DONE in client.get(second.headers["Location"]).get_data(as_text=True)
    typo = question_by_text("Teh typo?")
    edit = f"/events/{open_event.id}/questions/{typo.id}/edit"
    data = {"text": "The typo?", "version": str(typo.version)}
    first, second = client.post(edit, data=data), client.post(edit, data=data)
    assert first.status_code == second.status_code == 302
    typo = question_by_text("The typo?")
    assert typo.version == 2
