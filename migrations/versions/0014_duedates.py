"""A task's own due date, kept as days from the event day, and the task feed's sequence

Revision ID: 0014_duedates
Revises: 0013_evaluation
Create Date: 2026-11-30 21:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0014_duedates"
down_revision = "0013_evaluation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("checklist_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_offset", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("ics_sequence", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_check_constraint(
            "due_offset_in_schedule", "due_offset IS NULL OR due_offset BETWEEN -27 AND 7"
        )
        batch_op.create_check_constraint("ics_sequence_not_negative", "ics_sequence >= 0")


def downgrade():
    # Tasks with a chosen date fall back to the end of their week on the next save of the event.
    with op.batch_alter_table("checklist_task", schema=None) as batch_op:
        batch_op.drop_constraint("ics_sequence_not_negative", type_="check")
        batch_op.drop_constraint("due_offset_in_schedule", type_="check")
        batch_op.drop_column("ics_sequence")
        batch_op.drop_column("due_offset")
