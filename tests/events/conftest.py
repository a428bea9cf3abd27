"""Fixtures for event tests: a SQL statement counter (QUALITY.md line 22)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from eventapp.extensions import db


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], AbstractContextManager[Counted]]:
    """`with count_queries() as counted:` records every SQL statement sent to the database.

    Everything loaded is expired first, so a request reads the database as a real one would.
    """

    @contextmanager
    def counting() -> Iterator[Counted]:
        db.session.expire_all()
        counted = Counted()

        def before_cursor_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counted.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counted
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counting
