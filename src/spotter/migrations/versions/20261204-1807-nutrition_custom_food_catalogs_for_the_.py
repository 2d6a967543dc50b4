"""nutrition: custom food catalogs for the search cache

One row per owner of custom foods (the organization's own, each client's), whose version
the custom foods service changes with every write a search can see. No backfill: a missing
row is a version of its own ("never changed since"), and the first write creates the row.

Revision ID: cacf7580de33
Revises: 3b8e5f0c2d71
Create Date: 2026-12-04 18:07:18.980709
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cacf7580de33"
down_revision: str | None = "3b8e5f0c2d71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_food_catalogs",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_food_catalogs_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_food_catalogs")),
        sa.UniqueConstraint(
            "organization_id", "owner_id", name=op.f("uq_custom_food_catalogs_organization_id")
        ),
    )
    with op.batch_alter_table("custom_food_catalogs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_food_catalogs_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("custom_food_catalogs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_food_catalogs_organization_id"))

    op.drop_table("custom_food_catalogs")
