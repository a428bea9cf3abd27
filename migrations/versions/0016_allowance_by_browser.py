"""The question allowance counts browsers only: forget the counts kept per registration

Revision ID: 0016_allowance_by_browser
Revises: 0015_askers
Create Date: 2026-12-01 04:00:00

Before this release a registrant's allowance row was keyed by a hash of their registration,
which anyone holding the database and the secret key could work out; beside the named
questions it could say whose a lone anonymous question was. Rows are now keyed by browser
only, and nothing tells the old rows from the new ones, so every count is forgotten: each
browser starts its allowance again (the per-address rate limit still applies meanwhile).
Downgrading cannot bring the counts back, and need not: they only limit abuse.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_allowance_by_browser'
down_revision = '0015_askers'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM question_allowance")


def downgrade():
    pass
