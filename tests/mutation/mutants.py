"""Mutants of one module, made on its syntax tree: functions, class bodies and module-level
tables alike (mutmut 3 mutates inside functions only, so it never reaches a table such as
``TRANSITIONS`` or a limit such as ``MAX_SPEAKERS``).

Each mutant is one small change a careless edit could make (including the time-zone slip of
``astimezone()`` without a zone, which reads the machine's clock setting). It is named by the function it
sits in and what it changes (``week_window: 7 -> 8``), plus ``#2``, ``#3``... when the same
change occurs more than once in that function, so a name survives edits elsewhere in the file
and can be marked equivalent in ``equivalent.toml``.

What is left alone: docstrings, imports, type annotations, ``__all__``, decorators and the
format specifications inside f-strings (the code's layout and typing, not its behaviour).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Path = tuple[tuple[str, int | None], ...]

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
_DESCRIPTION_WIDTH = 70


@dataclass(frozen=True)
class Mutant:
    """One change to a module: where it is, what it does, and the tree node that replaces."""

    module: str  # path relative to the project root, e.g. eventapp/checklist/weeks.py
    name: str  # stable: "<scope>: <change>" (+ " #n")
    line: int
    path: Path
    replacement: ast.AST

    @property
    def key(self) -> str:
        return f"{self.module} | {self.name}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DESCRIPTION_WIDTH else text[: _DESCRIPTION_WIDTH - 1] + "…"


def _src(node: ast.AST) -> str:
    return _short(ast.unparse(node))


def _is_docstring(parent: ast.AST, field: str, index: int | None) -> bool:
    if field != "body" or index != 0:
        return False
    if not isinstance(parent, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    stmt = parent.body[0]
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _assigned_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        return node.targets[0].id
    return None


def _negation_is_listed(test: ast.expr) -> bool:
    """Whether negating this condition would repeat another mutant (``not``, ``==``, ``is``...)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.NotEq | ast.Is | ast.IsNot | ast.In | ast.NotIn)
    )


def _names(node: ast.AST, ctx: type[ast.expr_context]) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


