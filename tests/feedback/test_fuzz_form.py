"""Hypothesis fuzzing of the public form (QUALITY 15): crafted option values and "Other"
texts never give a 500, and nothing outside Annex A is ever stored."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.feedback import annex_a, services
from eventapp.feedback.answers import Answer, valid
from eventapp.feedback.models import FeedbackAnswer, FeedbackResponse

ALL_OPTIONS = sorted({o.key for item in annex_a.ITEMS for o in item.options})
FIELDS = [*annex_a.ITEM_KEYS, "sector_other", "heard_other", "csrf_token", "submit", "unknown"]
value = st.one_of(
    st.sampled_from(ALL_OPTIONS),
    st.sampled_from(["", " ", "Other", "OTHER", "other ", "dont_know\x00", "0_14\n", "1; DROP"]),
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x2FFF), min_size=190, max_size=230),
)
bodies = st.dictionaries(st.sampled_from(FIELDS), value, max_size=len(FIELDS))


def test_fuzzed_form_never_500_and_stores_only_annex_a(
    client: FlaskClient, held_event: Callable[..., Event]
) -> None:
    events = [held_event(), held_event(video=False, home_office=False)]

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies, which=st.integers(0, 1))
    def run(body: dict[str, str], which: int) -> None:
        event = events[which]
        with client.session_transaction() as s:
            s.clear()
        first = client.post(f"/e/{event.public_slug}/feedback", data=body)
        assert first.status_code in (200, 302), first.status_code
        if first.status_code == 302:
            sent = client.post(f"/e/{event.public_slug}/feedback/check", data={})
            assert sent.status_code == 302

    run()
    for event in events:
        responses = db.session.scalars(
            select(FeedbackResponse).where(FeedbackResponse.event_id == event.id)
        ).all()
        for response in responses:
            answers = {a.item: Answer(a.option, a.other_text) for a in response.answers}
            assert valid(answers, services.applies(event)), answers
    texts = db.session.scalars(
        select(FeedbackAnswer.other_text).where(FeedbackAnswer.other_text.is_not(None))
    )
    for text in texts:
        assert text and len(text) <= annex_a.OTHER_MAX and text == " ".join(text.split())
