"""journal_event.held_on nullable: a draft keeps an event row whose date is not entered yet

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("journal_event", schema=None) as batch_op:
        batch_op.alter_column("held_on", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM journal_event WHERE held_on IS NULL")
    with op.batch_alter_table("journal_event", schema=None) as batch_op:
        batch_op.alter_column("held_on", existing_type=sa.Date(), nullable=False)
