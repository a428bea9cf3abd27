"""The handbook's FAQs in the chair's briefing pack: chosen by the organiser, quoted exactly."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry, User
from eventapp.briefing import services
from eventapp.briefing.faqs import BY_KEY, FAQ_KEYS, FAQS
from eventapp.errors import DomainError
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.handbook.test_quotes import in_handbook

MakeEvent = Callable[..., Event]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_handbook_s_twelve_misconceptions() -> None:
    assert len(FAQS) == 12 == len(set(FAQ_KEYS))
    assert FAQS[0].question.text == "Isn't Prevent a toxic brand? Why should communities trust it?"
    assert FAQS[-1].question.text == "What is the Desistance and Disengagement Programme (DDP)?"
    assert BY_KEY["mental_health"].question.text == (
        "Is there a link between mental health and radicalisation?"
    )
    for faq in FAQS:
        assert faq.answer
        for paragraph in (faq.question, *faq.answer):
            assert in_handbook(paragraph.text), paragraph.key


def test_choosing_keeps_the_handbook_s_order_and_is_audited(
    make_event: MakeEvent, organiser: User
) -> None:
    event = make_event()

    assert services.set_faqs(event=event, actor=organiser, keys=["ddp", "spying", "ddp"])
    assert event.briefing_faqs == ["spying", "ddp"]
    assert [f.key for f in services.chosen_faqs(event)] == ["spying", "ddp"]
    assert not services.set_faqs(event=event, actor=organiser, keys=["spying", "ddp"])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "briefing.faqs")
    ).all()
    assert [e.summary for e in entries] == ["spying, ddp"]


def test_an_unknown_question_is_refused(make_event: MakeEvent, organiser: User) -> None:
    event = make_event()
    with pytest.raises(DomainError, match="Select questions from the list"):
        services.set_faqs(event=event, actor=organiser, keys=["spying", "made_up"])
    assert event.briefing_faqs == []


def test_the_pack_shows_the_chosen_faqs_with_the_statistics_warning(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event()
    page = signed_in.get(f"/events/{event.id}/briefing/faqs").text
    assert "Which questions should the pack include?" in page
    assert len(re.findall(r'name="faqs"', page)) == 12

    response = signed_in.post(f"/events/{event.id}/briefing/faqs", data={"faqs": ["mental_health"]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}/briefing/#faqs")

    pack = text_of(signed_in.get(f"/events/{event.id}/briefing/").text)
    assert "Is there a link between mental health and radicalisation?" in pack
    assert (
        "There should be no assumption that an individual who carries out a terrorist act" in pack
    )
    assert "Does Prevent encourage spying?" not in pack
    assert (
        "Statistics are generally updated on an annual basis, so make sure to check for the "
        "latest releases when using these lines." in pack
    )


def test_without_faqs_the_pack_says_so_and_still_offers_case_studies(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event()
    pack = text_of(signed_in.get(f"/events/{event.id}/briefing/").text)
    assert "No FAQs have been chosen for the pack." in pack
    assert "Statistics are generally updated" not in pack
    # "Case studies": the chair can ask the Home Office for them.
    assert (
        "We have a number of case studies from a breadth of ideologies; and CSO work, which can "
        "be used for presentations. Please get in contact with "
        "PreventCommunications@homeoffice.gov.uk for a copy." in pack
    )


def test_the_form_keeps_the_choice_and_refuses_an_unknown_question(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event()
    signed_in.post(f"/events/{event.id}/briefing/faqs", data={"faqs": ["spying", "rebrand"]})

    page = signed_in.get(f"/events/{event.id}/briefing/faqs").text
    assert re.search(r'value="rebrand"\s+checked', page)
    assert re.search(r'value="spying"\s+checked', page)

    response = signed_in.post(f"/events/{event.id}/briefing/faqs", data={"faqs": ["nope"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).briefing_faqs == ["rebrand", "spying"]


def test_two_tabs_choosing_faqs_keep_each_other_s_ticks(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    """A colleague's ticks and unticks saved meanwhile survive this person's save, box by box."""
    from tests.formreader import read_form

    event = make_event()
    url = f"/events/{event.id}/briefing/faqs"
    signed_in.post(url, data={"faqs": ["spying", "rebrand"]})
    first = read_form(signed_in.get(url).text, having="loaded_version")
    second = read_form(signed_in.get(url).text, having="loaded_version")

    first["faqs"] = ["spying", "mental_health"]  # unticks rebrand, ticks mental health
    assert signed_in.post(url, data=first).status_code == 302
    second["faqs"] = ["spying", "rebrand", "far_right"]  # ticks far right only
    response = signed_in.post(url, data=second, follow_redirects=True)

    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert saved is not None
    assert sorted(saved.briefing_faqs) == ["far_right", "mental_health", "spying"]
    assert "A colleague&#39;s changes saved since you opened the page were kept." in response.text


def test_faqs_sent_without_the_loaded_version_save_as_sent(
    signed_in: FlaskClient, make_event: MakeEvent
) -> None:
    event = make_event()
    signed_in.post(f"/events/{event.id}/briefing/faqs", data={"faqs": ["spying"]})
    signed_in.post(f"/events/{event.id}/briefing/faqs", data={"faqs": ["rebrand"]})
    db.session.expire_all()
    assert db.session.get(Event, event.id).briefing_faqs == ["rebrand"]  # type: ignore[union-attr]
