"""The evaluation report and the dashboard against the bare SQL aggregates, in one run.

Data, generated in bulk by SQL (PostgreSQL: ``BENCH_DATABASE_URL``; SQLite otherwise, smaller):

- one event with ``BENCH_EVAL_EVENT`` responses (default 10,000);
- a council with ``BENCH_EVAL_RESPONSES`` responses (default 1,000,000) across
  ``BENCH_EVAL_EVENTS`` events (default 2,000), each answering the items the aggregates read.

Timed, best of ``BENCH_EVAL_REPEAT`` runs each:

- baseline: the bare SQL aggregate statements that produce the report's (or dashboard's)
  numbers, executed and fetched, nothing else;
- ours: ``build_report`` (statistics, suppression, charts) or ``dashboard`` for the same data.

Then every response is moved to the big event (1,000,000 by default) and the peak Python
memory (tracemalloc) of streaming its whole responses CSV is compared with streaming a tenth of
it: flat means the two peaks are close (within 3×). Also prints the process's peak resident
memory. Prints one JSON line per figure.
"""

# ruff: noqa: S608 - the baseline's SQL is built from constants in this file

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from typing import Any

EVENT_RESPONSES = int(os.environ.get("BENCH_EVAL_EVENT", "10000"))
COUNCIL_RESPONSES = int(os.environ.get("BENCH_EVAL_RESPONSES", "1000000"))
EVENTS = int(os.environ.get("BENCH_EVAL_EVENTS", "2000"))
REPEAT = int(os.environ.get("BENCH_EVAL_REPEAT", "3"))
TARGET = 2.0

ITEMS = {
    "gender": ["male", "female", "prefer_not"],
    "sector": ["charity", "education_schools", "health", "police", "faith"],
    "recommend": ["yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "no", "dont_know"],
    "video": ["yes", "no", "dont_know"],
    "knowledge_before": ["very_poor", "poor", "poor", "good", "dont_know"],
    "knowledge_after": ["poor", "good", "good", "very_good", "dont_know"],
    "opinion_before": ["negative", "neutral", "neutral", "positive", "dont_know"],
    "opinion_after": ["neutral", "positive", "positive", "very_positive", "dont_know"],
}


def _app(tmp: str) -> Any:
    from config import TestConfig
    from eventapp import create_app

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    config = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "MAIL_FILE_DIR": f"{tmp}/mail", "TESTING": False},
    )
    return create_app(config)


