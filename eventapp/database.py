"""Bounded waits on the database: no request waits for a lock, or a query, forever.

- PostgreSQL: every connection sets ``lock_timeout`` (how long a statement waits for a row or
  table lock) and ``statement_timeout`` (how long any statement may run), as startup options.
- SQLite: the driver's busy timeout bounds how long a write waits for the database lock.

A statement that gives up raises an ``OperationalError`` that ``is_busy`` recognises; the
web layer rolls the transaction back (nothing half-written is kept) and shows a "try again"
page: 503 with ``Retry-After`` (eventapp.web).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, StatementError

# PostgreSQL's SQLSTATEs for a lock wait that ran out (lock_not_available) and a statement
# cancelled by statement_timeout (query_canceled).
BUSY_SQLSTATES = frozenset({"55P03", "57014"})
_SQLITE_BUSY = ("database is locked", "database table is locked")


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS with the lock and statement timeouts for the database in use."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    lock_ms = int(config["DATABASE_LOCK_TIMEOUT_MS"])
    statement_ms = int(config["DATABASE_STATEMENT_TIMEOUT_MS"])
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend == "postgresql":
        settings = [f"-c lock_timeout={lock_ms}", f"-c statement_timeout={statement_ms}"]
        existing = connect_args.get("options")
        connect_args["options"] = " ".join([*([existing] if existing else []), *settings])
    elif backend == "sqlite":
        connect_args["timeout"] = lock_ms / 1000
    options["connect_args"] = connect_args
    # A failed statement's parameters (names, emails, answers, token hashes) are never written
    # into its error message, and so never into a log or a failed job's record.
    options.setdefault("hide_parameters", True)
    return options


class DatabaseError(RuntimeError):
    """A database error retold without the values it concerned (see ``describe``)."""


def describe(error: StatementError) -> str:
    """A failed statement in words that name no value: the error's kind, the SQLSTATE and the
    statement with its placeholders. The driver's own message is left out: PostgreSQL's
    quotes the values concerned (``Key (email)=(...) already exists``)."""
    original = getattr(error, "orig", None)
    kind = type(error).__name__
    if original is not None:
        kind += f" ({type(original).__name__}"
        state = sqlstate(error) if isinstance(error, DBAPIError) else None
        kind += f", SQLSTATE {state})" if state else ")"
    statement = " ".join(str(error.statement or "").split())
    return f"{kind} in: {statement[:500]}" if statement else kind


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a driver error, if the driver gives one."""
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return str(state) if state else None


def is_busy(error: DBAPIError) -> bool:
    """Whether the database gave up waiting (for a lock, or on a slow statement)."""
    if sqlstate(error) in BUSY_SQLSTATES:
        return True
    original = error.orig
    return isinstance(original, sqlite3.OperationalError) and str(original).startswith(_SQLITE_BUSY)
