"""Food pages: search (shared and custom foods, nutrients per 100 g and per portion,
unknowns shown as unknown), a food's page, and the custom food form."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import present, service
from spotter.nutrition.food import FoodView
from spotter.nutrition.pages.common import (
    CONTENTS,
    LABELS,
    PAGE_SIZE,
    Cursor,
    FoodsRead,
    Search,
    blank,
    not_for_the_form,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.foods import CustomFoodFields, CustomFoodIn
from spotter.nutrition.service import access
from spotter.web import FORM_ERRORS, read_form, redirect, render, render_form

PORTION_ROWS = 5
SOURCES = [("", "All foods"), ("usda", "USDA foods"), ("custom", "Our foods")]


async def food_list(
    session: AsyncSession,
    principal: Principal,
    *,
    q: str = "",
    group: str = "",
    source: str = "",
    cursor: str = "",
) -> dict[str, Any]:
    library = await service.shared_foods(session)
    items, next_cursor = await service.search(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
        groups=[group] if group in library.group_names else [],
        sources=[source] if source in ("usda", "custom") else [],
    )
    return {
        "foods": [present.food_summary(f, library.group_names) for f in items],
        "next_cursor": next_cursor,
        "q": q,
        "group": group,
        "source": source,
        "groups": list(library.group_names.items()),
        "sources": SOURCES,
        **LABELS,
    }


@router.get("/foods")
async def foods_page(
    request: Request,
    session: DbSession,
    principal: FoodsRead,
    q: Search = "",
    group: Search = "",
    source: Search = "",
) -> Response:
    context = await food_list(session, principal, q=q, group=group, source=source)
    return render(request, "nutrition/foods.html", context)


@router.get("/foods/rows")
async def food_rows(
    request: Request,
    session: DbSession,
    principal: FoodsRead,
    q: Search = "",
    group: Search = "",
    source: Search = "",
    cursor: Cursor = "",
) -> Response:
    context = await food_list(session, principal, q=q, group=group, source=source, cursor=cursor)
    return render(request, "nutrition/_food_rows.html", {**context, "appending": bool(cursor)})


# --- the custom food form ------------------------------------------------------------------------


def food_data(form: dict[str, Any]) -> dict[str, Any]:
    """The form's flat fields as ``CustomFoodIn``'s."""
    data: dict[str, Any] = blank(
        form,
        "name",
        "brand",
        "barcode",
        "food_group",
        "energy_kcal",
        "protein_g",
        "fat_g",
        "carbohydrate_g",
        "fiber_g",
        "sugars_g",
        "sodium_mg",
        "density_g_per_ml",
    )
    data["basis_g"] = (form.get("basis_g") or "").strip() or 100
    data["contains"] = list(form.get("contains") or []) if form.get("state_contains") else None
    data["portions"] = [
        {
            "amount": (form.get(f"portion_amount_{i}") or "").strip() or 1,
            "description": (form.get(f"portion_description_{i}") or "").strip(),
            "gram_weight": (form.get(f"portion_grams_{i}") or "").strip() or None,
        }
        for i in range(PORTION_ROWS)
        if (form.get(f"portion_description_{i}") or "").strip()
        or (form.get(f"portion_grams_{i}") or "").strip()
    ]
    return data


def food_form(food: Any) -> dict[str, Any]:
    """A food's values as the form shows them (per 100 g)."""
    form: dict[str, Any] = {
        "name": food.name,
        "brand": food.brand or "",
        "barcode": food.barcode or "",
        "food_group": food.food_group.slug if food.food_group else "",
        "basis_g": "100",
        "density_g_per_ml": food.density_g_per_ml or "",
        "state_contains": "on" if food.contains_stated else "",
        "contains": food.contains,
    }
    for name, value in food.per_100g.model_dump().items():
        if name != "incomplete":
            form[name] = "" if value is None else f"{value:g}"
    for i, p in enumerate(food.portions[:PORTION_ROWS]):
        form[f"portion_amount_{i}"] = f"{p.amount:g}"
        form[f"portion_description_{i}"] = p.description
        form[f"portion_grams_{i}"] = f"{p.gram_weight:g}"
    return form


