"""``RecipeView``: a recipe with its ingredients resolved, and everything computed from
them (nutrients, weight, contents, diets, the claimed diets checked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from spotter.nutrition import traits as rules
from spotter.nutrition.food import FoodView
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.units import SERVING


@dataclass(frozen=True)
class IngredientView:
    id: uuid.UUID | None
    quantity: float
    unit: str
    grams: float | None  # a food's grams; None for a recipe
    food: FoodView | None = None
    recipe: RecipeView | None = None
    note: str | None = None

    @property
    def name(self) -> str:
        if self.food is not None:
            return self.food.display_name
        if self.recipe is not None:
            return self.recipe.name
        return "Unknown food"

    @property
    def unit_label(self) -> str:
        if self.food is not None:
            return self.food.unit_label(self.unit)
        return "serving" if self.quantity == 1 else "servings"

    @property
    def amounts(self) -> Amounts:
        if self.food is not None and self.grams is not None:
            return self.food.amounts(self.grams)
        if self.recipe is not None:
            return self.recipe.per_serving.scaled(self.quantity)
        return Amounts.of({})  # unreachable food: everything unknown

    @property
    def weight_g(self) -> float:
        if self.recipe is not None:
            return self.recipe.weight_g * self.quantity / self.recipe.servings
        return self.grams or 0.0

    @property
    def traits(self) -> frozenset[str]:
        if self.food is not None:
            return self.food.traits
        if self.recipe is not None:
            return self.recipe.traits
        return frozenset()


@dataclass(frozen=True)
class RecipeView:
    id: uuid.UUID | None
    name: str
    servings: float
    ingredients: tuple[IngredientView, ...]
    claimed_diets: tuple[str, ...] = ()
    meals: tuple[str, ...] = ()  # breakfast, main, snack; empty: any meal
    client_id: uuid.UUID | None = None
    archived: bool = False
    has_photo: bool = False

    @cached_property
    def total(self) -> Amounts:
        return Amounts.total(i.amounts for i in self.ingredients)

    @cached_property
    def per_serving(self) -> Amounts:
        return self.total.scaled(1 / self.servings)

    @cached_property
    def weight_g(self) -> float:
        return sum(i.weight_g for i in self.ingredients)

    @cached_property
    def traits(self) -> frozenset[str]:
        return frozenset().union(*(i.traits for i in self.ingredients))

    @property
    def allergens(self) -> list[str]:
        return rules.allergens(self.traits)

    @property
    def diets(self) -> list[str]:
        return rules.diets(self.traits, self.total) if self.ingredients else []

    @property
    def diet_warnings(self) -> list[str]:
        """A sentence for each claimed diet the ingredients do not support."""
        fits = set(self.diets)
        out = []
        for diet in self.claimed_diets:
            if diet in fits:
                continue
            label = rules.DIET_LABELS[diet]
            if diet == rules.Diet.KETO:
                share = rules.net_carb_share(self.total)
                why = (
                    "the macronutrients are not all known"
                    if share is None
                    else f"net carbohydrate is {share:.0%} of the energy (keto: 10% at most)"
                )
                out.append(f"Marked {label}, but {why}.")
                continue
            bad = rules.conflicts(diet, {i.name: i.traits for i in self.ingredients})
            out.append(f"Marked {label}, but it contains: {'; '.join(bad)}.")
        return out

    def flatten(self, servings: float | None = None) -> dict[uuid.UUID, float]:
        """Grams of each food in ``servings`` (default: the whole recipe), through
        sub-recipes: what a shopping list adds up."""
        factor = (servings if servings is not None else self.servings) / self.servings
        out: dict[uuid.UUID, float] = {}
        for i in self.ingredients:
            if i.food is not None and i.grams is not None:
                out[i.food.id] = out.get(i.food.id, 0.0) + i.grams * factor
            elif i.recipe is not None:
                for food_id, grams in i.recipe.flatten(i.quantity * factor).items():
                    out[food_id] = out.get(food_id, 0.0) + grams
        return out


__all__ = ["SERVING", "IngredientView", "RecipeView"]
