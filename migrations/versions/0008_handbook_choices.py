"""The handbook's choices: which video edit, which FAQs for the chair, how an objective fits

Revision ID: 0008_handbook_choices
Revises: 0007_questions
Create Date: 2026-11-30 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_handbook_choices'
down_revision = '0007_questions'
branch_labels = None
depends_on = None

VIDEO_EDIT = sa.Enum(
    'full', 'education', 'healthcare', 'friends_family', 'extreme_right_wing',
    name='video_edit', native_enum=False, create_constraint=True,
)


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_edit', VIDEO_EDIT, nullable=True))
        batch_op.add_column(
            sa.Column('briefing_faqs', sa.JSON(), nullable=False, server_default='[]')
        )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('briefing_faqs', server_default=None)

    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('relevant_reason', sa.Text(), nullable=False, server_default='')
        )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.alter_column('relevant_reason', server_default=None)


def downgrade():
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_column('relevant_reason')

    with op.batch_alter_table('event', schema=None) as batch_op:
        # The enum's check constraint goes with its column (SQLite copies it otherwise).
        batch_op.drop_constraint(batch_op.f('ck_event_video_edit'), type_='check')
        batch_op.drop_column('briefing_faqs')
        batch_op.drop_column('video_edit')
