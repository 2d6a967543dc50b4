"""Recipe photos: decoded, cleaned and re-encoded as JPEG with a thumbnail by the same
image processing as progress photos (``progress.imaging``: the real type from decoding,
upright, every bit of metadata dropped), stored with ``core.storage`` so a refused or
rolled-back request leaves no file, the replaced files deleted only after the commit."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.config import get_settings
from spotter.core import storage
from spotter.core.errors import NotFound, PayloadTooLarge
from spotter.nutrition.models import Recipe
from spotter.nutrition.service.recipes import visible_recipe
from spotter.progress import imaging
from spotter.progress.present import image_response
from spotter.progress.service.photos import PhotoFile

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

PREFIX = "nutrition/recipes"


class NoPhoto(NotFound):
    code, title = "recipe_photo_not_found", "This recipe has no photo"


async def set_photo(session: AsyncSession, *, recipe: Recipe, data: bytes) -> Recipe:
    """Give a recipe (one the caller may change: ``writable_recipe``) this photo."""
    limit = get_settings().max_upload_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"Photos are limited to {limit // 1_048_576} MiB.")
    processed = await asyncio.to_thread(imaging.process, data)
    replaced = [k for k in (recipe.photo_key, recipe.thumbnail_key) if k]
    recipe.photo_key = storage.new_key(PREFIX, ".jpg")
    recipe.thumbnail_key = storage.new_key(PREFIX, ".jpg")
    for key, content in (
        (recipe.photo_key, processed.image),
        (recipe.thumbnail_key, processed.thumbnail),
    ):
        await storage.put_for(session, key, content, content_type=imaging.CONTENT_TYPE)
    for key in replaced:
        storage.delete_after_commit(session, key)
    await session.flush()
    return recipe


async def remove_photo(session: AsyncSession, *, recipe: Recipe) -> None:
    for key in (recipe.photo_key, recipe.thumbnail_key):
        if key:
            storage.delete_after_commit(session, key)
    recipe.photo_key = recipe.thumbnail_key = None
    await session.flush()


async def photo_file(
    session: AsyncSession,
    *,
    principal: Principal,
    recipe_id: uuid.UUID,
    thumbnail: bool = False,
    if_none_match: str | None = None,
) -> PhotoFile:
    """The photo (or thumbnail) of a recipe the caller may see. A key names one file that
    never changes, so the key is the ETag and a cached copy costs no read of the store."""
    row = await visible_recipe(session, principal=principal, recipe_id=recipe_id)
    key = row.thumbnail_key if thumbnail else row.photo_key
    if key is None:
        raise NoPhoto()
    etag = f'"{key.rsplit("/", 1)[-1]}"'
    filename = f"recipe-{'thumbnail' if thumbnail else 'photo'}.jpg"
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return PhotoFile(None, etag, filename)
    return PhotoFile(await storage.get_storage().read(key), etag, filename)


async def photo_response(
    request: Request,
    session: AsyncSession,
    *,
    principal: Principal,
    recipe_id: uuid.UUID,
    thumbnail: bool,
) -> Response:
    """The photo or thumbnail as an HTTP response (the API and the pages answer the same)."""
    found = await photo_file(
        session,
        principal=principal,
        recipe_id=recipe_id,
        thumbnail=thumbnail,
        if_none_match=request.headers.get("if-none-match"),
    )
    return image_response(found)
