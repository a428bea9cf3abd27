"""The public event page and the links that lead to it (QUALITY 13: no address, no link)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from eventapp import uow
from eventapp.accounts.models import User
from eventapp.events.models import Event, EventFormat, EventStatus
from eventapp.extensions import db
from eventapp.invitations import channels
from eventapp.invitations.models import ChannelKind, InvitationChannel


def test_the_public_page_shows_the_general_location_and_never_the_venue(
    client: FlaskClient, event: Event
) -> None:
    page = client.get(f"/e/{event.public_slug}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert event.title in body and "Grays" in body
    assert "Civic Hall" not in body and "1 High Street" not in body
    assert page.headers["Cache-Control"] == "no-store"
    # The sequential id never works as a public address.
    assert client.get(f"/e/{event.id}").status_code == 404


def test_an_online_event_says_online_and_never_shows_its_joining_link(
    client: FlaskClient, make_event: Callable[..., Event], organiser: User
) -> None:
    from eventapp.events import services as event_services

    online = make_event(
        format=EventFormat.ONLINE, joining_link="https://meet.example/secret-room",
        online_platform="Teams",
    )
    event_services.change_status(event=online, to=EventStatus.PLANNING, actor=organiser)
    db.session.commit()
    body = client.get(f"/e/{online.public_slug}").get_data(as_text=True)
    assert "Online" in body and "secret-room" not in body and "joining link is" in body


def test_drafts_and_archived_events_have_no_public_page(
    client: FlaskClient, event: Event
) -> None:
    for status in (EventStatus.DRAFT, EventStatus.ARCHIVED):
        event.status = status
        db.session.commit()
        assert client.get(f"/e/{event.public_slug}").status_code == 404


def test_a_channel_link_counts_each_browser_once_and_opens_the_page(
    app: Flask, client: FlaskClient, event: Event, organiser: User
) -> None:
    channel = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.FLYER,
        label="Flyers at Grays library",
    )
    path = f"/e/{event.public_slug}/via/{channel.code}"
    response = client.get(path)
    assert response.status_code == 302 and response.location.endswith(f"/e/{event.public_slug}")
    client.get(path)
    app.test_client().get(path)
    db.session.expire_all()
    assert db.session.get(InvitationChannel, channel.id).opens == 2  # type: ignore[union-attr]
    assert client.get(f"/e/{event.public_slug}/via/unknown").status_code == 404


def test_a_channel_code_only_works_for_its_own_event(
    client: FlaskClient, event: Event, make_event: Callable[..., Event], organiser: User
) -> None:
    from eventapp.events import services as event_services

    other = make_event(title="Another event")
    event_services.change_status(event=other, to=EventStatus.PLANNING, actor=organiser)
    channel = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.WEBSITE, label=""
    )
    assert client.get(f"/e/{other.public_slug}/via/{channel.code}").status_code == 404


def test_qr_codes_and_the_flyer(
    signed_in: FlaskClient, event: Event, organiser: User
) -> None:
    channel = uow.run(
        channels.add_channel, event=event, actor=organiser, kind=ChannelKind.FLYER, label=""
    )
    base = f"/events/{event.id}/invitations/channels/{channel.id}"
    png = signed_in.get(f"{base}/qr.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    svg = signed_in.get(f"{base}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    flyer = signed_in.get(f"{base}/flyer").get_data(as_text=True)
    assert "<svg" in flyer and f"/e/{event.public_slug}/via/{channel.code}" in flyer
    assert "Civic Hall" not in flyer and "1 High Street" not in flyer


def test_a_qr_code_decodes_to_the_channel_link() -> None:
    """segno's own matrix for the URL is what the PNG draws (decoding needs no extra library)."""
    import segno

    url = "https://events.example/e/abc/via/xyz"
    assert segno.make(url, error="m", micro=False).designator.endswith("-M")
    assert channels.qr_png(url).startswith(b"\x89PNG")
