"""The shopping list page: the client's own at /shopping (mobile-first, for a phone in a
shop: 48 px rows, one tap ticks over HTMX, ticked items sink and fade) and a trainer's
view of a client's lists at /clients/{id}/shopping.

The list refreshes itself every 20 seconds and when the page comes back into view, so two
devices of the client stay in step (ticks are saved server-side). Every change posts to a
page route that makes one service call in a savepoint and answers the list re-rendered
(HTMX) or redirects back to it."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.identity.dependencies import Principal
from spotter.nutrition import shopping as rules
from spotter.nutrition import shopping_export
from spotter.nutrition.pages.common import not_for_the_form, readable_client
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.shopping import ManualItemIn, ShoppingListIn
from spotter.nutrition.service import access, shopping
from spotter.nutrition.service.days import client_today
from spotter.web import FORM_ERRORS, PageUser, field_messages, read_form, redirect, render

ListId = Annotated[str, Query(alias="list", max_length=40)]
FOUR_WEEKS = 28


def _page_url(principal: Principal, client_id: uuid.UUID) -> str:
    return "/shopping" if principal.role == "client" else f"/clients/{client_id}/shopping"


def pantry_url(principal: Principal, client_id: uuid.UUID) -> str:
    """The pantry page: the client's own under /shopping, staff's under the client."""
    return "/shopping/pantry" if principal.role == "client" else f"/clients/{client_id}/pantry"


def list_context(principal: Principal, view: shopping.ListView | None) -> dict[str, Any]:
    return {
        "view": view,
        "pantry_url": pantry_url(principal, view.row.client_id) if view else None,
        "writable": access.writes_client_data(principal),
        "aisle_names": rules.AISLE_NAMES,
        "list_error": None,
    }


async def _page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    client: Client,
    list_id: str,
    template: str = "nutrition/shopping.html",
) -> Response:
    lists = await shopping.list_lists(session, client=client)
    chosen = next((v for v in lists if str(v.row.id) == list_id), lists[0] if lists else None)
    today = client_today(client, principal.organization.timezone)
    week_start = today - timedelta(days=today.weekday())
    context = {
        "client": client,
        "lists": lists,
        "own": principal.role == "client",
        "page_url": _page_url(principal, client.id),
        **list_context(principal, chosen),
        "pantry_url": pantry_url(principal, client.id),
        "this_week": (week_start, week_start + timedelta(days=6)),
        "four_weeks": (today, today + timedelta(days=FOUR_WEEKS - 1)),
    }
    return render(request, template, context)


@router.get("/shopping")
async def own_shopping(
    request: Request, session: DbSession, principal: PageUser, list_id: ListId = ""
) -> Response:
    """A client's own shopping lists (staff: the nutrition hub)."""
    client_id = await access.own_client_id(session, principal)
    if client_id is None:
        return redirect(request, "/nutrition")
    client = await readable_client(session, principal, client_id)
    return await _page(request, session, principal, client, list_id)


@router.get("/clients/{client_id}/shopping")
async def client_shopping(
    request: Request,
    session: DbSession,
    principal: PageUser,
    client_id: uuid.UUID,
    list_id: ListId = "",
) -> Response:
    client = await readable_client(session, principal, client_id)
    return await _page(request, session, principal, client, list_id)


