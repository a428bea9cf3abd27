"""Moderation: approve, hide with a reason, star, answer, edit (with a version), merge, FAQs,
follow-up actions and the CSV."""

from __future__ import annotations

from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.questions import services
from eventapp.questions.models import QuestionState, QuestionVote, WhoMayAsk
from tests.conftest import login_as
from tests.questions.conftest import ask, question_by_text, vote


def _moderate(client, event, question, action):
    return client.post(
        f"/events/{event.id}/questions/{question.id}/moderate", data={"action": action}
    )


def test_approve_star_answer_and_hide(app, client, open_event, organiser) -> None:
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=True,
        needs_approval=True,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    ask(app.test_client(), open_event, "Moderate me?")
    question = question_by_text("Moderate me?")
    login_as(client, organiser)
    page = client.get(f"/events/{open_event.id}/questions/").get_data(as_text=True)
    assert "Moderate me?" in page and "Waiting for approval (1)" in page
    _moderate(client, open_event, question, "approve")
    _moderate(client, open_event, question, "star")
    question = question_by_text("Moderate me?")
    assert question.state is QuestionState.APPROVED and question.starred
    _moderate(client, open_event, question, "answered")
    question = question_by_text("Moderate me?")
    assert question.answered and not question.starred
    response = client.post(
        f"/events/{open_event.id}/questions/{question.id}/hide", data={"reason": "Rude"}
    )
    assert response.status_code == 302
    question = question_by_text("Moderate me?")
    assert question.state is QuestionState.HIDDEN and question.hidden_reason == "Rude"
    public = app.test_client().get(f"/e/{open_event.public_slug}/questions")
    assert "Moderate me?" not in public.get_data(as_text=True)
    assert "Rude" not in public.get_data(as_text=True)


def test_an_edit_from_an_older_page_is_refused(client, open_event, organiser) -> None:
    ask(client, open_event, "Teh question?")
    question = question_by_text("Teh question?")
    login_as(client, organiser)
    url = f"/events/{open_event.id}/questions/{question.id}/edit"
    assert client.post(url, data={"text": "The question?", "version": "1"}).status_code == 302
    stale = client.post(url, data={"text": "Another change", "version": "1"})
    assert stale.status_code == 200
    assert "Someone changed this question" in stale.get_data(as_text=True)
    assert "The question now reads:" in stale.get_data(as_text=True)
    assert "The question?" in stale.get_data(as_text=True)
    question = question_by_text("The question?")
    assert question.edited and question.version == 2


def test_merging_carries_votes_over_counting_each_voter_once(
    app, client, open_event, organiser
) -> None:
    ask(client, open_event, "Original?")
    ask(client, open_event, "Duplicate?")
    original, duplicate = question_by_text("Original?"), question_by_text("Duplicate?")
    both, only_dup, only_orig = app.test_client(), app.test_client(), app.test_client()
    for voter in (both, only_orig):
        vote(voter, open_event, original)
    for voter in (both, only_dup):
        vote(voter, open_event, duplicate)
    login_as(client, organiser)
    response = client.post(
        f"/events/{open_event.id}/questions/{duplicate.id}/merge", data={"into": str(original.id)}
    )
    assert response.status_code == 302
    original, duplicate = question_by_text("Original?"), question_by_text("Duplicate?")
    assert original.vote_count == 3
    assert duplicate.state is QuestionState.MERGED and duplicate.merged_into_id == original.id
    assert duplicate.vote_count == 0
    votes = db.session.scalar(select(func.count()).select_from(QuestionVote))
    assert votes == 3


def test_faq_tag_and_suggestions(client, open_event, organiser) -> None:
    ask(client, open_event, "Does Prevent encourage spying on pupils?")
    question = question_by_text("Does Prevent encourage spying on pupils?")
    login_as(client, organiser)
    url = f"/events/{open_event.id}/questions/{question.id}/faq"
    page = client.get(url).get_data(as_text=True)
    assert "The service suggests" in page and "Does Prevent encourage spying?" in page
    assert client.post(url, data={"faq": "spying"}).status_code == 302
    assert question_by_text("Does Prevent encourage spying on pupils?").faq_key == "spying"


def test_follow_up_action_shows_on_the_overview_until_done(client, open_event, organiser) -> None:
    ask(client, open_event, "Figures?")
    question = question_by_text("Figures?")
    login_as(client, organiser)
    response = client.post(
        f"/events/{open_event.id}/questions/{question.id}/actions/new",
        data={"what": "Send the Channel figures", "who": "Alex"},
    )
    assert response.status_code == 302
    overview = client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert "1 open follow-up action" in overview
    action = services.actions(open_event)[0]
    client.post(f"/events/{open_event.id}/questions/actions/{action.id}/done")
    overview = client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert "open follow-up action" not in overview


def test_csv_neutralises_formulas(client, open_event, organiser) -> None:
    ask(client, open_event, '=HYPERLINK("http://x")')
    login_as(client, organiser)
    response = client.get(f"/events/{open_event.id}/questions/export.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "'=HYPERLINK" in body
    assert '\n"=HYPERLINK' not in body and "\n=HYPERLINK" not in body
