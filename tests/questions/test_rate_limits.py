"""How fast one address may ask and vote (issue 11; QUESTION_ASK_LIMIT_PER_IP and
QUESTION_VOTE_LIMIT_PER_IP): a browser that clears its cookie gets a new id and a new
allowance, so the limit is on the address, across browsers and across the public page and
registrants' own pages."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.questions.models import Question, QuestionVote
from tests.questions.conftest import ask, own_page, question_by_text

HOME, ELSEWHERE = "198.51.100.7", "203.0.113.9"


def _browser(app: Flask, address: str) -> Any:
    """A fresh browser (no cookie) at this address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _questions() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Question)) or 0)


def test_asking_is_limited_per_address_whatever_the_cookie(app: Flask, open_event: Event) -> None:
    app.config["QUESTION_ASK_LIMIT_PER_IP"] = "3 per hour"
    codes = [ask(_browser(app, HOME), open_event, f"Question {n}?").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert _questions() == 3
    assert ask(_browser(app, ELSEWHERE), open_event, "From elsewhere?").status_code == 302
    assert _questions() == 4


def test_a_registrants_own_page_shares_the_asking_limit_of_its_address(
    app: Flask, open_event: Event
) -> None:
    app.config["QUESTION_ASK_LIMIT_PER_IP"] = "2 per hour"
    own = own_page(app, open_event, "asker@example.org")
    home = _browser(app, HOME)
    for n in range(2):
        assert ask(_browser(app, HOME), open_event, f"Public {n}?").status_code == 302
    mine = home.post(f"{own}/questions/ask", data={"text": "Mine?", "identity": "anonymous"})
    assert mine.status_code == 429
    assert _questions() == 2
    other = _browser(app, ELSEWHERE)
    mine = other.post(f"{own}/questions/ask", data={"text": "Mine?", "identity": "anonymous"})
    assert mine.status_code == 302
    assert _questions() == 3


def test_voting_is_limited_per_address_whatever_the_cookie(app: Flask, open_event: Event) -> None:
    ask(_browser(app, ELSEWHERE), open_event, "Vote for me?")
    question = question_by_text("Vote for me?")
    app.config["QUESTION_VOTE_LIMIT_PER_IP"] = "3 per 10 minutes"
    path = f"/e/{open_event.public_slug}/questions/{question.id}/vote"
    codes = [_browser(app, HOME).post(path, data={"vote": "up"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert question_by_text("Vote for me?").vote_count == 3
    assert _browser(app, ELSEWHERE).post(path, data={"vote": "up"}).status_code == 302
    assert question_by_text("Vote for me?").vote_count == 4
    assert db.session.scalar(select(func.count()).select_from(QuestionVote)) == 4
    # A registrant's own page at the limited address is refused too.
    own = own_page(app, open_event, "voter@example.org")
    refused = _browser(app, HOME).post(f"{own}/questions/{question.id}/vote", data={"vote": "up"})
    assert refused.status_code == 429
    assert question_by_text("Vote for me?").vote_count == 4
