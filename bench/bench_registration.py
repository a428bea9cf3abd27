"""200 concurrent place-taking requests for 50 places, through gunicorn, on PostgreSQL.

In one run, both served by gunicorn with the production settings (``eventapp/gunicorn_conf.py``, as the
README's production command; ``EVENTAPP_ENV=production``) on the same database:

- baseline: a bare Flask + SQLAlchemy app (bench/baseline_insert.py) that inserts the same
  row per POST, with no lock, no checks and no mail;
- ours: eventapp's email-confirmation POST (``/r/confirm/<token>``), the step that takes a
  place in automatic mode: CSRF check, token consumed, the event's place lock, recount,
  confirmed or waiting list, own-page token, outbox row, one commit.

Every request is released at once by a barrier, each over its own HTTP connection. Both
apps are warmed alike by one untimed round each (their workers' database connections open,
their code loaded); then ``BENCH_ROUNDS`` (3) timed rounds are interleaved: baseline, ours,
baseline, ours, ... Each of ours takes places at an event of its own (fresh data); the
baseline inserts into an event of its own. The untimed GETs that fetch ours' CSRF tokens are
made before each of its rounds. Prints every round, the medians, their ratio and the
invariant (in every round of ours exactly 50 confirmed, 150 waiting), the CPU per request
each side cost its gunicorn, PostgreSQL, Redis, the client and the rest of the machine (read
from /proc around each timed round; ``serving.cpu_snapshot``), then one JSON line
(QUALITY 29). Needs ``BENCH_DATABASE_URL`` (PostgreSQL; its public schema is replaced).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from datetime import time as clock_time

from bench import serving

N = int(os.environ.get("BENCH_REGISTRATION_REQUESTS", "200"))
PLACES = int(os.environ.get("BENCH_REGISTRATION_PLACES", "50"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
TARGET = 0.5


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


def _setup(url: str, tmp: str, events_wanted: int) -> tuple[int, list[tuple[int, list[str]]]]:
    """A fresh schema; ``events_wanted`` open events with PLACES places and N unconfirmed
    registrations each (one per round of ours), and one more event for the baseline's rows.
    Returns the baseline's event id and, per event of ours, its id and confirmation tokens."""
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

        def open_event(title: str) -> int:
            event = events.create_event(
                council_id=council.id,
                actor=organiser,
                details=events.EventDetails(
                    title=title,
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
            return int(event.id)

        baseline_event = open_event("Baseline rows")
        ours: list[tuple[int, list[str]]] = []
        for number in range(events_wanted):
            event_id = open_event(f"Prevent roundtable {number}")
            now = utcnow()
            rows = [
                Registration(
                    event_id=event_id,
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
            ours.append((event_id, [raws[r.id] for r in rows]))
        db.session.commit()
        db.engine.dispose()
        return baseline_event, ours


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


# A timed request (connection, path, body, headers); a round's rate, latencies, invariant, CPU.
Round = tuple[float, list[float], bool, dict[str, float] | None]
Request = tuple[http.client.HTTPConnection, str, str, dict[str, str]]


def _fire(
    requests: list[Request],
    gunicorn_pid: int,
) -> tuple[float, list[float], list[int], dict[str, float] | None]:
    """Send every request at once (a barrier), each on its own connection. Also returns the
    CPU per request each group of processes used meanwhile (``serving.cpu_snapshot``)."""
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
    cpu_before = serving.cpu_snapshot(gunicorn_pid)
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    cpu = serving.cpu_per_request(cpu_before, serving.cpu_snapshot(gunicorn_pid), len(requests))
    return seconds, latencies, statuses, cpu


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _baseline_round(port: int, pid: int, event_id: int, first: int) -> Round:
    """N inserts at once into the baseline's event (numbers from ``first``, never reused)."""
    requests: list[Request] = [
        (
            http.client.HTTPConnection("127.0.0.1", port, timeout=60),
            f"/insert/{event_id}/{first + n}",
            "",
            {},
        )
        for n in range(N)
    ]
    seconds, latencies, statuses, cpu = _fire(requests, pid)
    return N / seconds, latencies, all(s == 200 for s in statuses), cpu


def _our_round(
    port: int, pid: int, url: str, event_id: int, raws: list[str]
) -> tuple[Round, dict[str, int]]:
    """Untimed: every confirmation page (session cookie, CSRF token), several at a time.
    Timed: the N confirmations at once. Then the invariant at that event."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        prepared = list(pool.map(lambda raw: _prepare(port, raw), raws))
    requests = [
        (conn, f"/r/confirm/{raw}", body, headers)
        for (conn, body, headers), raw in zip(prepared, raws, strict=True)
    ]
    seconds, latencies, statuses, cpu = _fire(requests, pid)
    counts = _counts(url, event_id)
    kept = (
        counts.get("confirmed") == PLACES
        and counts.get("waiting") == N - PLACES
        and all(s == 302 for s in statuses)
    )
    return (N / seconds, latencies, kept, cpu), counts


def _skipped() -> int:
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


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return _skipped()
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    rounds = serving.rounds()
    load_before = serving.load_average()
    base_rates: list[float] = []
    our_rates: list[float] = []
    base_latencies: list[float] = []
    our_latencies: list[float] = []
    base_cpu: list[dict[str, float] | None] = []
    our_cpu: list[dict[str, float] | None] = []
    invariant = True
    with tempfile.TemporaryDirectory() as tmp:
        # One event of ours per timed round, and one for the untimed warm-up round.
        baseline_event, ours = _setup(url, tmp, rounds + 1)
        env = _env(url, tmp)
        base_process, base_port = serving.serve("bench.baseline_insert:app", env)
        try:
            our_process, our_port = serving.serve("wsgi:app", env)
            try:
                # Warm-up, untimed and alike for both: one full round each.
                base_pid, our_pid = base_process.pid, our_process.pid
                _, _, base_ok, _ = _baseline_round(base_port, base_pid, baseline_event, 0)
                warm_event, warm_raws = ours[0]
                (_, _, our_ok, _), counts = _our_round(
                    our_port, our_pid, url, warm_event, warm_raws
                )
                invariant = invariant and base_ok and our_ok
                for number, (event_id, raws) in enumerate(ours[1:], start=1):
                    rate, latencies, base_ok, cpu = _baseline_round(
                        base_port, base_pid, baseline_event, number * N
                    )
                    base_rates.append(rate)
                    base_latencies.extend(latencies)
                    base_cpu.append(cpu)
                    (rate, latencies, our_ok, cpu), counts = _our_round(
                        our_port, our_pid, url, event_id, raws
                    )
                    our_rates.append(rate)
                    our_latencies.extend(latencies)
                    our_cpu.append(cpu)
                    invariant = invariant and base_ok and our_ok
                    print(
                        f"  round {number}: baseline {base_rates[-1]:,.0f} requests/s, "
                        f"eventapp {our_rates[-1]:,.0f} requests/s "
                        f"(ratio {our_rates[-1] / base_rates[-1]:.2f}); confirmed "
                        f"{counts.get('confirmed', 0)}, waiting {counts.get('waiting', 0)}"
                    )
            finally:
                serving.stop(our_process)
        finally:
            serving.stop(base_process)

    base_rate, our_rate = serving.median(base_rates), serving.median(our_rates)
    ratio = our_rate / base_rate
    cpu_medians = {
        "baseline": serving.median_cpu(base_cpu),
        "ours": serving.median_cpu(our_cpu),
    }
    print(
        f"{N} concurrent place-taking requests for {PLACES} places, gunicorn "
        f"({serving.describe()}, as eventapp/gunicorn_conf.py unless overridden), PostgreSQL; "
        f"{rounds} interleaved rounds after one untimed warm-up round each; load average "
        f"{load_before} before, {serving.load_average()} after"
    )
    print(
        f"  baseline, bare Flask + SQLAlchemy insert: median {base_rate:,.0f} requests/s, "
        f"p50 {_p(base_latencies, 50) * 1000:.0f} ms, p99 {_p(base_latencies, 99) * 1000:.0f} ms"
    )
    print(f"    {serving.describe_cpu(cpu_medians['baseline'])}")
    print(
        f"  eventapp, confirm email and take a place: median {our_rate:,.0f} requests/s, "
        f"p50 {_p(our_latencies, 50) * 1000:.0f} ms, p99 {_p(our_latencies, 99) * 1000:.0f} ms"
    )
    print(f"    {serving.describe_cpu(cpu_medians['ours'])}")
    print(
        f"  ratio of the medians {ratio:.2f} (target at least {TARGET}); invariant "
        f"{'held' if invariant else 'BROKEN'} in every round"
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
                "rounds": [
                    {"baseline": round(b, 1), "ours": round(o, 1), "ratio": round(o / b, 3)}
                    for b, o in zip(base_rates, our_rates, strict=True)
                ],
                "gunicorn": serving.describe(),
                "load_average": serving.load_average(),
                "cpu_ms_per_request": cpu_medians,
            }
        )
    )
    return 0 if invariant else 1


if __name__ == "__main__":
    raise SystemExit(main())
