"""plan end and alumni

Revision ID: 0009
Revises: 0010
Create Date: 2026-11-30 02:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import bot.db.base

revision: str = '0009'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graduated_at', bot.db.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('alumni_visible', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('phase_plan', sa.JSON(), nullable=True))

    # Members who already passed the final gate graduated when that pass moved them on.
    op.execute(
        "UPDATE members SET graduated_at = ("
        " SELECT MIN(quiz_attempts.advanced_at) FROM quiz_attempts"
        " WHERE quiz_attempts.member_id = members.id AND quiz_attempts.phase = 4"
        " AND quiz_attempts.advanced_at IS NOT NULL)"
    )


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('phase_plan')
        batch_op.drop_column('alumni_visible')
        batch_op.drop_column('graduated_at')
