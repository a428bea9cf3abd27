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
from sqlalchemy.exc import DBAPIError

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
    return options


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
