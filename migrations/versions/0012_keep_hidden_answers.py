"""Keep answers that do not apply for now: the presentation while the Home Office is not speaking

Revision ID: 0012_keep_hidden_answers
Revises: 0011_form_submissions
Create Date: 2026-11-30 18:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_keep_hidden_answers'
down_revision = '0011_form_submissions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_presentation_needs_home_office'), type_='check')


def downgrade():
    # The rule comes back; kept answers it would refuse are cleared first.
    op.execute(
        "UPDATE event SET presentation_type = NULL, presentation_topic = '' "
        "WHERE NOT home_office_speaking"
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_event_presentation_needs_home_office'),
            'presentation_type IS NULL OR home_office_speaking',
        )
