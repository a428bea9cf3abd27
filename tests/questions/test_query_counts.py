"""Question pages send the same number of SQL statements for 10 questions as for 500
(issue 11, §4; QUALITY 22), votes and actions included."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.questions.models import Question, QuestionAction, QuestionState, QuestionVote
from tests.conftest import login_as


def _fill(event, organiser, n: int) -> None:
    """n approved questions with 3 votes each (one from the page's voter), every tenth
    with an action; written directly, fast."""
    for i in range(n):
        question = Question(
            event_id=event.id,
            text=f"Question {i}?",
            anonymous=i % 2 == 0,
            asker_name="" if i % 2 == 0 else "Sam",
            asked_on=date(2027, 1, 1),
            state=QuestionState.APPROVED,
            vote_count=3,
            faq_key="spying" if i % 7 == 0 else "",
        )
        db.session.add(question)
        db.session.flush()
        for v in range(3):
            db.session.add(QuestionVote(question_id=question.id, voter=f"{v:064d}"))
        if i % 10 == 0:
            db.session.add(
                QuestionAction(event_id=event.id, question_id=question.id, what=f"Do {i}")
            )
    db.session.commit()


def _statements(client: FlaskClient, count_queries, url: str) -> list[str]:
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return counted.statements


@pytest.mark.parametrize("page", ["public", "index", "present", "present_list", "chair"])
def test_queries_do_not_grow_with_questions(
    app, make_event, organiser, open_event, count_queries, page
) -> None:
    small_event = open_event
    large_event = make_event(title="Large")
    large_event.status = small_event.status
    from eventapp.questions import services
    from eventapp.questions.models import WhoMayAsk

    services.save_settings(
        event=large_event,
        actor=organiser,
        is_open=True,
        needs_approval=False,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    _fill(small_event, organiser, 10)
    _fill(large_event, organiser, 500)
    counts = []
    for event in (small_event, large_event):
        client = app.test_client()
        if page == "public":
            url = f"/e/{event.public_slug}/questions"
            first = db.session.scalar(
                db.select(Question.id).where(Question.event_id == event.id).limit(1)
            )
            # A voter with a cookie and a vote, so the page reads which ones are theirs.
            client.post(f"/e/{event.public_slug}/questions/{first}/vote", data={"vote": "up"})
        else:
            login_as(client, organiser)
            url = {
                "index": f"/events/{event.id}/questions/",
                "present": f"/events/{event.id}/questions/present",
                "present_list": f"/events/{event.id}/questions/present/list",
                "chair": f"/events/{event.id}/questions/chair",
            }[page]
        counts.append(_statements(client, count_queries, url))
    small, large = counts
    assert len(small) == len(large), "\n".join(large)
    print(f"\n{page}: {len(small)} statements for 10 questions, {len(large)} for 500")
