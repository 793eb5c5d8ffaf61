"""What a user typed in a journal and has not saved yet

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:00:00

The journal page keeps its unsaved entries here at each change, so that leaving the page, a
reload or a closed tab loses nothing; the row goes once the journal is saved or the changes
are abandoned.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unsaved_journal",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "substr(CAST(month AS VARCHAR(10)), 9, 2) = '01'",
            name=op.f("ck_unsaved_journal_month_first_day"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["user_account.id"],
            name=op.f("fk_unsaved_journal_account_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_unsaved_journal_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "territory_id", "month", name=op.f("pk_unsaved_journal")
        ),
    )


def downgrade() -> None:
    op.drop_table("unsaved_journal")
