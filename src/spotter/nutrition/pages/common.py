"""What the nutrition pages share: permission aliases, the form helpers for nutrients,
and the context every nutrition template expects."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import AppError, NotFound
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import nutrients as n
from spotter.nutrition import present, service
from spotter.nutrition.service import access
from spotter.nutrition.service import recipes as recipes_service
from spotter.nutrition.traits import ALLERGENS, DIET_LABELS, TRAIT_LABELS, Trait
from spotter.web import page_require

FoodsRead = Annotated[Principal, page_require("foods:read")]
NutritionRead = Annotated[Principal, page_require("nutrition:read")]
NutritionWrite = Annotated[Principal, page_require("nutrition:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
PAGE_SIZE = 20
SEARCH_SIZE = 8

NUTRIENT_FIELDS = [(name, n.LABELS[name], n.UNITS[name]) for name in n.NUTRIENTS]
CONTENTS = [(t.value, TRAIT_LABELS[t.value]) for t in Trait]
ALLERGEN_CHOICES = [(t.value, TRAIT_LABELS[t.value]) for t in ALLERGENS]
DIET_CHOICES = list(DIET_LABELS.items())
MEAL_CHOICES = [("breakfast", "Breakfast"), ("main", "Lunch or dinner"), ("snack", "Snack")]
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


async def readable_client(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> Client:
    """A client whose nutrition the page's user may read (the client themself, their
    trainer, owners and admins); anyone else's, and front desk, get a 404."""
    if not access.reads_client_data(principal):
        raise NotFound("No such client")
    return await clients.get_client(session, principal=principal, client_id=client_id)


async def foods_and_recipes(
    session: AsyncSession,
    principal: Principal,
    *,
    q: str,
    client_id: uuid.UUID | None,
    with_units: bool,
    with_recipes: bool = True,
) -> tuple[list[Any], list[Any]]:
    """An inline search: foods (with their units when ``with_units``) and recipes (unless
    not ``with_recipes``) that a recipe or diary of ``client_id`` (None: the
    organization's) may use."""
    if not q.strip():
        return [], []
    scope = client_id if principal.is_staff else None  # a client's search is their own
    found, _ = await service.search(
        session, principal=principal, params=PageParams(limit=SEARCH_SIZE), q=q, client_id=scope
    )
    names = (await service.shared_foods(session)).group_names
    shown = present.food if with_units else present.food_summary
    foods = [shown(f, names) for f in found if f.client_id in (None, client_id)]
    if not with_recipes:
        return foods, []
    listed, _ = await recipes_service.list_recipes(
        session, principal=principal, params=PageParams(limit=4), q=q, client_id=scope
    )
    recipes = [present.recipe_summary(r) for r in listed if r.client_id in (None, client_id)]
    return foods, recipes
