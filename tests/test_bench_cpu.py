"""The benchmarks' CPU attribution (bench/serving.py): what the served app's master and
workers use counts as gunicorn's, what the benchmark's own process uses as the client's, the
database's and Redis's processes as theirs; each process is measured on its own, so one that
ends or starts during a round takes nothing away from the others."""

from __future__ import annotations

import os
import shutil
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


TICKS = os.sysconf("SC_CLK_TCK")


def _fake_proc(root: Path, processes: dict[int, tuple[bytes, int, int, float]]) -> Path:
    """A /proc with a stat file per pid: (command name, parent, start time, CPU seconds)."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "self").mkdir(parents=True)
    (root / "self" / "stat").write_text("1 (self) S 0")
    (root / "cpuinfo").mkdir()  # not a process
    for pid, (name, parent, started, seconds) in processes.items():
        (root / str(pid)).mkdir()
        ticks = round(seconds * TICKS)
        # pid (comm) state ppid, then fields 5-13, utime, stime, fields 16-21, starttime.
        fields = ["S", str(parent), *["0"] * 9, str(ticks - ticks // 2), str(ticks // 2)]
        fields += ["0"] * 6 + [str(started), "0"]
        (root / str(pid) / "stat").write_bytes(
            str(pid).encode() + b" (" + name + b") " + " ".join(fields).encode()
        )
    return root


def test_groups_from_a_proc_table(tmp_path: Path) -> None:
    me = os.getpid()
    before = {
        100: (b"gunicorn: master", 1, 10, 1.0),
        101: (b"gunicorn: worker [wsgi:app]", 100, 11, 2.0),
        200: (b"postgres", 1, 5, 3.0),
        300: (b"redis-server", 1, 6, 1.0),
        400: (b"odd) name (with) brackets", 1, 7, 1.0),
        401: (b"caf\xe9 \xff", 1, 8, 1.0),  # not UTF-8
        402: (b"ends during the round", 1, 9, 50.0),
        500: (b"reused pid", 1, 12, 7.0),
        me: (b"python", 1, 13, 4.0),
    }
    after = {
        100: (b"gunicorn: master", 1, 10, 1.1),
        101: (b"gunicorn: worker [wsgi:app]", 100, 11, 2.5),
        102: (b"gunicorn: worker [wsgi:app]", 100, 20, 0.2),  # started during the round
        200: (b"postgres", 1, 5, 3.3),
        300: (b"redis-server", 1, 6, 1.0),
        400: (b"odd) name (with) brackets", 1, 7, 1.1),
        401: (b"caf\xe9 \xff", 1, 8, 1.2),
        500: (b"reused pid", 1, 30, 0.4),  # another process with the same pid
        me: (b"python", 1, 13, 4.5),
    }
    first = serving.cpu_snapshot(100, _fake_proc(tmp_path / "proc", before))
    second = serving.cpu_snapshot(100, _fake_proc(tmp_path / "proc", after))
    assert first is not None and second is not None
    assert first[(101, 11)] == ("gunicorn", 2.0)
    assert first[(200, 5)][0] == "postgresql" and first[(300, 6)][0] == "redis"
    assert first[(400, 7)][0] == "other" and first[(me, 13)][0] == "client"
    # Per request over 10 requests, in ms: gunicorn 0.1 + 0.5 + 0.2 s, PostgreSQL 0.3 s, Redis
    # nothing, the client 0.5 s; the rest 0.1 + 0.2 + 0.4 s (the new process on pid 500 in
    # full; the one that ended takes none of its 50 s away).
    assert serving.cpu_per_request(first, second, 10) == {
        "gunicorn": 80.0,
        "postgresql": 30.0,
        "redis": 0.0,
        "client": 50.0,
        "other": 70.0,
    }


def test_no_proc_no_figures(tmp_path: Path) -> None:
    assert serving.cpu_snapshot(1, tmp_path / "nothing") is None


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
