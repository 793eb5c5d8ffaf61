"""Single-use sign-in codes, exchanged for the browser's session cookie

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:00:00

A sign-in made in a Streamlit session is carried over to an HttpOnly cookie by a redirect to
``/auth/session?code=…``: the code is stored here (its SHA-256), valid for a minute, from the
client that signed in, and deleted when used.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["user_account.id"],
            name=op.f("fk_sign_in_code_account_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_sign_in_code")),
    )
    op.create_index(
        op.f("ix_sign_in_code_account_id"), "sign_in_code", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_sign_in_code_expires_at"), "sign_in_code", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_code_expires_at"), table_name="sign_in_code")
    op.drop_index(op.f("ix_sign_in_code_account_id"), table_name="sign_in_code")
    op.drop_table("sign_in_code")
