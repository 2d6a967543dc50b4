"""exercise library versions for the search cache

One row per organization that has custom exercises or overrides (backfilled here); the
exercises service gives it a new version on every change to them.

Revision ID: 145b10141b35
Revises: c535e5d90d6e
Create Date: 2026-11-22 07:18:21.583308
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "145b10141b35"
down_revision: str | None = "c535e5d90d6e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exercise_library_versions",
        sa.Column("version", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_exercise_library_versions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_library_versions")),
        sa.UniqueConstraint(
            "organization_id", name=op.f("uq_exercise_library_versions_organization_id")
        ),
    )
    with op.batch_alter_table("exercise_library_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exercise_library_versions_organization_id"),
            ["organization_id"],
            unique=False,
        )

    # Backfill: the service relies on "no row" meaning "no custom exercises or overrides".
    from spotter.core.db import new_id, utcnow

    conn = op.get_bind()
    org_id = sa.column("organization_id", sa.Uuid())
    orgs = {
        org
        for table in ("custom_exercises", "exercise_overrides")
        for (org,) in conn.execute(sa.select(org_id).select_from(sa.table(table)).distinct())
    }
    versions = sa.table(
        "exercise_library_versions",
        sa.column("id", sa.Uuid()),
        sa.column("organization_id", sa.Uuid()),
        sa.column("version", sa.Uuid()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    if orgs:
        conn.execute(
            versions.insert(),
            [
                {
                    "id": new_id(),
                    "organization_id": org,
                    "version": new_id(),
                    "updated_at": utcnow(),
                }
                for org in orgs
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("exercise_library_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_library_versions_organization_id"))

    op.drop_table("exercise_library_versions")