def _generate(app: Any) -> tuple[int, int]:
    """Bulk-insert the council, its events and the responses; returns (council, big event)."""
    from sqlalchemy import text

    from eventapp.accounts.models import Council
    from eventapp.events.models import Event, EventFormat, EventStatus
    from eventapp.extensions import db
    from eventapp.models.base import utcnow

    db.drop_all()
    db.create_all()
    council = Council(name="Bench Council", area_name="Bench")
    db.session.add(council)
    db.session.flush()
    now = utcnow()
    big = Event(
        council_id=council.id,
        title="Big event",
        status=EventStatus.HELD,
        starts_at=now.replace(month=1, day=15),
        format=EventFormat.IN_PERSON,
        intro_video=True,
    )
    db.session.add(big)
    db.session.flush()
    from datetime import timedelta

    events = [
        Event(
            council_id=council.id,
            title=f"Event {i}",
            status=EventStatus.HELD,
            starts_at=now - timedelta(days=(i * 3) % 1500 + 1),
            format=(EventFormat.IN_PERSON, EventFormat.ONLINE, EventFormat.HYBRID)[i % 3],
            intro_video=True,
        )
        for i in range(EVENTS - 1)
    ]
    db.session.add_all(events)
    db.session.flush()
    event_ids = [big.id] + [e.id for e in events]
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    conn = db.session.connection()
    if postgres:
        # Generating millions of rows takes longer than the app's statement timeout allows
        # one statement; only this transaction goes without it (the timed queries keep it).
        conn.execute(text("SET LOCAL statement_timeout = 0"))
    # Responses: the big event's first, then the rest spread over every other event.
    rest = max(COUNCIL_RESPONSES - EVENT_RESPONSES, 0)
    if postgres:
        conn.execute(
            text(
                "INSERT INTO feedback_response (id, event_id, channel, source, submitted_on) "
                "SELECT gen_random_uuid(), :big, 'online', 'open_link', CURRENT_DATE "
                "FROM generate_series(1, :n)"
            ),
            {"big": big.id, "n": EVENT_RESPONSES},
        )
        conn.execute(
            text(
                "INSERT INTO feedback_response (id, event_id, channel, source, submitted_on) "
                "SELECT gen_random_uuid(), :first + (g % :events), 'online', 'open_link', "
                "CURRENT_DATE FROM generate_series(1, :n) g"
            ),
            {"first": events[0].id if events else big.id, "events": max(len(events), 1), "n": rest},
        )
        for item, options in ITEMS.items():
            values = "ARRAY[" + ",".join(f"'{o}'" for o in options) + "]"
            pick = f"({values})[1 + floor(random() * {len(options)})::int]"
            sql = f"INSERT INTO feedback_answer (response_id, item, option) SELECT id, :item, {pick} FROM feedback_response"  # noqa: S608 - constants from this file
            conn.execute(
                text(sql),
                {"item": item},
            )
    else:
        import random
        import uuid

        rng = random.Random(1)
        rows = [(uuid.uuid4().hex, big.id) for _ in range(EVENT_RESPONSES)]
        rows += [(uuid.uuid4().hex, event_ids[1 + i % max(len(events), 1)]) for i in range(rest)]
        conn.exec_driver_sql(
            "INSERT INTO feedback_response (id, event_id, channel, source, submitted_on) "
            "VALUES (?, ?, 'online', 'open_link', date('now'))",
            rows,
        )
        conn.exec_driver_sql(
            "INSERT INTO feedback_answer (response_id, item, option) VALUES (?, ?, ?)",
            [(r[0], item, rng.choice(opts)) for r in rows for item, opts in ITEMS.items()],
        )
    db.session.commit()
    if postgres:
        conn = db.session.connection()
        conn.execute(text("SET LOCAL statement_timeout = 0"))
        # Statistics for every generated table, as autovacuum would give production (without
        # them on "event" the planner expects one event and nests a loop over 1,000,000 rows).
        for table in ("event", "feedback_response", "feedback_answer"):
            conn.execute(text(f"ANALYZE {table}"))
        db.session.commit()
    return council.id, big.id


def _best(fn: Any) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _bare_report(event_id: int) -> None:
    """The report's aggregate statements, bare: count, options per item, before/after pairs."""
    from sqlalchemy import text

    from eventapp.extensions import db

    conn = db.session.connection()
    conn.execute(
        text("SELECT count(*) FROM feedback_response WHERE event_id = :e"), {"e": event_id}
    ).all()
    conn.execute(
        text(
            "SELECT a.item, a.option, count(*) FROM feedback_answer a JOIN feedback_response r "
            "ON r.id = a.response_id WHERE r.event_id = :e GROUP BY a.item, a.option"
        ),
        {"e": event_id},
    ).all()
    conn.execute(
        text(
            "SELECT b.item, b.option, a.option, count(*) FROM feedback_answer b "
            "JOIN feedback_answer a ON a.response_id = b.response_id AND "
            "((b.item = 'knowledge_before' AND a.item = 'knowledge_after') OR "
            "(b.item = 'opinion_before' AND a.item = 'opinion_after')) "
            "JOIN feedback_response r ON r.id = b.response_id WHERE r.event_id = :e "
            "GROUP BY b.item, b.option, a.option"
        ),
        {"e": event_id},
    ).all()


# The dashboard's numbers as bare SQL: events and attendance, responses, the Q6/Q7 counts and
# the Q8/Q9 shifts per quarter and format, and the before/after pairs pooled. These are the
# statements the dashboard sent when the benchmark was written, kept here as text so that
# changing the dashboard's queries cannot change the baseline it is measured against (only the
# UK quarter expression is the app's, so that both group events into the same quarters).
_SELECTED = (
    "SELECT event.id FROM event WHERE event.council_id = :council "
    "AND event.status IN ('held', 'evaluated') AND event.starts_at IS NOT NULL"
)
_SCALES = {
    "knowledge": ("very_poor", "poor", "good", "very_good"),
    "opinion": ("very_negative", "negative", "neutral", "positive", "very_positive"),
}


