"""Recipes: write them (ingredients resolved to grams, scopes and cycles checked), read
them as ``RecipeView`` (nutrients, contents, diets computed from the ingredients), list
them.

A recipe's ingredients must be readable by everyone who reads the recipe: the
organization's recipes use shared foods, the organization's foods and its other recipes;
a client's recipe may also use that client's own foods and recipes. A recipe never
contains itself, directly or through others.

Reading a recipe loads its whole tree a level at a time (a query for the recipes and one
for their ingredients per level, then one for the custom foods of all of them), so a
page of recipes costs the same few queries however deep they nest.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams, paginate
from spotter.nutrition.errors import ArchivedRecipe, RecipeCycle, RecipeNotFound
from spotter.nutrition.food import FoodView
from spotter.nutrition.models import Recipe, RecipeIngredient
from spotter.nutrition.recipe import IngredientView, RecipeView
from spotter.nutrition.schemas.recipes import IngredientIn, RecipeFields, RecipeIn
from spotter.nutrition.service import access
from spotter.nutrition.service.foods import foods_by_ids
from spotter.nutrition.units import SERVING

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MAX_DEPTH = 8


def visible_recipes(principal: Principal) -> sa.Select[Any]:
    return sa.select(Recipe).where(access.visible_scope(principal, Recipe.client_id))


# --- reading ---------------------------------------------------------------------------------


def _food_ref(line: RecipeIngredient) -> uuid.UUID | None:
    return line.food_id or line.custom_food_id


async def _load_tree(
    session: AsyncSession, root_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Recipe]:
    loaded: dict[uuid.UUID, Recipe] = {}
    todo = set(root_ids)
    for _ in range(MAX_DEPTH + 1):
        if not todo:
            break
        rows = (
            await session.scalars(
                sa.select(Recipe)
                .options(selectinload(Recipe.ingredients))
                .where(Recipe.id.in_(todo))
            )
        ).all()
        loaded.update({r.id: r for r in rows})
        todo = {
            i.sub_recipe_id for r in rows for i in r.ingredients if i.sub_recipe_id is not None
        } - set(loaded)
    return loaded


def _line(
    row: RecipeIngredient, foods: dict[uuid.UUID, FoodView], sub: RecipeView | None
) -> IngredientView:
    food_id = _food_ref(row)
    return IngredientView(
        id=row.id,
        quantity=row.quantity,
        unit=row.unit,
        grams=row.grams,
        food=foods.get(food_id) if food_id else None,
        recipe=sub,
        note=row.note,
    )


def _build(
    recipe: Recipe,
    tree: dict[uuid.UUID, Recipe],
    foods: dict[uuid.UUID, FoodView],
    memo: dict[uuid.UUID, RecipeView],
    path: frozenset[uuid.UUID] = frozenset(),
) -> RecipeView:
    if recipe.id in memo:
        return memo[recipe.id]
    inside = path | {recipe.id}
    lines = []
    for i in recipe.ingredients:
        sub = tree.get(i.sub_recipe_id) if i.sub_recipe_id else None
        sub_view = _build(sub, tree, foods, memo, inside) if sub and sub.id not in inside else None
        lines.append(_line(i, foods, sub_view))
    view = RecipeView(
        id=recipe.id,
        name=recipe.name,
        servings=recipe.servings,
        ingredients=tuple(lines),
        claimed_diets=tuple(recipe.claimed_diets or ()),
        meals=tuple(recipe.meals or ()),
        client_id=recipe.client_id,
        archived=recipe.archived_at is not None,
        has_photo=recipe.photo_key is not None,
    )
    memo[recipe.id] = view
    return view


async def _views(
    session: AsyncSession, principal: Principal, roots: Sequence[Recipe]
) -> dict[uuid.UUID, RecipeView]:
    tree = await _load_tree(session, [r.id for r in roots])
    food_ids = {f for r in tree.values() for i in r.ingredients if (f := _food_ref(i)) is not None}
    foods = await foods_by_ids(session, principal=principal, ids=food_ids)
    memo: dict[uuid.UUID, RecipeView] = {}
    return {r.id: _build(tree[r.id], tree, foods, memo) for r in roots if r.id in tree}


async def recipe_views(
    session: AsyncSession, *, principal: Principal, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, RecipeView]:
    """Visible recipes by id (archived included), computed; unknown ids left out."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (await session.scalars(visible_recipes(principal).where(Recipe.id.in_(wanted)))).all()
    return await _views(session, principal, rows)


async def _visible_row(
    session: AsyncSession, principal: Principal, recipe_id: uuid.UUID, *, lines: bool = False
) -> Recipe:
    stmt = visible_recipes(principal).where(Recipe.id == recipe_id)
    if lines:
        stmt = stmt.options(selectinload(Recipe.ingredients))
    row = await session.scalar(stmt)
    if row is None:
        raise RecipeNotFound()
    return row


