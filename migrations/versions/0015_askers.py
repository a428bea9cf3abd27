"""Registrants ask: a named question keeps its registration and the asker's consent to be told;
the registration form's question moves to the organiser's list

Revision ID: 0015_askers
Revises: 0014_duedates
Create Date: 2026-11-30 21:30:00

Existing registrations' questions (the registration form's optional "question for the
speakers") become anonymous questions, as the form promised ("It is shown without your
name"), for registrations that hold a place or are on the waiting list; the text is then
cleared from the registration, so nothing links the question back to its asker. Others
(unconfirmed, waiting for approval) keep theirs until they get a place, as new ones do.
The per-asker allowance is not counted for them here (its keyed hash needs the app's
secret key); they are each one question. Downgrading keeps the moved questions.
"""
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015_askers'
down_revision = '0014_duedates'
branch_labels = None
depends_on = None

MAX_RANDOM_ID = 2**31 - 1


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asker_registration_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('tell_asker', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            batch_op.f('ix_question_asker_registration_id'), ['asker_registration_id'],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_question_asker_registration_id_registration'), 'registration',
            ['asker_registration_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_question_anonymous_has_no_registration'),
            'NOT anonymous OR (asker_registration_id IS NULL AND NOT tell_asker)',
        )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.alter_column('tell_asker', server_default=None)
    _move_registration_questions()


def _move_registration_questions():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT r.id, r.event_id, r.question, s.needs_approval FROM registration r "
        "LEFT JOIN question_settings s ON s.event_id = r.event_id "
        "WHERE r.question <> '' AND r.purged_at IS NULL "
        "AND r.status IN ('confirmed', 'waiting') ORDER BY r.event_id"
    )).all()
    if not rows:
        return
    taken = {int(i) for i in conn.execute(sa.text("SELECT id FROM question")).scalars()}
    today = datetime.now(UTC).date()
    insert = sa.text(
        "INSERT INTO question (id, event_id, text, anonymous, asker_name, asker_organisation, "
        "asked_on, state, hidden_reason, starred, answered, edited, vote_count, faq_key, "
        "version, tell_asker) VALUES (:id, :event_id, :text, :anonymous, '', '', :asked_on, "
        ":state, '', :no, :no, :no, 0, '', 1, :no)"
    ).bindparams(sa.bindparam('asked_on', type_=sa.Date()))
    for registration_id, event_id, text, needs_approval in rows:
        if not text.strip():
            continue
        question_id = secrets.randbelow(MAX_RANDOM_ID) + 1
        while question_id in taken:
            question_id = secrets.randbelow(MAX_RANDOM_ID) + 1
        taken.add(question_id)
        approved = needs_approval is not None and not needs_approval
        conn.execute(insert, {
            'id': question_id, 'event_id': event_id, 'text': text.strip(),
            'anonymous': True, 'asked_on': today,
            'state': 'approved' if approved else 'pending', 'no': False,
        })
        conn.execute(
            sa.text("UPDATE registration SET question = '' WHERE id = :id"),
            {'id': registration_id},
        )


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('ck_question_anonymous_has_no_registration'), type_='check'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_question_asker_registration_id_registration'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_question_asker_registration_id'))
        batch_op.drop_column('tell_asker')
        batch_op.drop_column('asker_registration_id')
