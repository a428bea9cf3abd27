"""`flask data purge`: removes the personal data of every event past its retention and says
what it did (the daily job runs the same purge)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.invitations.models import Invitee
from eventapp.models.base import utcnow
from eventapp.registration.models import Registration, RegistrationSettings
from tests.registration.conftest import register_and_confirm


def _held(event: Event, days_ago: int) -> None:
    event.starts_at = utcnow() - timedelta(days=days_ago)
    event.ends_at = event.starts_at + timedelta(hours=2)
    db.session.commit()


def test_flask_data_purge_purges_events_past_retention_and_says_so(
    runner: FlaskCliRunner,
    client: FlaskClient,
    open_event: Callable[..., Event],
    organiser: object,
) -> None:
    due, kept = open_event(capacity=10), open_event(capacity=10)
    for n in range(2):
        register_and_confirm(client, due, f"due{n}@example.org", name=f"Due {n}")
    register_and_confirm(client, kept, "kept@example.org", name="Kept Person")
    db.session.add(Invitee(event_id=due.id, name="Ivy Invitee", email="ivy@example.org"))
    db.session.commit()
    _held(due, days_ago=91)  # retention: 90 days after the event (the default)
    _held(kept, days_ago=89)
    due_id, kept_id = due.id, kept.id

    result = runner.invoke(args=["data", "purge"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Event {due_id}: 2 registrations and 1 invitees purged.\n1 event(s) purged.\n"
    )
    db.session.expire_all()
    people = sorted(
        (name, email or "")
        for name, email in db.session.execute(select(Registration.name, Registration.email))
    )
    assert people == [("", ""), ("", ""), ("Kept Person", "kept@example.org")]
    assert db.session.scalar(select(Invitee.name).where(Invitee.event_id == due_id)) == ""
    purged = db.session.get(RegistrationSettings, due_id)
    assert purged is not None and purged.purged_at is not None
    untouched = db.session.get(RegistrationSettings, kept_id)
    assert untouched is not None and untouched.purged_at is None

    again = runner.invoke(args=["data", "purge"])
    assert again.exit_code == 0 and again.output == "0 event(s) purged.\n"
