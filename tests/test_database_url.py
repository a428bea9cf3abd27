"""TEST_DATABASE_URL takes the URL forms DATABASE_URL takes, and a bad one says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import normalise_database_url
from tests import conftest

ROOT = Path(__file__).resolve().parent.parent
# A port nothing listens on: the connection is refused at once.
UNREACHABLE = "postgresql://postgres@127.0.0.1:9/nothing_here"


@pytest.mark.parametrize(
    "given",
    [
        "postgres://postgres@db:5432/test",
        "postgresql://postgres@db:5432/test",
        "postgresql+psycopg://postgres@db:5432/test",
        " postgresql://postgres@db:5432/test ",
    ],
)
def test_every_url_form_gets_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.setenv("TEST_DATABASE_URL", given)
    assert conftest.postgres_url() == "postgresql+psycopg://postgres@db:5432/test"
    assert conftest.postgres_url() == normalise_database_url(given.strip())


def _pytest(url: str, *, ci: bool) -> subprocess.CompletedProcess[str]:
    """Collect a module whose parameters build an app, as a fresh pytest run would."""
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "TEST_DATABASE_URL"}}
    env["TEST_DATABASE_URL"] = url
    if ci:
        env["CI"] = "true"
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/security/test_roles.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_a_plain_postgresql_url_does_not_break_collection() -> None:
    """`postgresql://` once needed psycopg2 while collecting; outside CI it now only skips."""
    result = _pytest(UNREACHABLE, ci=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "psycopg2" not in output
    assert "error" not in output.lower()


def test_an_unreachable_database_in_ci_stops_with_one_line() -> None:
    result = _pytest(UNREACHABLE, ci=True)
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output
    lines = [line for line in output.splitlines() if "is unreachable" in line]
    assert len(lines) == 1, output
    assert "PostgreSQL at postgresql+psycopg://postgres@127.0.0.1:9/nothing_here" in lines[0]
    assert "Traceback" not in output and "ERROR collecting" not in output


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root@127.0.0.1/test", "must name a PostgreSQL database, not mysql"),
        ("not a url at all", "is not a database URL"),
    ],
)
def test_a_wrong_url_stops_with_one_line_even_outside_ci(url: str, says: str) -> None:
    result = _pytest(url, ci=False)
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert len([line for line in output.splitlines() if says in line]) == 1, output
    assert "Traceback" not in output and "ERROR collecting" not in output
