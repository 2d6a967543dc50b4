"""The food diary, a client's nutrition profile and adherence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from spotter.core.schemas import Out, Schema
from spotter.nutrition.schemas.foods import AmountLine, NutrientsOut, NutrientValues, Quantity
from spotter.nutrition.schemas.targets import TargetOut
from spotter.nutrition.traits import ALLERGENS, Diet, Trait

MealName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
DEFAULT_MEALS = ("Breakfast", "Lunch", "Dinner", "Snacks")


class QuickIn(NutrientValues):
    """Macros typed in (a meal out, a label at hand)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "Quick add"

    @model_validator(mode="after")
    def _something(self) -> QuickIn:
        if all(
            getattr(self, n) is None
            for n in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
        ):
            raise ValueError("give at least the energy or one macronutrient")
        return self


class EntryIn(Schema):
    """A food (``food_id``, ``quantity``, ``unit``), servings of a recipe (``recipe_id``,
    ``quantity`` servings, default 1) or quick macros (``quick``), in a meal of a day
    (default: today for the client)."""

    eaten_on: date | None = None
    meal: MealName
    food_id: uuid.UUID | None = None
    recipe_id: uuid.UUID | None = None
    quick: QuickIn | None = None
    quantity: Quantity | None = None
    unit: Annotated[str | None, StringConstraints(min_length=1, max_length=40)] = None

    @model_validator(mode="after")
    def _one_thing(self) -> EntryIn:
        given = [x for x in (self.food_id, self.recipe_id, self.quick) if x is not None]
        if len(given) != 1:
            raise ValueError("give one of food_id, recipe_id or quick")
        if self.food_id is not None and self.quantity is None:
            raise ValueError("a food needs a quantity")
        if self.quick is not None and (self.quantity is not None or self.unit is not None):
            raise ValueError("quick macros take no quantity or unit")
        return self


class EntryUpdate(Schema):
    """Change how much, the unit, the meal or the day (or a quick entry's macros)."""

    eaten_on: date | None = None
    meal: MealName | None = None
    quantity: Quantity | None = None
    unit: Annotated[str | None, StringConstraints(min_length=1, max_length=40)] = None
    quick: QuickIn | None = None


class CopyIn(Schema):
    """Copy a day (or one meal of it) to another day (or into another meal)."""

    from_on: date
    to_on: date
    meal: MealName | None = Field(default=None, description="Only this meal")
    to_meal: MealName | None = Field(default=None, description="Into this meal")


class ProfileIn(Schema):
    meal_names: Annotated[list[MealName], Field(min_length=1, max_length=8)] = list(DEFAULT_MEALS)
    diets: Annotated[list[Diet], Field(max_length=5)] = []
    avoid: Annotated[list[Trait], Field(max_length=9, description="Allergens to avoid")] = []

    @field_validator("meal_names")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len({m.lower() for m in v}) != len(v):
            raise ValueError("meal names must differ")
        return v

    @field_validator("avoid")
    @classmethod
    def _allergens(cls, v: list[Trait]) -> list[Trait]:
        bad = [t.value for t in v if t not in ALLERGENS]
        if bad:
            raise ValueError(f"{', '.join(bad)} is not an allergen")
        return v


class ProfileOut(Out):
    client_id: uuid.UUID
    meal_names: list[str]
    diets: list[str]
    avoid: list[str]


class EntryOut(AmountLine):
    id: uuid.UUID
    eaten_on: date
    meal: str
    kind: str
    logged_by_id: uuid.UUID | None
    created_at: datetime


class MealOut(Out):
    name: str
    entries: list[EntryOut]
    totals: NutrientsOut


class AdherenceOut(Out):
    """How a day went against its target: each macro as a share of its target, a score
    (100 minus the mean distance of energy, protein, fat and carbohydrate from target, in
    percent; 0 at worst) and "on target" (energy within 10%, protein at least 90%)."""

    logged: bool
    score: int | None
    on_target: bool | None
    energy_pct: float | None
    protein_pct: float | None
    fat_pct: float | None
    carbohydrate_pct: float | None
    incomplete: bool = False


class DayOut(Out):
    client_id: uuid.UUID
    day: date
    meals: list[MealOut]
    totals: NutrientsOut
    target: TargetOut | None
    remaining: dict[str, float] | None
    adherence: AdherenceOut


class DaySummaryOut(Out):
    day: date
    entries: int
    totals: NutrientsOut
    target_energy_kcal: float | None
    adherence: AdherenceOut


class RecentOut(Out):
    food_id: uuid.UUID | None
    recipe_id: uuid.UUID | None
    name: str
    times: int
    quantity: float
    unit: str
    unit_label: str
    meal: str
    last_eaten_on: date


class AdherenceRow(Out):
    client_id: uuid.UUID
    client_name: str
    days: int
    days_logged: int
    days_on_target: int
    score: int | None
    avg_energy_kcal: float | None
    target_energy_kcal: float | None
    last_logged_on: date | None