class _Collector:
    """Walks the tree once and lists every mutant in source order."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int, Path, ast.AST, str]] = []  # scope, line, path, new, change
        self.whole_statement_calls: set[int] = set()
        self.dict_keys: set[int] = set()

    def add(self, scope: str, node: ast.AST, path: Path, new: ast.AST, change: str) -> None:
        self.found.append((scope, getattr(node, "lineno", 0), path, new, change))

    def visit(self, node: ast.AST, path: Path, scope: str, in_function: bool = False) -> None:
        if _assigned_name(node) == "__all__":
            return  # only `import *` reads it
        self.mutate(node, path, scope)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = node.name if scope == "<module>" else f"{scope}.{node.name}"
            in_function = in_function or not isinstance(node, ast.ClassDef)
        elif not in_function and (name := _assigned_name(node)):
            # A table or limit is named after itself: ``MAX_SPEAKERS: 3 -> 4``.
            scope = name if scope == "<module>" else f"{scope}.{name}"
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns", "decorator_list", "type_comment"):
                continue
            if isinstance(node, ast.FormattedValue) and field == "format_spec":
                continue
            if isinstance(value, list):
                for index, child in enumerate(value):
                    if isinstance(child, ast.AST) and not _is_docstring(node, field, index):
                        self.visit(child, (*path, (field, index)), scope, in_function)
            elif isinstance(value, ast.AST):
                self.visit(value, (*path, (field, None)), scope, in_function)

    def mutate(self, node: ast.AST, path: Path, scope: str) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            return
        if isinstance(node, ast.Constant):
            self.constant(node, path, scope)
        elif isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                swap = _COMPARE_SWAPS.get(type(op))
                if swap is not None:
                    new = copy.deepcopy(node)
                    new.ops[i] = swap()
                    self.add(scope, node, path, new, f"{_src(node)} -> {_src(new)}")
        elif isinstance(node, ast.BinOp):
            swap_op = _BINOP_SWAPS.get(type(node.op))
            if swap_op is not None:
                new = copy.deepcopy(node)
                new.op = swap_op()
                self.add(scope, node, path, new, f"{_src(node)} -> {_src(new)}")
        elif isinstance(node, ast.AugAssign):
            swap_op = _BINOP_SWAPS.get(type(node.op))
            if swap_op is not None:
                new_aug = copy.deepcopy(node)
                new_aug.op = swap_op()
                self.add(scope, node, path, new_aug, f"{_src(node)} -> {_src(new_aug)}")
            self.add(scope, node, path, ast.Pass(), f"delete `{_src(node)}`")
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            swapped = ast.BoolOp(op=other, values=copy.deepcopy(node.values))
            self.add(scope, node, path, swapped, f"{_src(node)} -> {_src(swapped)}")
            for i, value in enumerate(node.values):
                rest = [copy.deepcopy(v) for j, v in enumerate(node.values) if j != i]
                new_expr: ast.expr = rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)
                self.add(scope, node, path, new_expr, f"drop `{_src(value)}` from `{_src(node)}`")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
            self.add(
                scope,
                node,
                path,
                copy.deepcopy(node.operand),
                f"{_src(node)} -> {_src(node.operand)}",
            )
        elif isinstance(node, ast.If | ast.IfExp | ast.While) and not _negation_is_listed(
            node.test
        ):
            negated = ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(node.test))
            new_branch = copy.deepcopy(node)
            new_branch.test = negated
            self.add(
                scope, node, (*path,), new_branch, f"if {_src(node.test)} -> if {_src(negated)}"
            )
        elif isinstance(node, ast.comprehension):
            for i, cond in enumerate(node.ifs):
                new_comp = copy.deepcopy(node)
                new_comp.ifs[i] = ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(cond))
                self.add(scope, cond, path, new_comp, f"if {_src(cond)} -> if not ({_src(cond)})")
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                self.add(
                    scope,
                    node,
                    path,
                    ast.Return(value=ast.Constant(None)),
                    f"{_src(node)} -> return None",
                )
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            # Deleting the statement covers the call; its receiver alone would do the same.
            self.whole_statement_calls.add(id(node.value))
            self.add(scope, node, path, ast.Pass(), f"delete `{_src(node)}`")
        elif isinstance(node, ast.Assign):
            self.assignment(node, path, scope)
        elif isinstance(node, ast.Call):
            self.call(node, path, scope)
        elif isinstance(node, ast.Dict) and len(node.keys) > 1:
            # Removing an entry covers the keys; taking an element out of a tuple key would
            # only make a key nothing looks up.
            self.dict_keys.update(id(k) for k in node.keys)
            for i, key in enumerate(node.keys):
                new_dict = copy.deepcopy(node)
                del new_dict.keys[i]
                del new_dict.values[i]
                label = _src(key) if key is not None else f"**{_src(node.values[i])}"
                self.add(scope, key or node, path, new_dict, f"remove entry {label} from dict")
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and isinstance(
            getattr(node, "ctx", ast.Load()), ast.Load
        ):
            if len(node.elts) > 1 and id(node) not in self.dict_keys:
                for i, element in enumerate(node.elts):
                    new_seq = copy.deepcopy(node)
                    del new_seq.elts[i]
                    self.add(
                        scope, element, path, new_seq, f"remove {_src(element)} from `{_src(node)}`"
                    )

    def constant(self, node: ast.Constant, path: Path, scope: str) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(scope, node, path, ast.Constant(not value), f"{value} -> {not value}")
        elif isinstance(value, int | float):
            for new in (value + 1, value - 1):
                self.add(scope, node, path, ast.Constant(new), f"{value!r} -> {new!r}")
        elif isinstance(value, str):
            new = f"XX{value}XX"
            self.add(scope, node, path, ast.Constant(new), f"{_short(repr(value))} -> 'XX…XX'")

    def assignment(self, node: ast.Assign, path: Path, scope: str) -> None:
        targets = set().union(*(_names(t, ast.Store) for t in node.targets))
        if targets == {"__all__"}:
            return
        # Deleting a re-assignment (``x = x.strip()``) keeps the code running: a real mutant.
        if targets and targets <= _names(node.value, ast.Load):
            self.add(scope, node, path, ast.Pass(), f"delete `{_src(node)}`")

    def call(self, node: ast.Call, path: Path, scope: str) -> None:
        # A method call replaced by the object it is called on: ``x.astimezone(LONDON)`` -> ``x``.
        if id(node) in self.whole_statement_calls:
            return
        if isinstance(node.func, ast.Attribute) and not isinstance(node.func.value, ast.Constant):
            receiver = copy.deepcopy(node.func.value)
            self.add(scope, node, path, receiver, f"{_src(node)} -> {_src(receiver)}")
        # The time-zone slip: ``x.astimezone(LONDON)`` -> ``x.astimezone()``, the machine's zone
        # (only the zone re-runs can catch it when the machine runs in UTC).
        if isinstance(node.func, ast.Attribute) and node.func.attr == "astimezone" and node.args:
            local = ast.Call(func=copy.deepcopy(node.func), args=[], keywords=[])
            self.add(scope, node, path, local, f"{_src(node)} -> {_src(local)} (machine zone)")


def _scope_walk(tree: ast.Module) -> _Collector:
    collector = _Collector()
    collector.visit(tree, (), "<module>")
    return collector


def parse(source: str, filename: str) -> ast.Module:
    return ast.parse(source, filename=filename, type_comments=False)


def collect(module: str, source: str) -> list[Mutant]:
    """Every mutant of a module, in source order, with stable unique names."""
    tree = parse(source, module)
    seen: dict[str, int] = {}
    mutants = []
    for scope, line, path, new, change in _scope_walk(tree).found:
        name = f"{scope}: {change}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} #{seen[name]}"
        mutants.append(Mutant(module, name, line, path, new))
    return mutants


def _locate(tree: ast.AST, path: Path) -> tuple[Any, str, int | None]:
    parent: Any = tree
    for field, index in path[:-1]:
        parent = getattr(parent, field)
        if index is not None:
            parent = parent[index]
    field, index = path[-1]
    return parent, field, index


def apply(source: str, mutant: Mutant) -> ast.Module:
    """The module's tree with this one mutant applied."""
    tree = parse(source, mutant.module)
    parent, field, index = _locate(tree, mutant.path)
    replacement = copy.deepcopy(mutant.replacement)
    if index is None:
        setattr(parent, field, replacement)
    else:
        getattr(parent, field)[index] = replacement
    return ast.fix_missing_locations(tree)


def mutated_line(source: str, mutant: Mutant) -> str:
    """The source line the mutant changes, for the report."""
    lines = source.splitlines()
    return lines[mutant.line - 1].strip() if 0 < mutant.line <= len(lines) else ""


def iter_modules(mutants: list[Mutant]) -> Iterator[str]:
    seen: set[str] = set()
    for m in mutants:
        if m.module not in seen:
            seen.add(m.module)
            yield m.module
