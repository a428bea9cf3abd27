"""Run each mutant against the tests that judge its module, and report what survives.

The parent process imports pytest and every third-party library the tests use, then forks
one child per test run. A child installs an import hook that compiles the mutated tree in
place of the module's file, so nothing on disk changes and children can run side by side;
the project's own modules are imported afresh in every child, with the mutant in them.

A mutant that survives the run in UTC runs again under each zone in ``zones``, with only the
tests marked ``timezone_sensitive``: a mutant caught only when the machine's clock is not UTC
is still caught.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import signal
import sys
import tempfile
import time
import tomllib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from tests.mutation import mutants as mut

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config.toml"
EQUIVALENT = HERE / "equivalent.toml"
ZONE_MARKER = "timezone_sensitive"
# Libraries imported before pytest starts cannot have their asserts rewritten; pytest says so.
_QUIET = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
_CHILDREN: set[int] = set()  # running children, ended if the run is interrupted


@dataclass
class ModuleConfig:
    path: str
    tests: list[str]

    @property
    def import_name(self) -> str:
        parts = list(Path(self.path).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)


@dataclass
class Config:
    min_score: float
    zones: list[str]
    markers: str
    modules: list[ModuleConfig]
    equivalent: dict[str, str]  # mutant key -> reason


def load_config(path: Path = CONFIG, equivalent_path: Path = EQUIVALENT) -> Config:
    data = tomllib.loads(path.read_text())
    marks = tomllib.loads(equivalent_path.read_text()) if equivalent_path.exists() else {}
    equivalent: dict[str, str] = {}
    for entry in marks.get("equivalent", []):
        key = f"{entry['module']} | {entry['mutant']}"
        if not entry.get("reason", "").strip():
            raise SystemExit(f"equivalent.toml: {key!r} has no reason")
        equivalent[key] = entry["reason"].strip()
    return Config(
        min_score=float(data.get("min_score", 95)),
        zones=list(data.get("zones", [])),
        markers=str(data.get("markers", "")),
        modules=[ModuleConfig(m["path"], list(m["tests"])) for m in data["module"]],
        equivalent=equivalent,
    )


# --- Inside a child -------------------------------------------------------------------------


class _MutantLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, code: CodeType) -> None:
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname: str) -> CodeType:
        return self._code


class _MutantFinder(importlib.abc.MetaPathFinder):
    """Finds the module as usual (editable install or not), then swaps in the mutant's code."""

    def __init__(self, fullname: str, origin: Path, code: CodeType) -> None:
        self.fullname, self.origin, self.code = fullname, origin, code

    def find_spec(self, fullname: str, path: Any = None, target: ModuleType | None = None) -> Any:
        if fullname != self.fullname:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.origin is None or not Path(spec.origin).samefile(self.origin):
            raise ImportError(f"{fullname} resolves to {spec.origin}, not {self.origin}")
        loader = _MutantLoader(fullname, spec.origin, self.code)
        return importlib.util.spec_from_file_location(
            fullname,
            spec.origin,
            loader=loader,
            submodule_search_locations=spec.submodule_search_locations,
        )


