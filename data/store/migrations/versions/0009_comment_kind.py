"""review_comment.kind: a comment, or a binôme's request to unlock an approved month

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_comment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="comment", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_review_comment_kind_known"), "kind IN ('comment', 'unlock_request')"
        )


def downgrade() -> None:
    with op.batch_alter_table("review_comment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_comment_kind_known"), type_="check")
        batch_op.drop_column("kind")
