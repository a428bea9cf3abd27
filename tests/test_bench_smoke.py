"""Every benchmark still runs, at a tiny size, and ends with its JSON line (QUALITY.md 29).

The figures at this size mean nothing and are not checked; what is checked is that each
benchmark starts, measures both sides, keeps its invariant and prints the line a script reads.
The PostgreSQL benchmarks replace the public schema of the database they are given, so they get
a scratch database of their own beside the test database, never the test database itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import NO_POSTGRES, postgres_url, require

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"bench", "unit", "baseline", "ours", "ratio", "target", "invariant"}


def _run(module: str, env: dict[str, str], timeout: int = 300) -> list[dict[str, Any]]:
    result = subprocess.run(  # noqa: S603 - our own benchmark, fixed arguments
        [sys.executable, "-m", f"bench.{module}"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:]
    # The last line printed is a JSON figure.
    assert result.stdout.strip().splitlines()[-1].startswith("{")
    for line in lines:
        assert set(line) >= KEYS, line
        assert line["invariant"] is not False, line
        assert line["baseline"] and line["ours"], line
    return lines


def _scratch_database() -> str:
    """A PostgreSQL database next to the test database, created if missing, for a benchmark."""
    url = postgres_url()
    require(bool(url), NO_POSTGRES)
    parsed = make_url(url)
    name = f"{parsed.database}_bench_smoke"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def test_mail_benchmark_runs() -> None:
    [line] = _run("bench_mail", {"BENCH_MAIL_COUNT": "30", "BENCH_DATABASE_URL": ""})
    assert line["invariant"] is True


def test_evaluation_benchmark_runs() -> None:
    lines = _run(
        "bench_evaluation",
        {
            "BENCH_DATABASE_URL": "",
            "BENCH_EVAL_EVENT": "40",
            "BENCH_EVAL_RESPONSES": "400",
            "BENCH_EVAL_EVENTS": "8",
            "BENCH_EVAL_REPEAT": "1",
        },
    )
    assert len(lines) >= 2


@pytest.mark.postgres
def test_registration_benchmark_runs() -> None:
    url = _scratch_database()
    [line] = _run(
        "bench_registration",
        {
            "BENCH_DATABASE_URL": url,
            "BENCH_REGISTRATION_REQUESTS": "12",
            "BENCH_REGISTRATION_PLACES": "5",
            "BENCH_REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        },
    )
    assert line["invariant"] is True
    # Where each side's CPU went, per request (bench/serving.py; the figures are not checked).
    for side in ("baseline", "ours"):
        cpu = line["cpu_ms_per_request"][side]
        if cpu is None:  # no /proc: not measured, and said so
            assert not Path("/proc/self/stat").exists()
            continue
        assert set(cpu) == {"gunicorn", "postgresql", "redis", "client", "other", "total"}
        assert all(value >= 0 for value in cpu.values()), cpu


@pytest.mark.postgres
def test_feedback_benchmark_runs() -> None:
    url = _scratch_database()
    [line] = _run(
        "bench_feedback",
        {
            "BENCH_DATABASE_URL": url,
            "BENCH_FEEDBACK_CLIENTS": "4",
            "BENCH_FEEDBACK_PER_CLIENT": "3",
        },
    )
    assert line["invariant"] is True
