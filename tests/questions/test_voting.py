"""Voting: one vote per browser, withdrawn on request, idempotent, with a signed cookie."""

from __future__ import annotations

from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.questions import voters
from eventapp.questions.models import QuestionVote
from tests.questions.conftest import ask, question_by_text, vote


def _votes() -> int:
    return db.session.scalar(select(func.count()).select_from(QuestionVote)) or 0


def test_one_vote_per_browser_and_it_can_be_withdrawn(app, client, open_event) -> None:
    ask(client, open_event, "Vote me?")
    question = question_by_text("Vote me?")
    assert _votes() == 0  # asking never votes for your own question
    for _ in range(2):
        assert vote(client, open_event, question).status_code == 302
    assert question_by_text("Vote me?").vote_count == 1 == _votes()
    page = client.get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert "You voted for this" in page and "Take back your vote" in page
    other = app.test_client()
    vote(other, open_event, question)
    assert question_by_text("Vote me?").vote_count == 2
    for _ in range(2):
        vote(client, open_event, question, up=False)
    assert question_by_text("Vote me?").vote_count == 1 == _votes()


def test_most_voted_first(app, client, open_event) -> None:
    for text in ("Few?", "Many?"):
        ask(client, open_event, text)
    many = question_by_text("Many?")
    for _ in range(3):
        vote(app.test_client(), open_event, many)
    page = client.get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert page.index("Many?") < page.index("Few?")


def test_a_forged_cookie_is_a_new_browser(app, client, open_event) -> None:
    ask(client, open_event, "Forge?")
    question = question_by_text("Forge?")
    client.set_cookie(voters.COOKIE, "not-signed")
    vote(client, open_event, question)
    assert voters.read("not-signed") is None
    assert question_by_text("Forge?").vote_count == 1
    # The response replaced the forged cookie with a signed one.
    cookie = client.get_cookie(voters.COOKIE)
    assert cookie is not None and voters.read(cookie.value) is not None


def test_a_hidden_or_unknown_question_takes_no_vote(client, open_event, organiser) -> None:
    from eventapp.questions import services

    ask(client, open_event, "Hide me?")
    question = question_by_text("Hide me?")
    services.hide(question=question, actor=organiser, reason="Off topic")
    db.session.commit()
    assert vote(client, open_event, question).status_code == 404
    assert (
        client.post(
            f"/e/{open_event.public_slug}/questions/1/vote", data={"vote": "up"}
        ).status_code
        == 404
    )
    assert _votes() == 0
