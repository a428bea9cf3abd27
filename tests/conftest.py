"""Shared fixtures: one app per database, emptied after every test, and factories."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from config import TestConfig, normalise_database_url
from eventapp import create_app
from eventapp.accounts import services as account_services
from eventapp.accounts.models import Council, Role, User
from eventapp.events import services as event_services
from eventapp.events.models import Event, EventFormat
from eventapp.extensions import db, limiter
from eventapp.handbook import Aim

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "correct horse battery staple"


def require(condition: bool, message: str) -> None:
    """Skip outside CI when something the test needs is missing; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{message} (CI=true: these tests must run)")
    pytest.skip(message)


NO_POSTGRES = (
    "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_unreachable: dict[str, str] = {}


def postgres_url() -> str:
    """TEST_DATABASE_URL as config.py would read DATABASE_URL, or "" when it is not set."""
    return normalise_database_url(os.environ.get("TEST_DATABASE_URL", "").strip())


def _postgres_problem(url: str) -> str | None:
    """Why the test database cannot be used, in one line, or None if it answers."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - any parse failure is reported the same way
        return "TEST_DATABASE_URL is not a database URL (expected postgresql://user@host:port/db)"
    if parsed.get_backend_name() != "postgresql":
        return f"TEST_DATABASE_URL must name a PostgreSQL database, not {parsed.drivername}"
    try:
        engine = create_engine(parsed, connect_args={"connect_timeout": 5})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return f"PostgreSQL at {parsed.render_as_string()} is unreachable: {reason}"
    return None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Check TEST_DATABASE_URL once: a wrong URL stops the run with one clear line."""
    url = postgres_url()
    if not url:
        return
    problem = _postgres_problem(url)
    if problem is None:
        return
    if IN_CI or not problem.startswith("PostgreSQL at "):
        raise pytest.UsageError(problem)
    _unreachable[url] = problem


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_urls() -> list[Any]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]


@pytest.fixture(scope="session", params=database_urls())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = postgres_url()
    require(bool(url), NO_POSTGRES)
    require(url not in _unreachable, _unreachable.get(url, ""))
    reset_postgres_schema(url)
    return url


@pytest.fixture(scope="session")
def _session_app(database_url: str) -> Iterator[Flask]:
    config = type("PerDatabaseTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})
    app = create_app(config)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


class _FreshUserClient(FlaskClient):
    """A test client that looks the signed-in user up afresh on every request.

    Tests hold one application context open, so everything requests keep on `g` (Flask-Login's
    current user, the CSP nonce, a failed CSRF check) would otherwise carry from one request
    into the next. Production gives every request a fresh `g`; so does this client.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for name in list(vars(g)):
            g.pop(name, None)
        return super().open(*args, **kwargs)


def _empty_all_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(_session_app: Flask, tmp_path: Any) -> Iterator[Flask]:
    """The app inside an application context; every table is emptied afterwards."""
    saved = dict(_session_app.config)
    _session_app.config["WTF_CSRF_ENABLED"] = False
    _session_app.config["MAIL_FILE_DIR"] = str(tmp_path / "mail")
    _session_app.test_client_class = _FreshUserClient
    with _session_app.app_context():
        yield _session_app
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
    _session_app.config.clear()
    _session_app.config.update(saved)


@contextmanager
def impatient(app: Flask, lock_timeout_ms: int, **settings: Any) -> Iterator[Flask]:
    """A second app on the same test database whose statements give up waiting for a lock
    after ``lock_timeout_ms`` (``settings`` override more of its configuration); its
    connections are closed when the block ends."""
    config = type(
        "ImpatientConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "DATABASE_LOCK_TIMEOUT_MS": lock_timeout_ms,
            **settings,
        },
    )
    other = create_app(config)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def db_session(app: Flask) -> Any:
    return db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def csrf_on(app: Flask) -> Flask:
    """Turn CSRF protection back on (it is off by default so tests can post simply)."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


# Counting queries ----------------------------------------------------------


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def counting_queries() -> Iterator[Counted]:
    """Record every SQL statement sent inside the block; loaded objects are expired first,
    so a request reads the database as a real one would."""
    db.session.expire_all()
    counted = Counted()

    def before_cursor_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counted.statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counted
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], AbstractContextManager[Counted]]:
    """`with count_queries() as counted:` records every SQL statement sent to the database."""
    return counting_queries


# Factories ---------------------------------------------------------------


@pytest.fixture
def make_council(app: Flask) -> Callable[..., Council]:
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, area_name: str | None = None) -> Council:
        n = next(counter)
        council = Council(name=name or f"Test Council {n}", area_name=area_name or f"Testshire {n}")
        db.session.add(council)
        db.session.commit()
        return council

    return make


@pytest.fixture
def make_user(app: Flask, make_council: Callable[..., Council]) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.ORGANISER,
        council: Council | None = None,
        email: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        n = next(counter)
        user = account_services.create_user(
            council=council or make_council(),
            email=email or f"user{n}@example.gov.uk",
            role=role,
            password=password,
            name=f"Test User {n}",
        )
        db.session.commit()
        return user

    return make


def signed_in_session(user: User) -> dict[str, Any]:
    """What a session holds once the user has signed in."""
    now = int(datetime.now(UTC).timestamp())
    return {"_user_id": user.get_id(), "_fresh": True, "signed_in_at": now, "seen_at": now}


def login_as(client: FlaskClient, user: User) -> None:
    """Put a signed-in session for the user in the client's cookie."""
    with client.session_transaction() as session:
        session.update(signed_in_session(user))
        session.permanent = True


@pytest.fixture
def organiser(make_user: Callable[..., User]) -> User:
    return make_user(Role.ORGANISER)


@pytest.fixture
def signed_in(client: FlaskClient, organiser: User) -> FlaskClient:
    """A client signed in as an organiser."""
    login_as(client, organiser)
    return client


def future_day(days: int = 35) -> date:
    return (datetime.now(UTC) + timedelta(days=days)).date()


@pytest.fixture
def make_event(app: Flask, organiser: User) -> Callable[..., Event]:
    def make(actor: User | None = None, **overrides: Any) -> Event:
        actor = actor or organiser
        fields: dict[str, Any] = {
            "title": "Prevent roundtable",
            "aims": [Aim.AWARENESS],
            "day": future_day(),
            "start": time(18, 0),
            "end": time(20, 0),
            "format": EventFormat.IN_PERSON,
            "venue_name": "Civic Hall",
            "venue_address": "1 High Street",
            "capacity": 40,
        }
        fields.update(overrides)
        event = event_services.create_event(
            council_id=actor.council_id, actor=actor, details=event_services.EventDetails(**fields)
        )
        db.session.commit()
        return event

    return make


# Reporting -----------------------------------------------------------------


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say once, plainly, which groups of tests were skipped and what would make them run."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.section("skipped tests")
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{count:5d} skipped: {reason}")
