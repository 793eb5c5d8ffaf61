"""survey_wave.number bounded to 0–999 (was: non-negative)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("survey_wave", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_wave_number_non_negative"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_survey_wave_number_in_range"), "number BETWEEN 0 AND 999"
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_wave", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_wave_number_in_range"), type_="check")
        batch_op.create_check_constraint(op.f("ck_survey_wave_number_non_negative"), "number >= 0")
