"""The presenter view, its in-place refresh (ETag), and the chair's view with FAQ responses."""

from __future__ import annotations

from markupsafe import escape

from eventapp.extensions import db
from eventapp.questions import faqs, services
from tests.conftest import login_as
from tests.questions.conftest import ask, question_by_text, vote


def test_presenter_shows_approved_unanswered_by_votes(app, client, open_event, organiser) -> None:
    for text in ("Low?", "High?", "Done?"):
        ask(client, open_event, text)
    vote(app.test_client(), open_event, question_by_text("High?"))
    services.set_answered(question=question_by_text("Done?"), actor=organiser, answered=True)
    db.session.commit()
    login_as(client, organiser)
    page = client.get(f"/events/{open_event.id}/questions/present").get_data(as_text=True)
    assert page.index("High?") < page.index("Low?")
    assert "Done?" not in page
    assert "app-present-body" in page and 'href="/events/' in page  # the refresh link
    assert "govuk-service-navigation" not in page  # nothing but the questions
    # The handbook's reminder of where to ask, as a link and a QR code, while questions are open.
    assert f"http://localhost/e/{open_event.public_slug}/questions" in page
    assert "<svg" in page and "QR code for asking a question" in page


def test_the_list_answers_304_until_something_changes(app, client, open_event, organiser) -> None:
    ask(client, open_event, "Poll?")
    login_as(client, organiser)
    url = f"/events/{open_event.id}/questions/present/list"
    first = client.get(url)
    assert first.status_code == 200 and "Poll?" in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    vote(app.test_client(), open_event, question_by_text("Poll?"))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "1 vote" in changed.get_data(as_text=True)


def test_the_chair_sees_the_handbook_response_and_warning(client, open_event, organiser) -> None:
    ask(client, open_event, "Will I get a criminal record?")
    question = question_by_text("Will I get a criminal record?")
    services.tag_faq(question=question, actor=organiser, faq_key="criminal_record")
    db.session.commit()
    login_as(client, organiser)
    page = client.get(f"/events/{open_event.id}/questions/chair").get_data(as_text=True)
    assert faqs.STATISTICS_WARNING in page
    assert str(escape(faqs.FAQ_BY_KEY["criminal_record"].response[0])) in page
    response = client.post(
        f"/events/{open_event.id}/questions/{question.id}/moderate",
        data={"action": "answered", "back": "chair"},
    )
    assert response.location.startswith(f"/events/{open_event.id}/questions/chair")
    assert question_by_text("Will I get a criminal record?").answered


def test_question_text_is_escaped_in_the_presenter_and_chair_views(
    client, open_event, organiser
) -> None:
    ask(client, open_event, '<img src=x onerror="alert(1)">?')
    login_as(client, organiser)
    for path in ("present", "present/list", "chair", ""):
        page = client.get(f"/events/{open_event.id}/questions/{path}").get_data(as_text=True)
        assert "<img src=x" not in page, path
        assert "&lt;img src=x onerror=" in page, path
