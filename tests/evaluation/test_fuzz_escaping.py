"""Hypothesis (issue 13, §5): "Other" texts and the organiser's conclusions are escaped
everywhere they appear, with follow-up actions from questions beside them.

- Feedback "Other (please state)" texts (sector, heard): on the respondent's "Check your
  answers" page and the report page no tag survives; in the responses CSV (downloaded and
  attached to the email to Home Office Prevent) every cell is neutralised and reads back as
  the stored text.
- The conclusions (four texts and the attendance note), a follow-up action and the covering
  note: shown literally on the report, the conclusions form (their textareas read back as
  stored), the send page and both parts of the email, whose headers take nothing from them
  (nor from an event title with line breaks); and printed literally in the PDF.

Texts mix markup, quotes, CR/LF, tabs, formula-leading characters and non-ASCII letters
(from the fonts the PDF has, so its text can be compared).
"""

from __future__ import annotations

import csv
import email
import io
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.csvsafe import FORMULA_STARTS, safe_cell
from eventapp.evaluation import exports
from eventapp.evaluation.models import Evaluation
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.feedback.answers import tidy_text
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse
from eventapp.mail.message import single_line
from eventapp.questions.models import Question, QuestionAction, QuestionState
from tests.evaluation.test_pages import add_responses, standard

# Markup that must never reach a page as markup, and must never appear raw in its source.
MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><b>bold</b>",
    "<!-- hidden -->",
    "<style>*{}</style>",
)
PIECES = st.sampled_from(
    [
        *MARKUP,
        "&amp; &lt; &#60;",
        "{{ 7*7 }}",
        "=1+1",
        "+SUM(A1:A2)",
        "-2",
        "@cmd",
        "\t=tab",
        '=HYPERLINK("http://x")',
        "line\r\nBcc: x@example.org",
        "\r\nSubject: injected",
        "' OR 1=1 --",
        "\"quoted\" 'single'",
        "back\\slash",
        "é ü ß ł ø ç ñ € £ ’ “ ” – Ω ж",
    ]
)
ALPHABET = string.ascii_letters + string.digits + string.punctuation + " \r\n\t" + "éüßłøçñ€£’“”–Ωж"
TEXT = (
    st.lists(st.one_of(PIECES, st.text(alphabet=ALPHABET, max_size=12)), min_size=1, max_size=4)
    .map("".join)
    .filter(lambda t: bool(t.strip()))
)
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def norm(text: str) -> str:
    """Compatibility-normalised, white space runs made one space (pages and PDFs reflow)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class _Parsed(HTMLParser):
    """A page's text (entities decoded) in runs between tags, and its tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._in and self._in[-1] == "script":
            assert "alert(" not in data, "a script from the text runs"


def assert_escaped(html: str, *texts: str, where: str) -> None:
    """Each text shows literally as text of the page, and none of its markup is markup."""
    parsed = _Parsed()
    parsed.feed(html)
    parsed.close()
    for raw in MARKUP:
        assert raw not in html, (where, raw)
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name, _ in attrs), (where, tag, attrs)
        assert tag not in ("img", "b"), (where, tag)  # the app's own pages use neither
    runs = [norm(c) for c in parsed.chunks]
    for text in texts:
        assert any(norm(text) in run for run in runs), (where, text)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(" ".join((p.extract_text() or "") for p in reader.pages).split())


