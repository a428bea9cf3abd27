"""200 concurrent place-taking requests for 50 places, through gunicorn, on PostgreSQL.

In one run, with the same gunicorn options (production settings: ``EVENTAPP_ENV=production``,
gthread workers) and the same database:

- baseline: a bare Flask + SQLAlchemy app (bench/baseline_insert.py) that inserts the same
  row per POST, with no lock, no checks and no mail;
- ours: eventapp's email-confirmation POST (``/r/confirm/<token>``), the step that takes a
  place in automatic mode: CSRF check, token consumed, the event's place lock, recount,
  confirmed or waiting list, own-page token, outbox row, one commit.

Every request is released at once by a barrier, each over its own HTTP connection. Prints
throughput, p50/p99 latency, the ratio and the invariant (exactly 50 confirmed, 150 waiting),
then one JSON line (QUALITY 29). Needs ``BENCH_DATABASE_URL`` (PostgreSQL; its public schema
is replaced).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

N = int(os.environ.get("BENCH_REGISTRATION_REQUESTS", "200"))
PLACES = int(os.environ.get("BENCH_REGISTRATION_PLACES", "50"))
WORKERS = os.environ.get("BENCH_GUNICORN_WORKERS", "2")
THREADS = os.environ.get("BENCH_GUNICORN_THREADS", "8")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
TARGET = 0.5
ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(url: str, tmp: str) -> dict[str, str]:
    return {
        **os.environ,
        "EVENTAPP_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret-key-not-for-use",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "MAIL_FILE_DIR": f"{tmp}/mail",
        # Production queues mail on Redis (RQ) and keeps the limiter there; nothing is sent
        # during the request. No worker runs: the queued jobs are left for the next one.
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "REGISTRATION_LIMIT_PER_IP": "100000 per hour",
        "REGISTRATION_LIMIT_PER_EVENT": "100000 per hour",
    }


def _serve(target: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = _port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn for {target} did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def _setup(url: str, tmp: str) -> tuple[int, list[str]]:
    """A fresh schema, an open event with PLACES places and N unconfirmed registrations."""
    os.environ.update({"DATABASE_URL": url})
    from flask_migrate import upgrade
    from sqlalchemy import text

    from config import TestConfig
    from eventapp import create_app, tokens
    from eventapp.accounts import services as accounts
    from eventapp.accounts.models import Role
    from eventapp.events import services as events
    from eventapp.events.models import EventStatus
    from eventapp.extensions import db
    from eventapp.handbook import Aim
    from eventapp.models.base import utcnow
    from eventapp.registration.models import Registration
    from eventapp.tokens import TokenPurpose

    config = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": _env(url, tmp)["SECRET_KEY"]},
    )
    app = create_app(config)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        council = accounts.get_or_create_council("Bench Council", "Benchshire")
        organiser = accounts.create_user(
            council=council,
            email="organiser@bench.example",
            role=Role.ORGANISER,
            password="bench password 123",  # noqa: S106 - a throwaway bench account
        )
        event = events.create_event(
            council_id=council.id,
            actor=organiser,
            details=events.EventDetails(
                title="Prevent roundtable",
                aims=[Aim.AWARENESS],
                day=date.today() + timedelta(days=30),
                start=clock_time(18),
                end=clock_time(20),
                public_location="Grays",
                capacity=PLACES,
            ),
        )
        events.change_status(event=event, to=EventStatus.PLANNING, actor=organiser)
        events.change_status(event=event, to=EventStatus.OPEN, actor=organiser)
        now = utcnow()
        rows = [
            Registration(
                event_id=event.id,
                name=f"Person {n}",
                email=f"person{n}@bench.example",
                organisation="Bench",
                created_at=now,
                updated_at=now,
            )
            for n in range(N)
        ]
        db.session.add_all(rows)
        db.session.flush()
        raws = tokens.issue_many(
            TokenPurpose.EMAIL_CONFIRMATION, [r.id for r in rows], ttl=timedelta(hours=2)
        )
        db.session.commit()
        return event.id, list(raws.values())


def _counts(url: str, event_id: int) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status, count(*) FROM registration WHERE event_id = :e GROUP BY status"),
            {"e": event_id},
        )
        counts = {str(status): int(n) for status, n in rows}
    engine.dispose()
    return counts


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _prepare(port: int, raw: str) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """Open the confirmation page (not timed): the session cookie and CSRF token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/r/confirm/{raw}")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    match = _CSRF.search(page)
    if response.status != 200 or not match:
        raise RuntimeError(f"confirmation page: {response.status}")
    conn.close()
    body = f"csrf_token={match.group(1)}&submit=Confirm"
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    # A fresh connection for the timed POST (gunicorn closes idle keep-alive connections).
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60), body, headers


