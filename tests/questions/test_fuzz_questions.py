"""Hypothesis on the question form (issue 11, §4): never a 500, and whatever is stored comes
back escaped on the public list, in the presenter view and the chair's view, and in the CSV
with formula-leading cells neutralised."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from eventapp.csvsafe import FORMULA_STARTS
from eventapp.extensions import db
from eventapp.questions.models import Question
from tests.conftest import login_as

NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "=1+1",
        "+SUM(A1)",
        "-2",
        "@cmd",
        "\tTab",
        "\rReturn",
        "{{ 7*7 }}",
        "' OR 1=1 --",
        "\u202eevil",
        "é🙂",
    ]
)
TEXT = st.one_of(
    st.text(max_size=600), NASTY, st.builds(lambda a, b: a + b, NASTY, st.text(max_size=20))
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT, name=st.one_of(st.just(""), TEXT), named=st.booleans())
def test_any_question_text_is_safe_everywhere(
    app, open_event, organiser, text, name, named
) -> None:
    app.config["QUESTION_ASK_LIMIT_PER_IP"] = "1000 per hour"  # every example gets through
    client = app.test_client()
    response = client.post(
        f"/e/{open_event.public_slug}/questions/ask",
        data={"text": text, "identity": "named" if named else "anonymous", "name": name},
    )
    assert response.status_code in (200, 302), response.status_code
    db.session.expire_all()
    stored = db.session.scalars(select(Question).where(Question.event_id == open_event.id)).all()
    if not stored:
        return
    staff = app.test_client()
    login_as(staff, organiser)
    pages = {
        "public": client.get(f"/e/{open_event.public_slug}/questions"),
        "present": staff.get(f"/events/{open_event.id}/questions/present/list"),
        "chair": staff.get(f"/events/{open_event.id}/questions/chair"),
        "index": staff.get(f"/events/{open_event.id}/questions/"),
    }
    for where, page in pages.items():
        assert page.status_code == 200, where
        body = page.get_data(as_text=True)
        for question in stored:
            assert "<script>alert" not in body and "<img src=x" not in body, where
            if question.text.strip():
                assert str(escape(question.text)).split("\n")[0][:50] in body, where
    rows = list(
        csv.reader(
            io.StringIO(
                staff.get(f"/events/{open_event.id}/questions/export.csv").get_data(as_text=True)
            )
        )
    )
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    for question in stored:
        db.session.delete(question)
    db.session.commit()