def assert_in_pdf(text: str, squeezed: str) -> None:
    """Each word of the text, in order, in the PDF's text with its spaces taken out: table
    columns interleave wrapped lines and extraction guesses spaces, but no word is lost,
    escaped twice or read as markup."""
    at = 0
    for word in unicodedata.normalize("NFKC", text).split():
        found = unicodedata.normalize("NFKC", squeezed).find(word, at)
        assert found >= 0, (word, text)
        at = found + len(word)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def unneutralised(cell: str) -> str:
    """A cell as its text was stored: the leading quote ``safe_cell`` added taken off."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def emails(app: Flask) -> Iterator[EmailMessage]:
    for path in sorted(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        path.unlink()
        yield message


EXPECTED_HEADERS = {
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
}


@pytest.fixture
def feedback_event(make_event: Callable[..., Event]) -> Event:
    """A held event whose feedback form is open, with 5 plain responses (so its responses
    CSV is not withheld)."""
    day = (datetime.now(UTC) - timedelta(days=1)).date()
    event = make_event(title="Fuzz roundtable", day=day, start=time(10), end=time(12))
    event.status = EventStatus.HELD
    db.session.commit()
    add_responses(event, standard(5))
    return event


def test_other_texts_are_escaped_and_neutralised_everywhere(
    app: Flask, signed_in: FlaskClient, feedback_event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = feedback_event
    public = app.test_client()
    base = f"/events/{event.id}/evaluation"

    @settings(FUZZ, max_examples=30)
    @given(sector=TEXT, heard=TEXT)
    def run(sector: str, heard: str) -> None:
        with public.session_transaction() as s:
            s.clear()
        filled = public.post(
            f"/e/{event.public_slug}/feedback",
            data={
                "sector": "other",
                "sector_other": sector,
                "heard": "other",
                "heard_other": heard,
            },
        )
        assert filled.status_code == 302, filled.get_data(as_text=True)[:500]
        check = public.get(f"/e/{event.public_slug}/feedback/check").get_data(as_text=True)
        assert_escaped(check, tidy_text(sector), tidy_text(heard), where="check")
        assert public.post(f"/e/{event.public_slug}/feedback/check", data={}).status_code == 302

        assert_escaped(signed_in.get(f"{base}/").get_data(as_text=True), where="report")
        stored = {
            item: db.session.scalars(
                select(FeedbackAnswer.other_text)
                .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
                .where(
                    FeedbackResponse.event_id == event.id,
                    FeedbackAnswer.item == item,
                    FeedbackAnswer.other_text.is_not(None),
                )
            ).all()
            for item in ("sector", "heard")
        }
        assert tidy_text(sector) in stored["sector"] and tidy_text(heard) in stored["heard"]
        rows = read_csv(signed_in.get(f"{base}/responses.csv").get_data(as_text=True))
        for row in rows:
            for cell in row.values():
                assert not cell.startswith(FORMULA_STARTS), cell
        for item, texts in stored.items():
            cells = [row[f"{item}_other"] for row in rows if row[f"{item}_other"]]
            assert Counter(cells) == Counter(safe_cell(t) for t in texts)
            assert Counter(unneutralised(c) for c in cells) == Counter(texts)

    run()
    # The same CSV goes to Home Office Prevent (the PDF beside it is not what is tested here).
    monkeypatch.setattr(exports, "report_pdf", lambda *a, **k: b"%PDF-1.7 stub")
    download = signed_in.get(f"{base}/responses.csv").get_data()
    assert signed_in.post(f"{base}/send", data={"covering_note": "Attached"}).status_code == 302
    (message,) = emails(app)
    (attached,) = [
        part
        for part in message.iter_attachments()
        if part.get_filename() == f"evaluation-{event.id}-responses.csv"
    ]
    assert attached.get_payload(decode=True) == download


@pytest.fixture
def with_question(held_event: Event) -> QuestionAction:
    """The report's event with one approved question and one open follow-up action."""
    question = Question(
        event_id=held_event.id,
        text="What happens after a referral?",
        asked_on=held_event.starts_at.date() if held_event.starts_at else datetime.now(UTC),
        state=QuestionState.APPROVED,
    )
    db.session.add(question)
    db.session.flush()
    action = QuestionAction(event_id=held_event.id, question_id=question.id, what="placeholder")
    db.session.add(action)
    db.session.commit()
    return action


def save_conclusions(client: FlaskClient, event: Event, **texts: str) -> Evaluation:
    response = client.post(
        f"/events/{event.id}/evaluation/conclusions", data={"attendance_entered": "24", **texts}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.event_id == event.id))
    assert evaluation is not None
    return evaluation


def conclusion_texts(evaluation: Evaluation) -> dict[str, str]:
    return {
        "further_action": evaluation.further_action,
        "behaviour_change": evaluation.behaviour_change,
        "local_delivery": evaluation.local_delivery,
        "recommendations": evaluation.recommendations,
        "attendance_note": evaluation.attendance_note,
    }


def textarea_value(html: str, name: str) -> str:
    from tests.formreader import read_form

    value = read_form(html, having=name)[name]
    assert isinstance(value, str)
    return value


