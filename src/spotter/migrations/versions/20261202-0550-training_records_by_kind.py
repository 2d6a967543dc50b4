"""training: personal records by kind for each lift (a dashboard's plateau check reads a
few lifts' estimated-1RM records; the lift index made it read all of a client's records)

Revision ID: 3b8e5f0c2d71
Revises: 7d3c2a9e41b0
Create Date: 2026-12-02 05:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3b8e5f0c2d71"
down_revision: str | None = "7d3c2a9e41b0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_personal_records_kind",
        "personal_records",
        ["client_id", "kind", "exercise_id", "achieved_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_personal_records_kind", table_name="personal_records")