async def get_recipe(
    session: AsyncSession, *, principal: Principal, recipe_id: uuid.UUID
) -> tuple[Recipe, RecipeView]:
    row = await _visible_row(session, principal, recipe_id)
    return row, (await _views(session, principal, [row]))[row.id]


async def list_recipes(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    q: str | None = None,
    client_id: uuid.UUID | None = None,
    include_archived: bool = False,
) -> tuple[list[RecipeView], str | None]:
    """The organization's recipes and one client's (``client_id``; a client: their own),
    by name."""
    if client_id is not None:
        await access.client_for_read(session, principal, client_id)
    else:
        client_id = await access.own_client_id(session, principal)
    stmt = sa.select(Recipe).where(
        Recipe.client_id.is_(None)
        if client_id is None
        else sa.or_(Recipe.client_id.is_(None), Recipe.client_id == client_id)
    )
    if q and q.strip():
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(sa.func.lower(Recipe.name).like(f"%{escaped}%", escape="\\"))
    if not include_archived:
        stmt = stmt.where(Recipe.archived_at.is_(None))
    rows, cursor = await paginate(session, stmt, keys=[Recipe.name, Recipe.id], params=params)
    views = await _views(session, principal, rows)
    return [views[r.id] for r in rows], cursor


# --- writing ---------------------------------------------------------------------------------


async def _descendants(session: AsyncSession, roots: set[uuid.UUID]) -> set[uuid.UUID]:
    """Every recipe reachable from ``roots`` through sub-recipe ingredients."""
    found = set(roots)
    todo = set(roots)
    while todo:
        rows = await session.scalars(
            sa.select(RecipeIngredient.sub_recipe_id).where(
                RecipeIngredient.recipe_id.in_(todo), RecipeIngredient.sub_recipe_id.is_not(None)
            )
        )
        todo = {r for r in rows if r is not None} - found
        found |= todo
    return found


async def _ingredients(
    session: AsyncSession,
    principal: Principal,
    given: Sequence[IngredientIn],
    *,
    client_id: uuid.UUID | None,
    recipe: Recipe | None,
) -> list[RecipeIngredient]:
    """The rows for ``given``: grams resolved, scopes and cycles checked (422 per line)."""
    foods = await foods_by_ids(
        session, principal=principal, ids=[g.food_id for g in given if g.food_id]
    )
    sub_ids = {g.recipe_id for g in given if g.recipe_id}
    subs = (
        {
            r.id: r
            for r in (
                await session.scalars(visible_recipes(principal).where(Recipe.id.in_(sub_ids)))
            ).all()
        }
        if sub_ids
        else {}
    )
    reachable = await _descendants(session, set(subs)) if recipe is not None and subs else set()
    rows = []
    for n, line in enumerate(given):
        at = f"ingredients.{n}"
        row = RecipeIngredient(position=n, quantity=line.quantity, note=line.note or None)
        if line.food_id is not None:
            food = foods.get(line.food_id)
            if food is None:
                raise field_error(f"{at}.food_id", "no such food")
            if food.client_id is not None and food.client_id != client_id:
                raise field_error(
                    f"{at}.food_id",
                    f"{food.name} is one client's own food; this recipe cannot use it",
                )
            row.unit = line.unit or "g"
            row.grams = food.grams(line.quantity, row.unit, field=f"{at}.unit")
            if food.source == "usda":
                row.food_id = food.id
            else:
                row.custom_food_id = food.id
        else:
            assert line.recipe_id is not None
            sub = subs.get(line.recipe_id)
            if sub is None:
                raise field_error(f"{at}.recipe_id", "no such recipe")
            if sub.client_id is not None and sub.client_id != client_id:
                raise field_error(
                    f"{at}.recipe_id",
                    f"{sub.name} is one client's own recipe; this recipe cannot use it",
                )
            if recipe is not None and (sub.id == recipe.id or recipe.id in reachable):
                how = "is this recipe" if sub.id == recipe.id else f"contains {recipe.name}"
                message = f"A recipe cannot contain itself: {sub.name} {how}."
                raise RecipeCycle(
                    message, errors=[{"field": f"{at}.recipe_id", "message": message}]
                )
            if line.unit not in (None, SERVING):
                raise field_error(f"{at}.unit", "a recipe is measured in servings")
            row.unit = SERVING
            row.sub_recipe_id = sub.id
        rows.append(row)
    return rows


