"""Declarative base with a constraint naming convention and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import DateTime, MetaData, Table, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Table option for rows whose arrival order must not be kept (anonymous feedback, votes, the
# question allowance): on SQLite the table is stored by its random primary key instead of by
# a rowid that counts up as rows arrive. PostgreSQL ignores it; eventapp.arrival rewrites
# those tables there. The migration 0017_forget_arrival_order does the same for a migrated
# database.
WITHOUT_ROWID = {"sqlite_with_rowid": False}


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Naive datetimes are not stored: give a time zone.")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class database_now(FunctionElement[datetime]):  # noqa: N801 - named as SQL functions are
    """The database's clock at the moment the statement runs (not when its transaction
    began): a time read under a lock that the same round trip took (``eventapp.pipeline``)."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(database_now, "postgresql")
def _now_postgresql(element: database_now, compiler: Any, **kw: Any) -> str:
    return "clock_timestamp()"


@compiles(database_now)
def _now_sqlite(element: database_now, compiler: Any, **kw: Any) -> str:
    # UTC, in the form SQLAlchemy stores datetimes in on SQLite (microseconds, six digits).
    return "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


class Base(DeclarativeBase):
    """Base class of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """created_at and updated_at, in UTC."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements built once on a hot path (the declarative
    ``__table__`` is typed as any FromClause; a mapped class here always has a Table)."""
    return cast(Table, model.__table__)
