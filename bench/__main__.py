"""`python -m bench` (or `make bench`): run every bench/bench_*.py module's main() in turn.

Each benchmark prints its figures and, last, one JSON line (QUALITY 29).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = sys.argv[1:]
    failures = 0
    for name in names:
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"bench.{name}")
        failures += int(bool(module.main()))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
