"""Forget the order in which anonymous rows arrived.

An anonymous feedback response, an anonymous question and a vote carry no time finer than
the day and a random id, so no column says which came first. Storage can: SQLite numbers
rows as they arrive (its hidden rowid), and PostgreSQL appends new rows to the end of the
table, so reading a table without an ORDER BY, or a plain ``pg_dump``, lists them in arrival
order, and the order of arrival can tie a response to the person seen leaving the room last.

- SQLite: the tables are created WITHOUT ROWID (``WITHOUT_ROWID`` in their models, migration
  0017), so they are stored by their random keys from the start.
- PostgreSQL: ``forget_arrival_order`` rewrites each table in the order of its random primary
  key (CLUSTER), which also drops the old file holding the arrival order. It runs nightly
  (``eventapp/mail/cron.py``) and by ``flask data forget-order``; rows that arrived since the
  last rewrite keep their arrival order on disk until the next one. CLUSTER locks the table
  while it copies it: milliseconds for the tens of thousands of rows a council keeps.
"""

from __future__ import annotations

from sqlalchemy import text

from eventapp.extensions import db

# Each table and the index it is rewritten by: its primary key, random in every case
# (uuid4 for responses, random_id for questions; answers and votes follow their parent's
# random key, then the item or the voter's keyed hash).
TABLES = (
    ("feedback_response", "pk_feedback_response"),
    ("feedback_answer", "pk_feedback_answer"),
    ("question", "pk_question"),
    ("question_vote", "pk_question_vote"),
    ("question_allowance", "pk_question_allowance"),
)


def forget_arrival_order() -> list[str]:
    """Rewrite the anonymous tables in key order (PostgreSQL); the tables rewritten.

    Commits: CLUSTER takes its own lock and must not be held inside a longer transaction."""
    if db.engine.dialect.name != "postgresql":
        return []  # SQLite stores these tables by key already (WITHOUT ROWID)
    done = []
    for table, index in TABLES:
        db.session.execute(text(f"CLUSTER {table} USING {index}"))  # noqa: S608 - fixed names
        db.session.commit()
        done.append(table)
    return done
