"""Who reaches a client's progress: the clients row rule (``clients.dependencies.client_for``)
with progress permissions. Staff with ``progress:read`` see their clients' (trainers: the
clients assigned to them), a client with ``progress:self`` only their own; front desk and
API keys hold neither."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends

from spotter.clients import service as clients
from spotter.clients.dependencies import Caller, client_for
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import Forbidden
from spotter.identity.dependencies import Principal, require

# Reading a client's measurements, photos and check-ins.
ProgressReadable = Annotated[Client, client_for("progress:read", "progress:self")]
# Recording measurements and photos, writing in a check-in thread: staff or the client.
ProgressWritable = Annotated[Client, client_for("progress:write", "progress:self")]
# Choosing a client's check-in questions: staff only.
CoachedClient = Annotated[Client, client_for("progress:write")]


async def _own_client(session: DbSession, principal: Caller, client_id: uuid.UUID) -> Client:
    # Found first, then checked: a client of another organization is a 404 even for
    # staff, who may see it exists in their own organization but never answer for it.
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    if not principal.can("progress:self"):
        raise Forbidden("Only the client themself submits their check-in.")
    return client


# Submitting the weekly check-in: the client themself.
OwnClient = Annotated[Client, Depends(_own_client)]

ProgressRead = Annotated[Principal, require("progress:read")]
MetricsManage = Annotated[Principal, require("progress:manage")]
OrgManage = Annotated[Principal, require("org:manage")]


def require_any(*permissions: str) -> Any:
    async def check(principal: Caller) -> Principal:
        if not any(principal.can(p) for p in permissions):
            raise Forbidden(f"You need the '{permissions[0]}' permission for this.")
        return principal

    return Depends(check)


# The metric catalogue and the organization's default questions: anyone who records.
ProgressAny = Annotated[Principal, require_any("progress:read", "progress:self")]
