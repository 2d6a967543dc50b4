"""Client list pages: the full list and the HTMX fragment behind live search and
"Load more" (also used by the trainer home)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.core.permissions import Role
from spotter.identity.dependencies import Principal
from spotter.orgs import service as orgs
from spotter.web import page_require, render

router = APIRouter()
ClientsRead = Annotated[Principal, page_require("clients:read")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
PAGE_SIZE = 20


async def client_list(
    session: AsyncSession, principal: Principal, *, q: str = "", cursor: str = ""
) -> dict[str, Any]:
    """One page of the clients this person may see, for the list component."""
    items, next_cursor = await service.list_clients(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
    )
    trainers: dict[Any, str] = {}
    if principal.role != Role.TRAINER:  # a trainer's list holds only their own clients
        trainers = {u.id: u.full_name for _, u in await orgs.list_members(session)}
    return {
        "clients": items,
        "next_cursor": next_cursor,
        "q": q,
        "trainers": trainers,
        "show_trainer": bool(trainers),
    }


@router.get("/clients")
async def clients_page(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    q: Search = "",
    cursor: Cursor = "",
) -> Response:
    return render(
        request, "clients/list.html", await client_list(session, principal, q=q, cursor=cursor)
    )


@router.get("/clients/rows")
async def client_rows(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    q: Search = "",
    cursor: Cursor = "",
) -> Response:
    """HTML fragment: rows (and the next "Load more") for live search and paging."""
    context = await client_list(session, principal, q=q, cursor=cursor)
    return render(request, "clients/_rows.html", {**context, "appending": bool(cursor)})
