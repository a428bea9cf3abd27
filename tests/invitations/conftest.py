"""Invitation fixtures: an event open for invitations, invitees, and the mail written."""

from __future__ import annotations

import email
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from eventapp.accounts.models import User
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventStatus
from eventapp.extensions import db
from eventapp.invitations.models import Invitee


@pytest.fixture
def event(make_event: Callable[..., Event], organiser: User) -> Event:
    """An in-person event in planning, five weeks ahead, with a general location."""
    made = make_event(public_location="Grays")
    event_services.change_status(event=made, to=EventStatus.PLANNING, actor=organiser)
    db.session.commit()
    return made


@pytest.fixture
def add_invitees(event: Event, organiser: User) -> Callable[..., list[Invitee]]:
    def add(count: int, **fields: Any) -> list[Invitee]:
        start = db.session.query(Invitee).count()
        rows = [
            Invitee(
                event_id=event.id,
                name=f"Invitee {start + n}",
                email=f"invitee{start + n}@example.org",
                organisation=fields.get("organisation", f"Org {(start + n) % 3}"),
                sector=fields.get("sector"),
                added_by_id=organiser.id,
            )
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return rows

    return add


def mail_files(app: Flask) -> list[Path]:
    folder = Path(app.config["MAIL_FILE_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def read_mail(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def html_of(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]
