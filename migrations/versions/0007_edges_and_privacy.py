"""edges and privacy

A stored reply is keyed by member and command as well as the platform's request id, and an
audit entry names the person it is about in a column, so export and forget can find it.
Weekly posts and admin digests are rendered as they are sent, from their cohort and period:
rows planned before this revision get their cohort from their key, and lose the text that
named members.

Revision ID: 0007
Revises: 0011
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


RENDERED_AT_SEND = ('leaderboard', 'digest')


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_deliveries_cohort_id_cohorts'),
            'cohorts',
            ['cohort_id'],
            ['id'],
            ondelete='CASCADE',
        )
    _render_posts_at_send()
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_user_id', sa.String(length=64), nullable=True))
    with op.batch_alter_table('handled_requests', schema=None) as batch_op:
        batch_op.drop_constraint('uq_handled_requests_tenant_id_request_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_handled_requests_tenant_id_user_id_command_request_id'),
            ['tenant_id', 'user_id', 'command', 'request_id'],
        )


def _render_posts_at_send() -> None:
    """Keys read ``leaderboard:<cohort>:<week>`` and ``digest:<cohort>:<admin>:<week>``."""
    deliveries = sa.table(
        'deliveries',
        sa.column('id', sa.Integer),
        sa.column('kind', sa.String),
        sa.column('idempotency_key', sa.String),
        sa.column('cohort_id', sa.Integer),
        sa.column('payload', sa.JSON),
    )
    cohorts = sa.table('cohorts', sa.column('id', sa.Integer))
    bind = op.get_bind()
    existing = set(bind.scalars(sa.select(cohorts.c.id)))
    rows = bind.execute(
        sa.select(deliveries.c.id, deliveries.c.idempotency_key).where(
            deliveries.c.kind.in_(RENDERED_AT_SEND)
        )
    ).all()
    for delivery_id, key in rows:
        cohort_id = int(key.split(':')[1])
        bind.execute(
            deliveries.update()
            .where(deliveries.c.id == delivery_id)
            .values(cohort_id=cohort_id if cohort_id in existing else None, payload={})
        )


def downgrade() -> None:
    # Before this revision one id meant one request whoever sent it: keep the first of each.
    op.execute(
        'DELETE FROM handled_requests WHERE id NOT IN '
        '(SELECT MIN(id) FROM handled_requests GROUP BY tenant_id, request_id)'
    )
    with op.batch_alter_table('handled_requests', schema=None) as batch_op:
        batch_op.drop_constraint(
            'uq_handled_requests_tenant_id_user_id_command_request_id', type_='unique'
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_handled_requests_tenant_id_request_id'), ['tenant_id', 'request_id']
        )
    # Before this revision a post was sent as planned, so one still waiting has nothing to
    # send; and 'withdrawn' was not a status yet.
    op.execute(
        "UPDATE deliveries SET status = 'cancelled', "
        "last_error = 'planned by a later version, which renders it as it is sent' "
        "WHERE status = 'withdrawn' "
        "OR (cohort_id IS NOT NULL AND status IN ('pending', 'retry', 'sending'))"
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('target_user_id')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('fk_deliveries_cohort_id_cohorts', type_='foreignkey')
        batch_op.drop_column('cohort_id')
