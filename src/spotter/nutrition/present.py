"""From domain values to API schemas (the pages use the same)."""

from __future__ import annotations

from spotter.nutrition.food import FoodView
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.schemas.foods import (
    FoodAmountOut,
    FoodGroupOut,
    FoodOut,
    NutrientsOut,
    PortionOut,
    UnitOut,
)


def nutrients(amounts: Amounts, places: int | None = 2) -> NutrientsOut:
    """Null for unknown; ``places`` rounds computed amounts (None: as stored)."""
    values = {
        name: (value if value is None or places is None else round(value, places))
        for name, value in amounts.values().items()
    }
    return NutrientsOut(**values, incomplete=amounts.incomplete)


def food(view: FoodView, group_names: dict[str, str]) -> FoodOut:
    group = (
        FoodGroupOut(slug=view.group, name=group_names.get(view.group, view.group))
        if view.group
        else None
    )
    return FoodOut(
        id=view.id,
        source=view.source,
        name=view.name,
        brand=view.brand,
        display_name=view.display_name,
        ndb_no=view.ndb_no,
        barcode=view.barcode,
        food_group=group,
        client_id=view.client_id,
        archived=view.archived,
        per_100g=nutrients(view.per_100g, places=None),
        density_g_per_ml=view.density_g_per_ml,
        portions=[
            PortionOut(
                id=p.id,
                amount=p.amount,
                description=p.description,
                gram_weight=p.gram_weight,
                label=p.label,
            )
            for p in view.portions
        ],
        units=[
            UnitOut(unit=u.unit, label=u.label, grams=round(u.grams, 3), approximate=u.approximate)
            for u in view.units
        ],
        contains=sorted(view.traits),
        contains_stated=view.traits_stated,
        allergens=view.allergens,
        diets=view.diets,
    )


def amount(view: FoodView, quantity: float, unit: str) -> FoodAmountOut:
    grams = view.grams(quantity, unit)
    return FoodAmountOut(
        food_id=view.id,
        name=view.display_name,
        quantity=quantity,
        unit=unit,
        unit_label=view.unit_label(unit),
        grams=round(grams, 2),
        nutrients=nutrients(view.amounts(grams)),
    )
