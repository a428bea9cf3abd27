"""What the benchmarks share: both apps served by gunicorn with the production settings
(``eventapp/gunicorn_conf.py``, the file the README's production command uses), and the figures kept
from several interleaved rounds.

``BENCH_GUNICORN_WORKERS``, ``BENCH_GUNICORN_THREADS`` and ``BENCH_GUNICORN_CLASS`` override
the file's settings for an experiment; both apps get the same override.
"""

from __future__ import annotations

import os
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "eventapp" / "gunicorn_conf.py"


def settings() -> dict[str, str]:
    """The gunicorn settings in force: the production file's, or the experiment's override."""
    production = runpy.run_path(str(CONFIG))
    worker_class = os.environ.get("BENCH_GUNICORN_CLASS") or production.get("worker_class", "sync")
    threads = os.environ.get("BENCH_GUNICORN_THREADS") or str(production.get("threads", 1))
    if os.environ.get("BENCH_GUNICORN_THREADS") and not os.environ.get("BENCH_GUNICORN_CLASS"):
        worker_class = "gthread" if int(threads) > 1 else worker_class
    return {
        "worker_class": str(worker_class),
        "workers": os.environ.get("BENCH_GUNICORN_WORKERS") or str(production["workers"]),
        "threads": threads,
    }


def describe() -> str:
    """The settings in words, e.g. "5 sync workers" or "2 gthread workers x 8 threads"."""
    s = settings()
    if s["worker_class"] == "gthread":
        return f"{s['workers']} gthread workers x {s['threads']} threads"
    return f"{s['workers']} {s['worker_class']} workers"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(target: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start gunicorn for ``target`` with the production settings; wait until it listens."""
    s = settings()
    port = _port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(CONFIG),
            "--worker-class",
            s["worker_class"],
            "--workers",
            s["workers"],
            "--threads",
            s["threads"],
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn for {target} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rounds() -> int:
    """How many timed rounds each app runs (interleaved: baseline, ours, baseline, ...)."""
    return max(1, int(os.environ.get("BENCH_ROUNDS", "3")))


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # pragma: no cover - not on every platform
        return None


def median(values: list[float]) -> float:
    return float(statistics.median(values))


# Where a benchmark's CPU goes, read from /proc (Linux): the machine is shared by the client,
# the app's gunicorn, PostgreSQL and Redis, so a ratio of throughputs is a ratio of the CPU
# each request costs all of them together. The groups say which part of that cost is whose.
CPU_GROUPS = ("gunicorn", "postgresql", "redis", "client", "other")
_SERVERS = {"postgres": "postgresql", "redis-server": "redis"}


# Per process (its pid and start time, so that a reused pid is another process): its group and
# the CPU seconds it has used so far.
CpuSnapshot = dict[tuple[int, int], tuple[str, float]]


def cpu_snapshot(gunicorn_pid: int, proc: Path = Path("/proc")) -> CpuSnapshot | None:
    """The CPU seconds (user and system) each process has used so far, and its group: the
    gunicorn whose master is ``gunicorn_pid`` (with its workers), PostgreSQL's and Redis's
    server processes, this process (the benchmark's client threads), and every other process
    and kernel thread on the machine. None without /proc."""
    if not (proc / "self" / "stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    used: CpuSnapshot = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes().decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        # The command name is in brackets and may hold anything, ")" included: the fields
        # follow the last ")" (state, parent, ...; utime and stime are the 12th and 13th after
        # the state's, the start time the 20th).
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        pid, parent, started = int(entry.name), int(fields[1]), int(fields[19])
        if gunicorn_pid in (pid, parent):
            group = "gunicorn"
        elif pid == me:
            group = "client"
        else:
            group = _SERVERS.get(command, "other")
        used[(pid, started)] = (group, (int(fields[11]) + int(fields[12])) / ticks)
    return used


def cpu_per_request(
    before: CpuSnapshot | None, after: CpuSnapshot | None, requests: int
) -> dict[str, float] | None:
    """Milliseconds of CPU per request in each group between two snapshots, process by process:
    one that started meanwhile counts in full; one that ended meanwhile is not seen after, so
    what it used between the snapshots is missing (its earlier use is not taken off). /proc
    counts in clock ticks (10 ms here): over 200 requests, a step of 0.05 ms per request."""
    if before is None or after is None or requests <= 0:
        return None
    totals = dict.fromkeys(CPU_GROUPS, 0.0)
    for process, (group, seconds) in after.items():
        earlier = before.get(process)
        totals[group] += seconds - (earlier[1] if earlier else 0.0)
    return {group: round(total / requests * 1000, 2) for group, total in totals.items()}


def median_cpu(samples: list[dict[str, float] | None]) -> dict[str, float] | None:
    """The median of each group over rounds, and the median of the rounds' totals (not the
    sum of the groups' medians)."""
    known = [sample for sample in samples if sample is not None]
    if not known:
        return None
    medians = {group: round(median([s[group] for s in known]), 2) for group in CPU_GROUPS}
    medians["total"] = round(median([sum(s.values()) for s in known]), 2)
    return medians


def describe_cpu(cpu: dict[str, float] | None) -> str:
    """The figures in words, e.g. "gunicorn 2.30, postgresql 0.70, ...; total 4.10"."""
    if cpu is None:
        return "CPU per request not measured (no /proc)"
    parts = ", ".join(f"{group} {cpu[group]:.2f}" for group in CPU_GROUPS)
    return f"CPU per request (ms, median of rounds): {parts}; total {cpu['total']:.2f}"
