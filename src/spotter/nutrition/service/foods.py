"""Reading foods as the caller may see them: one by id, many at once (recipes and
diaries), by barcode; and what a quantity of one comes to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import field_error
from spotter.nutrition.errors import FoodNotFound
from spotter.nutrition.food import FoodView
from spotter.nutrition.models import CustomFood
from spotter.nutrition.schemas.foods import gtin
from spotter.nutrition.service import access
from spotter.nutrition.service.custom import custom_view, visible_custom
from spotter.nutrition.service.library import shared_foods

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


async def foods_by_ids(
    session: AsyncSession, *, principal: Principal, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, FoodView]:
    """Shared and visible custom foods (archived ones included) by id, in one query at
    most; ids the caller may not see are left out."""
    library = await shared_foods(session)
    wanted = set(ids)
    found = {i: f for i in wanted if (f := library.get(i)) is not None}
    for row in await visible_custom(session, principal, wanted - set(found)):
        found[row.id] = custom_view(library, row)
    return found


async def get_food(session: AsyncSession, *, principal: Principal, food_id: uuid.UUID) -> FoodView:
    found = await foods_by_ids(session, principal=principal, ids=[food_id])
    if food_id not in found:
        raise FoodNotFound()
    return found[food_id]


async def food_by_barcode(
    session: AsyncSession, *, principal: Principal, code: str, client_id: uuid.UUID | None = None
) -> FoodView:
    """The live custom food with this barcode: the client's own before the
    organization's. (The USDA data has no barcodes.)"""
    try:
        barcode = gtin(code)
    except ValueError as exc:
        raise field_error("code", str(exc)) from exc
    if client_id is not None:
        await access.client_for_read(session, principal, client_id)
    else:
        client_id = await access.own_client_id(session, principal)
    scope: sa.ColumnElement[bool] = CustomFood.client_id.is_(None)
    if client_id is not None:
        scope = sa.or_(scope, CustomFood.client_id == client_id)
    ids = (
        await session.scalars(
            sa.select(CustomFood.id)
            .where(CustomFood.barcode == barcode, CustomFood.archived_at.is_(None), scope)
            .order_by(CustomFood.client_id.is_(None), CustomFood.id)
        )
    ).all()
    if not ids:
        raise FoodNotFound(f"No food here has barcode {barcode}; add it with POST /foods.")
    return await get_food(session, principal=principal, food_id=ids[0])
