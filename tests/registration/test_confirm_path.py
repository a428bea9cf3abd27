"""Confirming an email, written in Core statements (no instance loaded, no flush): what the
ORM path did, it still does — the timestamps, the invitee's response, approval mode, the
waiting list, a purged registration, and a copy of the registration this session already
holds shows the new state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db
from eventapp.invitations.models import Invitee
from eventapp.models.base import utcnow
from eventapp.registration import mailing, services
from eventapp.registration.models import ApprovalMode, Registration, RegistrationStatus
from eventapp.tokens import SecretToken, TokenPurpose
from tests.registration.conftest import link_in, mails, register, registration


def _link(client: FlaskClient, event: Event, email: str) -> str:
    assert register(client, event, email=email, name="Person").status_code == 302
    return link_in(mails("registration_confirm", to=email)[-1], "/r/confirm/")


def _raw(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_confirming_sets_the_times_and_takes_a_place(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=3)
    link = _link(client, event, "a@example.org")
    created = registration("a@example.org")
    before = utcnow()
    result = services.confirm_email(_raw(link))
    assert result is not None
    db.session.commit()
    row = registration("a@example.org")
    assert result.registration_id == row.id and result.status is RegistrationStatus.CONFIRMED
    assert row.status is RegistrationStatus.CONFIRMED
    assert row.email_confirmed_at is not None and before <= row.email_confirmed_at <= utcnow()
    assert row.confirmed_at == row.email_confirmed_at
    assert row.waitlisted_at is None
    assert row.updated_at >= before and row.updated_at >= created.updated_at
    # The own-page link the result carries is a live registration token for it.
    page = services.registration_for_page(result.link)
    assert page is not None and page.id == row.id
    [letter] = mails("registration_status", to="a@example.org")
    assert letter.subject == f"Your place at {event.title} is confirmed"
    assert (letter.related_type, letter.related_id) == ("registration", row.id)
    assert (letter.event_id, letter.council_id) == (event.id, event.council_id)
    assert "Dear Person," in letter.body_text and result.link in letter.body_text


def test_a_copy_held_by_the_session_shows_the_new_state(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=3)
    link = _link(client, event, "held@example.org")
    held = db.session.scalars(
        select(Registration).where(Registration.email == "held@example.org")
    ).one()
    assert held.status is RegistrationStatus.UNCONFIRMED
    assert services.confirm_email(_raw(link)) is not None
    # Read in the same transaction, before the commit: no stale copy.
    assert held.status is RegistrationStatus.CONFIRMED
    assert held.confirmed_at is not None
    db.session.commit()


def test_a_full_event_puts_them_on_the_waiting_list_keeping_an_earlier_time(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=1)
    first = _link(client, event, "first@example.org")
    second = _link(client, event, "second@example.org")
    third = _link(client, event, "third@example.org")
    earlier = (utcnow() - timedelta(days=1)).replace(microsecond=0)
    db.session.execute(
        update(Registration)
        .where(Registration.email == "third@example.org")
        .values(waitlisted_at=earlier)
    )
    db.session.commit()
    for link in (first, second, third):
        assert client.post(link, data={"submit": "y"}).status_code == 302
    assert registration("first@example.org").status is RegistrationStatus.CONFIRMED
    waiting = registration("second@example.org")
    assert waiting.status is RegistrationStatus.WAITING
    assert waiting.waitlisted_at == waiting.email_confirmed_at
    assert waiting.confirmed_at is None
    kept = registration("third@example.org")
    assert kept.status is RegistrationStatus.WAITING and kept.waitlisted_at == earlier
    assert [m.subject for m in mails("registration_status", to="second@example.org")] == [
        f"You are on the waiting list for {event.title}"
    ]


def test_approval_mode_waits_for_the_organiser(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=None, mode=ApprovalMode.APPROVAL)
    link = _link(client, event, "wait@example.org")
    assert client.post(link, data={"submit": "y"}).status_code == 302
    row = registration("wait@example.org")
    assert row.status is RegistrationStatus.PENDING
    assert row.email_confirmed_at is not None
    assert row.confirmed_at is None and row.waitlisted_at is None
    # The registration question stays with it until it has a place.
    assert row.question == "How are referrals handled?"
    assert [m.subject for m in mails("registration_status", to="wait@example.org")] == [
        f"Your registration for {event.title} is waiting for approval"
    ]


def test_an_event_without_a_settings_row_confirms_automatically(
    client: FlaskClient, make_event: Callable[..., Event]
) -> None:
    from eventapp.events.models import EventStatus
    from eventapp.registration.models import RegistrationSettings

    event = make_event(capacity=None)
    event.status = EventStatus.OPEN
    db.session.commit()
    link = _link(client, event, "plain@example.org")
    assert db.session.get(RegistrationSettings, event.id) is None
    assert client.post(link, data={"submit": "y"}).status_code == 302
    assert registration("plain@example.org").status is RegistrationStatus.CONFIRMED


def test_confirming_through_an_invitation_marks_the_invitee_as_responded(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    invitee = Invitee(event_id=event.id, name="Ina Vite", email="ina@example.org")
    answered = Invitee(event_id=event.id, name="Early", email="early@example.org")
    long_ago = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    answered.responded_at = long_ago
    db.session.add_all([invitee, answered])
    db.session.commit()
    for person, email in ((invitee, "ina@example.org"), (answered, "early@example.org")):
        with client.session_transaction() as session:
            session["public.via"] = f"invitee:{person.id}"
        link = _link(client, event, email)
        assert registration(email).invitee_id == person.id
        assert db.session.get(Invitee, person.id).responded_at == (  # type: ignore[union-attr]
            None if person is invitee else long_ago
        )
        before = utcnow()
        assert client.post(link, data={"submit": "y"}).status_code == 302
        db.session.expire_all()
        responded = db.session.get(Invitee, person.id).responded_at  # type: ignore[union-attr]
        if person is invitee:
            assert responded == registration(email).email_confirmed_at
            assert responded is not None and responded >= before
        else:
            assert responded == long_ago


def test_a_purged_registration_takes_nothing_and_gets_no_link(
    client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    event = open_event(capacity=5)
    link = _link(client, event, "gone@example.org")
    db.session.execute(
        update(Registration)
        .where(Registration.email == "gone@example.org")
        .values(purged_at=utcnow())
    )
    db.session.commit()
    tokens_before = db.session.scalar(select(func.count()).select_from(SecretToken))
    assert client.post(link, data={"submit": "y"}).status_code == 404
    assert registration("gone@example.org").status is RegistrationStatus.UNCONFIRMED
    assert db.session.scalar(select(func.count()).select_from(SecretToken)) == tokens_before
    assert mails("registration_status") == []
    # The link was used all the same: it does not work again.
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(SecretToken)
            .where(
                SecretToken.purpose == TokenPurpose.EMAIL_CONFIRMATION,
                SecretToken.used_at.is_not(None),
            )
        )
        == 1
    )


# The status letters, rendered once per event and status and filled in per registrant -------

_FACTS = mailing.EventFacts(
    event_id=1,
    council_id=1,
    title="Prevent & <community> roundtable",
    starts_at=datetime(2027, 4, 7, 17, tzinfo=UTC),
    ends_at=datetime(2027, 4, 7, 19, tzinfo=UTC),
    public_location="Grays",
    format=EventFormat.HYBRID,
    council_name="Thurrock & District",
)


@pytest.mark.parametrize(
    "name",
    ["Asha Patel", "", '<b>O\'Neil & "Sons"</b>', "\x00link\x00 \x00name\x00", "Zoë {{ 1 }}"],
)
@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.PENDING],
)
@pytest.mark.parametrize("promoted", [False, True])
def test_a_filled_in_letter_is_the_letter_rendered_for_that_person(
    app: Flask, name: str, status: RegistrationStatus, promoted: bool
) -> None:
    raw = "A" * 20 + "-_" + "b" * 21
    with app.test_request_context():
        fresh = mailing._status_letter(_FACTS, name, mailing._page(raw), status, promoted)
        for _ in range(2):  # the second from the cache
            filled = mailing.status_letter_for(_FACTS, name, raw, status, promoted=promoted)
            assert filled == fresh
    assert "\x00" not in fresh.text.replace(name, "") and raw in fresh.text


def test_a_status_without_a_letter_has_none(app: Flask) -> None:
    with app.test_request_context():
        for status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
            assert mailing.status_letter_for(_FACTS, "Ann", "x" * 43, status) is None
            with pytest.raises(ValueError, match="No status letter"):
                mailing._status_letter(_FACTS, "Ann", "link", status, False)


def test_while_templates_reload_every_letter_is_rendered_afresh(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)
    calls: list[str] = []
    real = mailing._status_letter

    def counted(*args: Any) -> Any:
        calls.append("render")
        return real(*args)

    monkeypatch.setattr(mailing, "_status_letter", counted)
    with app.test_request_context():
        for _ in range(2):
            mailing.status_letter_for(_FACTS, "Ann", "x" * 43, RegistrationStatus.WAITING)
    assert calls == ["render", "render"]


def test_the_service_name_is_part_of_the_rendered_letter(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = replace(_FACTS, council_name="")
    with app.test_request_context():
        monkeypatch.setitem(app.config, "PUBLIC_SERVICE_NAME", "First service")
        first = mailing.status_letter_for(facts, "Ann", "x" * 43, RegistrationStatus.PENDING)
        monkeypatch.setitem(app.config, "PUBLIC_SERVICE_NAME", "Second service")
        second = mailing.status_letter_for(facts, "Ann", "x" * 43, RegistrationStatus.PENDING)
    assert first is not None and second is not None
    assert "First service" in first.html and "Second service" in second.html


def test_the_confirming_post_leaves_the_session_as_the_page_left_it(
    app: Flask, client: FlaskClient, open_event: Callable[..., Event]
) -> None:
    """Nobody signed in, and the status letter already rendered for this event (the first
    confirmation renders it; rendering a template loads the user): the POST loads no user,
    so the session the confirmation page started (its form's token) is not marked and
    signed again, and no cookie is sent back."""
    event = open_event(capacity=3)
    first = _link(client, event, "first@example.org")
    assert app.test_client().post(first, data={"submit": "y"}).status_code == 302
    link = _link(client, event, "quiet@example.org")
    visitor = app.test_client()
    with visitor.session_transaction() as session:
        session["csrf_token"] = "as the confirmation page left it"
    response = visitor.post(link, data={"submit": "y"})
    assert response.status_code == 302
    assert response.headers.getlist("Set-Cookie") == []
    assert registration("quiet@example.org").status is RegistrationStatus.CONFIRMED
