"""Asking: anonymously or named, only when open, once per page load, within the allowance."""

from __future__ import annotations

from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.questions import services
from eventapp.questions.models import Question, QuestionState, WhoMayAsk
from tests.questions.conftest import ask, question_by_text


def test_an_anonymous_question_is_listed_without_a_name(client, open_event) -> None:
    response = ask(client, open_event, "Is Channel voluntary?", name="Sam")
    assert response.status_code == 302
    question = question_by_text("Is Channel voluntary?")
    assert question.anonymous and question.asker_name == "" and question.asker_organisation == ""
    page = client.get(response.location).get_data(as_text=True)
    assert "Is Channel voluntary?" in page
    assert "Anonymous" in page and "Sam" not in page


def test_a_named_question_shows_first_name_and_organisation(client, open_event) -> None:
    ask(
        client,
        open_event,
        "Who funds it?",
        identity="named",
        name="Priya",
        organisation="Youth club",
    )
    page = client.get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert "Priya, Youth club" in page


def test_a_named_question_needs_a_first_name(client, open_event) -> None:
    response = ask(client, open_event, "Who funds it?", identity="named", name="")
    assert response.status_code == 200
    assert "Enter your first name, or choose to ask anonymously" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_questions_wait_for_approval_when_the_organiser_asks(client, open_event, organiser) -> None:
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=True,
        needs_approval=True,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    response = ask(client, open_event, "Pending one?")
    page = client.get(response.location).get_data(as_text=True)
    assert "once the organiser has approved it" in page
    assert "Pending one?" not in page
    assert question_by_text("Pending one?").state is QuestionState.PENDING


def test_closed_questions_refuse_new_ones(client, open_event, organiser) -> None:
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=False,
        needs_approval=False,
        who_may_ask=WhoMayAsk.ANYONE,
    )
    db.session.commit()
    response = ask(client, open_event, "Too late?")
    assert response.status_code == 200
    assert "not taking questions" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_registrants_only_refuses_the_public_link(client, open_event, organiser) -> None:
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=True,
        needs_approval=False,
        who_may_ask=WhoMayAsk.REGISTRANTS,
    )
    db.session.commit()
    response = ask(client, open_event, "Can I?")
    assert "for registered attendees" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_the_same_form_sent_twice_asks_once(client, open_event) -> None:
    for _ in range(2):
        assert ask(client, open_event, "Twice?", submission_key="k" * 32).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1


def test_one_browser_reaches_its_allowance(client, open_event, app) -> None:
    app.config["QUESTIONS_PER_ASKER"] = 2
    assert ask(client, open_event, "One?").status_code == 302
    assert ask(client, open_event, "Two?").status_code == 302
    refused = ask(client, open_event, "Three?")
    assert refused.status_code == 200
    assert "the most one person can ask" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 2
    # Another browser has its own allowance.
    other = app.test_client()
    assert ask(other, open_event, "Three?").status_code == 302


def test_question_text_is_escaped_on_the_public_list(client, open_event) -> None:
    ask(client, open_event, '<script>alert("x")</script>')
    page = client.get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_the_public_event_page_links_to_questions_when_open(client, open_event) -> None:
    page = client.get(f"/e/{open_event.public_slug}").get_data(as_text=True)
    assert f"/e/{open_event.public_slug}/questions" in page


def test_a_registrants_only_event_shows_no_questions_on_the_public_link(
    app, client, open_event, organiser
) -> None:
    ask(client, open_event, "Visible before?")
    services.save_settings(
        event=open_event,
        actor=organiser,
        is_open=True,
        needs_approval=False,
        who_may_ask=WhoMayAsk.REGISTRANTS,
    )
    db.session.commit()
    page = app.test_client().get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    assert "Visible before?" not in page
    assert "for registered attendees" in page


def test_the_privacy_notice_says_what_questions_keep(client) -> None:
    page = client.get("/privacy").get_data(as_text=True)
    assert "Questions you ask at events" in page
    assert "eventapp_voter" in page and "180 days" in page