@router.get("/shopping-lists/{shopping_list_id}/list")
async def list_partial(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    """The list alone: what the page polls to stay in step with the client's other
    devices."""
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    return render(request, "nutrition/_shopping_list.html", list_context(principal, view))


@router.get("/shopping-lists/{shopping_list_id}/print")
async def print_view(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    client = await readable_client(session, principal, view.row.client_id)
    context = {"client": client, **list_context(principal, view), "writable": False}
    return render(request, "nutrition/shopping_print.html", context)


@router.get("/shopping-lists/{shopping_list_id}.csv")
async def export_csv(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    """The API's CSV, for the page's link (pages authenticate with the session cookie)."""
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    return shopping_export.csv_response(view)


@router.get("/shopping-lists/{shopping_list_id}.pdf")
async def export_pdf(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    client = await readable_client(session, principal, view.row.client_id)
    return await shopping_export.pdf_response(view, client.full_name)


@router.post("/clients/{client_id}/shopping")
async def create_list(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID
) -> Response:
    """A list for this week or the next 4 weeks (or the dates given) from the assigned
    plan."""
    form = await read_form(request)
    client = await readable_client(session, principal, client_id)
    url = _page_url(principal, client.id)
    today = client_today(client, principal.organization.timezone)
    span = form.get("span")
    body: dict[str, Any]
    if span == "week":
        first = today - timedelta(days=today.weekday())
        body = {"starts_on": first, "ends_on": first + timedelta(days=6)}
    elif span == "four_weeks":
        body = {"starts_on": today, "ends_on": today + timedelta(days=FOUR_WEEKS - 1)}
    else:
        body = {"starts_on": form.get("starts_on") or None, "ends_on": form.get("ends_on") or None}
    try:
        async with session.begin_nested():
            data = ShoppingListIn.model_validate(body)
            made = await shopping.create_list(
                session, principal=principal, client=client, data=data
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        return redirect(request, url, " ".join(fields.values()) or general or "Not made.", "error")
    return redirect(request, f"{url}?list={made.row.id}", "Shopping list ready.")


async def _act(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    shopping_list_id: uuid.UUID,
    action: Callable[[shopping.ListView], Awaitable[Any]],
) -> Response:
    """One change to a list: answer the list (HTMX) or go back to the page."""
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    url = f"{_page_url(principal, view.row.client_id)}?list={shopping_list_id}"
    error = None
    try:
        async with session.begin_nested():
            await action(view)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        error = " ".join(fields.values()) or general or "Not saved."
    if not request.headers.get("hx-request"):
        return redirect(request, url, error, "error") if error else redirect(request, url)
    context = list_context(
        principal, await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    )
    context["list_error"] = error
    return render(
        request, "nutrition/_shopping_list.html", context, status_code=422 if error else 200
    )


@router.post("/shopping-lists/{shopping_list_id}/items/{shopping_item_id}/tick")
async def tick_item(
    request: Request,
    session: DbSession,
    principal: PageUser,
    shopping_list_id: uuid.UUID,
    shopping_item_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action(_: shopping.ListView) -> None:
        await shopping.tick(
            session,
            principal=principal,
            list_id=shopping_list_id,
            item_id=shopping_item_id,
            ticked=form.get("ticked") in ("1", "on", "true"),
        )

    return await _act(request, session, principal, shopping_list_id, action)


@router.post("/shopping-lists/{shopping_list_id}/items")
async def add_item(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action(_: shopping.ListView) -> None:
        data = ManualItemIn.model_validate(
            {"name": form.get("name", ""), "label": form.get("label") or None}
        )
        await shopping.add_manual(session, principal=principal, list_id=shopping_list_id, data=data)

    return await _act(request, session, principal, shopping_list_id, action)


@router.post("/shopping-lists/{shopping_list_id}/items/{shopping_item_id}/remove")
async def remove_item(
    request: Request,
    session: DbSession,
    principal: PageUser,
    shopping_list_id: uuid.UUID,
    shopping_item_id: uuid.UUID,
) -> Response:
    async def action(_: shopping.ListView) -> None:
        await shopping.remove_manual(
            session, principal=principal, list_id=shopping_list_id, item_id=shopping_item_id
        )

    return await _act(request, session, principal, shopping_list_id, action)


@router.post("/shopping-lists/{shopping_list_id}/items/{shopping_item_id}/home")
async def at_home(
    request: Request,
    session: DbSession,
    principal: PageUser,
    shopping_list_id: uuid.UUID,
    shopping_item_id: uuid.UUID,
) -> Response:
    """Mark an item's food as a pantry staple (at home), or put it back on the list."""
    form = await read_form(request)

    async def action(view: shopping.ListView) -> None:
        item = next((i for i in view.items if i.id == shopping_item_id), None)
        if item is None or item.food_ref is None:
            raise field_error("item_id", "only foods of the list can be kept at home")
        client = await readable_client(session, principal, view.row.client_id)
        await shopping.set_staple(
            session,
            principal=principal,
            client=client,
            food_id=item.food_ref,
            at_home=form.get("at_home") == "1",
        )

    return await _act(request, session, principal, shopping_list_id, action)


@router.post("/shopping-lists/{shopping_list_id}/delete")
async def delete_list(
    request: Request, session: DbSession, principal: PageUser, shopping_list_id: uuid.UUID
) -> Response:
    view = await shopping.get_list(session, principal=principal, list_id=shopping_list_id)
    await shopping.delete_list(session, principal=principal, list_id=shopping_list_id)
    return redirect(request, _page_url(principal, view.row.client_id), "Shopping list deleted.")