def _bare_dashboard_sql(quarter: str) -> list[str]:
    def score(column: str, kind: str) -> str:
        whens = " ".join(f"WHEN '{o}' THEN {n}" for n, o in enumerate(_SCALES[kind], 1))
        return f"CASE {column} {whens} END"

    attended = "CASE WHEN checked_in.n > 0 THEN checked_in.n ELSE evaluation.attendance_entered END"
    by_group = f"WHERE event.id IN ({_SELECTED})"
    group = f"GROUP BY {quarter}, event.format"
    yes_answered = ", ".join(
        f"coalesce(sum(CASE WHEN (feedback_answer.item = '{item}' AND "
        f"feedback_answer.option {test}) THEN 1 ELSE 0 END), 0)"
        for item in ("recommend", "video")
        for test in ("= 'yes'", "IS NOT NULL")
    )
    statements = [
        f"SELECT {quarter}, event.format, count(event.id), coalesce(sum({attended}), 0), "
        f"count({attended}) FROM event "
        "LEFT OUTER JOIN evaluation ON evaluation.event_id = event.id "
        "LEFT OUTER JOIN (SELECT registration.event_id AS event_id, count(*) AS n "
        f"FROM registration WHERE registration.event_id IN ({_SELECTED}) "
        "AND registration.checked_in_at IS NOT NULL GROUP BY registration.event_id) "
        f"AS checked_in ON checked_in.event_id = event.id {by_group} {group}",
        f"SELECT {quarter}, event.format, count(feedback_response.id) FROM feedback_response "
        f"JOIN event ON event.id = feedback_response.event_id {by_group} {group}",
        f"SELECT {quarter}, event.format, {yes_answered} FROM feedback_answer "
        "JOIN feedback_response ON feedback_response.id = feedback_answer.response_id "
        f"JOIN event ON event.id = feedback_response.event_id {by_group} "
        f"AND feedback_answer.item IN ('recommend', 'video') {group}",
    ]
    for kind in _SCALES:
        before, after = score("b.option", kind), score("a.option", kind)
        both = f"({before}) IS NOT NULL AND ({after}) IS NOT NULL"
        statements.append(
            f"SELECT {quarter}, event.format, "
            f"coalesce(sum(CASE WHEN {both} THEN 1 ELSE 0 END), 0), "
            f"coalesce(sum(CASE WHEN {both} AND ({after}) > ({before}) THEN 1 ELSE 0 END), 0) "
            "FROM feedback_answer AS b JOIN feedback_answer AS a "
            f"ON a.response_id = b.response_id AND a.item = '{kind}_after' "
            "JOIN feedback_response ON feedback_response.id = b.response_id "
            f"JOIN event ON event.id = feedback_response.event_id {by_group} "
            f"AND b.item = '{kind}_before' {group}"
        )
    statements.append(
        "SELECT b.item, b.option, a.option, count(*) FROM feedback_answer AS b "
        "JOIN feedback_answer AS a ON a.response_id = b.response_id AND "
        "((b.item = 'knowledge_before' AND a.item = 'knowledge_after') OR "
        "(b.item = 'opinion_before' AND a.item = 'opinion_after')) "
        "JOIN feedback_response ON feedback_response.id = b.response_id "
        f"WHERE feedback_response.event_id IN ({_SELECTED}) GROUP BY b.item, b.option, a.option"
    )
    return statements


def _bare_dashboard(council_id: int) -> list[list[Any]]:
    """The dashboard's aggregate statements, bare: executed and fetched, nothing else."""
    from sqlalchemy import text

    from eventapp.evaluation.queries import uk_quarter
    from eventapp.events.models import Event
    from eventapp.extensions import db

    conn = db.session.connection()
    quarter = str(uk_quarter(Event.starts_at).compile(dialect=db.engine.dialect))
    return [
        conn.execute(text(sql), {"council": council_id}).all()
        for sql in _bare_dashboard_sql(quarter)
    ]


