"""nutrition recipes: the meals a recipe suits (for the meal-plan generator)

Revision ID: 7d3c2a9e41b0
Revises: e12d07c99f3c
Create Date: 2026-12-01 22:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3c2a9e41b0"
down_revision: str | None = "e12d07c99f3c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing recipes suit any meal (an empty list).
    with op.batch_alter_table("recipes") as batch:
        batch.add_column(
            sa.Column("meals", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("recipes") as batch:
        batch.drop_column("meals")
