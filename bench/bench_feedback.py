"""The Annex A form sent by 50 people at once: the handbook's moment, everyone on their phone
in the event's last minutes. The service against a bare Flask + SQLAlchemy insert.

Both run under gunicorn with the production settings (``eventapp/gunicorn_conf.py``, as the README's
production command) on the same PostgreSQL database, in the same run:

- ours: the service with the production settings (``EVENTAPP_ENV=production``, Redis for
  the rate limit, secure cookies). Each of 50 clients first fills in its forms (the form
  page, then the answers), untimed; then all 50 press "Send feedback" together, timed: the
  POST that checks the CSRF token and the rate limit, reads the answers from the session,
  checks them against Annex A and stores the response and its answers.
- baseline: ``bench/feedback_baseline.py``, which inserts the same rows from the same
  answers in a form POST, with nothing else.

Both apps are warmed alike by one untimed round each (every client sends two); then ``BENCH_ROUNDS`` (3) timed rounds
are interleaved: baseline, ours, baseline, ours, ... (ours' forms are filled in, untimed,
before each of its rounds). Invariant: in every round every submission is stored exactly
once (row counts equal submissions on both). Prints every round, the medians, p50 and p99 of
each, the ratio of the medians, then one JSON line. Needs PostgreSQL:
``BENCH_DATABASE_URL`` (or ``TEST_DATABASE_URL``) naming a scratch database (its name must
contain "test" or "bench"; its tables are dropped and recreated).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench import serving

CLIENTS = int(os.environ.get("BENCH_FEEDBACK_CLIENTS", "50"))
PER_CLIENT = int(os.environ.get("BENCH_FEEDBACK_PER_CLIENT", "20"))
WARM_UP_PER_CLIENT = min(PER_CLIENT, 2)
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
    # The README's form, postgresql://..., names the driver the service installs.
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


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


def _ours(port: int, slug: str, per_client: int) -> tuple[float, list[float], int]:
    form, check = f"/e/{slug}/feedback", f"/e/{slug}/feedback/check"

    def fill_in(_: int) -> list[tuple[Client, str]]:
        mine = []
        for _ in range(per_client):
            client = Client(port)
            status, page = client.request("GET", form)
            token = _CSRF.search(page)
            assert status == 200 and token, (status, page[:300])
            status, _ = client.request("POST", form, {"csrf_token": token.group(1), **ANSWERS})
            assert status == 302, status
            mine.append((client, token.group(1)))
        return mine

    # Untimed: every phone fills in its forms, several phones at a time.
    with ThreadPoolExecutor(max_workers=16) as pool:
        prepared = list(pool.map(fill_in, range(CLIENTS)))
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


def _baseline(port: int, per_client: int) -> tuple[float, list[float], int]:
    failures = 0

    def send() -> list[float]:
        nonlocal failures
        client = Client(port)
        timings = []
        for _ in range(per_client):
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
    rounds = serving.rounds()
    load_before = serving.load_average()
    redis_url = (
        os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/9"
    )
    env = {
        **os.environ,
        "EVENTAPP_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + "x" * 40,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "FEEDBACK_LIMIT_PER_ADDRESS": "1000000 per minute",
        "BENCH_EVENT_ID": str(event_id),
        "PYTHONPATH": str(ROOT),
    }
    rates: dict[str, list[float]] = {"baseline": [], "ours": []}
    latencies: dict[str, list[float]] = {"baseline": [], "ours": []}
    invariant = True
    items = len(ANSWERS) - 1  # sector_other is text on the sector item, not an item
    processes = {}
    try:
        for name, target in (("baseline", "bench.feedback_baseline:app"), ("ours", "wsgi:app")):
            processes[name] = serving.serve(target, env)
        # Round 0 is the untimed warm-up, alike for both; then the timed rounds, interleaved.
        for number in range(rounds + 1):
            line = []
            for name in ("baseline", "ours"):
                port = processes[name][1]
                # The warm-up round sends WARM_UP_PER_CLIENT from each client (every worker's
                # connections opened, code loaded), the timed rounds PER_CLIENT.
                per_client = WARM_UP_PER_CLIENT if number == 0 else PER_CLIENT
                wall, measured, failures = (
                    _ours(port, slug, per_client) if name == "ours" else _baseline(port, per_client)
                )
                responses, answers = _count(url, event_id)
                sent = CLIENTS * per_client
                invariant = invariant and (
                    responses == sent and answers == sent * items and failures == 0
                )
                if number == 0:
                    continue
                rates[name].append(total / wall)
                latencies[name].extend(measured)
                line.append(
                    f"{name} {total / wall:,.0f}/s (stored {responses} responses, "
                    f"{answers} answers, {failures} failed)"
                )
            if number:
                ratio = rates["ours"][-1] / rates["baseline"][-1]
                print(f"  round {number}: " + ", ".join(line) + f"; ratio {ratio:.2f}")
    finally:
        for process, _ in processes.values():
            serving.stop(process)
    medians = {name: serving.median(values) for name, values in rates.items()}
    ratio = medians["ours"] / medians["baseline"]
    print(
        f"{total} submissions by {CLIENTS} clients, gunicorn ({serving.describe()}, as "
        f"eventapp/gunicorn_conf.py unless overridden), PostgreSQL; {rounds} interleaved rounds after "
        f"one untimed warm-up round each; load average {load_before} before, "
        f"{serving.load_average()} after"
    )
    for name in ("baseline", "ours"):
        print(
            f"{name:>8}: median {medians[name]:,.0f}/s; "
            f"p50 {_percentile(latencies[name], 0.5) * 1000:.1f} ms, "
            f"p99 {_percentile(latencies[name], 0.99) * 1000:.1f} ms"
        )
    print(f"ratio of the medians (ours / baseline): {ratio:.2f}, target at least {TARGET}")
    print(
        json.dumps(
            {
                "bench": "feedback_submit_50_clients",
                "unit": "submissions/s",
                "baseline": round(medians["baseline"], 1),
                "ours": round(medians["ours"], 1),
                "ratio": round(ratio, 3),
                "target": TARGET,
                "invariant": invariant,
                "rounds": [
                    {"baseline": round(b, 1), "ours": round(o, 1), "ratio": round(o / b, 3)}
                    for b, o in zip(rates["baseline"], rates["ours"], strict=True)
                ],
                "gunicorn": serving.describe(),
                "load_average": serving.load_average(),
            }
        )
    )
    return 0 if invariant else 1


if __name__ == "__main__":
    raise SystemExit(main())
