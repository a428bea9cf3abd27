"""Forget the order in which anonymous rows arrived.

An anonymous feedback response, an anonymous question and a vote carry no time finer than
the day and a random id, so no column says which came first. Storage can: SQLite numbers
rows as they arrive (its hidden rowid), and PostgreSQL appends new rows to the end of the
table, so reading a table without an ORDER BY, or a plain ``pg_dump``, lists them in arrival
order, and the order of arrival can tie a response to the person seen leaving the room last.

- SQLite: the tables are created WITHOUT ROWID (``WITHOUT_ROWID`` in their models, migration
  0017), so they are stored by their random keys from the start.
- PostgreSQL keeps two traces: the physical order (new rows go at the end of the table) and
  each row's ``xmin``, the number of the transaction that wrote it, which counts up.
  ``forget_arrival_order`` first rewrites every row of those tables in one transaction
  (``UPDATE ... SET column = column``), so all share one ``xmin``, commits, then rewrites each
  table in the order of its random primary key (CLUSTER), which leaves the old row versions
  and the old file behind. It runs nightly (``eventapp/mail/cron.py``) and by
  ``flask data forget-order``; rows that arrived since the last run keep their order until
  the next one. Both steps lock a table while they copy it: milliseconds for the tens of
  thousands of rows a council keeps.
"""

from __future__ import annotations

from sqlalchemy import text

from eventapp import uow
from eventapp.extensions import db

# Each table and the index it is rewritten by: its primary key, random in every case
# (uuid4 for responses, random_id for questions; answers and votes follow their parent's
# random key, then the item or the voter's keyed hash).
TABLES = (
    ("feedback_response", "pk_feedback_response", "event_id"),
    ("feedback_answer", "pk_feedback_answer", "option"),
    ("question", "pk_question", "event_id"),
    ("question_vote", "pk_question_vote", "voter"),
    ("question_allowance", "pk_question_allowance", "asked"),
)


def forget_arrival_order() -> list[str]:
    """Leave nothing in storage that orders the anonymous tables' rows by arrival
    (PostgreSQL); the tables rewritten.

    Commits twice: CLUSTER copies row versions that a transaction still open might see, so it
    must come after the rewrite has committed, or the old versions would be copied too."""
    if db.engine.dialect.name != "postgresql":
        return []  # SQLite stores these tables by key already (WITHOUT ROWID), with no xmin
    uow.run(_rewrite_rows)
    for table, index, _column in TABLES:
        uow.run(_cluster, table, index)
    return [table for table, _index, _column in TABLES]


def _rewrite_rows() -> None:
    # One transaction for all: every row gets the same xmin. Fixed names, no input.
    for table, _index, column in TABLES:
        db.session.execute(text(f"UPDATE {table} SET {column} = {column}"))  # noqa: S608


def _cluster(table: str, index: str) -> None:
    db.session.execute(text(f"CLUSTER {table} USING {index}"))
