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
