"""Shopping lists from a client's meal plans, their ticks and manual items, CSV and PDF
exports, and the client's pantry staples."""

from __future__ import annotations

import uuid

from fastapi import Response

from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.nutrition import shopping_export
from spotter.nutrition.dependencies import (
    DiaryWritable,
    DiaryWriter,
    NutritionReadable,
    NutritionReader,
)
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.shopping import (
    ManualItemIn,
    PantryIn,
    PantryOut,
    ShoppingListIn,
    ShoppingListOut,
    ShoppingListSummary,
    TickIn,
    list_out,
    pantry_out,
    summary_out,
)
from spotter.nutrition.service import shopping


@router.post("/clients/{client_id}/shopping-lists", response_model=ShoppingListOut, status_code=201)
async def create_list(
    session: DbSession, principal: DiaryWriter, client: DiaryWritable, data: ShoppingListIn
) -> ShoppingListOut:
    """One line per food of the assigned plan(s) over `starts_on`..`ends_on` (8 weeks at
    most), summed and in shopping units, by aisle; the same plan and dates again
    regenerate the list and keep the ticks of the foods still on it."""
    return list_out(
        await shopping.create_list(session, principal=principal, client=client, data=data)
    )


@router.get("/clients/{client_id}/shopping-lists", response_model=list[ShoppingListSummary])
async def list_lists(session: DbSession, client: NutritionReadable) -> list[ShoppingListSummary]:
    """The client's lists, the latest dates first (50 at most)."""
    return [summary_out(v) for v in await shopping.list_lists(session, client=client)]


async def _export(
    session: DbSession, principal: NutritionReader, list_id: uuid.UUID
) -> tuple[shopping.ListView, str]:
    view = await shopping.get_list(session, principal=principal, list_id=list_id)
    client = await clients.get_client(session, principal=principal, client_id=view.row.client_id)
    return view, client.full_name


@router.get(
    "/shopping-lists/{shopping_list_id}.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}},
            "description": "group, item, quantity, unit, grams, ticked",
        }
    },
)
async def export_csv(
    session: DbSession, principal: NutritionReader, shopping_list_id: uuid.UUID
) -> Response:
    view, _ = await _export(session, principal, shopping_list_id)
    return shopping_export.csv_response(view)


@router.get(
    "/shopping-lists/{shopping_list_id}.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "Printable, with tick boxes"}
    },
)
async def export_pdf(
    session: DbSession, principal: NutritionReader, shopping_list_id: uuid.UUID
) -> Response:
    view, client_name = await _export(session, principal, shopping_list_id)
    return await shopping_export.pdf_response(view, client_name)


@router.get("/shopping-lists/{shopping_list_id}", response_model=ShoppingListOut)
async def get_list(
    session: DbSession, principal: NutritionReader, shopping_list_id: uuid.UUID
) -> ShoppingListOut:
    return list_out(await shopping.get_list(session, principal=principal, list_id=shopping_list_id))


@router.delete("/shopping-lists/{shopping_list_id}", status_code=204)
async def delete_list(
    session: DbSession, principal: DiaryWriter, shopping_list_id: uuid.UUID
) -> Response:
    await shopping.delete_list(session, principal=principal, list_id=shopping_list_id)
    return Response(status_code=204)


@router.put(
    "/shopping-lists/{shopping_list_id}/items/{shopping_item_id}", response_model=ShoppingListOut
)
async def tick_item(
    session: DbSession,
    principal: DiaryWriter,
    shopping_list_id: uuid.UUID,
    shopping_item_id: uuid.UUID,
    data: TickIn,
) -> ShoppingListOut:
    """Tick an item off (`ticked: true`) or put it back; saved with who and when, so every
    device of the client sees it. Idempotent."""
    view = await shopping.tick(
        session,
        principal=principal,
        list_id=shopping_list_id,
        item_id=shopping_item_id,
        ticked=data.ticked,
    )
    return list_out(view)


@router.post(
    "/shopping-lists/{shopping_list_id}/items", response_model=ShoppingListOut, status_code=201
)
async def add_item(
    session: DbSession, principal: DiaryWriter, shopping_list_id: uuid.UUID, data: ManualItemIn
) -> ShoppingListOut:
    """Add something by hand (free text, optional quantity words and aisle)."""
    view = await shopping.add_manual(
        session, principal=principal, list_id=shopping_list_id, data=data
    )
    return list_out(view)


@router.delete(
    "/shopping-lists/{shopping_list_id}/items/{shopping_item_id}", response_model=ShoppingListOut
)
async def remove_item(
    session: DbSession,
    principal: DiaryWriter,
    shopping_list_id: uuid.UUID,
    shopping_item_id: uuid.UUID,
) -> ShoppingListOut:
    """Remove an item added by hand (the plan's items stay: tick them or mark them at home)."""
    view = await shopping.remove_manual(
        session, principal=principal, list_id=shopping_list_id, item_id=shopping_item_id
    )
    return list_out(view)


@router.get("/clients/{client_id}/pantry", response_model=PantryOut)
async def get_pantry(
    session: DbSession, principal: NutritionReader, client: NutritionReadable
) -> PantryOut:
    """The foods the client has at home: shopping lists show them apart, under At home."""
    return pantry_out(await shopping.pantry(session, principal=principal, client=client))


@router.put("/clients/{client_id}/pantry", response_model=PantryOut)
async def put_pantry(
    session: DbSession, principal: DiaryWriter, client: DiaryWritable, data: PantryIn
) -> PantryOut:
    foods = await shopping.set_pantry(
        session, principal=principal, client=client, food_ids=data.food_ids
    )
    return pantry_out(foods)
