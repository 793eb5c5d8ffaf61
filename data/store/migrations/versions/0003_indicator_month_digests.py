"""indicator_state.month_digests: rewrite only the months whose values changed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL digests: the next compute rewrites every month of the territory once.
    with op.batch_alter_table("indicator_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("month_digests", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator_state", schema=None) as batch_op:
        batch_op.drop_column("month_digests")