def _give_big_event_every_response(big_id: int) -> int:
    """After the timings: move every response to the big event, so that its CSV has them all
    (1,000,000 rows by default); returns how many it now has."""
    from sqlalchemy import text

    from eventapp.extensions import db

    conn = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL statement_timeout = 0"))
    conn.execute(text("UPDATE feedback_response SET event_id = :big"), {"big": big_id})
    if db.engine.dialect.name == "postgresql":
        conn.execute(text("ANALYZE feedback_response"))
    total = conn.execute(
        text("SELECT count(*) FROM feedback_response WHERE event_id = :big"), {"big": big_id}
    ).scalar_one()
    db.session.commit()
    return int(total)


def _csv_peak(event_id: int, limit: int | None) -> tuple[int, int, float]:
    """Stream the event's responses CSV (its first `limit` rows, or all): the data rows
    written, the peak Python memory while streaming, and the seconds it took."""
    from eventapp.evaluation.exports import response_rows
    from eventapp.events.models import Event
    from eventapp.extensions import db

    event = db.session.get(Event, event_id)
    start = time.perf_counter()
    tracemalloc.start()
    lines = 0
    for chunk in response_rows(event):
        lines += chunk.count("\n")
        if limit is not None and lines > limit:
            break
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines - 1, peak, time.perf_counter() - start


def _line(
    name: str, unit: str, baseline: float, ours: float, target: float, invariant: Any
) -> None:
    print(
        json.dumps(
            {
                "bench": name,
                "unit": unit,
                "baseline": round(baseline, 4),
                "ours": round(ours, 4),
                "ratio": round(ours / baseline, 3) if baseline else None,
                "target": target,
                "invariant": invariant,
            }
        )
    )


def main() -> int:
    from datetime import date

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        with app.app_context():
            from eventapp.evaluation import dashboard, services
            from eventapp.events.models import Event
            from eventapp.extensions import db

            start = time.perf_counter()
            council_id, big_id = _generate(app)
            database = db.engine.dialect.name
            print(
                f"evaluation: {COUNCIL_RESPONSES:,} responses across {EVENTS:,} events, "
                f"{EVENT_RESPONSES:,} for one event ({database}); generated in "
                f"{time.perf_counter() - start:.1f}s"
            )
            event = db.session.get(Event, big_id)
            today = date.today()
            report = services.build_report(event, today=today)
            base_r = _best(lambda: _bare_report(big_id))
            ours_r = _best(lambda: services.build_report(event, today=today))
            ok_r = report.feedback.responses == EVENT_RESPONSES
            print(f"  report: bare SQL {base_r * 1000:.1f} ms, build_report {ours_r * 1000:.1f} ms")
            board = dashboard.dashboard(council_id, dashboard.Filters())
            base_d = _best(lambda: _bare_dashboard(council_id))
            ours_d = _best(lambda: dashboard.dashboard(council_id, dashboard.Filters()))
            bare_responses = sum(row[-1] for row in _bare_dashboard(council_id)[1])
            ok_d = (
                board.responses.value == bare_responses == max(COUNCIL_RESPONSES, EVENT_RESPONSES)
            )
            print(f"  dashboard: bare SQL {base_d * 1000:.1f} ms, dashboard {ours_d * 1000:.1f} ms")
            everyone = _give_big_event_every_response(big_id)
            small_rows, small_peak, small_s = _csv_peak(big_id, everyone // 10)
            big_rows, big_peak, big_s = _csv_peak(big_id, None)
            flat = big_peak < 3 * max(small_peak, 1) and big_rows == everyone
            print(
                f"  responses CSV: {small_rows:,} rows peak {small_peak / 1e6:.1f} MB "
                f"({small_s:.1f}s); {big_rows:,} rows peak {big_peak / 1e6:.1f} MB ({big_s:.1f}s)"
            )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
            print(f"  process peak resident memory {rss / 1e6:.0f} MB")
            _line("evaluation_report", "seconds", base_r, ours_r, TARGET, ok_r)
            _line("evaluation_dashboard", "seconds", base_d, ours_d, TARGET, ok_d)
            _line("evaluation_csv_memory", "bytes peak", small_peak, big_peak, 3.0, flat)
            sys.stdout.flush()
            return 0 if ok_r and ok_d and flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
