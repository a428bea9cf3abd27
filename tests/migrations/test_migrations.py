"""Models and migrations agree, and every migration upgrades and downgrades cleanly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestConfig
from eventapp import create_app
from eventapp.extensions import db
from tests.conftest import NO_POSTGRES, postgres_url, require


def _scratch_postgres() -> str:
    url = postgres_url()
    require(bool(url), NO_POSTGRES)
    base = make_url(url)
    scratch = f"{base.database}_migrations"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    except Exception as error:  # noqa: BLE001
        require(False, f"PostgreSQL is unreachable: {error}")
    finally:
        admin.dispose()
    return base.set(database=scratch).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """An app bound to a brand-new, empty database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        url = _scratch_postgres()
    config = type("FreshDatabase", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_agree(fresh_app: Flask) -> None:
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"Models and migrations differ; run `flask db migrate`:\n{diff}"


def test_upgrade_downgrade_upgrade(fresh_app: Flask) -> None:
    upgrade()
    assert _tables() == set(db.metadata.tables)
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == set(db.metadata.tables)


def test_registration_questions_become_anonymous_questions(
    fresh_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0015_askers moves the registration form's questions to the organiser's list,
    anonymously, for registrations with a place or on the waiting list."""
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    upgrade()
    result = fresh_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with db.engine.begin() as conn:
        ids = {
            status: conn.execute(
                text("SELECT min(id) FROM registration WHERE status = :s AND question = ''"),
                {"s": status},
            ).scalar_one()
            for status in ("confirmed", "waiting", "declined")
        }
        for status, question in (
            ("confirmed", "Moved from a place?"),
            ("waiting", "Moved from the waiting list?"),
            ("declined", "Stays with the declined?"),
        ):
            conn.execute(
                text("UPDATE registration SET question = :q WHERE id = :id"),
                {"q": question, "id": ids[status]},
            )
    db.session.remove()
    downgrade(revision="0014_duedates")
    upgrade()
    with db.engine.connect() as conn:
        moved = conn.execute(
            text(
                "SELECT text, anonymous, asker_name, asker_registration_id, tell_asker, state "
                "FROM question WHERE text LIKE 'Moved%' ORDER BY text"
            )
        ).all()
        left = dict(
            conn.execute(
                text("SELECT id, question FROM registration WHERE id IN (:a, :b, :c)"),
                {"a": ids["confirmed"], "b": ids["waiting"], "c": ids["declined"]},
            )
            .tuples()
            .all()
        )
    assert [tuple(row) for row in moved] == [
        ("Moved from a place?", True, "", None, False, "pending"),
        ("Moved from the waiting list?", True, "", None, False, "pending"),
    ]
    assert left == {
        ids["confirmed"]: "",
        ids["waiting"]: "",
        ids["declined"]: "Stays with the declined?",
    }


def test_allowance_counts_kept_per_registration_are_forgotten(
    fresh_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0016_allowance_by_browser empties the question allowance: old rows may be keyed by a
    registration, and nothing tells them from rows keyed by a browser."""
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    upgrade()
    result = fresh_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    downgrade(revision="0015_askers")
    with db.engine.begin() as conn:
        event_id = conn.execute(text("SELECT min(id) FROM event")).scalar_one()
        conn.execute(
            text("INSERT INTO question_allowance (event_id, asker, asked) VALUES (:e, :a, 2)"),
            {"e": event_id, "a": "k" * 64},
        )
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM question_allowance")).scalar_one() == 0


def test_anonymous_tables_keep_no_arrival_order(fresh_app: Flask, monkeypatch) -> None:
    """0017_forget_arrival_order: SQLite stores the anonymous tables WITHOUT ROWID (no counter
    of arrival left to read) and PostgreSQL rewrites them in key order; no row is lost either
    way, and downgrading gives SQLite its rowids back."""
    monkeypatch.delenv("EVENTAPP_DEMO_PASSWORD", raising=False)
    upgrade()
    result = fresh_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    tables = ("feedback_response", "feedback_answer", "question_vote", "question_allowance")

    def counts() -> dict[str, int]:
        with db.engine.connect() as conn:
            sql = "SELECT count(*) FROM {}"  # fixed table names only
            return {t: conn.execute(text(sql.format(t))).scalar_one() for t in tables}

    before = counts()
    assert before["feedback_response"] >= 48 and before["question_vote"] > 0
    downgrade(revision="0016_allowance_by_browser")
    assert counts() == before
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(rowid) FROM feedback_response")).scalar_one()
    upgrade()
    assert counts() == before
    with db.engine.connect() as conn:
        if sqlite:
            for table in tables:
                sql = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
                ).scalar_one()
                assert sql.rstrip().endswith("WITHOUT ROWID"), table
            with pytest.raises(Exception, match="rowid"):
                conn.execute(text("SELECT rowid FROM feedback_response"))
        else:
            for table, key in (("feedback_response", "id"), ("question", "id")):
                stored = conn.execute(text(f"SELECT {key} FROM {table} ORDER BY ctid")).all()  # noqa: S608
                by_key = conn.execute(text(f"SELECT {key} FROM {table} ORDER BY {key}")).all()  # noqa: S608
                assert stored == by_key, table
                writers = f"SELECT count(DISTINCT xmin::text) FROM {table}"  # noqa: S608
                assert conn.execute(text(writers)).scalar_one() == 1, table
