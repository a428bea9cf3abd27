"""The embedded SQLite database enforces the same foreign keys as PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select, text

from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaItem
from eventapp.checklist.models import ChecklistTask
from eventapp.extensions import db


def test_deleting_an_event_deletes_what_belongs_to_it(app, make_event, organiser) -> None:
    event = make_event()
    agenda_services.start_from_example(event=event, actor=organiser)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ChecklistTask)) > 0
    # Delete in SQL, as the database's own rules must hold without the ORM's help.
    db.session.execute(text("DELETE FROM event WHERE id = :id"), {"id": event.id})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(ChecklistTask)) == 0


def test_sqlite_connections_turn_foreign_keys_on(app) -> None:
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
