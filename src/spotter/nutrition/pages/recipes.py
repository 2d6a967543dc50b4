"""Recipe pages: the library and the editor.

The editor changes one thing at a time over HTMX (add an ingredient from the inline
search, change a quantity or unit, remove a line, change the servings) and answers the
ingredients card with the per-serving macros, contents and diet labels recomputed; a
refused change answers 422 with the message next to the line. Without JavaScript the
same routes redirect back to the editor."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from spotter.core.bodylimit import accept_uploads
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import present
from spotter.nutrition.pages.common import (
    DIET_CHOICES,
    LABELS,
    MEAL_CHOICES,
    PAGE_SIZE,
    Cursor,
    FoodsRead,
    Search,
    foods_and_recipes,
    not_for_the_form,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.recipes import RecipeFields, RecipeIn
from spotter.nutrition.service import access, photos
from spotter.nutrition.service import recipes as recipes_service
from spotter.web import FORM_ERRORS, field_messages, read_form, redirect, render, render_form


async def recipe_list(
    session: AsyncSession, principal: Principal, *, q: str = "", cursor: str = ""
) -> dict[str, Any]:
    items, next_cursor = await recipes_service.list_recipes(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
    )
    return {
        "recipes": [present.recipe_summary(v) for v in items],
        "next_cursor": next_cursor,
        "q": q,
        **LABELS,
    }


def _can_create(principal: Principal) -> bool:
    return principal.can("foods:write") or principal.can("nutrition:self")


@router.get("/recipes")
async def recipes_page(
    request: Request, session: DbSession, principal: FoodsRead, q: Search = ""
) -> Response:
    context = await recipe_list(session, principal, q=q)
    return render(
        request,
        "nutrition/recipes.html",
        {**context, "can_create": _can_create(principal), "form": {"servings": "2"}},
    )


@router.get("/recipes/rows")
async def recipe_rows(
    request: Request, session: DbSession, principal: FoodsRead, q: Search = "", cursor: Cursor = ""
) -> Response:
    context = await recipe_list(session, principal, q=q, cursor=cursor)
    return render(request, "nutrition/_recipe_rows.html", {**context, "appending": bool(cursor)})


@router.post("/recipes")
async def create_recipe(request: Request, session: DbSession, principal: FoodsRead) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = RecipeIn.model_validate(
                {"name": form.get("name", ""), "servings": form.get("servings") or 1}
            )
            row, _ = await recipes_service.create_recipe(session, principal=principal, data=data)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        context = await recipe_list(session, principal)
        return render_form(
            request,
            "nutrition/recipes.html",
            exc,
            form=form,
            context={**context, "can_create": _can_create(principal), "open_new": True},
        )
    return redirect(request, f"/recipes/{row.id}", f"{row.name} was created: add ingredients.")


# --- the editor ----------------------------------------------------------------------------------


async def editor_context(
    session: AsyncSession, principal: Principal, recipe_id: uuid.UUID
) -> dict[str, Any]:
    row, view = await recipes_service.get_recipe(session, principal=principal, recipe_id=recipe_id)
    foods = [i.food for i in view.ingredients]
    editable = not view.archived and (
        principal.can("foods:write")
        if row.client_id is None
        else access.writes_client_data(principal)
    )
    return {
        "r": present.recipe(row, view),
        "units": [f.units if f else [] for f in foods],
        "editable": editable,
        "diet_choices": DIET_CHOICES,
        "meal_choices": MEAL_CHOICES,
        "line_errors": {},
        **LABELS,
    }


def _details_form(recipe: Any) -> dict[str, Any]:
    return {
        "name": recipe.name,
        "description": recipe.description or "",
        "servings": f"{recipe.servings:g}",
        "prep_minutes": recipe.prep_minutes if recipe.prep_minutes is not None else "",
        "cook_minutes": recipe.cook_minutes if recipe.cook_minutes is not None else "",
        "steps": "\n".join(recipe.steps),
        "claimed_diets": recipe.claimed_diets,
        "meals": recipe.meals,
    }


@router.get("/recipes/{recipe_id}")
async def editor_page(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    context = await editor_context(session, principal, recipe_id)
    return render(
        request, "nutrition/recipe.html", {**context, "form": _details_form(context["r"])}
    )


async def _save(
    session: AsyncSession,
    principal: Principal,
    recipe_id: uuid.UUID,
    change: Callable[[dict[str, Any]], None],
) -> None:
    """Apply ``change`` to the recipe's fields and save them, all or nothing."""
    async with session.begin_nested():
        row, view = await recipes_service.get_recipe(
            session, principal=principal, recipe_id=recipe_id
        )
        fields = recipes_service.recipe_fields(row, view)
        change(fields)
        await recipes_service.update_recipe(
            session,
            principal=principal,
            recipe_id=recipe_id,
            data=RecipeFields.model_validate(fields),
        )


async def _change(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    recipe_id: uuid.UUID,
    change: Callable[[dict[str, Any]], None],
    line: int | None = None,
) -> Response:
    """Save one change; answer the ingredients card (HTMX) or go back to the editor."""
    try:
        await _save(session, principal, recipe_id, change)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        messages, general = field_messages(exc)
        text = " ".join(messages.values()) or general or "Not saved."
        if not request.headers.get("hx-request"):
            return redirect(request, f"/recipes/{recipe_id}", text, "error")
        context = await editor_context(session, principal, recipe_id)
        context["line_errors"] = {line if line is not None else "add": text}
        return render(request, "nutrition/_ingredients.html", context, status_code=422)
    if not request.headers.get("hx-request"):
        return redirect(request, f"/recipes/{recipe_id}")
    return render(
        request, "nutrition/_ingredients.html", await editor_context(session, principal, recipe_id)
    )


