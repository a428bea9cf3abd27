"""Anonymous rows are stored by their random keys, not in the order they arrived

Revision ID: 0017_forget_arrival_order
Revises: 0016_allowance_by_browser
Create Date: 2026-12-01 07:00:00

SQLite numbered every feedback response, answer, vote and question allowance with a hidden
rowid as it arrived, so ``SELECT rowid`` gave back the order in which anonymous responses
were sent. These tables are rebuilt WITHOUT ROWID (stored by their primary keys, which are
random). The ``question`` table needs nothing: its random integer id is its rowid.

PostgreSQL has no rowid, but appends rows to the end of a table: each table is rewritten
once here in key order (CLUSTER), and nightly by ``forget_order_job`` (eventapp.arrival).
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
POSTGRESQL_TABLES = SQLITE_TABLES[:2] + ("question",) + SQLITE_TABLES[2:]


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
        for table in POSTGRESQL_TABLES:
            op.execute(f"CLUSTER {table} USING pk_{table}")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(True)
    # PostgreSQL: nothing to undo (CLUSTER only reordered the rows).
