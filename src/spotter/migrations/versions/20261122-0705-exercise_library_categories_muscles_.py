"""exercise library: categories, muscles, equipment, shared exercises, custom exercises, overrides

Also loads the 873 shared exercises (spotter/data/exercises.json) with the idempotent
loader; downgrading drops the tables and so removes them.

Revision ID: c535e5d90d6e
Revises: 2925fbec9c24
Create Date: 2026-11-22 07:05:24.855993
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c535e5d90d6e"
down_revision: str | None = "2925fbec9c24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "equipment",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equipment")),
        sa.UniqueConstraint("slug", name=op.f("uq_equipment_slug")),
    )
    op.create_table(
        "exercise_categories",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["exercise_categories.id"],
            name=op.f("fk_exercise_categories_parent_id_exercise_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_exercise_categories_slug")),
    )
    with op.batch_alter_table("exercise_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exercise_categories_parent_id"), ["parent_id"], unique=False
        )

    op.create_table(
        "muscles",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_muscles")),
        sa.UniqueConstraint("slug", name=op.f("uq_muscles_slug")),
    )
    op.create_table(
        "custom_exercises",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("mechanic", sa.String(length=20), nullable=True),
        sa.Column("force", sa.String(length=20), nullable=True),
        sa.Column("equipment_id", sa.Uuid(), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("cues", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["exercise_categories.id"],
            name=op.f("fk_custom_exercises_category_id_exercise_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_custom_exercises_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["equipment_id"],
            ["equipment.id"],
            name=op.f("fk_custom_exercises_equipment_id_equipment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_exercises_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_exercises")),
    )
    with op.batch_alter_table("custom_exercises", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_exercises_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "exercises",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("mechanic", sa.String(length=20), nullable=True),
        sa.Column("force", sa.String(length=20), nullable=True),
        sa.Column("equipment_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["exercise_categories.id"],
            name=op.f("fk_exercises_category_id_exercise_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["equipment_id"],
            ["equipment.id"],
            name=op.f("fk_exercises_equipment_id_equipment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercises")),
        sa.UniqueConstraint("slug", name=op.f("uq_exercises_slug")),
    )
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercises_category_id"), ["category_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exercises_equipment_id"), ["equipment_id"], unique=False
        )

    op.create_table(
        "custom_exercise_muscles",
        sa.Column("custom_exercise_id", sa.Uuid(), nullable=False),
        sa.Column("muscle_id", sa.Uuid(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_exercise_id"],
            ["custom_exercises.id"],
            name=op.f("fk_custom_exercise_muscles_custom_exercise_id_custom_exercises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["muscle_id"],
            ["muscles.id"],
            name=op.f("fk_custom_exercise_muscles_muscle_id_muscles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_exercise_muscles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_exercise_muscles")),
        sa.UniqueConstraint(
            "custom_exercise_id",
            "muscle_id",
            name=op.f("uq_custom_exercise_muscles_custom_exercise_id"),
        ),
    )
    with op.batch_alter_table("custom_exercise_muscles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_custom_exercise_muscles_org_muscle",
            ["organization_id", "muscle_id", "is_primary"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_custom_exercise_muscles_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "exercise_muscles",
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("muscle_id", sa.Uuid(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_muscles_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["muscle_id"],
            ["muscles.id"],
            name=op.f("fk_exercise_muscles_muscle_id_muscles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_muscles")),
        sa.UniqueConstraint(
            "exercise_id", "muscle_id", name=op.f("uq_exercise_muscles_exercise_id")
        ),
    )
    with op.batch_alter_table("exercise_muscles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exercise_muscles_muscle", ["muscle_id", "is_primary", "exercise_id"], unique=False
        )

    op.create_table(
        "exercise_overrides",
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("cues", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercises.id"],
            name=op.f("fk_exercise_overrides_exercise_id_exercises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_exercise_overrides_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_overrides")),
        sa.UniqueConstraint(
            "organization_id", "exercise_id", name=op.f("uq_exercise_overrides_organization_id")
        ),
    )
    with op.batch_alter_table("exercise_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exercise_overrides_organization_id"), ["organization_id"], unique=False
        )

    # Data: the shared library (an upsert by the dataset's slugs; running it again is a no-op).
    from spotter.exercises.dataset import load_library

    load_library(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("exercise_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_overrides_organization_id"))

    op.drop_table("exercise_overrides")
    with op.batch_alter_table("exercise_muscles", schema=None) as batch_op:
        batch_op.drop_index("ix_exercise_muscles_muscle")

    op.drop_table("exercise_muscles")
    with op.batch_alter_table("custom_exercise_muscles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_exercise_muscles_organization_id"))
        batch_op.drop_index("ix_custom_exercise_muscles_org_muscle")

    op.drop_table("custom_exercise_muscles")
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercises_equipment_id"))
        batch_op.drop_index(batch_op.f("ix_exercises_category_id"))

    op.drop_table("exercises")
    with op.batch_alter_table("custom_exercises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_exercises_organization_id"))

    op.drop_table("custom_exercises")
    op.drop_table("muscles")
    # SQLite checks the self-reference row by row while dropping: unlink the children first.
    op.execute(sa.text("UPDATE exercise_categories SET parent_id = NULL"))
    with op.batch_alter_table("exercise_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_categories_parent_id"))

    op.drop_table("exercise_categories")
    op.drop_table("equipment")
