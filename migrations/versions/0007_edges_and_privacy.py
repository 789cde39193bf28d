"""edges and privacy

A stored reply is keyed by member and command as well as the platform's request id.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('handled_requests', schema=None) as batch_op:
        batch_op.drop_constraint('uq_handled_requests_tenant_id_request_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_handled_requests_tenant_id_user_id_command_request_id'),
            ['tenant_id', 'user_id', 'command', 'request_id'],
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