@router.get("/recipes/{recipe_id}/search")
async def ingredient_search(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID, q: Search = ""
) -> Response:
    """Inline search: foods and the other recipes, each with an add button."""
    row, _ = await recipes_service.get_recipe(session, principal=principal, recipe_id=recipe_id)
    foods, found = await foods_and_recipes(
        session, principal, q=q, client_id=row.client_id, with_units=False
    )
    recipes = [r for r in found if r.id != recipe_id]
    return render(
        request,
        "nutrition/_ingredient_results.html",
        {"q": q, "foods": foods, "recipes": recipes, "recipe_id": recipe_id},
    )


@router.post("/recipes/{recipe_id}/ingredients")
async def add_ingredient(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    line: dict[str, Any] = {
        "quantity": form.get("quantity") or (1 if form.get("recipe_id") else 100)
    }
    if form.get("recipe_id"):
        line["recipe_id"] = form["recipe_id"]
    else:
        line.update(food_id=form.get("food_id") or None, unit=form.get("unit") or "g")
    return await _change(
        request, session, principal, recipe_id, lambda f: f["ingredients"].append(line)
    )


@router.post("/recipes/{recipe_id}/lines")
async def change_ingredient(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    """Change or remove the ingredient at position ``line`` (a form field)."""
    form = await read_form(request)
    line = int(form["line"]) if str(form.get("line", "")).isdigit() else -1

    def change(fields: dict[str, Any]) -> None:
        if not 0 <= line < len(fields["ingredients"]):
            return
        item = fields["ingredients"][line]
        if form.get("remove"):
            del fields["ingredients"][line]
            return
        item["quantity"] = form.get("quantity") or item["quantity"]
        if item.get("food_id") and form.get("unit"):
            item["unit"] = form["unit"]
        item["note"] = (form.get("note") or "").strip() or None if "note" in form else item["note"]

    return await _change(request, session, principal, recipe_id, change, line)


@router.post("/recipes/{recipe_id}")
async def save_details(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("claimed_diets", "meals"))

    def change(fields: dict[str, Any]) -> None:
        fields.update(
            name=form.get("name", ""),
            description=(form.get("description") or "").strip() or None,
            servings=form.get("servings") or fields["servings"],
            prep_minutes=form.get("prep_minutes") or None,
            cook_minutes=form.get("cook_minutes") or None,
            steps=[s.strip() for s in (form.get("steps") or "").splitlines() if s.strip()],
            claimed_diets=form.get("claimed_diets") or [],
            meals=form.get("meals") or [],
        )

    if request.headers.get("hx-request") and form.get("servings_only"):
        return await _change(
            request,
            session,
            principal,
            recipe_id,
            lambda f: f.update(servings=form.get("servings") or f["servings"]),
        )
    try:
        await _save(session, principal, recipe_id, change)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        context = await editor_context(session, principal, recipe_id)
        return render_form(request, "nutrition/recipe.html", exc, form=form, context=context)
    return redirect(request, f"/recipes/{recipe_id}", "Recipe saved.")


@router.post("/recipes/{recipe_id}/archive")
async def archive_recipe(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    await recipes_service.archive_recipe(session, principal=principal, recipe_id=recipe_id)
    return redirect(request, "/recipes", "Recipe archived.")


# --- the photo -----------------------------------------------------------------------------------

accept_uploads("/recipes/{recipe_id}/photo")


@router.get("/recipes/{recipe_id}/photo")
async def recipe_photo(
    request: Request,
    session: DbSession,
    principal: FoodsRead,
    recipe_id: uuid.UUID,
    thumbnail: bool = False,
) -> Response:
    """The image the pages show (authorised by the session cookie, like the API route)."""
    return await photos.photo_response(
        request, session, principal=principal, recipe_id=recipe_id, thumbnail=thumbnail
    )


@router.post("/recipes/{recipe_id}/photo")
async def upload_photo(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    # Found (and may be changed) before the upload is read.
    recipe = await recipes_service.writable_recipe(
        session, principal=principal, recipe_id=recipe_id
    )
    form = await request.form()
    file = form.get("file")
    data = await file.read() if isinstance(file, UploadFile) and file.filename else b""
    try:
        async with session.begin_nested():
            await photos.set_photo(session, recipe=recipe, data=data)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        text = " ".join(fields.values()) or general or "Not saved."
        return redirect(request, f"/recipes/{recipe_id}", text, "error")
    return redirect(request, f"/recipes/{recipe_id}", "Photo saved.")


@router.post("/recipes/{recipe_id}/photo/remove")
async def remove_photo(
    request: Request, session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID
) -> Response:
    recipe = await recipes_service.writable_recipe(
        session, principal=principal, recipe_id=recipe_id
    )
    await photos.remove_photo(session, recipe=recipe)
    return redirect(request, f"/recipes/{recipe_id}", "Photo removed.")
