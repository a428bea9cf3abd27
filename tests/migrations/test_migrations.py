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
