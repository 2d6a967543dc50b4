"""Permission aliases and loaders for the nutrition API.

``client_for`` (from the clients domain) checks one of the permissions and loads the
client named by ``{client_id}`` through the clients row rule: a trainer reaches their own
clients, a client only themself; anyone else's client is a 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from spotter.clients.dependencies import client_for
from spotter.clients.models import Client
from spotter.core.errors import Forbidden
from spotter.identity.dependencies import Principal, get_principal, require

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
