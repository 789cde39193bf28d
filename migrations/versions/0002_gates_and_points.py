"""gates and points

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 11:49:10.198132
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import bot.db.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('point_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('earned_at', bot.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_point_awards_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_awards')),
    sa.UniqueConstraint('member_id', 'source', name=op.f('uq_point_awards_member_id_source'))
    )
    with op.batch_alter_table('point_awards', schema=None) as batch_op:
        batch_op.create_index('ix_point_awards_week_member_id', ['week', 'member_id', 'points', 'earned_at'], unique=False)

    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('bank_key', sa.String(length=40), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pass_percent', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', bot.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', bot.db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('retry_at', bot.db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('advanced_at', bot.db.base.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_quiz_attempts_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts')),
    sa.UniqueConstraint('member_id', 'phase', 'number', name=op.f('uq_quiz_attempts_member_id_phase_number'))
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_member_id_status', ['member_id', 'status'], unique=False)

    op.create_table('standings',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('points_total', sa.Integer(), nullable=False),
    sa.Column('points_phase', sa.Integer(), nullable=False),
    sa.Column('last_earned_at', bot.db.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('required_done', sa.Integer(), nullable=False),
    sa.Column('plan_start_day', sa.Integer(), nullable=False),
    sa.Column('plan_days', sa.Integer(), nullable=False),
    sa.Column('done_target_day', sa.Integer(), nullable=True),
    sa.Column('next_target_day', sa.Integer(), nullable=True),
    sa.Column('last_checkin_week', sa.String(length=8), nullable=True),
    sa.Column('updated_at', bot.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_standings_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_standings'))
    )
    op.create_table('quiz_answers',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('answered_at', bot.db.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempts.id'], name=op.f('fk_quiz_answers_attempt_id_quiz_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attempt_id', 'position', name=op.f('pk_quiz_answers'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_iso_week_member_id', ['iso_week', 'member_id'], unique=False)

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiz_questions', sa.Integer(), server_default='8', nullable=False))
        batch_op.add_column(sa.Column('quiz_pass_percent', sa.Integer(), server_default='80', nullable=False))
        batch_op.add_column(sa.Column('quiz_cooldown_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('quiz_bank', sa.String(length=40), server_default='standard', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('quiz_bank')
        batch_op.drop_column('quiz_cooldown_days')
        batch_op.drop_column('quiz_pass_percent')
        batch_op.drop_column('quiz_questions')

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_checkins_iso_week_member_id')

    op.drop_table('quiz_answers')
    op.drop_table('standings')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_member_id_status')

    op.drop_table('quiz_attempts')
    with op.batch_alter_table('point_awards', schema=None) as batch_op:
        batch_op.drop_index('ix_point_awards_week_member_id')

    op.drop_table('point_awards')
