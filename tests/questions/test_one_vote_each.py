"""One person, one vote on an open-link event (issue 11, §2): a registrant who votes from their
own page and from the public page in the same browser counts once, whichever came first.

A browser becomes the registration's only when the registrant votes from their own page in it
(a POST with the form's token), never by opening the page. A browser where they never did that
is not known to be theirs: the documented limit, until they vote from their own page in it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.questions import voters
from eventapp.questions.models import Question, QuestionVote
from tests.questions.conftest import ask, own_page, question_by_text, vote
from tests.registration.conftest import registration


def _vote_mine(client: Any, own: str, question: Question, up: bool = True) -> Any:
    return client.post(
        f"{own}/questions/{question.id}/vote", data={"vote": "up" if up else "withdraw"}
    )


def _count(text: str) -> int:
    return question_by_text(text).vote_count


def _browser_key(client: Any) -> str:
    browser = voters.read(client.get_cookie(voters.COOKIE).value)
    assert browser is not None
    return voters.vote_key(voters.browser_subject(browser))


def _two_questions(app: Flask, event: Event) -> tuple[Question, Question]:
    someone = app.test_client()
    ask(someone, event, "First?")
    ask(someone, event, "Second?")
    return question_by_text("First?"), question_by_text("Second?")


def test_own_page_then_public_page_in_the_same_browser_counts_once(app, open_event) -> None:
    first, _ = _two_questions(app, open_event)
    own = own_page(app, open_event, "sam@example.org")
    laptop = app.test_client()
    assert _vote_mine(laptop, own, first).status_code == 302
    assert vote(laptop, open_event, first).status_code == 302
    assert _count("First?") == 1
    listing = laptop.get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert "You voted for this" in listing  # the public page knows it is the same vote
    # Withdrawn on the public page, it is withdrawn for the registration.
    vote(laptop, open_event, first, up=False)
    assert _count("First?") == 0
    assert "You voted for this" not in laptop.get(f"{own}/questions").get_data(as_text=True)


def test_public_page_then_own_page_in_the_same_browser_counts_once(app, open_event) -> None:
    first, second = _two_questions(app, open_event)
    own = own_page(app, open_event, "sam@example.org")
    laptop = app.test_client()
    vote(laptop, open_event, first)
    vote(laptop, open_event, second)
    browser_key = _browser_key(laptop)
    assert _count("First?") == _count("Second?") == 1
    _vote_mine(laptop, own, first)
    assert _count("First?") == 1
    # The browser's other vote became the registration's: still counted once, and shown so.
    assert _count("Second?") == 1
    mine = voters.vote_key(voters.registration_subject(registration("sam@example.org").id))
    votes = db.session.execute(select(QuestionVote.question_id, QuestionVote.voter)).all()
    assert sorted(votes) == sorted([(first.id, mine), (second.id, mine)])
    assert browser_key not in {voter for _, voter in votes}
    assert laptop.get(f"{own}/questions").get_data(as_text=True).count("You voted for this") == 2
    _vote_mine(laptop, own, second, up=False)
    assert _count("Second?") == 0
    vote(laptop, open_event, first)  # already counted, as the registration
    assert _count("First?") == 1


def test_another_browser_counts_again_until_they_vote_from_their_page_in_it(
    app, open_event
) -> None:
    """The documented limit, and how it heals."""
    first, second = _two_questions(app, open_event)
    own = own_page(app, open_event, "sam@example.org")
    phone, laptop = app.test_client(), app.test_client()
    vote(phone, open_event, first)
    _vote_mine(laptop, own, first)
    assert _count("First?") == 2  # the phone is not known to be Sam's
    _vote_mine(phone, own, second)
    assert _count("First?") == 1 and _count("Second?") == 1


def test_another_registrants_votes_are_their_own(app, open_event) -> None:
    first, _ = _two_questions(app, open_event)
    sam = own_page(app, open_event, "sam@example.org")
    kim = own_page(app, open_event, "kim@example.org", name="Kim Voter")
    shared = app.test_client()  # one library computer, two people in turn
    _vote_mine(shared, sam, first)
    _vote_mine(shared, kim, first)
    assert _count("First?") == 2
    vote(shared, open_event, first)  # now Kim's browser: Kim has voted already
    assert _count("First?") == 2


def test_opening_the_own_page_does_not_make_the_browser_theirs(app, open_event) -> None:
    """Only a vote sent from the page binds: another site cannot bind a visitor's browser to
    someone else's registration by sending them to that person's link."""
    first, _ = _two_questions(app, open_event)
    own = own_page(app, open_event, "sam@example.org")
    visitor = app.test_client()
    vote(visitor, open_event, first)
    visitor.get(f"{own}/questions")
    assert voters.read_bindings(visitor.get_cookie(voters.COOKIE).value) == {}
    _vote_mine(app.test_client(), own, first)
    assert _count("First?") == 2
    votes = set(db.session.scalars(select(QuestionVote.voter)))
    assert _browser_key(visitor) in votes


def test_asking_in_a_browser_that_is_theirs_adds_no_vote(app, open_event) -> None:
    """No vote row links an anonymous asker to their own question, bound browser or not."""
    first, _ = _two_questions(app, open_event)
    own = own_page(app, open_event, "sam@example.org")
    laptop = app.test_client()
    _vote_mine(laptop, own, first)
    before = set(db.session.execute(select(QuestionVote.question_id, QuestionVote.voter)))
    ask(laptop, open_event, "Asked from the public page?")
    laptop.post(
        f"{own}/questions/ask", data={"text": "Asked from my page?", "identity": "anonymous"}
    )
    _vote_mine(laptop, own, first)  # binding again moves nothing onto the new questions
    after = set(db.session.execute(select(QuestionVote.question_id, QuestionVote.voter)))
    assert after == before
    assert _count("Asked from the public page?") == _count("Asked from my page?") == 0
