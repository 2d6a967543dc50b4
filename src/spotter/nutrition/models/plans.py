"""Meal plans: a plan has ordered **days**, a day ordered **meals**, a meal ordered
**items** (a food in a quantity, ``FoodAmount``, or servings of a recipe).

One structure, two uses (``MealPlan.kind``), like programs:

* ``template``: a trainer's personal template (``owner_id`` set) or the organization's
  (``owner_id`` NULL);
* ``assigned``: a client's plan (``client_id``, ``starts_on``, optional ``ends_on``). Assigning
  copies the template (``source_plan_id`` says which), so later template edits never rewrite
  what a client follows.

Nutrients and diet flags are computed on read from the foods and recipes, never stored: a
corrected food corrects every plan that uses it (the diary, which records what was eaten,
snapshots them instead).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin
from spotter.nutrition.models.foods import NAME_MAX, FoodAmount

TEMPLATE = "template"
ASSIGNED = "assigned"


class MealPlan(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "meal_plans"
    __table_args__ = (
        sa.Index("ix_meal_plans_org_kind_owner", "organization_id", "kind", "owner_id"),
        sa.Index("ix_meal_plans_client_starts", "client_id", "starts_on"),
    )

    kind: Mapped[str] = mapped_column(sa.String(10), default=TEMPLATE)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # The diets the plan claims (vegan, ...); checked against its items on read.
    diets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # A template's own daily targets; an assigned plan is measured against the client's.
    energy_kcal: Mapped[float | None] = mapped_column(sa.Float)
    protein_g: Mapped[float | None] = mapped_column(sa.Float)
    fat_g: Mapped[float | None] = mapped_column(sa.Float)
    carbohydrate_g: Mapped[float | None] = mapped_column(sa.Float)
    # Kept with the days (written together), so the date rule needs no join.
    day_count: Mapped[int] = mapped_column(default=1)
    # A personal template's trainer; it goes with them (it never becomes the organization's).
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE")
    )
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    # Where a copy or an assigned plan came from (informational).
    source_plan_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("meal_plans.id", ondelete="SET NULL"), index=True
    )
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    days: Mapped[list[MealPlanDay]] = relationship(
        lazy="raise",
        order_by="MealPlanDay.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def covers(self, on: date) -> bool:
        if self.kind != ASSIGNED or self.starts_on is None or on < self.starts_on:
            return False
        return self.ends_on is None or on <= self.ends_on

    def day_number(self, on: date) -> int | None:
        """The plan day (1-based) an assigned plan gives date ``on``: plans repeat from
        ``starts_on`` (to ``ends_on`` inclusive when set); None outside them."""
        if not self.covers(on) or self.starts_on is None or self.day_count < 1:
            return None
        return (on - self.starts_on).days % self.day_count + 1

    def next_on(self, number: int, today: date) -> date | None:
        """The date plan day ``number`` next falls on from ``today`` (its first date when
        the plan has not started or has ended); None for a template."""
        if self.kind != ASSIGNED or self.starts_on is None:
            return None
        first = self.starts_on + timedelta(days=number - 1)
        if today > first:
            cycles = -(-(today - first).days // self.day_count)
            upcoming = first + timedelta(days=cycles * self.day_count)
            if self.ends_on is None or upcoming <= self.ends_on:
                return upcoming
        return first


class MealPlanDay(IdMixin, TenantMixin, Base):
    """Day ``position + 1`` of a plan."""

    __tablename__ = "meal_plan_days"
    __table_args__ = (sa.UniqueConstraint("plan_id", "position"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("meal_plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str | None] = mapped_column(sa.String(60))

    meals: Mapped[list[MealPlanMeal]] = relationship(
        lazy="raise",
        order_by="MealPlanMeal.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MealPlanMeal(IdMixin, TenantMixin, Base):
    __tablename__ = "meal_plan_meals"
    __table_args__ = (sa.Index("ix_meal_plan_meals_day", "day_id", "position"),)

    day_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("meal_plan_days.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(40))

    items: Mapped[list[MealPlanItem]] = relationship(
        lazy="raise",
        order_by="MealPlanItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class MealPlanItem(IdMixin, FoodAmount, TenantMixin, Base):
    """A food (``FoodAmount``) or, with ``recipe_id``, servings of a recipe (``quantity``
    servings, ``unit`` "serving", no grams)."""

    __tablename__ = "meal_plan_items"
    __table_args__ = (
        sa.Index("ix_meal_plan_items_meal", "meal_id", "position"),
        sa.CheckConstraint(
            "(CASE WHEN food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN custom_food_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN recipe_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_item",
        ),
    )

    meal_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("meal_plan_meals.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    recipe_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("recipes.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(200))
