"""The benchmarks' CPU attribution (bench/serving.py): what the served app's master and
workers use counts as gunicorn's, what the benchmark's own process uses as the client's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import serving

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="CPU attribution reads /proc (Linux only)"
)

# Spin for 0.6 s of CPU, then sit idle.
WORKER = (
    "import time\n"
    "end = time.process_time() + 0.6\n"
    "while time.process_time() < end: pass\n"
    "time.sleep(30)\n"
)
# A master that starts one worker and waits for it, as gunicorn's does.
MASTER = f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {WORKER!r}]).wait()\n"


def _spin_here(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _measure(master: subprocess.Popen[bytes], during: float, spin_here: float) -> dict[str, float]:
    time.sleep(0.1)  # the worker has started
    before = serving.cpu_snapshot(master.pid)
    _spin_here(spin_here)
    time.sleep(during)
    after = serving.cpu_snapshot(master.pid)
    per_request = serving.cpu_per_request(before, after, requests=1)
    assert per_request is not None
    assert set(per_request) == set(serving.CPU_GROUPS)
    assert all(value >= 0 for value in per_request.values())
    return per_request


def test_a_masters_worker_counts_as_gunicorn() -> None:
    master = subprocess.Popen([sys.executable, "-c", MASTER])  # noqa: S603 - fixed arguments
    try:
        per_request = _measure(master, during=1.5, spin_here=0)
    finally:
        subprocess.run(["pkill", "-P", str(master.pid)], check=False)  # noqa: S607
        master.kill()
        master.wait()
    # Most of the worker's 0.6 s fell between the snapshots (it had run for up to 0.1 s).
    assert per_request["gunicorn"] >= 400, per_request
    assert per_request["client"] < 100, per_request


def test_the_benchmarks_own_work_counts_as_the_client() -> None:
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    try:
        per_request = _measure(idle, during=0, spin_here=0.3)
    finally:
        idle.kill()
        idle.wait()
    assert 250 <= per_request["client"] <= 600, per_request
    assert per_request["gunicorn"] < 50, per_request


def test_medians_and_words() -> None:
    rounds = [
        dict(zip(serving.CPU_GROUPS, (2.0, 1.0, 0.0, 1.0, 0.0), strict=True)),
        dict(zip(serving.CPU_GROUPS, (4.0, 3.0, 0.2, 1.0, 0.2), strict=True)),
        dict(zip(serving.CPU_GROUPS, (3.0, 2.0, 0.1, 1.0, 0.1), strict=True)),
        None,
    ]
    medians = serving.median_cpu(rounds)
    assert medians == {
        "gunicorn": 3.0,
        "postgresql": 2.0,
        "redis": 0.1,
        "client": 1.0,
        "other": 0.1,
        "total": 6.2,
    }
    assert serving.median_cpu([None]) is None
    assert serving.cpu_per_request(None, medians, 5) is None
    words = serving.describe_cpu(medians)
    assert "gunicorn 3.00" in words and "total 6.20" in words
    assert "not measured" in serving.describe_cpu(None)