async def _form_context(session: AsyncSession) -> dict[str, Any]:
    library = await service.shared_foods(session)
    return {
        "groups": [("", "No group"), *library.group_names.items()],
        "contents": CONTENTS,
        "portion_rows": range(PORTION_ROWS),
        **LABELS,
    }


@router.get("/foods/new")
async def new_food_page(
    request: Request, session: DbSession, principal: FoodsRead, client_id: Search = ""
) -> Response:
    context = await _form_context(session)
    form = {"basis_g": "100", "client_id": client_id}
    return render(request, "nutrition/food_form.html", {**context, "form": form, "food": None})


@router.post("/foods/new")
async def create_food(request: Request, session: DbSession, principal: FoodsRead) -> Response:
    form = await read_form(request, lists=("contains",))
    try:
        async with session.begin_nested():
            data = CustomFoodIn.model_validate(
                {**food_data(form), "client_id": (form.get("client_id") or None)}
            )
            food = await service.create_food(session, principal=principal, data=data)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        context = await _form_context(session)
        return render_form(
            request, "nutrition/food_form.html", exc, form=form, context={**context, "food": None}
        )
    return redirect(request, f"/foods/{food.id}", f"{food.name} was added.")


async def _food(session: AsyncSession, principal: Principal, food_id: uuid.UUID) -> FoodView:
    return await service.get_food(session, principal=principal, food_id=food_id)


def _editable(principal: Principal, food: FoodView) -> bool:
    if food.source == "usda" or food.archived:
        return False
    if food.client_id is None:
        return principal.can("foods:write")
    return access.writes_client_data(principal)


@router.get("/foods/{food_id}")
async def food_page(
    request: Request, session: DbSession, principal: FoodsRead, food_id: uuid.UUID
) -> Response:
    view = await _food(session, principal, food_id)
    library = await service.shared_foods(session)
    food = present.food(view, library.group_names)
    portions = [
        (p.label, p.gram_weight, present.nutrients(view.amounts(p.gram_weight)))
        for p in view.portions
    ]
    return render(
        request,
        "nutrition/food.html",
        {"food": food, "portions": portions, "editable": _editable(principal, view), **LABELS},
    )


@router.get("/foods/{food_id}/edit")
async def edit_food_page(
    request: Request, session: DbSession, principal: FoodsRead, food_id: uuid.UUID
) -> Response:
    view = await _food(session, principal, food_id)
    library = await service.shared_foods(session)
    food = present.food(view, library.group_names)
    context = await _form_context(session)
    return render(
        request, "nutrition/food_form.html", {**context, "form": food_form(food), "food": food}
    )


@router.post("/foods/{food_id}/edit")
async def update_food(
    request: Request, session: DbSession, principal: FoodsRead, food_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("contains",))
    try:
        async with session.begin_nested():
            data = CustomFoodFields.model_validate(food_data(form))
            food = await service.update_food(
                session, principal=principal, food_id=food_id, data=data
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        library = await service.shared_foods(session)
        current = present.food(await _food(session, principal, food_id), library.group_names)
        context = await _form_context(session)
        return render_form(
            request,
            "nutrition/food_form.html",
            exc,
            form=form,
            context={**context, "food": current},
        )
    return redirect(request, f"/foods/{food.id}", "Saved.")


@router.post("/foods/{food_id}/archive")
async def archive_food(
    request: Request, session: DbSession, principal: FoodsRead, food_id: uuid.UUID
) -> Response:
    await service.archive_food(session, principal=principal, food_id=food_id)
    return redirect(request, "/foods?source=custom", "Archived: recipes and diaries keep it.")