def _apply(row: Recipe, data: RecipeFields) -> None:
    row.name = data.name
    row.description = data.description or None
    row.servings = data.servings
    row.prep_minutes = data.prep_minutes
    row.cook_minutes = data.cook_minutes
    row.steps = list(data.steps)
    row.claimed_diets = list(dict.fromkeys(d.value for d in data.claimed_diets))
    row.meals = list(dict.fromkeys(m.value for m in data.meals))
    row.updated_at = utcnow()


async def create_recipe(
    session: AsyncSession, *, principal: Principal, data: RecipeIn
) -> tuple[Recipe, RecipeView]:
    client_id = data.client_id or await access.own_client_id(session, principal)
    await access.check_write(session, principal, client_id)
    row = Recipe(client_id=client_id, created_by_id=principal.user_id)
    _apply(row, data)
    row.ingredients = await _ingredients(
        session, principal, data.ingredients, client_id=client_id, recipe=None
    )
    session.add(row)
    await session.flush()
    return row, (await _views(session, principal, [row]))[row.id]


async def update_recipe(
    session: AsyncSession, *, principal: Principal, recipe_id: uuid.UUID, data: RecipeFields
) -> tuple[Recipe, RecipeView]:
    row = await _writable(session, principal, recipe_id)
    _apply(row, data)
    row.ingredients = await _ingredients(
        session, principal, data.ingredients, client_id=row.client_id, recipe=row
    )
    await session.flush()
    return row, (await _views(session, principal, [row]))[row.id]


async def _writable(session: AsyncSession, principal: Principal, recipe_id: uuid.UUID) -> Recipe:
    row = await _visible_row(session, principal, recipe_id, lines=True)
    await access.check_write(session, principal, row.client_id)
    if row.archived_at is not None:
        raise ArchivedRecipe()
    return row


async def visible_recipe(
    session: AsyncSession, *, principal: Principal, recipe_id: uuid.UUID
) -> Recipe:
    """A recipe the caller may see (its row; a 404 otherwise)."""
    return await _visible_row(session, principal, recipe_id)


async def writable_recipe(
    session: AsyncSession, *, principal: Principal, recipe_id: uuid.UUID
) -> Recipe:
    """A live recipe the caller may change (404, 403 or 409 otherwise)."""
    return await _writable(session, principal, recipe_id)


async def archive_recipe(
    session: AsyncSession, *, principal: Principal, recipe_id: uuid.UUID
) -> None:
    """Archived, not deleted: recipes and diaries that use it keep their numbers."""
    row = await _visible_row(session, principal, recipe_id)
    await access.check_write(session, principal, row.client_id)
    if row.archived_at is None:
        row.archived_at = utcnow()
        await session.flush()


async def preview(
    session: AsyncSession,
    *,
    principal: Principal,
    data: RecipeIn,
    recipe_id: uuid.UUID | None = None,
) -> RecipeView:
    """What a recipe would come to, without saving it (the editor's live numbers)."""
    recipe = await _visible_row(session, principal, recipe_id) if recipe_id else None
    client_id = (
        recipe.client_id
        if recipe
        else (data.client_id or await access.own_client_id(session, principal))
    )
    if client_id is not None and recipe is None:
        await access.client_for_read(session, principal, client_id)
    lines = await _ingredients(
        session, principal, data.ingredients, client_id=client_id, recipe=recipe
    )
    subs = await recipe_views(
        session, principal=principal, ids=[r.sub_recipe_id for r in lines if r.sub_recipe_id]
    )
    foods = await foods_by_ids(
        session, principal=principal, ids=[f for r in lines if (f := _food_ref(r)) is not None]
    )
    return RecipeView(
        id=recipe_id,
        name=data.name,
        servings=data.servings,
        ingredients=tuple(
            _line(r, foods, subs.get(r.sub_recipe_id) if r.sub_recipe_id else None) for r in lines
        ),
        claimed_diets=tuple(dict.fromkeys(d.value for d in data.claimed_diets)),
        meals=tuple(dict.fromkeys(m.value for m in data.meals)),
        client_id=client_id,
    )


def recipe_fields(row: Recipe, view: RecipeView) -> dict[str, Any]:
    """A saved recipe as ``RecipeFields`` input, to change one part of it (the editor)."""
    return {
        "name": row.name,
        "description": row.description,
        "servings": row.servings,
        "prep_minutes": row.prep_minutes,
        "cook_minutes": row.cook_minutes,
        "steps": list(row.steps or ()),
        "claimed_diets": list(row.claimed_diets or ()),
        "meals": list(row.meals or ()),
        "ingredients": [
            {
                "food_id": i.food.id if i.food else None,
                "recipe_id": i.recipe.id if i.recipe else None,
                "quantity": i.quantity,
                "unit": i.unit,
                "note": i.note,
            }
            for i in view.ingredients
            if i.food is not None or i.recipe is not None
        ],
    }