def _fire(
    requests: list[tuple[http.client.HTTPConnection, str, str, dict[str, str]]],
) -> tuple[float, list[float], list[int]]:
    """Send every request at once (a barrier), each on its own connection."""
    barrier = threading.Barrier(len(requests) + 1)
    latencies: list[float] = [0.0] * len(requests)
    statuses: list[int] = [0] * len(requests)

    def one(i: int) -> None:
        conn, path, body, headers = requests[i]
        barrier.wait()
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses[i] = response.status
        except OSError:
            statuses[i] = -1
        latencies[i] = time.perf_counter() - start
        conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, statuses


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print(
            "bench_registration: set BENCH_DATABASE_URL to a PostgreSQL database "
            "(its public schema is replaced); skipped"
        )
        print(
            json.dumps(
                {
                    "bench": "registration_place_taking",
                    "unit": "requests/s",
                    "baseline": None,
                    "ours": None,
                    "ratio": None,
                    "target": TARGET,
                    "invariant": None,
                }
            )
        )
        return 0
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    with tempfile.TemporaryDirectory() as tmp:
        event_id, raws = _setup(url, tmp)
        env = _env(url, tmp)

        base_process, base_port = _serve("bench.baseline_insert:app", env)
        try:
            base_requests = []
            for n in range(N):
                conn = http.client.HTTPConnection("127.0.0.1", base_port, timeout=60)
                base_requests.append((conn, f"/insert/{event_id}/{n}", "", {}))
            base_seconds, base_latencies, base_statuses = _fire(base_requests)
        finally:
            _stop(base_process)
        # The baseline's rows are removed so that they do not count as places.
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM registration WHERE email LIKE 'baseline%'"))
        engine.dispose()

        our_process, our_port = _serve("wsgi:app", env)
        try:
            prepared = [_prepare(our_port, raw) for raw in raws]
            our_requests = [
                (conn, f"/r/confirm/{raw}", body, headers)
                for (conn, body, headers), raw in zip(prepared, raws, strict=True)
            ]
            our_seconds, our_latencies, our_statuses = _fire(our_requests)
        finally:
            _stop(our_process)
        counts = _counts(url, event_id)

    base_rate, our_rate = N / base_seconds, N / our_seconds
    ratio = our_rate / base_rate
    invariant = (
        counts.get("confirmed") == PLACES
        and counts.get("waiting") == N - PLACES
        and all(s == 302 for s in our_statuses)
        and all(s == 200 for s in base_statuses)
    )
    print(
        f"{N} concurrent place-taking requests for {PLACES} places, gunicorn "
        f"({WORKERS} workers x {THREADS} threads), PostgreSQL"
    )
    print(
        f"  baseline, bare Flask + SQLAlchemy insert: {base_rate:,.0f} requests/s, "
        f"p50 {_p(base_latencies, 50) * 1000:.0f} ms, p99 {_p(base_latencies, 99) * 1000:.0f} ms"
    )
    print(
        f"  eventapp, confirm email and take a place: {our_rate:,.0f} requests/s, "
        f"p50 {_p(our_latencies, 50) * 1000:.0f} ms, p99 {_p(our_latencies, 99) * 1000:.0f} ms"
    )
    print(
        f"  ratio {ratio:.2f} (target at least {TARGET}); confirmed "
        f"{counts.get('confirmed', 0)}, waiting {counts.get('waiting', 0)}; statuses "
        f"{sorted(set(our_statuses))}"
    )
    print(
        json.dumps(
            {
                "bench": "registration_place_taking",
                "unit": "requests/s",
                "baseline": round(base_rate, 1),
                "ours": round(our_rate, 1),
                "ratio": round(ratio, 3),
                "target": TARGET,
                "invariant": invariant,
            }
        )
    )
    return 0 if invariant else 1


if __name__ == "__main__":
    raise SystemExit(main())
