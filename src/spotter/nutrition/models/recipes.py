"""Recipes: ingredients (a food in a quantity, or another recipe in servings), servings,
steps, times. Nutrients, diet labels and allergens are computed from the ingredients on
read (``nutrition.service.recipes``), never stored, so a corrected custom food corrects
every recipe that uses it.

A recipe belongs to the organization's library (``client_id`` NULL: staff write it, every
member reads it) or to one client (the client and the staff who coach them)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin
from spotter.nutrition.models.foods import NAME_MAX, FoodAmount


class Recipe(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "recipes"
    __table_args__ = (
        sa.Index("ix_recipes_org_client_name", "organization_id", "client_id", "name"),
    )

    client_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    description: Mapped[str | None] = mapped_column(sa.Text)
    servings: Mapped[float] = mapped_column(sa.Float, default=1.0)
    prep_minutes: Mapped[int | None]
    cook_minutes: Mapped[int | None]
    steps: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Labels the author claims (vegan, ...); checked against the ingredients on read.
    claimed_diets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The meals it suits (breakfast, main, snack) for the plan generator; empty: any meal.
    meals: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default=sa.text("'[]'"))
    # The photo (cleaned JPEG) and its thumbnail in the file store (``core.storage``).
    photo_key: Mapped[str | None] = mapped_column(sa.String(255))
    thumbnail_key: Mapped[str | None] = mapped_column(sa.String(255))
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    ingredients: Mapped[list[RecipeIngredient]] = relationship(
        lazy="raise",
        order_by="RecipeIngredient.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="RecipeIngredient.recipe_id",
    )


class RecipeIngredient(IdMixin, FoodAmount, TenantMixin, Base):
    """One line of a recipe: a food (``FoodAmount``) or, with ``sub_recipe_id``, servings
    of another recipe (``quantity`` servings, ``unit`` "serving", no grams). A recipe never
    contains itself, directly or through others (checked on write)."""

    __tablename__ = "recipe_ingredients"
    __table_args__ = (
        sa.Index("ix_recipe_ingredients_recipe", "recipe_id", "position"),
        sa.CheckConstraint(
            "(CASE WHEN food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN custom_food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN sub_recipe_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_item",
        ),
    )

    recipe_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("recipes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    sub_recipe_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("recipes.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(200))