def _child(
    module: ModuleConfig,
    code: CodeType | None,
    zone: str,
    args: list[str],
    timeout: int,
    log: Path,
    listing: Path | None = None,
) -> None:
    """Runs in the forked child: never returns."""
    status = 99
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.environ["TZ"] = zone
        time.tzset()
        if code is not None:
            sys.meta_path.insert(0, _MutantFinder(module.import_name, ROOT / module.path, code))
        signal.alarm(timeout)
        import pytest

        status = int(pytest.main(args))
        signal.alarm(0)
        if listing is not None:
            listing.write_text("\n".join(_third_party_modules()))
    except BaseException as error:  # noqa: BLE001 - anything a mutant raises ends the child
        print(f"mutation child: {error!r}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


# --- In the parent --------------------------------------------------------------------------


@dataclass
class Run:
    """One test run of a mutant (or of the unmutated module, mutant None) in one zone."""

    mutant: mut.Mutant | None
    zone_index: int  # 0: UTC with every test; n: zones[n-1] with the zone-sensitive tests


@dataclass
class Outcome:
    mutant: mut.Mutant
    status: str  # killed | survived | timeout
    how: str = ""  # which run killed it


@dataclass
class ModuleReport:
    module: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    equivalent: dict[str, str] = field(default_factory=dict)
    unknown_marks: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        marked = [o for o in self.outcomes if o.mutant.key in self.equivalent]
        real = [o for o in self.outcomes if o.mutant.key not in self.equivalent]
        killed = sum(o.status != "survived" for o in real)
        return {
            "mutants": len(self.outcomes),
            "killed": killed,
            "survived": len(real) - killed,
            "equivalent": len(marked),
            "stale_equivalent": sum(o.status != "survived" for o in marked),
            "non_equivalent": len(real),
        }

    def score(self) -> float:
        c = self.counts()
        return 100.0 * c["killed"] / c["non_equivalent"] if c["non_equivalent"] else 100.0


def preimport_third_party(modules: Sequence[str]) -> None:
    """Import, once in the parent, the libraries a probe run used (never the project's code)."""
    for name in modules:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001, S112 - a library that will not import here is skipped
            continue


def _third_party_modules() -> list[str]:
    """The modules loaded so far that are not the project's own (nor the script's)."""
    root = str(ROOT)
    names = []
    for name, loaded in list(sys.modules.items()):
        origin = getattr(loaded, "__file__", None) or ""
        if name.startswith(("eventapp", "tests", "config", "wsgi", "__")):
            continue
        if origin.startswith(root) and "/.venv/" not in origin:
            continue
        names.append(name)
    return names


class Pool:
    """Up to ``jobs`` forked children at once."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.running: dict[int, tuple[Run, Path]] = {}

    def start(
        self,
        run: Run,
        module: ModuleConfig,
        source: str,
        config: Config,
        timeout: int,
        logs: Path,
        listing: Path | None = None,
    ) -> None:
        code = None
        if run.mutant is not None:
            code = compile(mut.apply(source, run.mutant), str(ROOT / module.path), "exec")
        zone = "UTC" if run.zone_index == 0 else config.zones[run.zone_index - 1]
        markers = config.markers
        if run.zone_index:
            markers = f"({markers}) and {ZONE_MARKER}" if markers else ZONE_MARKER
        args = ["-x", "-q", "--no-header", "-p", "no:cacheprovider", *_QUIET, *module.tests]
        if markers:
            args += ["-m", markers]
        log = logs / f"child-{len(self.running)}-{time.monotonic_ns()}.log"
        pid = os.fork()
        if pid == 0:
            _child(module, code, zone, args, timeout, log, listing)
        self.running[pid] = (run, log)
        _CHILDREN.add(pid)

    def wait_one(self) -> tuple[Run, int | None, Path]:
        """The next run to finish: its exit status, or None if it was killed by the alarm."""
        pid, status = os.wait()
        _CHILDREN.discard(pid)
        run, log = self.running.pop(pid)
        if os.WIFSIGNALED(status):
            return run, None, log
        return run, os.WEXITSTATUS(status), log


def _zone_label(config: Config, zone_index: int) -> str:
    return "UTC" if zone_index == 0 else f"TZ={config.zones[zone_index - 1]}"


def baseline(
    module: ModuleConfig, source: str, config: Config, logs: Path
) -> tuple[float, list[int]]:
    """Time the unmutated run; return its seconds and the zone runs that have tests."""
    pool = Pool(1)
    zones_with_tests = []
    started = time.monotonic()
    seconds = 0.0
    for zone_index in range(len(config.zones) + 1):
        listing = logs / "modules.txt" if zone_index == 0 else None
        pool.start(Run(None, zone_index), module, source, config, 600, logs, listing)
        _, status, log = pool.wait_one()
        if zone_index == 0:
            seconds = time.monotonic() - started
        if status == 5 and zone_index:
            continue  # no timezone-sensitive tests for this module
        if status != 0:
            tail = log.read_text()[-3000:] if log.exists() else ""
            raise SystemExit(
                f"{module.path}: the tests fail without any mutant "
                f"({_zone_label(config, zone_index)}, exit {status}):\n{tail}"
            )
        if zone_index:
            zones_with_tests.append(zone_index)
        if listing is not None and listing.exists():
            # Later children start with the libraries these tests use already imported.
            preimport_third_party(listing.read_text().split())
    return seconds, zones_with_tests


def run_module(
    module: ModuleConfig, config: Config, jobs: int, only: set[str] | None, workdir: Path
) -> ModuleReport:
    source = (ROOT / module.path).read_text()
    all_mutants = mut.collect(module.path, source)
    selected = [m for m in all_mutants if only is None or m.key in only or m.name in only]
    report = ModuleReport(module.path)
    report.equivalent = {
        k: v for k, v in config.equivalent.items() if k.startswith(module.path + " |")
    }
    names = {m.key for m in all_mutants}
    report.unknown_marks = sorted(k for k in report.equivalent if k not in names)
    started = time.monotonic()
    seconds, zone_runs = baseline(module, source, config, workdir)
    timeout = max(20, int(seconds * 4) + 10)
    print(
        f"{module.path}: {len(selected)} mutants; unmutated run {seconds:.1f}s "
        f"(timeout {timeout}s), zone re-runs: "
        + (", ".join(_zone_label(config, z) for z in zone_runs) or "none"),
        flush=True,
    )
    queue: deque[Run] = deque(Run(m, 0) for m in selected)
    pool = Pool(jobs)
    outcomes: dict[str, Outcome] = {}
    done = 0
    while queue or pool.running:
        while queue and len(pool.running) < jobs:
            pool.start(queue.popleft(), module, source, config, timeout, workdir)
        run, status, log = pool.wait_one()
        assert run.mutant is not None
        key = run.mutant.key
        if status is None:
            outcomes[key] = Outcome(run.mutant, "timeout", _zone_label(config, run.zone_index))
        elif status in (4, 5):
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise SystemExit(f"{key}: pytest could not run (exit {status}):\n{tail}")
        elif status == 0:
            later = [z for z in zone_runs if z > run.zone_index]
            if later:
                queue.appendleft(Run(run.mutant, later[0]))
                log.unlink(missing_ok=True)
                continue
            outcomes[key] = Outcome(run.mutant, "survived")
        else:
            outcomes[key] = Outcome(run.mutant, "killed", _zone_label(config, run.zone_index))
        log.unlink(missing_ok=True)
        done += 1
        if done % 25 == 0:
            print(f"  {done}/{len(selected)}", flush=True)
    report.outcomes = [outcomes[m.key] for m in selected]
    report.seconds = time.monotonic() - started
    return report


def print_report(report: ModuleReport, source: str) -> None:
    c = report.counts()
    print(
        f"\n== {report.module}: {c['mutants']} mutants, {c['killed']} killed, "
        f"{c['survived']} survived, {c['equivalent']} marked equivalent; "
        f"score {report.score():.1f}% ({c['killed']}/{c['non_equivalent']} non-equivalent killed) "
        f"in {report.seconds:.0f}s"
    )
    zone_kills = [o for o in report.outcomes if o.status == "killed" and o.how.startswith("TZ=")]
    for o in zone_kills:
        print(f"   killed only under {o.how}: L{o.mutant.line} {o.mutant.name}")
    for o in report.outcomes:
        if o.mutant.key in report.equivalent:
            if o.status != "survived":
                print(f"   STALE equivalent mark (the mutant is killed): {o.mutant.name}")
            continue
        if o.status == "survived":
            print(f"   SURVIVED L{o.mutant.line}: {o.mutant.name}")
            print(f"            {mut.mutated_line(source, o.mutant)}")
    for o in report.outcomes:
        if o.mutant.key in report.equivalent and o.status == "survived":
            print(f"   equivalent L{o.mutant.line}: {o.mutant.name}")
            print(f"            because {report.equivalent[o.mutant.key]}")
    for key in report.unknown_marks:
        print(f"   UNKNOWN equivalent mark (no such mutant any more): {key}")


def mark_equivalent(key: str, reason: str, config: Config) -> None:
    module, _, name = key.partition(" | ")
    if not name:
        raise SystemExit("name the mutant as '<module> | <mutant>', as the report prints it")
    known = {m.key for m in mut.collect(module, (ROOT / module).read_text())}
    if key not in known:
        raise SystemExit(f"no such mutant: {key}")
    if key in config.equivalent:
        raise SystemExit(f"already marked: {key}")

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    with EQUIVALENT.open("a") as out:
        out.write(
            f"\n[[equivalent]]\nmodule = {q(module)}\nmutant = {q(name)}\nreason = {q(reason)}\n"
        )
    print(f"marked equivalent: {key}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("modules", nargs="*", help="module paths (default: every configured one)")
    parser.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "1")))
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--mutant", action="append", help="run only this mutant (repeatable)")
    parser.add_argument("--show", metavar="MUTANT", help="print the module with one mutant applied")
    parser.add_argument(
        "--mark-equivalent", metavar="MUTANT", help="add a mutant to equivalent.toml"
    )
    parser.add_argument("--reason", help="why the marked mutant cannot change behaviour")
    options = parser.parse_args(argv)
    config = load_config()
    os.chdir(ROOT)

    if options.mark_equivalent:
        if not options.reason:
            parser.error("--mark-equivalent needs --reason")
        mark_equivalent(options.mark_equivalent, options.reason, config)
        return 0

    wanted = [m.rstrip("/") for m in options.modules]
    unknown = set(wanted) - {m.path for m in config.modules}
    if unknown:
        parser.error(f"not configured in {CONFIG.relative_to(ROOT)}: {', '.join(sorted(unknown))}")
    modules = [m for m in config.modules if not wanted or m.path in wanted]

    if options.list or options.show:
        for module in modules:
            source = (ROOT / module.path).read_text()
            for mutant in mut.collect(module.path, source):
                if options.show and options.show in (mutant.key, mutant.name):
                    import ast

                    print(ast.unparse(mut.apply(source, mutant)))
                    return 0
                if options.list:
                    mark = " (equivalent)" if mutant.key in config.equivalent else ""
                    print(f"{module.path}:{mutant.line}: {mutant.name}{mark}")
        return 0 if options.list else 1

    only = set(options.mutant) if options.mutant else None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    reports = []
    try:
        with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
            for module in modules:
                report = run_module(module, config, max(1, options.jobs), only, Path(tmp))
                print_report(report, (ROOT / module.path).read_text())
                reports.append(report)
    finally:
        for pid in _CHILDREN:
            os.kill(pid, signal.SIGKILL)

    print("\nmodule                                   mutants  killed  equiv  survived  score")
    failing = []
    for report in reports:
        c = report.counts()
        print(
            f"{report.module:<40} {c['mutants']:>7} {c['killed']:>7} {c['equivalent']:>6} "
            f"{c['survived']:>9} {report.score():>5.1f}%"
        )
        if report.score() < config.min_score or report.unknown_marks or c["stale_equivalent"]:
            failing.append(report.module)
    if failing and only is None:
        print(f"\nbelow {config.min_score:g}% or with stale marks: {', '.join(failing)}")
        return 1
    return 0
