"""Recipes: the library (the organization's and a client's), one recipe with its computed
nutrients and labels, and a preview for editors."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, File, Query, Request, Response, UploadFile

from spotter.core.bodylimit import accept_uploads
from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.identity.dependencies import Principal, get_principal
from spotter.nutrition import present
from spotter.nutrition.dependencies import FoodsRead, WritableRecipe
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.recipes import (
    RecipeFields,
    RecipeIn,
    RecipeNutritionOut,
    RecipeOut,
    RecipeSummary,
)
from spotter.nutrition.service import photos
from spotter.nutrition.service import recipes as service

Caller = Annotated[Principal, Depends(get_principal)]


@router.get("/recipes", response_model=Page[RecipeSummary])
async def list_recipes(
    session: DbSession,
    principal: FoodsRead,
    params: Pages,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    client_id: Annotated[
        uuid.UUID | None, Query(description="Also this client's own recipes")
    ] = None,
    include_archived: bool = False,
) -> Page[RecipeSummary]:
    items, cursor = await service.list_recipes(
        session,
        principal=principal,
        params=params,
        q=q,
        client_id=client_id,
        include_archived=include_archived,
    )
    return Page(items=[present.recipe_summary(v) for v in items], next_cursor=cursor)


@router.post("/recipes", response_model=RecipeOut, status_code=201)
async def create_recipe(session: DbSession, principal: Caller, data: RecipeIn) -> RecipeOut:
    """An organization recipe (staff with foods:write) or a client's own (`client_id`;
    the client or their coaches). Ingredients are foods in a quantity or other recipes in
    servings; nutrients, contents and diets are computed from them."""
    return present.recipe(*await service.create_recipe(session, principal=principal, data=data))


@router.post("/recipes/preview", response_model=RecipeNutritionOut)
async def preview_recipe(
    session: DbSession,
    principal: FoodsRead,
    data: RecipeIn,
    recipe_id: Annotated[
        uuid.UUID | None, Query(description="The recipe being edited (checks for cycles)")
    ] = None,
) -> RecipeNutritionOut:
    """What these ingredients come to, without saving anything."""
    view = await service.preview(session, principal=principal, data=data, recipe_id=recipe_id)
    return present.recipe_nutrition(view)


@router.get("/recipes/{recipe_id}", response_model=RecipeOut)
async def get_recipe(session: DbSession, principal: FoodsRead, recipe_id: uuid.UUID) -> RecipeOut:
    return present.recipe(
        *await service.get_recipe(session, principal=principal, recipe_id=recipe_id)
    )


@router.put("/recipes/{recipe_id}", response_model=RecipeOut)
async def update_recipe(
    session: DbSession, principal: Caller, recipe_id: uuid.UUID, data: RecipeFields
) -> RecipeOut:
    return present.recipe(
        *await service.update_recipe(session, principal=principal, recipe_id=recipe_id, data=data)
    )


@router.delete("/recipes/{recipe_id}", status_code=204)
async def archive_recipe(session: DbSession, principal: Caller, recipe_id: uuid.UUID) -> Response:
    await service.archive_recipe(session, principal=principal, recipe_id=recipe_id)
    return Response(status_code=204)


accept_uploads("/api/v1/recipes/{recipe_id}/photo")


@router.put("/recipes/{recipe_id}/photo", response_model=RecipeOut)
async def set_photo(
    session: DbSession,
    principal: Caller,
    recipe: WritableRecipe,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, up to 15 MiB")],
) -> RecipeOut:
    """The recipe's photo (multipart form): decoded to check what it is, turned upright,
    stripped of all metadata, re-encoded as JPEG with a thumbnail; it replaces the last."""
    await photos.set_photo(session, recipe=recipe, data=await file.read())
    return present.recipe(
        *await service.get_recipe(session, principal=principal, recipe_id=recipe.id)
    )


@router.get("/recipes/{recipe_id}/photo", response_class=Response)
async def get_photo(
    request: Request,
    session: DbSession,
    principal: FoodsRead,
    recipe_id: uuid.UUID,
    thumbnail: bool = False,
) -> Response:
    """The photo (or its thumbnail) as JPEG; cached copies revalidate by ETag."""
    return await photos.photo_response(
        request, session, principal=principal, recipe_id=recipe_id, thumbnail=thumbnail
    )


@router.delete("/recipes/{recipe_id}/photo", status_code=204)
async def remove_photo(session: DbSession, recipe: WritableRecipe) -> Response:
    await photos.remove_photo(session, recipe=recipe)
    return Response(status_code=204)
