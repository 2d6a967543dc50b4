"""Real USDA SR28 rows as ``FoodView`` values, straight from the shipped files (no
database): for the pure tests that pin rules to actual foods."""

from __future__ import annotations

import functools

from spotter.nutrition import dataset
from spotter.nutrition.food import USDA, FoodView
from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.units import Portion

_SLUG_OF_GROUP = {desc: slug for slug, _, desc in dataset.FOOD_GROUPS}


@functools.cache
def _rows() -> tuple[dict[str, dict[str, str]], dict[str, list[dict[str, str]]]]:
    foods = {r["ndb_no"]: r for r in dataset.read_foods()}
    portions: dict[str, list[dict[str, str]]] = {}
    for r in dataset.read_portions():
        portions.setdefault(r["ndb_no"], []).append(r)
    return foods, portions


def usda(ndb_no: str) -> FoodView:
    foods, portions = _rows()
    row = foods[ndb_no]
    return FoodView(
        id=dataset.food_id(ndb_no),
        source=USDA,
        name=row["description"],
        group=_SLUG_OF_GROUP[row["food_group"]],
        per_100g=Amounts.of({}),
        portions=tuple(
            Portion(
                dataset.portion_id(ndb_no, int(p["seq"])),
                float(p["amount"]),
                p["measure_description"],
                float(p["gram_weight"]),
            )
            for p in portions.get(ndb_no, ())
        ),
        ndb_no=ndb_no,
    )
