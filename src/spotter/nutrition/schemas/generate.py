"""The meal-plan generator's request and its draft (``plan`` POSTs to /meal-plans as is)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from spotter.core.schemas import Out, Schema
from spotter.nutrition.schemas.diary import MealName
from spotter.nutrition.schemas.foods import NutrientsOut
from spotter.nutrition.schemas.plans import MealPlanIn, PlanTargets
from spotter.nutrition.traits import ALLERGENS, Diet, Trait

MAX_DAYS = 14
MAX_MEALS = 8
MAX_IDS = 200

Ids = Annotated[list[uuid.UUID], Field(max_length=MAX_IDS)]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]


class GenerateIn(Schema):
    """What to plan for. Left out, the client's own settings apply: their target in
    force today, their meal names, diets and allergens to avoid."""

    client_id: Annotated[
        uuid.UUID | None, Field(description="The client to plan for; none: a template")
    ] = None
    name: Annotated[str | None, StringConstraints(min_length=1, max_length=200)] = None
    days: Annotated[int, Field(ge=1, le=MAX_DAYS)] = 7
    meals: Annotated[
        list[MealName] | None,
        Field(min_length=1, max_length=MAX_MEALS, description="Meal names (default: the client's)"),
    ] = None
    meals_per_day: Annotated[
        int | None,
        Field(ge=1, le=MAX_MEALS, description="Instead of names: this many standard meals"),
    ] = None
    targets: Annotated[
        PlanTargets | None,
        Field(description="Daily targets (default: the client's target in force today)"),
    ] = None
    diets: Annotated[list[Diet], Field(max_length=5, description="Besides the client's")] = []
    avoid: Annotated[
        list[Trait], Field(max_length=9, description="Allergens to avoid, besides the client's")
    ] = []
    include_library: Annotated[
        bool, Field(description="Every recipe you may read for this client (or the library's)")
    ] = True
    recipe_ids: Annotated[Ids, Field(description="More recipes for the pool")] = []
    food_ids: Annotated[Ids, Field(description="Foods for the pool")] = []
    exclude_recipe_ids: Ids = []
    exclude_food_ids: Ids = []
    exclude_words: Annotated[
        list[Word],
        Field(max_length=20, description="Leave out items whose name or ingredients say this"),
    ] = []
    min_items: Annotated[int, Field(ge=1, le=5, description="Items per meal, at least")] = 1
    max_items: Annotated[int, Field(ge=1, le=5, description="Items per meal, at most")] = 3
    max_days_per_item: Annotated[
        int | None, Field(ge=1, le=MAX_DAYS, description="Default: half the days")
    ] = None
    seed: Annotated[int, Field(ge=0, le=1_000_000, description="Another number, another plan")] = 0

    @field_validator("avoid")
    @classmethod
    def _allergens(cls, v: list[Trait]) -> list[Trait]:
        if not_allergens := [t.value for t in v if t not in ALLERGENS]:
            raise ValueError(f"not allergens: {', '.join(not_allergens)}")
        return v

    @field_validator("meals")
    @classmethod
    def _distinct(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len({m.strip().lower() for m in v}) != len(v):
            raise ValueError("meal names must differ")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> GenerateIn:
        if self.min_items > self.max_items:
            raise ValueError("min_items is more than max_items")
        if self.meals is not None and self.meals_per_day is not None:
            raise ValueError("give meals or meals_per_day, not both")
        if self.targets is not None and self.targets.energy_kcal is None:
            raise ValueError("targets need energy_kcal")
        return self


class DraftItemOut(Out):
    kind: str  # food or recipe
    food_id: uuid.UUID | None
    recipe_id: uuid.UUID | None
    name: str
    quantity: float
    unit: str
    unit_label: str
    nutrients: NutrientsOut


class DraftMealOut(Out):
    name: str
    items: list[DraftItemOut]


class DraftDayOut(Out):
    name: str
    meals: list[DraftMealOut]
    totals: NutrientsOut
    deviation: dict[str, float | None] = Field(
        description="(total - target) / target per nutrient; null when not targeted"
    )


class DraftOut(Out):
    plan: MealPlanIn = Field(description="POST this to /api/v1/meal-plans to save it")
    client_id: uuid.UUID | None
    targets: dict[str, float | None]
    days: list[DraftDayOut]
    pool_size: int
    status: str = Field(
        description="optimal; time_limit (the best plan found in time); day_by_day (out of "
        "time, each day solved in turn under the same rules)"
    )
    seconds: float
    notes: list[str]
