"""An anonymous question cannot be tied to its asker, given the database (issue 11, §1).

The schema is checked column by column: the question keeps no person, session, address or
time finer than the day; the allowance (the only record that limits abuse) and the votes
keep no question id for the asker, no time and no sequence, under different keyed hashes.
Then a known sequence of askers is replayed and the whole database is searched for anything
that gives the order or the askers away.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import Date, DateTime, inspect
from sqlalchemy.exc import IntegrityError

from eventapp.extensions import db
from eventapp.questions import voters
from eventapp.questions.models import Question
from tests.questions.conftest import ask, question_by_text, vote

# Every column the question table may have, and why none of them identifies the asker.
QUESTION_COLUMNS = {
    "id",  # random, not a sequence
    "event_id",
    "text",
    "anonymous",
    "asker_name",  # empty for an anonymous question (a check constraint)
    "asker_organisation",  # likewise
    "asked_on",  # the day only
    "state",
    "hidden_reason",
    "starred",
    "answered",
    "edited",
    "vote_count",
    "merged_into_id",
    "faq_key",
    "version",
    "submission_key",  # random per page load, kept nowhere else
    # Named questions only (a check constraint): the registration of an asker who agreed to
    # be emailed about follow-up, and that agreement. Cleared when registrants are purged.
    "asker_registration_id",
    "tell_asker",
}


def _columns(table: str) -> dict[str, object]:
    return {c["name"]: c["type"] for c in inspect(db.engine).get_columns(table)}


def _foreign_tables(table: str) -> set[str]:
    return {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys(table)}


def test_the_question_table_keeps_nothing_of_its_asker(app, open_event) -> None:
    columns = _columns("question")
    assert set(columns) == QUESTION_COLUMNS, "a new column must be justified here"
    assert not [n for n, t in columns.items() if isinstance(t, DateTime)], "no times"
    assert isinstance(columns["asked_on"], Date)
    assert _foreign_tables("question") == {"event", "question", "registration"}
    # The database itself refuses an anonymous question with a name.
    db.session.add(
        Question(
            event_id=open_event.id,
            text="Named?",
            anonymous=True,
            asker_name="Sam",
            asked_on=date(2027, 1, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("link", [{"asker_registration_id": "mine"}, {"tell_asker": True}])
def test_the_database_refuses_a_registration_on_an_anonymous_question(
    app, open_event, link
) -> None:
    from eventapp.registration.models import Registration, RegistrationStatus

    registration = Registration(
        event_id=open_event.id,
        name="Sam Asker",
        email="sam@example.org",
        status=RegistrationStatus.WAITING,
        waitlisted_at=open_event.created_at,
    )
    db.session.add(registration)
    db.session.flush()
    values = {k: registration.id if v == "mine" else v for k, v in link.items()}
    db.session.add(
        Question(
            event_id=open_event.id,
            text="Mine?",
            anonymous=True,
            asked_on=date(2027, 1, 1),
            **values,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_allowance_and_votes_cannot_be_joined_to_a_question_or_a_time(app) -> None:
    assert set(_columns("question_allowance")) == {"event_id", "asker", "asked"}
    assert _foreign_tables("question_allowance") == {"event"}
    assert set(_columns("question_vote")) == {"question_id", "voter"}
    for table in ("question_allowance", "question_vote"):
        assert not [t for t in _columns(table).values() if isinstance(t, (DateTime, Date))]
    # One browser's two hashes differ (different derived keys): no join between the tables.
    subject = voters.browser_subject("abcdefghijklmnopqrstuv")
    assert voters.asker_key(subject) != voters.vote_key(subject)


def _dump() -> str:
    """Every value in every table, as text."""
    with db.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in db.metadata.sorted_tables
            for row in conn.execute(table.select())
        )


def test_askers_in_a_known_order_leave_no_trace_of_it(app, open_event) -> None:
    browsers = [app.test_client() for _ in range(12)]
    for n, browser in enumerate(browsers):
        ask(browser, open_event, f"Anonymous question {n:02d}?")
    questions = [question_by_text(f"Anonymous question {n:02d}?") for n in range(12)]
    ids = [q.id for q in questions]
    # Random ids: not in the order asked (12 random ids in order happen once in 479 million).
    assert ids != sorted(ids) and ids != sorted(ids, reverse=True)
    assert len({q.asked_on for q in questions}) == 1
    # Equal votes: the list's order is the ids' order, which says nothing of when.
    page = browsers[0].get(f"/e/{open_event.public_slug}/questions").get_data(as_text=True)
    shown = sorted(questions, key=lambda q: q.id)
    positions = [page.index(q.text) for q in shown]
    assert positions == sorted(positions)
    # Nothing in the database holds a browser's id, or a plain hash of it.
    dump = _dump()
    for browser in browsers:
        browser_id = voters.read(browser.get_cookie(voters.COOKIE).value)
        assert browser_id is not None
        assert browser_id not in dump
        assert hashlib.sha256(browser_id.encode()).hexdigest() not in dump
        assert hashlib.sha256(voters.browser_subject(browser_id).encode()).hexdigest() not in dump


def test_no_vote_links_an_asker_to_their_question(app, open_event) -> None:
    asker = app.test_client()
    ask(asker, open_event, "Mine?")
    ask(app.test_client(), open_event, "Theirs?")
    vote(asker, open_event, question_by_text("Theirs?"))
    mine = question_by_text("Mine?")
    assert mine.vote_count == 0
    browser_id = voters.read(asker.get_cookie(voters.COOKIE).value)
    assert browser_id is not None
    asker_vote = voters.vote_key(voters.browser_subject(browser_id))
    rows = db.session.execute(db.select(Question.id).where(Question.id == mine.id)).all()
    assert rows  # the question exists, and the asker's only vote is on the other one
    from eventapp.questions.models import QuestionVote

    voted = db.session.scalars(
        db.select(QuestionVote.question_id).where(QuestionVote.voter == asker_vote)
    )
    assert list(voted) == [question_by_text("Theirs?").id]


def test_the_allowance_cannot_say_which_registrant_asked_a_lone_anonymous_question(
    app, open_event, organiser
) -> None:
    """Given the database and the app's secret key, the allowance names no registrant.

    Sam asks the event's only anonymous question from their own page; Kim asks a named one;
    Lee asks nothing; Ana's registration-form question joins the list. Were the allowance
    counted per registration, its keys could be worked out from the registrations' ids, and
    "Sam asked one, Kim one, the named one is Kim's" would make the anonymous one Sam's.
    """
    from sqlalchemy import select

    from eventapp.questions.models import QuestionAllowance
    from eventapp.registration import purge
    from eventapp.registration.models import Registration
    from tests.questions.conftest import own_page
    from tests.registration.conftest import register, register_and_confirm

    sam, kim = (own_page(app, open_event, f"{n}@example.org", name=n) for n in ("sam", "kim"))
    own_page(app, open_event, "lee@example.org", name="Lee")
    register(app.test_client(), open_event, email="ana@example.org", question="Ana's?")
    register_and_confirm(app.test_client(), open_event, "ana@example.org")
    assert question_by_text("Ana's?").anonymous
    app.test_client().post(f"{sam}/questions/ask", data={"text": "Sam's?", "identity": "anonymous"})
    named = {"text": "Kim's?", "identity": "named", "name": "Kim", "tell_asker": "y"}
    app.test_client().post(f"{kim}/questions/ask", data=named)
    assert question_by_text("Sam's?").anonymous and not question_by_text("Kim's?").anonymous

    keys = set(db.session.scalars(select(QuestionAllowance.asker)))
    assert len(keys) == 2  # one row per browser that asked, nothing more
    secret = app.config["SECRET_KEY"]
    for row in db.session.scalars(select(Registration)):
        subjects = {voters.registration_subject(row.id), str(row.id), row.email or "", row.name}
        derivable = {
            voters.keyed(purpose, subject, secret=secret)
            for purpose in (voters.ASKER_PURPOSE, voters.VOTE_PURPOSE)
            for subject in subjects
        }
        assert not keys & derivable, f"the allowance names registration {row.id}"

    # Once the event's personal data is purged, the allowance has done its job and goes.
    purge.purge_event(event=open_event)
    db.session.commit()
    assert db.session.scalars(select(QuestionAllowance)).all() == []
