"""Per-client nutrition: targets with history, the client's nutrition profile (meal
names, diets, allergens to avoid) and the food diary.

Diary entries keep the nutrients they had when logged (``NutrientColumns``, absolute
amounts): a diary is a record of what was eaten, so a later correction of a food or a
recipe does not rewrite past days, and daily totals are one ``SUM`` per day (the trainer's
adherence overview reads many clients' weeks in one grouped query). NULL still means
unknown: the totals count how many entries did not know a nutrient and say "at least".
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin
from spotter.nutrition.models.foods import NAME_MAX, FoodAmount, NutrientColumns


class NutritionTarget(IdMixin, TimestampMixin, TenantMixin, Base):
    """A client's daily targets from ``effective_on`` until the next target's date."""

    __tablename__ = "nutrition_targets"
    __table_args__ = (sa.UniqueConstraint("client_id", "effective_on"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    effective_on: Mapped[date] = mapped_column(sa.Date)
    energy_kcal: Mapped[float] = mapped_column(sa.Float)
    protein_g: Mapped[float] = mapped_column(sa.Float)
    fat_g: Mapped[float] = mapped_column(sa.Float)
    carbohydrate_g: Mapped[float] = mapped_column(sa.Float)
    fiber_g: Mapped[float | None] = mapped_column(sa.Float)
    # The calculator's inputs and steps when it produced these numbers; NULL: typed in.
    calculation: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    set_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class NutritionProfile(IdMixin, TimestampMixin, TenantMixin, Base):
    """A client's meal names (their own order; the default is breakfast, lunch, dinner,
    snacks), the diets they follow and the allergens they avoid. No row: the defaults."""

    __tablename__ = "nutrition_profiles"

    client_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    meal_names: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    diets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    avoid: Mapped[list[str]] = mapped_column(sa.JSON, default=list)


class DiaryEntry(IdMixin, FoodAmount, NutrientColumns, TimestampMixin, TenantMixin, Base):
    """One thing a client ate: a food (``FoodAmount``), servings of a recipe
    (``recipe_id``, ``quantity`` servings, unit "serving") or quick macros (no reference,
    the nutrients typed in). ``name`` is what it was called when logged."""

    __tablename__ = "diary_entries"
    __table_args__ = (sa.Index("ix_diary_entries_client_day", "client_id", "eaten_on", "id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    eaten_on: Mapped[date] = mapped_column(sa.Date)
    meal: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(10))  # food, recipe, quick
    recipe_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("recipes.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    logged_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The meal-plan item this entry was logged from: logging a plan day skips items
    # already logged that day, so doing it twice adds nothing.
    meal_plan_item_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("meal_plan_items.id", ondelete="SET NULL"), index=True
    )
