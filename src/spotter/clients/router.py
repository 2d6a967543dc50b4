from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from spotter.clients import service
from spotter.clients.schemas import ClientCreate, ClientOut, ClientStatus
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.core.schemas import Page
from spotter.identity.dependencies import Principal, require

router = APIRouter(tags=["clients"])
ClientsRead = Annotated[Principal, require("clients:read")]
ClientsWrite = Annotated[Principal, require("clients:write")]


@router.get("/clients", response_model=Page[ClientOut])
async def list_clients(
    session: DbSession,
    principal: ClientsRead,
    params: Annotated[PageParams, Depends()],
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    status: ClientStatus | None = None,
    trainer_id: uuid.UUID | None = None,
) -> Page[ClientOut]:
    items, cursor = await service.list_clients(
        session, principal=principal, params=params, q=q, status=status, trainer_id=trainer_id
    )
    return Page(items=[ClientOut.model_validate(c) for c in items], next_cursor=cursor)


@router.post("/clients", response_model=ClientOut, status_code=201)
async def create_client(
    session: DbSession, principal: ClientsWrite, data: ClientCreate
) -> ClientOut:
    return ClientOut.model_validate(
        await service.create_client(session, principal=principal, data=data)
    )


@router.get("/clients/{client_id}", response_model=ClientOut)
async def get_client(session: DbSession, principal: ClientsRead, client_id: uuid.UUID) -> ClientOut:
    return ClientOut.model_validate(
        await service.get_client(session, principal=principal, client_id=client_id)
    )
