"""Several programmes in one database

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:00:00

A programme's short name, survey interval and binômes' setting are stored with it; a stage of a
model other than the reference one says which reference stage it is judged like; accounts are
scoped to programmes. An existing database keeps what it had: its leads lead every programme
(``all_programmes``), its funders fund the programmes it holds already.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild on SQLite: other tables' rows refer to these).
    op.add_column(
        "programme", sa.Column("short_name", sa.String(100), server_default="", nullable=False)
    )
    op.add_column(
        "programme",
        sa.Column("survey_interval_months", sa.Integer(), server_default="6", nullable=False),
    )
    op.add_column(
        "programme",
        sa.Column(
            "binomes_see_other_territories", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )
    op.add_column("stage", sa.Column("judged_as", sa.String(64), nullable=True))
    op.add_column(
        "user_account",
        sa.Column("all_programmes", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "account_programme",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["user_account.id"],
            name=op.f("fk_account_programme_account_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_account_programme_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "programme_id", name=op.f("pk_account_programme")),
    )
    op.execute("UPDATE user_account SET all_programmes = true WHERE role = 'lead'")
    op.execute(
        "INSERT INTO account_programme (account_id, programme_id) "
        "SELECT user_account.id, programme.id FROM user_account CROSS JOIN programme "
        "WHERE user_account.role = 'funder'"
    )


def downgrade() -> None:
    op.drop_table("account_programme")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("all_programmes")
    with op.batch_alter_table("stage") as batch:
        batch.drop_column("judged_as")
    with op.batch_alter_table("programme") as batch:
        batch.drop_column("binomes_see_other_territories")
        batch.drop_column("survey_interval_months")
        batch.drop_column("short_name")
