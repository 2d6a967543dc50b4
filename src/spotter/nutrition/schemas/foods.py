"""Foods: custom food input, food and amount output, barcodes."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from spotter.core.schemas import Out, Schema
from spotter.nutrition.traits import Trait

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Brand = Annotated[str, StringConstraints(max_length=120)]
MeasureName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Quantity = Annotated[float, Field(gt=0, le=100_000, description="How much, in `unit`s")]
Unit = Annotated[
    str,
    StringConstraints(min_length=1, max_length=40),
    Field(
        description="g, kg, oz, lb, ml, l, cup, tbsp, tsp, fl_oz, piece, or the id of one of "
        "the food's portions (see the food's `units`)"
    ),
]
Grams = Annotated[float, Field(ge=0, le=100_000)]


def gtin(value: str) -> str:
    """A barcode as stored: EAN-8 as 8 digits, EAN-13 and UPC-A (12 digits, stored with a
    leading 0) as 13; the check digit must be right."""
    digits = value.replace(" ", "").replace("-", "")
    if not digits.isdigit() or len(digits) not in (8, 12, 13):
        raise ValueError("a barcode is 8 (EAN-8), 12 (UPC-A) or 13 (EAN-13) digits")
    body, check = digits[:-1], int(digits[-1])
    # GS1: weights 3, 1, 3, ... from the digit next to the check digit, leftwards.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - total % 10) % 10 != check:
        raise ValueError(
            f"the check digit of {digits} is wrong (it should be {(10 - total % 10) % 10})"
        )
    return digits.zfill(13) if len(digits) == 12 else digits


Barcode = Annotated[str, StringConstraints(max_length=20), AfterValidator(gtin)]


class NutrientValues(Schema):
    """Nutrient amounts; leave out (or null) what is not known: unknown is not zero."""

    energy_kcal: Annotated[float | None, Field(ge=0, le=20_000)] = None
    protein_g: Annotated[float | None, Field(ge=0, le=10_000)] = None
    fat_g: Annotated[float | None, Field(ge=0, le=10_000)] = None
    carbohydrate_g: Annotated[float | None, Field(ge=0, le=10_000)] = None
    fiber_g: Annotated[float | None, Field(ge=0, le=10_000)] = None
    sugars_g: Annotated[float | None, Field(ge=0, le=10_000)] = None
    sodium_mg: Annotated[float | None, Field(ge=0, le=1_000_000)] = None


class PortionIn(Schema):
    amount: Annotated[float, Field(gt=0, le=1000)] = 1.0
    description: MeasureName
    gram_weight: Annotated[float, Field(gt=0, le=100_000)]


class CustomFoodFields(NutrientValues):
    name: Name
    brand: Brand | None = None
    barcode: Barcode | None = None
    food_group: Annotated[str | None, StringConstraints(max_length=40)] = None
    basis_g: Annotated[
        float,
        Field(
            gt=0, le=10_000, description="The nutrients are per this many grams (a label's serving)"
        ),
    ] = 100.0
    density_g_per_ml: Annotated[float | None, Field(gt=0, le=5)] = None
    contains: Annotated[
        list[Trait] | None,
        Field(description="What it contains (allergens, meat, ...); leave out to derive it"),
    ] = None
    portions: Annotated[list[PortionIn], Field(max_length=30)] = []

    @model_validator(mode="after")
    def _adds_up(self) -> CustomFoodFields:
        per_100 = 100 / self.basis_g
        macros = [self.protein_g, self.fat_g, self.carbohydrate_g]
        if sum(v or 0 for v in macros) * per_100 > 102:
            raise ValueError("protein, fat and carbohydrate come to more than 100 g per 100 g")
        carbs = self.carbohydrate_g
        for name, value in (("sugars", self.sugars_g), ("fibre", self.fiber_g)):
            if value is not None and carbs is not None and value > carbs + 0.01:
                raise ValueError(f"{name} cannot be more than the carbohydrate")
        if self.energy_kcal is not None and self.energy_kcal * per_100 > 950:
            raise ValueError("energy over 950 kcal per 100 g is not possible (pure fat is 900)")
        if self.sodium_mg is not None and self.sodium_mg * per_100 > 40_000:
            raise ValueError("sodium over 40,000 mg per 100 g is more than table salt")
        return self


class CustomFoodIn(CustomFoodFields):
    client_id: Annotated[
        uuid.UUID | None,
        Field(
            description="A client's own food (seen by them and their coaches); "
            "none: the organization's"
        ),
    ] = None


class FoodGroupOut(Out):
    slug: str
    name: str


class NutrientsOut(Out):
    """Nutrient amounts: null is unknown; a nutrient in ``incomplete`` is a lower bound
    (some part of the total is unknown)."""

    energy_kcal: float | None
    protein_g: float | None
    fat_g: float | None
    carbohydrate_g: float | None
    fiber_g: float | None
    sugars_g: float | None
    sodium_mg: float | None
    incomplete: list[str] = []


class AmountLine(Out):
    """A food in a quantity, or servings of a recipe, and what it comes to: a recipe's
    ingredient, a diary entry (and a meal-plan item)."""

    food_id: uuid.UUID | None
    recipe_id: uuid.UUID | None
    name: str
    quantity: float
    unit: str
    unit_label: str
    grams: float | None
    nutrients: NutrientsOut


class PortionOut(Out):
    id: uuid.UUID
    amount: float
    description: str
    gram_weight: float
    label: str


class UnitOut(Out):
    unit: str
    label: str
    grams: float
    approximate: bool


class FoodSummary(Out):
    """A food in a list (search results): what a person picks by; GET /foods/{id} adds
    the units it can be measured in."""

    id: uuid.UUID
    source: str
    name: str
    brand: str | None
    display_name: str
    ndb_no: str | None
    barcode: str | None
    food_group: FoodGroupOut | None
    client_id: uuid.UUID | None
    archived: bool
    per_100g: NutrientsOut
    portions: list[PortionOut]
    allergens: list[str]
    diets: list[str]


class FoodOut(FoodSummary):
    density_g_per_ml: float | None
    units: list[UnitOut]
    contains: list[str]
    contains_stated: bool


class FoodAmountOut(Out):
    food_id: uuid.UUID
    name: str
    quantity: float
    unit: str
    unit_label: str
    grams: float
    nutrients: NutrientsOut
