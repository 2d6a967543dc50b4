"""The client list (live search, status filter, "Load more") and the new-client form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service
from spotter.clients.pages.common import (
    PAGE_SIZE,
    ClientsRead,
    ClientsWrite,
    Cursor,
    Search,
    router,
)
from spotter.clients.schemas import ClientCreate, ClientStatus
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.core.permissions import Role
from spotter.identity.dependencies import Principal
from spotter.orgs import service as orgs
from spotter.web import FORM_ERRORS, blank_to_none, read_form, redirect, render, render_form

PICK_SIZE = 8


def _status(value: str) -> ClientStatus | None:
    try:
        return ClientStatus(value) if value else None
    except ValueError:
        return None


async def client_list(
    session: AsyncSession,
    principal: Principal,
    *,
    q: str = "",
    cursor: str = "",
    status: str = "",
) -> dict[str, Any]:
    """One page of the clients this person may see, for the list component."""
    items, next_cursor = await service.list_clients(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
        q=q.strip() or None,
        status=_status(status),
    )
    trainers: dict[Any, str] = {}
    if principal.role != Role.TRAINER:  # a trainer's list holds only their own clients
        trainers = {u.id: u.full_name for _, u in await orgs.list_members(session)}
    return {
        "clients": items,
        "next_cursor": next_cursor,
        "q": q,
        "status": status if _status(status) else "",
        "statuses": [s.value for s in ClientStatus],
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
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    context = await client_list(session, principal, q=q, cursor=cursor, status=status)
    return render(request, "clients/list.html", context)


@router.get("/clients/rows")
async def client_rows(
    request: Request,
    session: DbSession,
    principal: ClientsRead,
    q: Search = "",
    cursor: Cursor = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """HTML fragment: rows (and the next "Load more") for live search and paging."""
    context = await client_list(session, principal, q=q, cursor=cursor, status=status)
    return render(request, "clients/_rows.html", {**context, "appending": bool(cursor)})


@router.get("/clients/pick")
async def pick_client(
    request: Request, session: DbSession, principal: ClientsRead, q: Search = ""
) -> Response:
    """HTML fragment for a picker: the clients this person may see whose name matches,
    each a button that chooses them (archived clients are left out)."""
    picks: list[dict[str, Any]] = []
    if q.strip():
        items, _ = await service.list_clients(
            session, principal=principal, params=PageParams(limit=PICK_SIZE), q=q.strip()
        )
        picks = [
            {"id": c.id, "name": c.full_name, "sub": c.email or c.status.capitalize()}
            for c in items
            if c.status != ClientStatus.ARCHIVED
        ]
    context = {"picks": picks, "q": q, "noun": "client"}
    return render(request, "clients/_pick_results.html", context)


# --- a new client ------------------------------------------------------------------------------


async def trainer_choices(session: AsyncSession, principal: Principal) -> list[tuple[str, str]]:
    """Who may coach a new client (owners and admins choose; trainers coach their own)."""
    if not principal.can("clients:assign"):
        return []
    coaches = (Role.OWNER, Role.ADMIN, Role.TRAINER)
    members = await orgs.list_members(session)
    return [("", "No trainer yet")] + [
        (str(u.id), u.full_name) for m, u in members if m.role in coaches
    ]


@router.get("/clients/new")
async def new_client_page(
    request: Request, session: DbSession, principal: ClientsWrite
) -> Response:
    form = {"status": "active", "trainer_id": str(principal.user_id)}
    trainers = await trainer_choices(session, principal)
    return render(request, "clients/new.html", {"form": form, "trainers": trainers})


@router.post("/clients/new")
async def new_client(request: Request, session: DbSession, principal: ClientsWrite) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, "email", "phone", "notes", "trainer_id")
    data["tags"] = [t for t in (form.get("tags") or "").split(",") if t.strip()]
    try:
        async with session.begin_nested():
            client = await service.create_client(
                session, principal=principal, data=ClientCreate.model_validate(data)
            )
    except FORM_ERRORS as exc:
        trainers = await trainer_choices(session, principal)
        return render_form(
            request, "clients/new.html", exc, form=form, context={"trainers": trainers}
        )
    return redirect(request, f"/clients/{client.id}", f"{client.full_name} was added.")
