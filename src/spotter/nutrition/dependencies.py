"""Permission aliases and loaders for the nutrition API.

``client_for`` (from the clients domain) checks one of the permissions and loads the
client named by ``{client_id}`` through the clients row rule: a trainer reaches their own
clients, a client only themself; anyone else's client is a 404."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends

from spotter.clients.dependencies import client_for
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import Forbidden
from spotter.identity.dependencies import Principal, get_principal, require
from spotter.nutrition.models import Recipe

FoodsRead = Annotated[Principal, require("foods:read")]
FoodsWrite = Annotated[Principal, require("foods:write")]
NutritionRead = Annotated[Principal, require("nutrition:read")]
NutritionWrite = Annotated[Principal, require("nutrition:write")]

# Staff reading a client's nutrition, or the client reading their own.
NutritionReadable = Annotated[Client, client_for("nutrition:read", "nutrition:self")]
# Staff writing a client's targets (clients never set their own).
TargetsWritable = Annotated[Client, client_for("nutrition:write")]
# Staff logging for a client, or the client logging for themself.
DiaryWritable = Annotated[Client, client_for("nutrition:write", "nutrition:self")]


def any_of(*permissions: str) -> Any:
    async def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not any(principal.can(p) for p in permissions):
            raise Forbidden(f"You need the '{permissions[0]}' permission for this.")
        return principal

    return Depends(check)


# A principal who may read client nutrition data at all (the row rule narrows it).
NutritionReader = Annotated[Principal, any_of("nutrition:read", "nutrition:self")]
DiaryWriter = Annotated[Principal, any_of("nutrition:write", "nutrition:self")]


async def _writable_recipe(
    session: DbSession,
    principal: Annotated[Principal, Depends(get_principal)],
    recipe_id: uuid.UUID,
) -> Recipe:
    from spotter.nutrition.service.recipes import writable_recipe

    return await writable_recipe(session, principal=principal, recipe_id=recipe_id)


# A live recipe named by ``{recipe_id}`` that the caller may change (found before any
# upload is read, so another organization's recipe is a 404 whatever the body).
WritableRecipe = Annotated[Recipe, Depends(_writable_recipe)]
