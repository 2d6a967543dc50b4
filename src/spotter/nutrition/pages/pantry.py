"""The pantry page: the foods a client has at home, which their shopping lists show apart
(under "At home") and do not count. The client's own is /shopping/pantry, staff open a
client's at /clients/{id}/pantry (both linked from the shopping page).

An inline search (the diary's food search) adds a food with one tap, and each food is
removed with one; every change posts to one route that makes one service call in a
savepoint and answers the list re-rendered (HTMX) or redirects back. Who may see and
change it is the API's: the client themself, their trainer, owners and admins."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.identity.dependencies import Principal
from spotter.nutrition import present, service
from spotter.nutrition.pages.common import (
    Search,
    foods_and_recipes,
    not_for_the_form,
    readable_client,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.pages.shopping import pantry_url
from spotter.nutrition.schemas.shopping import MAX_PANTRY
from spotter.nutrition.service import access, shopping
from spotter.web import FORM_ERRORS, PageUser, field_messages, read_form, redirect, render


async def pantry_context(
    session: AsyncSession, principal: Principal, client: Client
) -> dict[str, Any]:
    foods = await shopping.pantry(session, principal=principal, client=client)
    names = (await service.shared_foods(session)).group_names
    own = principal.role == "client"
    return {
        "client": client,
        "own": own,
        "foods": [present.food_summary(f, names) for f in foods],
        "writable": access.writes_client_data(principal),
        "base": f"/clients/{client.id}/pantry",
        "page_url": pantry_url(principal, client.id),
        "shopping_url": "/shopping" if own else f"/clients/{client.id}/shopping",
        "max_pantry": MAX_PANTRY,
        "pantry_error": None,
        "focus_at": None,
    }


async def _results(
    session: AsyncSession, principal: Principal, client: Client, q: str, foods: list[Any]
) -> dict[str, Any]:
    found, _ = await foods_and_recipes(
        session, principal, q=q, client_id=client.id, with_units=False, with_recipes=False
    )
    return {
        "q": q,
        "results": found,
        "at_home": {f.id for f in foods},
        "writable": access.writes_client_data(principal),
        "base": f"/clients/{client.id}/pantry",
    }


@router.get("/shopping/pantry")
async def own_pantry(
    request: Request, session: DbSession, principal: PageUser, q: Search = ""
) -> Response:
    """A client's own pantry (staff: the nutrition hub)."""
    client_id = await access.own_client_id(session, principal)
    if client_id is None:
        return redirect(request, "/nutrition")
    return await pantry_page(request, session, principal, client_id, q)


@router.get("/clients/{client_id}/pantry")
async def pantry_page(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID, q: Search = ""
) -> Response:
    """The pantry; with ``q`` (the search form sent without JavaScript) the matches too."""
    client = await readable_client(session, principal, client_id)
    context = await pantry_context(session, principal, client)
    context.update(await _results(session, principal, client, q, context["foods"]))
    return render(request, "nutrition/pantry.html", context)


@router.get("/clients/{client_id}/pantry/search")
async def pantry_search(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID, q: Search = ""
) -> Response:
    """Foods to add, the ones already at home marked (the client's own foods too)."""
    client = await readable_client(session, principal, client_id)
    foods = await shopping.pantry(session, principal=principal, client=client)
    context = await _results(session, principal, client, q, foods)
    return render(request, "nutrition/_pantry_results.html", context)


def _food_id(form: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(form.get("food_id") or "")
    except ValueError:
        raise field_error("food_id", "choose a food from the search") from None


def _index(form: dict[str, Any]) -> int | None:
    value = form.get("index") or ""
    return int(value) if value.isdigit() else None


@router.post("/clients/{client_id}/pantry")
async def change_pantry(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID
) -> Response:
    """Add a food to what is at home (``at_home=1``) or take it off (``at_home=0``)."""
    form = await read_form(request)
    client = await readable_client(session, principal, client_id)
    at_home = form.get("at_home") != "0"
    error = None
    try:
        async with session.begin_nested():
            await shopping.set_staple(
                session, principal=principal, client=client, food_id=_food_id(form), at_home=at_home
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        error = " ".join(fields.values()) or general or "Not saved."
    if not request.headers.get("hx-request"):
        url = pantry_url(principal, client.id)
        return redirect(request, url, error, "error") if error else redirect(request, url)
    context = await pantry_context(session, principal, client)
    # After a removal the focus moves to the food that took its place.
    context.update(pantry_error=error, focus_at=None if at_home else _index(form))
    return render(request, "nutrition/_pantry.html", context, status_code=422 if error else 200)
