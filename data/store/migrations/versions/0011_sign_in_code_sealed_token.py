"""sign_in_code.sealed_token: the code carries the session its sign-in opened

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:00:00

The sign-in now opens the session in the Streamlit session itself, and the page hands the
cookie over with a request that redeems the code, without loading itself again: the code
carries that session's token, sealed by the code (``data.services.sign_in``). Codes live a
minute: those left are deleted rather than given a token they never had.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM sign_in_code")
    with op.batch_alter_table("sign_in_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_token", sa.String(length=128), nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM sign_in_code")
    with op.batch_alter_table("sign_in_code", schema=None) as batch_op:
        batch_op.drop_column("sealed_token")
