"""Sending invitations through the outbox: one letter per invitee with their own link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.invitations.models import Invitee
from eventapp.mail.models import MessageState, OutboxMessage
from eventapp.models.base import utcnow
from tests.invitations.conftest import html_of, mail_files, read_mail, text_of

LINK = re.compile(r"http://localhost(/i/[A-Za-z0-9_-]{22,})")


def test_send_to_everyone_writes_one_letter_per_invitee_with_both_parts_and_a_personal_link(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    invitees = add_invitees(3)
    response = signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "everyone"})
    assert response.status_code == 302
    files = mail_files(app)
    assert len(files) == 3
    links = set()
    for path in files:
        message = read_mail(path)
        text, html = text_of(message), html_of(message)
        (link,) = LINK.findall(text)
        assert link in html
        links.add(link)
        assert message["Subject"].startswith("Invitation: Prevent roundtable")
        assert "1 High Street" not in text + html and "Civic Hall" not in text + html
        assert "Grays (details are sent to confirmed attendees before the event)" in text
    assert len(links) == 3
    db.session.expire_all()
    for invitee in invitees:
        row = db.session.get(Invitee, invitee.id)
        assert row is not None and row.invited_at is not None
        assert row.last_message is not None and row.last_message.state is MessageState.SENT
    # Everyone is invited now: sending to "everyone not yet invited" sends nothing more.
    page = signed_in.post(
        f"/events/{event.id}/invitations/send", data={"scope": "everyone"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Everyone on the list has been invited already" in page
    assert len(mail_files(app)) == 3


def test_the_personal_link_records_the_open_and_shows_the_public_page(
    app: Flask, signed_in: FlaskClient, client: FlaskClient, event: Event,
    add_invitees: Callable[..., list[Invitee]],
) -> None:
    (invitee,) = add_invitees(1)
    signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "everyone"})
    (link,) = LINK.findall(text_of(read_mail(mail_files(app)[0])))
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert event.title in body and f"Dear {invitee.name}" in body
    assert "1 High Street" not in body and "Civic Hall" not in body
    db.session.expire_all()
    opened = db.session.get(Invitee, invitee.id)
    assert opened is not None and opened.opened_at is not None
    first = opened.opened_at
    visitor.get(link)
    db.session.expire_all()
    assert db.session.get(Invitee, invitee.id).opened_at == first  # type: ignore[union-attr]
    assert visitor.get(link[:-2] + "xx").status_code == 404


def test_resubmitting_a_selection_page_sends_nothing_twice(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    a, b = add_invitees(2)
    loaded = str((utcnow() - timedelta(seconds=1)).timestamp())
    form = {"scope": "selected", "invitees": [str(a.id)], "loaded_at": loaded}
    assert signed_in.post(f"/events/{event.id}/invitations/send", data=form).status_code == 302
    page = signed_in.post(
        f"/events/{event.id}/invitations/send", data=form, follow_redirects=True
    ).get_data(as_text=True)
    assert "have been sent already" in page
    assert len(mail_files(app)) == 1
    # A fresh page load can send to the same person again (a new letter, on purpose).
    fresh = {**form, "loaded_at": str((utcnow() + timedelta(seconds=1)).timestamp())}
    signed_in.post(f"/events/{event.id}/invitations/send", data=fresh)
    assert len(mail_files(app)) == 2


def test_chase_ups_go_to_those_invited_who_have_not_responded(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    a, b, c = add_invitees(3)
    signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "selected", "invitees": [str(a.id), str(b.id)]})
    db.session.get(Invitee, b.id).responded_at = utcnow()  # type: ignore[union-attr]
    db.session.commit()
    page = signed_in.post(
        f"/events/{event.id}/invitations/chase", data={}, follow_redirects=True
    ).get_data(as_text=True)
    assert "1 chase-up queued for sending." in page
    kinds = dict(
        db.session.execute(
            select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)
        ).all()
    )
    assert kinds == {"invitation": 2, "chase_up": 1}
    reminder = read_mail(mail_files(app)[-1])
    assert reminder["Subject"].startswith("Reminder: Invitation:")
    assert "We have not heard from you yet" in text_of(reminder)
    db.session.expire_all()
    chased = db.session.get(Invitee, a.id)
    assert chased is not None and chased.chase_count == 1


def test_a_draft_event_cannot_send(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    add_invitees(1)
    event.status = EventStatus.DRAFT
    db.session.commit()
    page = signed_in.post(
        f"/events/{event.id}/invitations/send", data={"scope": "everyone"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Move the event out of draft before sending invitations" in page
    assert mail_files(app) == []


def test_failed_letters_show_their_reason_and_can_be_sent_again(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]]
) -> None:
    (invitee,) = add_invitees(1)
    signed_in.post(f"/events/{event.id}/invitations/send", data={"scope": "everyone"})
    db.session.execute(
        OutboxMessage.__table__.update().values(
            state="failed", last_error="550 5.1.1 Mailbox unknown", finished_at=utcnow()
        )
    )
    db.session.commit()
    page = signed_in.get(f"/events/{event.id}/invitations/").get_data(as_text=True)
    assert "Failed" in page and "550 5.1.1 Mailbox unknown" in page
    response = signed_in.post(f"/events/{event.id}/invitations/retry", data={"scope": "everyone"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitee, invitee.id).last_message.state is MessageState.SENT  # type: ignore[union-attr]
    assert len(mail_files(app)) == 1  # the same row, the same file


def test_the_page_warns_when_less_than_two_weeks_remain(
    signed_in: FlaskClient, make_event: Callable[..., Event], organiser: object
) -> None:
    from tests.conftest import future_day

    soon = make_event(day=future_day(5))
    page = signed_in.get(f"/events/{soon.id}/invitations/").get_data(as_text=True)
    assert "less than two weeks away" in page
    assert "Send invites at least two weeks ahead of event" in page
    later = make_event(day=future_day(30))
    assert "less than two weeks away" not in signed_in.get(
        f"/events/{later.id}/invitations/"
    ).get_data(as_text=True)


@pytest.mark.parametrize("count", [1, 1000])
def test_a_large_send_completes_in_one_request(
    app: Flask, signed_in: FlaskClient, event: Event, add_invitees: Callable[..., list[Invitee]],
    count: int,
) -> None:
    add_invitees(count)
    response = signed_in.post(
        f"/events/{event.id}/invitations/send", data={"scope": "everyone"}, follow_redirects=True
    )
    assert f"{count:,} invitation" in response.get_data(as_text=True)
    sent = db.session.scalar(
        select(func.count()).where(OutboxMessage.state == MessageState.SENT)
    )
    assert sent == count
    assert len(mail_files(app)) == count
