"""What the nutrition pages share: permission aliases, the form helpers for nutrients,
and the context every nutrition template expects."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from spotter.core.errors import AppError
from spotter.identity.dependencies import Principal
from spotter.nutrition import nutrients as n
from spotter.nutrition.traits import ALLERGENS, DIET_LABELS, TRAIT_LABELS, Trait
from spotter.web import page_require

FoodsRead = Annotated[Principal, page_require("foods:read")]
NutritionRead = Annotated[Principal, page_require("nutrition:read")]
NutritionWrite = Annotated[Principal, page_require("nutrition:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
PAGE_SIZE = 20

NUTRIENT_FIELDS = [(name, n.LABELS[name], n.UNITS[name]) for name in n.NUTRIENTS]
CONTENTS = [(t.value, TRAIT_LABELS[t.value]) for t in Trait]
ALLERGEN_CHOICES = [(t.value, TRAIT_LABELS[t.value]) for t in ALLERGENS]
DIET_CHOICES = list(DIET_LABELS.items())
LABELS: dict[str, Any] = {
    "nutrients": NUTRIENT_FIELDS,
    "trait_labels": TRAIT_LABELS,
    "diet_labels": DIET_LABELS,
}


def not_for_the_form(exc: Exception) -> bool:
    """Errors a form does not show next to its fields: not found, forbidden, our own."""
    return isinstance(exc, AppError) and (exc.status >= 500 or exc.status in (403, 404))


def blank(form: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named fields, blank ones as None (an empty nutrient is unknown, not zero)."""
    return {k: (form.get(k) or "").strip() or None for k in names}
