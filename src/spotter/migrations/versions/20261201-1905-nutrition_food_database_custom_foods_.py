"""nutrition: food database, custom foods, recipes, targets, diary

Also loads the USDA SR28 food database (25 food groups, 8,789 foods, 15,438 portions from
spotter/data/usda_sr28_*.csv.gz) with the idempotent loader; downgrading drops the tables
and so removes them.

Revision ID: 3e0cb8932fa0
Revises: 1d1f7fcf751d
Create Date: 2026-12-01 18:54:57.180883
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e0cb8932fa0"
down_revision: str | None = "1d1f7fcf751d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "food_groups",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_food_groups")),
        sa.UniqueConstraint("slug", name=op.f("uq_food_groups_slug")),
    )
    op.create_table(
        "foods",
        sa.Column("ndb_no", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("food_group_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("energy_kcal", sa.Float(), nullable=True),
        sa.Column("protein_g", sa.Float(), nullable=True),
        sa.Column("fat_g", sa.Float(), nullable=True),
        sa.Column("carbohydrate_g", sa.Float(), nullable=True),
        sa.Column("fiber_g", sa.Float(), nullable=True),
        sa.Column("sugars_g", sa.Float(), nullable=True),
        sa.Column("sodium_mg", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_group_id"],
            ["food_groups.id"],
            name=op.f("fk_foods_food_group_id_food_groups"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foods")),
        sa.UniqueConstraint("ndb_no", name=op.f("uq_foods_ndb_no")),
    )
    with op.batch_alter_table("foods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_foods_food_group_id"), ["food_group_id"], unique=False)

    op.create_table(
        "custom_foods",
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brand", sa.String(length=120), nullable=True),
        sa.Column("barcode", sa.String(length=14), nullable=True),
        sa.Column("food_group_id", sa.Uuid(), nullable=True),
        sa.Column("density_g_per_ml", sa.Float(), nullable=True),
        sa.Column("contains", sa.JSON(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("energy_kcal", sa.Float(), nullable=True),
        sa.Column("protein_g", sa.Float(), nullable=True),
        sa.Column("fat_g", sa.Float(), nullable=True),
        sa.Column("carbohydrate_g", sa.Float(), nullable=True),
        sa.Column("fiber_g", sa.Float(), nullable=True),
        sa.Column("sugars_g", sa.Float(), nullable=True),
        sa.Column("sodium_mg", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_custom_foods_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_custom_foods_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["food_group_id"],
            ["food_groups.id"],
            name=op.f("fk_custom_foods_food_group_id_food_groups"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_foods_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_foods")),
    )
    with op.batch_alter_table("custom_foods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_foods_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_custom_foods_org_barcode", ["organization_id", "barcode"], unique=False
        )
        batch_op.create_index(
            "ix_custom_foods_org_client_name",
            ["organization_id", "client_id", "name"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_custom_foods_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "food_portions",
        sa.Column("food_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("gram_weight", sa.Float(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_food_portions_food_id_foods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_food_portions")),
        sa.UniqueConstraint("food_id", "seq", name=op.f("uq_food_portions_food_id")),
    )
    op.create_table(
        "nutrition_profiles",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("meal_names", sa.JSON(), nullable=False),
        sa.Column("diets", sa.JSON(), nullable=False),
        sa.Column("avoid", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_nutrition_profiles_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_nutrition_profiles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nutrition_profiles")),
        sa.UniqueConstraint("client_id", name=op.f("uq_nutrition_profiles_client_id")),
    )
    with op.batch_alter_table("nutrition_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nutrition_profiles_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "nutrition_targets",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("energy_kcal", sa.Float(), nullable=False),
        sa.Column("protein_g", sa.Float(), nullable=False),
        sa.Column("fat_g", sa.Float(), nullable=False),
        sa.Column("carbohydrate_g", sa.Float(), nullable=False),
        sa.Column("fiber_g", sa.Float(), nullable=True),
        sa.Column("calculation", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("set_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_nutrition_targets_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_nutrition_targets_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["users.id"],
            name=op.f("fk_nutrition_targets_set_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nutrition_targets")),
        sa.UniqueConstraint(
            "client_id", "effective_on", name=op.f("uq_nutrition_targets_client_id")
        ),
    )
    with op.batch_alter_table("nutrition_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nutrition_targets_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "recipes",
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("servings", sa.Float(), nullable=False),
        sa.Column("prep_minutes", sa.Integer(), nullable=True),
        sa.Column("cook_minutes", sa.Integer(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("claimed_diets", sa.JSON(), nullable=False),
        sa.Column("photo_key", sa.String(length=255), nullable=True),
        sa.Column("thumbnail_key", sa.String(length=255), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_recipes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_recipes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_recipes_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipes")),
    )
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recipes_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_recipes_org_client_name", ["organization_id", "client_id", "name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipes_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "custom_food_portions",
        sa.Column("custom_food_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("gram_weight", sa.Float(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_food_id"],
            ["custom_foods.id"],
            name=op.f("fk_custom_food_portions_custom_food_id_custom_foods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_food_portions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_food_portions")),
    )
    with op.batch_alter_table("custom_food_portions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_custom_food_portions_food", ["custom_food_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_custom_food_portions_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "custom_food_terms",
        sa.Column("custom_food_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("whole", sa.Boolean(), nullable=False),
        sa.Column("name_len", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["custom_food_id"],
            ["custom_foods.id"],
            name=op.f("fk_custom_food_terms_custom_food_id_custom_foods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_custom_food_terms_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_food_terms")),
        sa.UniqueConstraint(
            "custom_food_id", "term", name=op.f("uq_custom_food_terms_custom_food_id")
        ),
    )
    with op.batch_alter_table("custom_food_terms", schema=None) as batch_op:
        batch_op.create_index(
            "ix_custom_food_terms_lookup",
            ["organization_id", "term", "name_len", "custom_food_id", "client_id", "whole"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_custom_food_terms_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "diary_entries",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("eaten_on", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("recipe_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("logged_by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("grams", sa.Float(), nullable=True),
        sa.Column("food_id", sa.Uuid(), nullable=True),
        sa.Column("custom_food_id", sa.Uuid(), nullable=True),
        sa.Column("energy_kcal", sa.Float(), nullable=True),
        sa.Column("protein_g", sa.Float(), nullable=True),
        sa.Column("fat_g", sa.Float(), nullable=True),
        sa.Column("carbohydrate_g", sa.Float(), nullable=True),
        sa.Column("fiber_g", sa.Float(), nullable=True),
        sa.Column("sugars_g", sa.Float(), nullable=True),
        sa.Column("sodium_mg", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_diary_entries_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["custom_food_id"],
            ["custom_foods.id"],
            name=op.f("fk_diary_entries_custom_food_id_custom_foods"),
        ),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_diary_entries_food_id_foods"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["users.id"],
            name=op.f("fk_diary_entries_logged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_diary_entries_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"], ["recipes.id"], name=op.f("fk_diary_entries_recipe_id_recipes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entries")),
    )
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_diary_entries_client_day", ["client_id", "eaten_on", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_diary_entries_custom_food_id"), ["custom_food_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_diary_entries_food_id"), ["food_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_diary_entries_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_diary_entries_recipe_id"), ["recipe_id"], unique=False)

    op.create_table(
        "recipe_ingredients",
        sa.Column("recipe_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sub_recipe_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("grams", sa.Float(), nullable=True),
        sa.Column("food_id", sa.Uuid(), nullable=True),
        sa.Column("custom_food_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN custom_food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN sub_recipe_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_recipe_ingredients_one_item"),
        ),
        sa.ForeignKeyConstraint(
            ["custom_food_id"],
            ["custom_foods.id"],
            name=op.f("fk_recipe_ingredients_custom_food_id_custom_foods"),
        ),
        sa.ForeignKeyConstraint(
            ["food_id"],
            ["foods.id"],
            name=op.f("fk_recipe_ingredients_food_id_foods"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_recipe_ingredients_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"],
            ["recipes.id"],
            name=op.f("fk_recipe_ingredients_recipe_id_recipes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sub_recipe_id"],
            ["recipes.id"],
            name=op.f("fk_recipe_ingredients_sub_recipe_id_recipes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe_ingredients")),
    )
    with op.batch_alter_table("recipe_ingredients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recipe_ingredients_custom_food_id"), ["custom_food_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipe_ingredients_food_id"), ["food_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipe_ingredients_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            "ix_recipe_ingredients_recipe", ["recipe_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recipe_ingredients_sub_recipe_id"), ["sub_recipe_id"], unique=False
        )

    # Data: the shared foods (an upsert by NDB number; running it again is a no-op).
    from spotter.nutrition.dataset import load_foods

    load_foods(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("recipe_ingredients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipe_ingredients_sub_recipe_id"))
        batch_op.drop_index("ix_recipe_ingredients_recipe")
        batch_op.drop_index(batch_op.f("ix_recipe_ingredients_organization_id"))
        batch_op.drop_index(batch_op.f("ix_recipe_ingredients_food_id"))
        batch_op.drop_index(batch_op.f("ix_recipe_ingredients_custom_food_id"))

    op.drop_table("recipe_ingredients")
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diary_entries_recipe_id"))
        batch_op.drop_index(batch_op.f("ix_diary_entries_organization_id"))
        batch_op.drop_index(batch_op.f("ix_diary_entries_food_id"))
        batch_op.drop_index(batch_op.f("ix_diary_entries_custom_food_id"))
        batch_op.drop_index("ix_diary_entries_client_day")

    op.drop_table("diary_entries")
    with op.batch_alter_table("custom_food_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_food_terms_organization_id"))
        batch_op.drop_index("ix_custom_food_terms_lookup")

    op.drop_table("custom_food_terms")
    with op.batch_alter_table("custom_food_portions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_food_portions_organization_id"))
        batch_op.drop_index("ix_custom_food_portions_food")

    op.drop_table("custom_food_portions")
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recipes_organization_id"))
        batch_op.drop_index("ix_recipes_org_client_name")
        batch_op.drop_index(batch_op.f("ix_recipes_client_id"))

    op.drop_table("recipes")
    with op.batch_alter_table("nutrition_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nutrition_targets_organization_id"))

    op.drop_table("nutrition_targets")
    with op.batch_alter_table("nutrition_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nutrition_profiles_organization_id"))

    op.drop_table("nutrition_profiles")
    op.drop_table("food_portions")
    with op.batch_alter_table("custom_foods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_foods_organization_id"))
        batch_op.drop_index("ix_custom_foods_org_client_name")
        batch_op.drop_index("ix_custom_foods_org_barcode")
        batch_op.drop_index(batch_op.f("ix_custom_foods_client_id"))

    op.drop_table("custom_foods")
    with op.batch_alter_table("foods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foods_food_group_id"))

    op.drop_table("foods")
    op.drop_table("food_groups")
