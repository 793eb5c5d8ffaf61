"""territory_stage.judged_stage: the stage a territory-month is judged at, stored once

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("territory_stage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("judged_stage", sa.String(length=64), nullable=True))
    # The rule of indicators.stage.judged_stages: the declared stage when it is a stage of the
    # model, else the inferred one. The next compute rewrites these rows anyway.
    op.execute(
        "UPDATE territory_stage SET judged_stage = CASE "
        "WHEN declared_stage IN (SELECT id FROM stage) THEN declared_stage "
        "ELSE inferred_stage END"
    )


def downgrade() -> None:
    with op.batch_alter_table("territory_stage", schema=None) as batch_op:
        batch_op.drop_column("judged_stage")
