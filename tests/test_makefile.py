"""The newcomer's commands: `make run` serves on port 5000 unless PORT says otherwise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("args", "port"), [([], "5000"), (["PORT=5101"], "5101")])
def test_make_run_serves_on_the_port_asked_for(args: list[str], port: str) -> None:
    planned = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", *args],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    serve = [line for line in planned.splitlines() if " run --host" in line]
    assert serve and serve[-1].endswith(f"--port {port}")
