"""Loaders and permission aliases for the clients API.

``client_for(*permissions)`` checks that the caller holds one of the permissions, then
loads the client named by ``{client_id}`` through the row rule (``visible_clients``): a
client the caller may not see is a 404, whatever the organization."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends

from spotter.clients import service
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import Forbidden
from spotter.identity.dependencies import Principal, get_principal, require

ClientsRead = Annotated[Principal, require("clients:read")]
ClientsWrite = Annotated[Principal, require("clients:write")]
Caller = Annotated[Principal, Depends(get_principal)]


def client_for(*permissions: str) -> Any:
    async def load(session: DbSession, principal: Caller, client_id: uuid.UUID) -> Client:
        if not any(principal.can(p) for p in permissions):
            raise Forbidden(f"You need the '{permissions[0]}' permission for this.")
        return await service.get_client(session, principal=principal, client_id=client_id)

    return Depends(load)


# Staff reading clients, or a client reading their own record.
ReadableClient = Annotated[Client, client_for("clients:read", "clients:self")]
WritableClient = Annotated[Client, client_for("clients:write")]
HealthReadable = Annotated[Client, client_for("health:read")]
HealthWritable = Annotated[Client, client_for("health:write")]
