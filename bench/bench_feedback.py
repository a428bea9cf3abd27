"""The Annex A form sent by 50 people at once: the handbook's moment, everyone on their phone
in the event's last minutes. The service against a bare Flask + SQLAlchemy insert.

Both run under gunicorn with the same settings (workers, bind) on the same PostgreSQL
database, in the same run:

- ours: the service with the production settings (``EVENTAPP_ENV=production``, Redis for
  the rate limit, secure cookies). Each of 50 clients first fills in its forms (the form
  page, then the answers), untimed; then all 50 press "Send feedback" together, timed: the
  POST that checks the CSRF token and the rate limit, reads the answers from the session,
  checks them against Annex A and stores the response and its answers.
- baseline: ``bench/feedback_baseline.py``, which inserts the same rows from the same
  answers in a form POST, with nothing else.

Invariant: every submission is stored exactly once (row counts equal submissions on both).
Prints throughput, p50 and p99 of each, the ratio, then one JSON line. Needs PostgreSQL:
``BENCH_DATABASE_URL`` (or ``TEST_DATABASE_URL``) naming a scratch database (its name must
contain "test" or "bench"; its tables are dropped and recreated).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CLIENTS = int(os.environ.get("BENCH_FEEDBACK_CLIENTS", "50"))
PER_CLIENT = int(os.environ.get("BENCH_FEEDBACK_PER_CLIENT", "20"))
WORKERS = os.environ.get("BENCH_FEEDBACK_WORKERS", "4")
TARGET = 0.5
ROOT = Path(__file__).resolve().parent.parent
ANSWERS = {
    "gender": "female",
    "age": "35_44",
    "sector": "other",
    "sector_other": "Youth work",
    "heard": "word_of_mouth",
    "interest": "very_interesting",
    "recommend": "yes",
    "video": "yes",
    "knowledge_before": "poor",
    "knowledge_after": "good",
    "opinion_before": "neutral",
    "opinion_after": "positive",
    "element": "group_discussion",
}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _database_url() -> str:
    from sqlalchemy.engine import make_url

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    if not url.startswith("postgresql"):
        raise SystemExit("bench_feedback: set BENCH_DATABASE_URL to a scratch PostgreSQL database")
    name = make_url(url).database or ""
    if "test" not in name and "bench" not in name:
        raise SystemExit(f"bench_feedback: refusing to empty {name!r} (not a test database)")
    return url


def _prepare(url: str) -> tuple[int, str]:
    """A fresh schema with one event held an hour ago; returns its id and public slug."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import create_engine, text

    from config import TestConfig
    from eventapp import create_app
    from eventapp.accounts.models import Council
    from eventapp.events.models import Event, EventStatus
    from eventapp.extensions import db

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    app = create_app(type("Bench", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        council = Council(name="Bench Council", area_name="Bench")
        db.session.add(council)
        db.session.flush()
        start = datetime.now(UTC) - timedelta(hours=1)
        event = Event(
            council_id=council.id,
            title="Bench roundtable",
            status=EventStatus.HELD,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            intro_video=True,
        )
        db.session.add(event)
        db.session.commit()
        found = (event.id, event.public_slug)
        db.engine.dispose()
    return found


def _count(url: str, event_id: int) -> tuple[int, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        responses = conn.execute(
            text("SELECT count(*) FROM feedback_response WHERE event_id = :e"), {"e": event_id}
        ).scalar_one()
        answers = conn.execute(text("SELECT count(*) FROM feedback_answer")).scalar_one()
        conn.execute(text("DELETE FROM feedback_response"))
        conn.commit()
    engine.dispose()
    return int(responses), int(answers)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(target: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start")


class Client:
    """One phone: an HTTP connection and its session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text


def _run_together(jobs: list[Callable[[], list[float]]]) -> tuple[float, list[float]]:
    """Run one job per thread, released together; the wall time and every latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def runner(job: Callable[[], list[float]]) -> None:
        barrier.wait()
        measured = job()
        with lock:
            latencies.extend(measured)

    threads = [threading.Thread(target=runner, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def _ours(port: int, slug: str) -> tuple[float, list[float], int]:
    form, check = f"/e/{slug}/feedback", f"/e/{slug}/feedback/check"
    prepared: list[list[tuple[Client, str]]] = []
    for _ in range(CLIENTS):  # untimed: every phone fills in its forms
        mine = []
        for _ in range(PER_CLIENT):
            client = Client(port)
            status, page = client.request("GET", form)
            token = _CSRF.search(page)
            assert status == 200 and token, (status, page[:300])
            status, _ = client.request("POST", form, {"csrf_token": token.group(1), **ANSWERS})
            assert status == 302, status
            mine.append((client, token.group(1)))
        prepared.append(mine)
    failures = 0

    def send(mine: list[tuple[Client, str]]) -> list[float]:
        nonlocal failures
        timings = []
        for client, token in mine:
            begun = time.perf_counter()
            status, _ = client.request("POST", check, {"csrf_token": token})
            timings.append(time.perf_counter() - begun)
            if status != 302:
                failures += 1
        return timings

    wall, latencies = _run_together([lambda m=m: send(m) for m in prepared])
    return wall, latencies, failures


def _baseline(port: int) -> tuple[float, list[float], int]:
    failures = 0

    def send() -> list[float]:
        nonlocal failures
        client = Client(port)
        timings = []
        for _ in range(PER_CLIENT):
            begun = time.perf_counter()
            status, _ = client.request("POST", "/submit", ANSWERS)
            timings.append(time.perf_counter() - begun)
            if status != 302:
                failures += 1
        return timings

    wall, latencies = _run_together([send for _ in range(CLIENTS)])
    return wall, latencies, failures


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    url = _database_url()
    event_id, slug = _prepare(url)
    total = CLIENTS * PER_CLIENT
    env = {
        "EVENTAPP_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "FEEDBACK_LIMIT_PER_ADDRESS": "1000000 per minute",
        "BENCH_EVENT_ID": str(event_id),
        "PYTHONPATH": str(ROOT),
    }
    results: dict[str, Any] = {}
    for name, target in (("baseline", "bench.feedback_baseline:app"), ("ours", "wsgi:app")):
        process, port = _serve(target, env)
        try:
            wall, latencies, failures = _ours(port, slug) if name == "ours" else _baseline(port)
        finally:
            process.terminate()
            process.wait(timeout=30)
        responses, answers = _count(url, event_id)
        results[name] = {
            "rate": total / wall,
            "p50": _percentile(latencies, 0.5) * 1000,
            "p99": _percentile(latencies, 0.99) * 1000,
            "failures": failures,
            "responses": responses,
            "answers": answers,
        }
        print(
            f"{name:>8}: {total} submissions by {CLIENTS} clients in {wall:.2f}s = "
            f"{total / wall:,.0f}/s; p50 {results[name]['p50']:.1f} ms, "
            f"p99 {results[name]['p99']:.1f} ms; stored {responses} responses, {answers} answers, "
            f"{failures} failed"
        )
    ratio = results["ours"]["rate"] / results["baseline"]["rate"]
    items = len(ANSWERS) - 1  # sector_other is text on the sector item, not an item
    invariant = all(
        r["responses"] == total and r["answers"] == total * items and r["failures"] == 0
        for r in results.values()
    )
    print(f"ratio (ours / baseline): {ratio:.2f}, target at least {TARGET}")
    print(
        json.dumps(
            {
                "bench": "feedback_submit_50_clients",
                "unit": "submissions/s",
                "baseline": round(results["baseline"]["rate"], 1),
                "ours": round(results["ours"]["rate"], 1),
                "ratio": round(ratio, 3),
                "target": TARGET,
                "invariant": invariant,
            }
        )
    )
    return 0 if invariant else 1


if __name__ == "__main__":
    raise SystemExit(main())
