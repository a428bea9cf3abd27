"""The mutation tool itself: what it mutates, that a mutant really runs, and that its lists
(modules, equivalent mutants) stay true as the code changes."""

from __future__ import annotations

import ast
import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from tests.mutation import mutants as mut
from tests.mutation.runner import ROOT, ModuleConfig, _MutantFinder, load_config

SAMPLE = textwrap.dedent(
    '''
    """Module docstring."""
    from __future__ import annotations

    from datetime import timedelta

    LIMIT: int = 3
    TABLE = {"a": "Start", "b": "Stop"}


    def over(n: int) -> bool:
        """Docstring."""
        return n > LIMIT


    def local(value):
        return value.astimezone(UTC)


    def label(key: str, *, upper: bool = False) -> str:
        text = TABLE[key]
        text = text.strip()
        return text.upper() if upper else text
    '''
)


def names(source: str = SAMPLE) -> list[str]:
    return [m.name for m in mut.collect("sample.py", source)]


def test_module_level_tables_and_limits_are_mutated() -> None:
    found = names()
    assert "LIMIT: 3 -> 4" in found
    assert "TABLE: remove entry 'a' from dict" in found
    assert "TABLE: 'Start' -> 'XX…XX'" in found
    assert "over: n > LIMIT -> n >= LIMIT" in found
    assert "label: delete `text = text.strip()`" in found
    assert "label: text.strip() -> text" in found
    assert "label: False -> True" in found
    assert "local: value.astimezone(UTC) -> value.astimezone() (machine zone)" in found


def test_docstrings_imports_and_annotations_are_left_alone() -> None:
    found = "\n".join(names())
    assert "Docstring" not in found
    assert "timedelta" not in found
    assert "annotations" not in found
    assert "-> bool" not in found and "int" not in found.replace("print", "")


def test_names_are_unique_and_stable() -> None:
    twice = (
        SAMPLE
        + "\n\ndef under(n):\n    return n > LIMIT\n\n\ndef also(n):\n    return n > 1 or n > 1\n"
    )
    found = names(twice)
    assert len(found) == len(set(found))
    assert "also: n > 1 -> n >= 1 #2" in found
    # Adding code elsewhere does not rename the mutants of a function.
    assert [n for n in found if n.startswith("over:")] == [
        n for n in names() if n.startswith("over:")
    ]


def test_every_mutant_compiles_and_changes_the_tree() -> None:
    original = ast.dump(mut.parse(SAMPLE, "sample.py"))
    for mutant in mut.collect("sample.py", SAMPLE):
        tree = mut.apply(SAMPLE, mutant)
        compile(tree, "sample.py", "exec")
        assert ast.dump(tree) != original, mutant.name


def test_the_import_hook_runs_the_mutant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "mutation_sample"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "rules.py").write_text(SAMPLE)
    monkeypatch.syspath_prepend(str(tmp_path))
    (mutant,) = [
        m for m in mut.collect("mutation_sample/rules.py", SAMPLE) if m.name == "LIMIT: 3 -> 4"
    ]
    code = compile(mut.apply(SAMPLE, mutant), str(package / "rules.py"), "exec")
    finder = _MutantFinder("mutation_sample.rules", package / "rules.py", code)
    sys.meta_path.insert(0, finder)
    try:
        rules = importlib.import_module("mutation_sample.rules")
        assert rules.LIMIT == 4
        assert not rules.over(4)
    finally:
        sys.meta_path.remove(finder)
        sys.modules.pop("mutation_sample.rules", None)
        sys.modules.pop("mutation_sample", None)


def test_configured_modules_and_tests_exist() -> None:
    config = load_config()
    paths = [m.path for m in config.modules]
    assert len(paths) == len(set(paths))
    for module in config.modules:
        assert (ROOT / module.path).is_file(), module.path
        assert importlib.util.find_spec(module.import_name) is not None, module.import_name
        for test in module.tests:
            assert (ROOT / test.split("::")[0]).exists(), test
    assert config.zones and "UTC" not in config.zones


def test_every_equivalent_mark_names_a_mutant_and_gives_a_reason() -> None:
    config = load_config()
    known = {
        m.key
        for module in config.modules
        for m in mut.collect(module.path, (ROOT / module.path).read_text())
    }
    stale = sorted(set(config.equivalent) - known)
    assert not stale, f"equivalent.toml names mutants that no longer exist: {stale}"
    assert all(len(reason) > 20 for reason in config.equivalent.values())


def test_package_modules_are_imported_by_their_package_name() -> None:
    assert ModuleConfig("eventapp/tokens/__init__.py", []).import_name == "eventapp.tokens"
    assert ModuleConfig("eventapp/agenda/timings.py", []).import_name == "eventapp.agenda.timings"
