"""A registration records how the person came (issue 9): their invitation link, a channel's
link (a flyer, a newsletter), or neither; a link to another event records nothing here."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from eventapp import tokens, uow
from eventapp.accounts.models import User
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations import channels
from eventapp.invitations.models import ChannelKind, Invitee
from eventapp.tokens import TokenPurpose
from tests.registration.conftest import register, registration


def _came(email: str) -> tuple[int | None, int | None]:
    row = registration(email)
    return row.channel_id, row.invitee_id


def test_the_link_a_registrant_came_through_is_recorded(
    app: Flask, open_event: Callable[..., Event], organiser: User
) -> None:
    event, other = open_event(capacity=20), open_event(capacity=20)
    flyer = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.FLYER, label="Library"
    )
    elsewhere = uow.run(
        channels.add_channel, event=other, actor=organiser, kind=ChannelKind.FLYER, label="Gym"
    )
    invitee = Invitee(event_id=event.id, name="Ivy Invited", email="ivy@example.org")
    db.session.add(invitee)
    db.session.commit()
    invitation = tokens.issue(TokenPurpose.INVITATION, invitee.id).raw
    db.session.commit()

    def visit_then_register(path: str | None, email: str) -> None:
        browser: FlaskClient = app.test_client()
        if path:
            assert browser.get(path).status_code in (200, 302)
        assert register(browser, event, email=email).status_code == 302

    visit_then_register(None, "direct@example.org")
    visit_then_register(f"/e/{event.public_slug}/via/{flyer.code}", "flyer@example.org")
    visit_then_register(f"/i/{invitation}", "ivy@example.org")
    visit_then_register(f"/e/{other.public_slug}/via/{elsewhere.code}", "stray@example.org")

    assert _came("direct@example.org") == (None, None)
    assert _came("flyer@example.org") == (flyer.id, None)
    assert _came("ivy@example.org") == (None, invitee.id)
    assert _came("stray@example.org") == (None, None)
