"""Foods: search, one food, barcode lookup, what a quantity comes to, custom foods and the
food groups."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query, Response

from spotter.core.db import DbSession
from spotter.core.pagination import Pages, rendered_page
from spotter.core.schemas import Page
from spotter.identity.dependencies import Principal, get_principal
from spotter.nutrition import present, service
from spotter.nutrition.dependencies import FoodsRead
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.foods import (
    CustomFoodFields,
    CustomFoodIn,
    FoodAmountOut,
    FoodGroupOut,
    FoodOut,
    FoodSummary,
)

Caller = Annotated[Principal, Depends(get_principal)]
ClientScope = Annotated[
    uuid.UUID | None,
    Query(description="Also a client's own foods (yours, for a client, without it)"),
]


async def _groups(session: DbSession) -> dict[str, str]:
    return (await service.shared_foods(session)).group_names


@router.get("/foods", response_model=Page[FoodSummary])
async def search_foods(
    session: DbSession,
    principal: FoodsRead,
    params: Pages,
    q: Annotated[
        str | None, Query(max_length=100, description="Words in any order; prefixes and typos")
    ] = None,
    group: Annotated[
        list[str], Query(description="Food group slug from GET /food-groups (repeatable)")
    ] = [],  # noqa: B006 (FastAPI copies query defaults)
    source: Annotated[
        list[Literal["usda", "custom"]], Query(description="usda, custom (repeatable)")
    ] = [],  # noqa: B006
    client_id: ClientScope = None,
) -> Response:
    """Best matches first with `q` (all words, whole words and prefixes before the rest,
    staples and shorter names first); without it, your own foods (newest first) and then
    the USDA foods by name."""
    items, cursor = await service.search(
        session,
        principal=principal,
        params=params,
        q=q,
        groups=group,
        sources=source,
        client_id=client_id,
    )
    names = await _groups(session)
    return rendered_page([present.food_summary_json(f, names) for f in items], cursor)


@router.get("/foods/barcode", response_model=FoodOut)
async def food_by_barcode(
    session: DbSession,
    principal: FoodsRead,
    code: Annotated[str, Query(max_length=20, description="EAN-8, EAN-13 or UPC-A digits")],
    client_id: ClientScope = None,
) -> FoodOut:
    found = await service.food_by_barcode(
        session, principal=principal, code=code, client_id=client_id
    )
    return present.food(found, await _groups(session))


@router.post("/foods", response_model=FoodOut, status_code=201)
async def create_food(session: DbSession, principal: Caller, data: CustomFoodIn) -> FoodOut:
    """A custom food: the organization's (staff with foods:write), or a client's own
    (`client_id`; the client themself or their coaches). Nutrients are per `basis_g`
    grams (default 100) and stored per 100 g; leave out what you do not know."""
    created = await service.create_food(session, principal=principal, data=data)
    return present.food(created, await _groups(session))


@router.get("/foods/{food_id}", response_model=FoodOut)
async def get_food(session: DbSession, principal: FoodsRead, food_id: uuid.UUID) -> FoodOut:
    found = await service.get_food(session, principal=principal, food_id=food_id)
    return present.food(found, await _groups(session))


@router.get("/foods/{food_id}/amount", response_model=FoodAmountOut)
async def food_amount(
    session: DbSession,
    principal: FoodsRead,
    food_id: uuid.UUID,
    quantity: Annotated[float, Query(gt=0, le=100_000)] = 100,
    unit: Annotated[str, Query(min_length=1, max_length=40)] = "g",
) -> FoodAmountOut:
    """Grams and nutrients of `quantity` `unit` of the food (a unit that does not apply
    is a 422 that lists those that do)."""
    found = await service.get_food(session, principal=principal, food_id=food_id)
    return present.amount(found, quantity, unit)


@router.put("/foods/{food_id}", response_model=FoodOut)
async def update_food(
    session: DbSession, principal: Caller, food_id: uuid.UUID, data: CustomFoodFields
) -> FoodOut:
    """Replace a custom food (USDA foods are read-only: 409)."""
    updated = await service.update_food(session, principal=principal, food_id=food_id, data=data)
    return present.food(updated, await _groups(session))


@router.delete("/foods/{food_id}", status_code=204)
async def archive_food(session: DbSession, principal: Caller, food_id: uuid.UUID) -> Response:
    """Archive a custom food: out of search, still there for recipes and diaries."""
    await service.archive_food(session, principal=principal, food_id=food_id)
    return Response(status_code=204)


@router.get("/food-groups", response_model=list[FoodGroupOut])
async def food_groups(session: DbSession, principal: FoodsRead) -> list[FoodGroupOut]:
    names = await _groups(session)
    return [FoodGroupOut(slug=slug, name=name) for slug, name in names.items()]
