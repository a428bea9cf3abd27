"""Anonymous rows are stored by their random keys, not in the order they arrived

Revision ID: 0017_forget_arrival_order
Revises: 0016_allowance_by_browser
Create Date: 2026-12-01 07:00:00

SQLite numbered every feedback response, answer, vote and question allowance with a hidden
rowid as it arrived, so ``SELECT rowid`` gave back the order in which anonymous responses
were sent. These tables are rebuilt WITHOUT ROWID (stored by their primary keys, which are
random). The ``question`` table needs nothing: its random integer id is its rowid.

PostgreSQL has no rowid, but appends rows to the end of a table and stamps each with the
counting-up number of the transaction that wrote it (xmin): every row is rewritten once here
in one transaction, then each table in key order (CLUSTER), as ``forget_order_job`` does
nightly (eventapp.arrival).
Downgrading rebuilds the SQLite tables with a rowid again (numbered in key order).
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0017_forget_arrival_order"
down_revision = "0016_allowance_by_browser"
branch_labels = None
depends_on = None

# Parents before children: SQLite's batch rebuild copies rows table by table.
SQLITE_TABLES = ("feedback_response", "feedback_answer", "question_vote", "question_allowance")
# Each table and a column it is rewritten through (SET column = column), as eventapp.arrival.
POSTGRESQL_TABLES = {
    "feedback_response": "event_id",
    "feedback_answer": "option",
    "question": "event_id",
    "question_vote": "voter",
    "question_allowance": "asked",
}


def _rebuild(with_rowid):
    for table in SQLITE_TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _rebuild(False)
    elif dialect == "postgresql":
        # The rewrite must commit before CLUSTER, or CLUSTER keeps the old row versions.
        with op.get_context().autocommit_block():
            op.execute("BEGIN")
            for table, column in POSTGRESQL_TABLES.items():
                op.execute(f"UPDATE {table} SET {column} = {column}")
            op.execute("COMMIT")
            for table in POSTGRESQL_TABLES:
                op.execute(f"CLUSTER {table} USING pk_{table}")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(True)
    # PostgreSQL: nothing to undo (CLUSTER only reordered the rows).
