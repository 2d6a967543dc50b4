"""Recipes: input with ingredients, output with computed nutrients and labels."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from spotter.core.schemas import Out, Schema
from spotter.nutrition.generator import MealKind
from spotter.nutrition.schemas.foods import AmountLine, Name, NutrientsOut, Quantity
from spotter.nutrition.traits import Diet

Step = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Minutes = Annotated[int, Field(ge=0, le=2880)]


class IngredientIn(Schema):
    """A food in a quantity (``food_id``, ``quantity``, ``unit``) or servings of another
    recipe (``recipe_id``, ``quantity`` servings)."""

    food_id: uuid.UUID | None = None
    recipe_id: uuid.UUID | None = None
    quantity: Quantity
    unit: Annotated[
        str | None,
        StringConstraints(min_length=1, max_length=40),
        Field(
            description="For a food: g (default), kg, oz, lb, ml, l, cup, tbsp, tsp, fl_oz, "
            "piece or a portion id; for a recipe: serving"
        ),
    ] = None
    note: Annotated[str | None, StringConstraints(max_length=200)] = None

    @model_validator(mode="after")
    def _one_item(self) -> IngredientIn:
        if (self.food_id is None) == (self.recipe_id is None):
            raise ValueError("give either food_id or recipe_id")
        return self


class RecipeFields(Schema):
    name: Name
    description: Annotated[str | None, StringConstraints(max_length=5000)] = None
    servings: Annotated[float, Field(gt=0, le=100)] = 1.0
    prep_minutes: Minutes | None = None
    cook_minutes: Minutes | None = None
    steps: Annotated[list[Step], Field(max_length=60)] = []
    claimed_diets: Annotated[
        list[Diet], Field(max_length=5, description="Labels you claim; checked on every read")
    ] = []
    meals: Annotated[
        list[MealKind],
        Field(max_length=3, description="The meals it suits (plan generator); none: any meal"),
    ] = []
    ingredients: Annotated[list[IngredientIn], Field(max_length=100)] = []


class RecipeIn(RecipeFields):
    client_id: Annotated[
        uuid.UUID | None,
        Field(description="A client's own recipe; none: the organization's library"),
    ] = None


class IngredientOut(AmountLine):
    id: uuid.UUID | None
    contains: list[str]
    note: str | None


class RecipeNutritionOut(Out):
    """What the ingredients come to."""

    servings: float
    ingredients: list[IngredientOut]
    weight_g: float
    total: NutrientsOut
    per_serving: NutrientsOut
    contains: list[str]
    allergens: list[str]
    diets: list[str]
    claimed_diets: list[str]
    diet_warnings: list[str]
    meals: list[str]


class RecipeOut(RecipeNutritionOut):
    id: uuid.UUID
    name: str
    description: str | None
    prep_minutes: int | None
    cook_minutes: int | None
    steps: list[str]
    client_id: uuid.UUID | None
    archived: bool
    photo_url: str | None
    thumbnail_url: str | None
    created_at: datetime
    updated_at: datetime


class RecipeSummary(Out):
    id: uuid.UUID
    name: str
    thumbnail_url: str | None
    servings: float
    per_serving: NutrientsOut
    diets: list[str]
    allergens: list[str]
    meals: list[str]
    client_id: uuid.UUID | None
    archived: bool
