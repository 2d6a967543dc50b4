"""Meal plans: days of meals of foods and recipes, as templates or assigned to a client."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from spotter.core.schemas import Out, Schema
from spotter.nutrition.schemas.diary import MealName
from spotter.nutrition.schemas.foods import AmountLine, Grams, Name, NutrientsOut, Quantity
from spotter.nutrition.traits import Diet

MAX_DAYS = 28
MAX_MEALS = 8
MAX_ITEMS = 30
RECIPE_UNIT = "serving"


class PlanItemIn(Schema):
    """A food in a quantity (``food_id``, ``quantity``, ``unit``: a shared or custom food)
    or servings of a recipe (``recipe_id``, ``quantity`` servings, default 1)."""

    food_id: uuid.UUID | None = None
    recipe_id: uuid.UUID | None = None
    quantity: Quantity | None = None
    unit: Annotated[
        str | None,
        StringConstraints(min_length=1, max_length=40),
        Field(
            description="For a food: g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl_oz, piece or a "
            "portion id; for a recipe: serving"
        ),
    ] = None
    note: Annotated[str | None, StringConstraints(max_length=200)] = None

    @model_validator(mode="after")
    def _one_item(self) -> PlanItemIn:
        if (self.food_id is None) == (self.recipe_id is None):
            raise ValueError("give either food_id or recipe_id")
        if self.food_id is not None and (self.quantity is None or self.unit is None):
            raise ValueError("a food needs a quantity and a unit")
        if self.recipe_id is not None:
            if self.unit not in (None, RECIPE_UNIT):
                raise ValueError(f"a recipe is planned in servings (unit '{RECIPE_UNIT}')")
            self.unit = RECIPE_UNIT
            if self.quantity is None:
                self.quantity = 1.0
        return self


class PlanMealIn(Schema):
    name: MealName
    items: Annotated[list[PlanItemIn], Field(max_length=MAX_ITEMS)] = []


class PlanDayIn(Schema):
    name: Annotated[str | None, StringConstraints(max_length=60)] = None
    meals: Annotated[list[PlanMealIn], Field(max_length=MAX_MEALS)] = []

    @field_validator("meals")
    @classmethod
    def _distinct(cls, v: list[PlanMealIn]) -> list[PlanMealIn]:
        if len({m.name.lower() for m in v}) != len(v):
            raise ValueError("meal names in a day must differ")
        return v


class PlanTargets(Schema):
    """A template's own daily targets (an assigned plan uses the client's)."""

    energy_kcal: Annotated[float | None, Field(ge=800, le=10_000)] = None
    protein_g: Grams | None = None
    fat_g: Grams | None = None
    carbohydrate_g: Grams | None = None


class MealPlanIn(PlanTargets):
    name: Name
    description: Annotated[str | None, StringConstraints(max_length=5000)] = None
    diets: Annotated[
        list[Diet], Field(max_length=5, description="Diets the plan claims; checked on read")
    ] = []
    days: Annotated[list[PlanDayIn], Field(min_length=1, max_length=MAX_DAYS)]


class MealPlanCreate(MealPlanIn):
    organization_template: Annotated[
        bool,
        Field(description="An organization template (needs foods:write); else a personal one"),
    ] = False


class AssignIn(Schema):
    client_id: uuid.UUID
    starts_on: date
    ends_on: date | None = None

    @model_validator(mode="after")
    def _order(self) -> AssignIn:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class CopyPlanIn(Schema):
    name: Name | None = None
    organization_template: bool = False


class MoveItemIn(Schema):
    """Move a plan item to ``meal_id`` (a meal of any day of the same plan, or its own
    meal to reorder it) at ``position`` (0 is first; the end when not given)."""

    meal_id: uuid.UUID
    position: Annotated[int | None, Field(ge=0, le=MAX_ITEMS)] = None


class LogPlanIn(Schema):
    """Log the plan day of ``eaten_on`` into the diary (only ``meals`` when given)."""

    eaten_on: date
    meals: Annotated[list[MealName] | None, Field(max_length=MAX_MEALS)] = None


# --- output ----------------------------------------------------------------------------------


class PlanItemOut(AmountLine):
    id: uuid.UUID
    note: str | None
    contains: list[str]


class PlanMealOut(Out):
    id: uuid.UUID
    name: str
    items: list[PlanItemOut]
    totals: NutrientsOut


class VersusOut(Out):
    """A day's planned amount of a nutrient against its target: ``status`` is ``on``
    (within 10%), ``under`` or ``over``; ``at_least`` when part of the amount is unknown
    (then a total under the target is ``unknown``: the unknown part may make it up)."""

    nutrient: str
    target: float
    planned: float | None
    difference: float | None
    percent: float | None
    status: str | None
    at_least: bool


class PlanDayOut(Out):
    id: uuid.UUID
    number: int
    name: str | None
    next_on: date | None = Field(description="An assigned plan: the next date of this day")
    meals: list[PlanMealOut]
    totals: NutrientsOut
    versus: list[VersusOut]


class MealPlanSummary(Out):
    id: uuid.UUID
    kind: str
    name: str
    description: str | None
    diets: list[str]
    day_count: int
    owner_id: uuid.UUID | None
    organization_template: bool
    client_id: uuid.UUID | None
    starts_on: date | None
    ends_on: date | None
    source_plan_id: uuid.UUID | None
    archived: bool
    updated_at: datetime


class MealPlanOut(MealPlanSummary):
    energy_kcal: float | None
    protein_g: float | None
    fat_g: float | None
    carbohydrate_g: float | None
    target_source: str | None = Field(
        description="plan (the template's own targets), client (the client's) or null"
    )
    days: list[PlanDayOut]
    daily_average: NutrientsOut
    warnings: list[str]
