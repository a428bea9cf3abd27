"""Several statements of the session's transaction in one round trip to the database.

On PostgreSQL the statements go out together in psycopg's pipeline mode: the server runs them
one after another, each as a statement of its own (under READ COMMITTED each takes its own
snapshot, so a statement after a lock's reads what the lock's earlier holders committed), and
the client waits once instead of once per statement. (A transaction not yet begun costs a
round trip of its own first: psycopg waits for its BEGIN.) Elsewhere (SQLite, a file on the
same machine) they run one after another through the session. Either way the statements are SQLAlchemy Core statements, with
their types' conversions applied to parameters and results, and the engine's
``before_cursor_execute`` and ``after_cursor_execute`` listeners see every statement (the
query counts that tests keep include these); a listener that changes the statement
(``retval=True``) is not applied here.

For the busiest requests only (taking a place): most code runs statements through the
session, one at a time.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Executable
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from eventapp.extensions import db


@dataclass(frozen=True)
class Step:
    """A statement and its parameters."""

    statement: Executable
    params: Mapping[str, Any]


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled once for a dialect: its SQL, how its parameters are converted,
    and how its result row (the first) is read."""

    compiled: SQLCompiler
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    defaults: tuple[tuple[str, Callable[[], Any]], ...]
    row: Callable[..., Any] | None
    results: tuple[Callable[[Any], Any] | None, ...]

    def parameters(self, params: Mapping[str, Any]) -> dict[str, Any]:
        values = self.compiled.construct_params(dict(params))
        for name, default in self.defaults:
            if name not in params:
                values[name] = default()
        return {
            name: (convert(values[name]) if convert is not None else values[name])
            for name, convert in self.binds
        }

    def read(self, raw: Sequence[Any] | None) -> Any:
        if raw is None or self.row is None:
            return None
        return self.row(
            *(
                value if convert is None else convert(value)
                for value, convert in zip(raw, self.results, strict=True)
            )
        )


@lru_cache(maxsize=256)
def _compile(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Compiled:
    """``keys``: the parameters' names (an INSERT without values writes the columns named).
    Kept per statement object: pipelined statements are built once (``functools.cache``)."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if not isinstance(compiled, SQLCompiler) or any(b.expanding for b in compiled.binds.values()):
        raise ValueError("A pipelined statement has no IN list of values (bind each one)")
    # Columns whose default (on insert) or onupdate is computed in Python: SQLAlchemy's
    # execution would compute them, so this does too.
    defaults = tuple(
        (column.key, _python_default(getattr(column, attribute)))
        for attribute, columns in (
            ("default", compiled.insert_prefetch),
            ("onupdate", compiled.update_prefetch),
        )
        for column in columns
    )
    names = dict.fromkeys(compiled.bind_names.values())
    binds = tuple((name, compiled.binds[name].type.bind_processor(dialect)) for name in names)
    columns = list(getattr(statement, "exported_columns", None) or [])
    row: Callable[..., Any] | None = None
    results: tuple[Callable[[Any], Any] | None, ...] = ()
    if columns:
        row = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc,no-redef]  # noqa: PYI024
        results = tuple(column.type.result_processor(dialect, None) for column in columns)
    return _Compiled(compiled, compiled.string, binds, defaults, row, results)


def _python_default(default: Any) -> Callable[[], Any]:
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        # SQLAlchemy wraps a default that takes no argument to take the execution context;
        # these statements' defaults do not look at it.
        function = default.arg
        return lambda: function(None)
    raise ValueError("A pipelined statement's Python defaults are values or functions")


def run(*steps: Step) -> list[Any]:
    """Run the steps in order in the session's transaction; each one's first result row
    (with its columns as attributes), or None for a statement that gives none. A single
    step runs through the session as any statement does (a pipeline would save nothing)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or len(steps) < 2:
        return [_one_by_one(step) for step in steps]
    return _together(connection, steps)


def _one_by_one(step: Step) -> Any:
    result = cast(CursorResult[Any], db.session.execute(step.statement, dict(step.params)))
    return result.first() if result.returns_rows else None


class _Context:
    """What the engine's cursor listeners get as a pipelined statement's execution context:
    the statement, its parameters (a list of one set, as SQLAlchemy gives), the cursor and
    the connection, and room for the listeners' own attributes (a timer's start, say), as on
    SQLAlchemy's context. Nothing else of SQLAlchemy's context is offered."""

    def __init__(
        self, connection: Connection, cursor: Any, statement: str, parameters: dict[str, Any]
    ) -> None:
        self.root_connection = connection
        self.dialect = connection.dialect
        self.cursor = cursor
        self.statement = statement
        self.parameters = [parameters]
        self.executemany = False


def _together(connection: Connection, steps: Sequence[Step]) -> list[Any]:
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    dispatch = connection.dispatch
    prepared = [
        (_compile(step.statement, dialect, tuple(step.params)), step.params) for step in steps
    ]
    sent: list[tuple[Any, str, dict[str, Any], _Context]] = []
    sql, values = "", {}
    try:
        with driver.pipeline():  # type: ignore[union-attr]
            for compiled, params in prepared:
                sql, values = compiled.sql, compiled.parameters(params)
                cursor = driver.cursor()  # type: ignore[union-attr]
                context = _Context(connection, cursor, sql, values)
                sent.append((cursor, sql, values, context))
                dispatch.before_cursor_execute(connection, cursor, sql, values, context, False)
                cursor.execute(sql, values)
            # A statement's error arrives with the results: it may be any of them.
            sql, values = ";\n".join(compiled.sql for compiled, _ in prepared), {}
        rows = [
            compiled.read(cursor.fetchone() if compiled.row is not None else None)
            for (compiled, _), (cursor, *_) in zip(prepared, sent, strict=True)
        ]
        for cursor, statement, parameters, context in sent:
            dispatch.after_cursor_execute(connection, cursor, statement, parameters, context, False)
        return rows
    except dialect.loaded_dbapi.Error as error:
        # Told as SQLAlchemy tells a driver's error (a lock wait that ran out is an
        # OperationalError the web layer answers with "busy, try again"), without the values;
        # a lost connection is dropped from the pool, as SQLAlchemy's own execution does.
        lost = dialect.is_disconnect(error, driver, sent[-1][0] if sent else None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql,
            values,
            error,
            dialect.loaded_dbapi.Error,
            hide_parameters=True,
            connection_invalidated=lost,
            dialect=dialect,
        ) from error
    finally:
        for cursor, *_ in sent:
            cursor.close()
