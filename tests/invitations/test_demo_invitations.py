"""`flask demo load` shows invitees in every delivery state, with letters in the mail folder."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.invitations.models import Invitee
from eventapp.mail.models import MessageState, OutboxMessage
from tests.invitations.conftest import mail_files


def test_demo_invitations_cover_every_state_once(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo", "load"])
    states = dict(
        db.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    )
    assert set(states) == set(MessageState)
    # The registration demo's joining instructions are in the folder too.
    files = [f for f in mail_files(app) if f.name.endswith("-invitation.eml")]
    assert len(files) == 9  # every letter but the withheld one
    runner.invoke(args=["demo", "load"])
    assert db.session.scalar(select(func.count()).select_from(Invitee)) == 10
    assert len([f for f in mail_files(app) if f.name.endswith("-invitation.eml")]) == 9