def test_conclusions_and_actions_are_escaped_on_pages_and_in_the_email(
    app: Flask,
    signed_in: FlaskClient,
    held_event: Event,
    with_question: QuestionAction,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = held_event
    base = f"/events/{event.id}/evaluation"
    council = event.council.name
    monkeypatch.setattr(exports, "report_pdf", lambda *a, **k: b"%PDF-1.7 stub")

    @settings(FUZZ, max_examples=35)
    @given(
        further=TEXT,
        behaviour=TEXT,
        local=TEXT,
        recommendations=TEXT,
        note=TEXT,
        what=TEXT,
        covering=TEXT,
        title=TEXT.map(lambda t: t[:150]).filter(lambda t: bool(t.strip())),
    )
    def run(
        further: str,
        behaviour: str,
        local: str,
        recommendations: str,
        note: str,
        what: str,
        covering: str,
        title: str,
    ) -> None:
        evaluation = save_conclusions(
            signed_in,
            event,
            further_action=further,
            behaviour_change=behaviour,
            local_delivery=local,
            recommendations=recommendations,
            attendance_note=note,
        )
        stored = conclusion_texts(evaluation)
        assert stored["further_action"] == further.strip()
        action = db.session.get(QuestionAction, with_question.id)
        assert action is not None
        action.what = what.strip()
        db.session.commit()

        report = signed_in.get(f"{base}/").get_data(as_text=True)
        assert_escaped(report, *stored.values(), action.what, where="report")

        form = signed_in.get(f"{base}/conclusions").get_data(as_text=True)
        assert_escaped(form, action.what, where="conclusions")
        for name, text in stored.items():
            # Read back as a browser would: the textarea holds the stored text, no more.
            assert norm(textarea_value(form, name)) == norm(text), name

        send_page = signed_in.get(f"{base}/send").get_data(as_text=True)
        assert_escaped(send_page, action.what, where="send page")
        suggested = norm(textarea_value(send_page, "covering_note"))
        assert norm(stored["further_action"]) in suggested
        assert norm(stored["recommendations"]) in suggested

        db.session.get(Event, event.id).title = title  # type: ignore[union-attr]
        db.session.commit()
        sent = signed_in.post(f"{base}/send", data={"covering_note": covering})
        assert sent.status_code == 302
        (message,) = emails(app)
        assert set(message.keys()) == EXPECTED_HEADERS, message.keys()
        assert message["To"] == "prevent-evaluations@homeoffice.example"
        subject = f"Community event evaluation: {title} ({council})"
        assert message["Subject"] == single_line(subject, limit=300)
        html_part = message.get_body(preferencelist=("html",))
        text_part = message.get_body(preferencelist=("plain",))
        assert html_part is not None and text_part is not None
        assert_escaped(html_part.get_content(), covering.strip(), action.what, where="email")
        plain = norm(text_part.get_content())
        assert norm(covering) in plain and norm(action.what) in plain

    run()


def test_conclusions_and_actions_print_literally_in_the_pdf(
    signed_in: FlaskClient, held_event: Event, with_question: QuestionAction
) -> None:
    event = held_event
    pdf_url = f"/events/{event.id}/evaluation/report.pdf"

    @settings(FUZZ, max_examples=20)
    @given(further=TEXT, recommendations=TEXT, note=TEXT, what=TEXT)
    def run(further: str, recommendations: str, note: str, what: str) -> None:
        stored = conclusion_texts(
            save_conclusions(
                signed_in,
                event,
                further_action=further,
                recommendations=recommendations,
                attendance_note=note,
            )
        )
        action = db.session.get(QuestionAction, with_question.id)
        assert action is not None
        action.what = what.strip()
        db.session.commit()
        squeezed = pdf_text(signed_in.get(pdf_url).get_data())
        for text in (
            stored["further_action"],
            stored["recommendations"],
            stored["attendance_note"],
            action.what,
        ):
            assert_in_pdf(text, squeezed)

    run()


def test_css_string_leaves_nothing_that_ends_the_string_or_the_style() -> None:
    from eventapp.formatting import css_string

    assert css_string('A <b> & "C" \\ D\n') == ('"A \\3c b\\3e  \\26  \\22 C\\22  \\5c  D\\a "')
    assert css_string("Café 2027") == '"Café 2027"'


def test_the_pdf_header_prints_the_title_as_typed(
    signed_in: FlaskClient, held_event: Event
) -> None:
    """The running header on every page is CSS, not HTML: it once printed "&lt;b&gt;"."""
    title = "Roundtable <b> & \"Q&A\" \\ 50% 'mid' é"
    held_event.title = title
    db.session.commit()
    data = signed_in.get(f"/events/{held_event.id}/evaluation/report.pdf").get_data()
    pages = PdfReader(io.BytesIO(data)).pages
    squeezed = pdf_text(data)
    assert "&lt;" not in squeezed and "&amp;" not in squeezed and "&#" not in squeezed
    # The heading once, and the header on every page.
    assert squeezed.count("".join(title.split())) == 1 + len(pages)
