"""Follow-up actions from questions in the evaluation (issue 11: "open actions appear ... in
the evaluation later"; issue 13: the conclusions' "open question actions" and the covering
note "highlighting actions"): the report page and PDF, the conclusions form, the tables CSV
and the email to Home Office Prevent."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.evaluation.report import (
    QUESTION_NOT_PUBLISHED,
    FollowUpActions,
    follow_up_actions,
)
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.formatting import govuk_date, uk_today
from eventapp.mail.models import OutboxMessage
from eventapp.questions.models import Question, QuestionAction, QuestionState
from eventapp.questions.services import FollowUp

TODAY = datetime.now(UTC).date()
OVERDUE_ON = TODAY - timedelta(days=3)
LATER_ON = TODAY + timedelta(days=10)

PUBLISHED = "Will the Prevent referral figures for our borough be published?"
NAMED = "How do schools raise a concern out of hours?"
HIDDEN = "Why did Mr Example from Grays School refer my son?"
ASKER = "Sam Asker"
ASKER_ORG = "Askers Ltd"
WHO = "Jo Bloggs, Prevent lead"


def add_question(event: Event, text: str, **fields: object) -> Question:
    question = Question(
        event_id=event.id,
        text=text,
        asked_on=TODAY,
        state=fields.pop("state", QuestionState.APPROVED),
        **fields,
    )
    db.session.add(question)
    db.session.flush()
    return question


def add_action(
    event: Event, question: Question, what: str, *, who: str = "", due_on: date | None = None
) -> QuestionAction:
    action = QuestionAction(
        event_id=event.id, question_id=question.id, what=what, who=who, due_on=due_on
    )
    db.session.add(action)
    db.session.flush()
    return action


def with_actions(event: Event) -> None:
    """Three open actions (one overdue, one later, one with no date) and one done, on an
    anonymous approved question, a named one and a hidden one."""
    anonymous = add_question(event, PUBLISHED)
    named = add_question(
        event, NAMED, anonymous=False, asker_name=ASKER, asker_organisation=ASKER_ORG
    )
    hidden = add_question(event, HIDDEN, state=QuestionState.HIDDEN, hidden_reason="Names a child")
    add_action(event, named, "Send the out-of-hours number to every school", due_on=LATER_ON)
    add_action(event, anonymous, "Ask the police for the borough's figures", who=WHO)
    add_action(event, hidden, "Offer a private meeting to the parent", due_on=OVERDUE_ON)
    done = add_action(event, anonymous, "Share the national Channel statistics")
    done.done_at = datetime.now(UTC)
    db.session.commit()


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (its tags dropped, whitespace collapsed)."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", html[start:])
    assert tag is not None
    end = html.index(f"</{tag.group(1)}>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:end]).split())


def follow_up(done: bool = False, due_on: date | None = None) -> FollowUp:
    return FollowUp(1, "Do it", "Jo", due_on, done, "Q?", True)


def test_open_actions_are_overdue_only_when_due_before_today() -> None:
    today = date(2027, 3, 10)
    built = follow_up_actions(
        [
            follow_up(due_on=date(2027, 3, 9)),
            follow_up(due_on=today),
            follow_up(),
            follow_up(done=True, due_on=date(2027, 1, 1)),
        ],
        today=today,
    )
    assert [a.overdue for a in built.open] == [True, False, False]
    assert [a.overdue for a in built.done] == [False]  # done: never overdue
    assert built.overdue == 1 and bool(built)
    assert not FollowUpActions()


def test_a_question_kept_back_is_not_repeated_in_the_shared_report() -> None:
    shown, kept = follow_up_actions(
        [
            FollowUp(1, "a", "", None, False, "Shown?", True),
            FollowUp(2, "b", "", None, False, "Kept back?", False),
        ],
        today=date(2027, 1, 1),
    ).open
    assert (shown.shared_question, kept.shared_question) == ("Shown?", QUESTION_NOT_PUBLISHED)
    assert kept.question == "Kept back?"  # the organiser's own page still shows it


def test_report_lists_open_actions_first_then_done_with_count(
    signed_in: FlaskClient, held_event: Event
) -> None:
    with_actions(held_event)
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Open: 3, 1 overdue" in text_of(page, "actions-open")
    table = text_of(page, "actions-open-table")
    # Soonest due first, those without a date last (as on the questions page).
    order = [
        table.index("Offer a private meeting"),
        table.index("Send the out-of-hours number"),
        table.index("Ask the police"),
    ]
    assert order == sorted(order)
    overdue_row = re.search(r'<tr[^>]*data-overdue="true"[^>]*>(.*?)</tr>', page, re.S)
    assert overdue_row is not None and "Offer a private meeting" in overdue_row.group(1)
    assert "Overdue" in overdue_row.group(1) and govuk_date(OVERDUE_ON) in overdue_row.group(1)
    assert page.count('data-overdue="true"') == 1
    assert WHO in table and "Not set" in table  # who, for the organiser
    assert PUBLISHED in table and NAMED in table and HIDDEN in table  # the organiser's page
    assert "Done: 1" in text_of(page, "actions-done")
    assert "Share the national Channel statistics" in text_of(page, "actions-done-list")
    assert "Share the national" not in table
    # The asker is never named, whether or not the question was anonymous.
    assert ASKER not in page and ASKER_ORG not in page
    assert f'href="/events/{held_event.id}/questions/#actions"' in page


def test_report_without_actions_says_so(signed_in: FlaskClient, held_event: Event) -> None:
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "No follow-up actions were recorded against questions." in page
    assert 'id="actions-open-table"' not in page


def test_pdf_gives_what_and_when_but_not_who_nor_questions_kept_back(
    signed_in: FlaskClient, held_event: Event
) -> None:
    with_actions(held_event)
    data = signed_in.get(f"/events/{held_event.id}/evaluation/report.pdf").get_data()
    text = " ".join(
        " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert "Follow-up actions from questions" in text
    assert "Open: 3, 1 overdue" in text and "Done: 1" in text
    for what in ("Offer a private meeting", "Send the out-of-hours number", "Ask the police"):
        assert what in text
    assert govuk_date(OVERDUE_ON) in text and govuk_date(LATER_ON) in text
    assert "Overdue" in text
    assert PUBLISHED in text and NAMED in text
    assert "Mr Example" not in text and QUESTION_NOT_PUBLISHED in text
    assert "Jo Bloggs" not in text and "Prevent lead" not in text
    assert ASKER not in text and ASKER_ORG not in text


def test_tables_csv_counts_the_actions(signed_in: FlaskClient, held_event: Event) -> None:
    with_actions(held_event)
    text = signed_in.get(f"/events/{held_event.id}/evaluation/tables.csv").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(text)) if r[0] == "Follow-up actions from questions"]
    assert [r[1:3] for r in rows] == [["Open", "3"], ["Open and overdue", "1"], ["Done", "1"]]
    assert "Offer a private meeting" not in text


def test_conclusions_page_shows_open_actions_beside_the_field_without_filling_it(
    signed_in: FlaskClient, held_event: Event
) -> None:
    with_actions(held_event)
    page = signed_in.get(f"/events/{held_event.id}/evaluation/conclusions").get_data(as_text=True)
    listed = text_of(page, "open-actions")
    for what in ("Offer a private meeting", "Send the out-of-hours number", "Ask the police"):
        assert what in listed
    assert "Share the national" not in page  # done: not listed
    assert "Overdue" in listed and WHO in listed
    assert page.index('id="open-actions"') < page.index('name="further_action"')
    textarea = re.search(r'<textarea[^>]*name="further_action"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None and textarea.group(1).strip() == ""


def test_conclusions_page_without_open_actions_has_no_list(
    signed_in: FlaskClient, held_event: Event
) -> None:
    question = add_question(held_event, PUBLISHED)
    add_action(held_event, question, "Done already").done_at = datetime.now(UTC)
    db.session.commit()
    page = signed_in.get(f"/events/{held_event.id}/evaluation/conclusions").get_data(as_text=True)
    assert 'id="open-actions"' not in page


def test_the_email_to_home_office_lists_open_actions_after_the_note(
    signed_in: FlaskClient, held_event: Event
) -> None:
    with_actions(held_event)
    send_page = signed_in.get(f"/events/{held_event.id}/evaluation/send").get_data(as_text=True)
    assert "Offer a private meeting" in text_of(send_page, "open-actions")
    response = signed_in.post(
        f"/events/{held_event.id}/evaluation/send", data={"covering_note": "Our note."}
    )
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "prevent_share"))
    assert message is not None
    for body in (message.body_text, message.body_html):
        assert body.index("Our note.") < body.index("Open follow-up actions from questions")
        assert "(3, 1 overdue)" in body
        order = [
            body.index("Offer a private meeting"),
            body.index("Send the out-of-hours number"),
            body.index("Ask the police"),
        ]
        assert order == sorted(order)
        assert f"by {govuk_date(OVERDUE_ON)}" in body and "no date set" in body
        assert "Share the national" not in body  # done
        assert "Jo Bloggs" not in body and HIDDEN not in body and ASKER not in body
    assert f"- Offer a private meeting to the parent (by {govuk_date(OVERDUE_ON)}, overdue)" in (
        message.body_text
    )


def test_the_email_without_open_actions_is_the_note_alone(
    signed_in: FlaskClient, held_event: Event
) -> None:
    signed_in.post(f"/events/{held_event.id}/evaluation/send", data={"covering_note": "Note."})
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "prevent_share"))
    assert message is not None and "follow-up actions" not in message.body_text


@pytest.mark.timezone_sensitive
def test_overdue_is_judged_by_the_uk_date_not_the_servers_utc_date(
    signed_in: FlaskClient, held_event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 23:30 UTC on 10 June 2027 is 00:30 on 11 June in the UK: an action due on 10 June is
    # overdue there, though the UTC date is still the 10th. In winter the two dates agree.
    summer_night = datetime(2027, 6, 10, 23, 30, tzinfo=UTC)
    assert uk_today(summer_night) == date(2027, 6, 11)
    assert uk_today(datetime(2027, 1, 10, 23, 30, tzinfo=UTC)) == date(2027, 1, 10)
    question = add_question(held_event, PUBLISHED)
    add_action(held_event, question, "Reply to the parents' forum", due_on=date(2027, 6, 10))
    db.session.commit()
    monkeypatch.setattr("eventapp.formatting.utcnow", lambda: summer_night)
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Open: 1, 1 overdue" in text_of(page, "actions-open")
    conclusions = signed_in.get(f"/events/{held_event.id}/evaluation/conclusions")
    assert conclusions.status_code == 200
    assert "Reply to the parents" in conclusions.get_data(as_text=True)
    monkeypatch.setattr("eventapp.formatting.utcnow", lambda: summer_night - timedelta(hours=1))
    page = signed_in.get(f"/events/{held_event.id}/evaluation/").get_data(as_text=True)
    assert "Open: 1" in text_of(page, "actions-open")
    assert "overdue" not in text_of(page, "actions-open")
