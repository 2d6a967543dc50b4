"""``FoodView``: a food as every part of the domain sees it, shared or custom."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from spotter.nutrition import traits as rules
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.units import Portion, UnitOption, to_grams, unit_options

USDA = "usda"
ORGANIZATION = "organization"
CLIENT = "client"


@dataclass(frozen=True)
class FoodView:
    id: uuid.UUID
    source: str  # usda, organization (the organization's own) or client (one client's)
    name: str
    group: str | None  # food group slug
    per_100g: Amounts
    portions: tuple[Portion, ...] = ()
    traits: frozenset[str] = frozenset()
    traits_stated: bool = False  # a custom food's own ``contains`` rather than the rules
    brand: str | None = None
    barcode: str | None = None
    density_g_per_ml: float | None = None
    ndb_no: str | None = None
    client_id: uuid.UUID | None = None
    archived: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.brand})" if self.brand else self.name

    @cached_property
    def units(self) -> list[UnitOption]:
        return unit_options(self.portions, self.density_g_per_ml)

    def grams(self, quantity: float, unit: str, field: str = "unit") -> float:
        return to_grams(
            quantity,
            unit,
            food_name=self.display_name,
            portions=self.portions,
            density_g_per_ml=self.density_g_per_ml,
            field=field,
        )

    def amounts(self, grams: float) -> Amounts:
        return self.per_100g.for_grams(grams)

    @property
    def allergens(self) -> list[str]:
        return rules.allergens(self.traits)

    @property
    def diets(self) -> list[str]:
        return rules.diets(self.traits, self.per_100g)

    def unit_label(self, unit: str) -> str:
        for option in self.units:
            if option.unit == unit:
                return option.label
        return "portion" if len(unit) > 20 else unit
