"""an index for each member's points dated after today

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('point_awards', schema=None) as batch_op:
        batch_op.create_index(
            'ix_point_awards_member_id_earned_at', ['member_id', 'earned_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('point_awards', schema=None) as batch_op:
        batch_op.drop_index('ix_point_awards_member_id_earned_at')
