"""The food diary page (mobile-first: big tap targets, search and one-tap recent foods in
each meal) and the trainer's nutrition hub with the adherence overview.

Every action posts to a page route that makes one service call in a savepoint and answers
the day re-rendered (HTMX) or redirects back to the day; a refusal shows its message in
the meal it was about."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import NotFound
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import present
from spotter.nutrition.pages.common import (
    ALLERGEN_CHOICES,
    DIET_CHOICES,
    LABELS,
    Cursor,
    NutritionRead,
    Search,
    blank,
    foods_and_recipes,
    not_for_the_form,
    readable_client,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.diary import CopyIn, EntryIn, EntryUpdate, ProfileIn
from spotter.nutrition.service import access, adherence, diary
from spotter.nutrition.service.days import client_today
from spotter.web import FORM_ERRORS, PageUser, field_messages, read_form, redirect, render

Day = Annotated[str, Query(max_length=10)]


def _day(value: str, client: Client, principal: Principal) -> date:
    try:
        return date.fromisoformat(value) if value else service_today(client, principal)
    except ValueError:
        return service_today(client, principal)


def service_today(client: Client, principal: Principal) -> date:
    return client_today(client, principal.organization.timezone)


def _page_url(principal: Principal, client_id: uuid.UUID) -> str:
    """Clients keep their diary at /diary; staff see a client's under the client."""
    return "/diary" if principal.role == "client" else f"/clients/{client_id}/diary"


async def day_context(
    session: AsyncSession, principal: Principal, client: Client, day: date
) -> dict[str, Any]:
    view = await diary.read_day(session, principal=principal, client=client, day=day)
    entries = [e for m in view.meals for e in m.entries]
    labels = await diary.unit_labels(session, principal=principal, entries=entries)
    recent = await diary.recent_items(session, principal=principal, client=client, limit=8)
    recent_labels = await diary.unit_labels(
        session, principal=principal, entries=[r.last for r in recent]
    )
    week = await adherence.day_summaries(
        session, principal=principal, client=client, first=day - timedelta(days=6), last=day
    )
    return {
        "client": client,
        "d": present.day(view, labels),
        "day": day,
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "today": service_today(client, principal),
        "recent": [present.recent(r, recent_labels[r.last.id]) for r in recent],
        "week": [present.day_summary(s) for s in week],
        "writable": access.writes_client_data(principal),
        "own": principal.role == "client",
        "page_url": _page_url(principal, client.id),
        "profile": present.profile(view.profile),
        "diet_choices": DIET_CHOICES,
        "allergen_choices": ALLERGEN_CHOICES,
        "meal_errors": {},
        **LABELS,
    }


@router.get("/diary")
async def own_diary(
    request: Request, session: DbSession, principal: PageUser, on: Day = ""
) -> Response:
    """A client's own diary (staff: the nutrition hub)."""
    client_id = await access.own_client_id(session, principal)
    if client_id is None:
        return redirect(request, "/nutrition")
    return await diary_page(request, session, principal, client_id, on)


@router.get("/clients/{client_id}/diary")
async def diary_page(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID, on: Day = ""
) -> Response:
    client = await readable_client(session, principal, client_id)
    context = await day_context(session, principal, client, _day(on, client, principal))
    return render(request, "nutrition/diary.html", context)


@router.get("/clients/{client_id}/diary/search")
async def diary_search(
    request: Request,
    session: DbSession,
    principal: PageUser,
    client_id: uuid.UUID,
    q: Search = "",
    meal: Search = "",
    on: Day = "",
) -> Response:
    """Foods and recipes to add to a meal, each with its units."""
    client = await readable_client(session, principal, client_id)
    foods, recipes = await foods_and_recipes(
        session, principal, q=q, client_id=client.id, with_units=True
    )
    return render(
        request,
        "nutrition/_diary_results.html",
        {"q": q, "foods": foods, "recipes": recipes, "meal": meal, "on": on, "client": client},
    )


async def _act(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    day: str,
    action: Callable[[Client], Awaitable[Any]],
    meal: str = "",
) -> Response:
    """One diary change: answer the day (HTMX) or go back to it."""
    client = await readable_client(session, principal, client_id)
    on = _day(day, client, principal)
    url = f"{_page_url(principal, client_id)}?on={on.isoformat()}"
    try:
        async with session.begin_nested():
            await action(client)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        text = general if not fields else " ".join(fields.values())
        if not request.headers.get("hx-request"):
            return redirect(request, url, text or "Not saved.", "error")
        context = await day_context(session, principal, client, on)
        context["meal_errors"] = {meal or "_": text or "Not saved."}
        return render(request, "nutrition/_day.html", context, status_code=422)
    if not request.headers.get("hx-request"):
        return redirect(request, url)
    return render(request, "nutrition/_day.html", await day_context(session, principal, client, on))


@router.post("/clients/{client_id}/diary/add")
async def add_entry(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action(client: Client) -> None:
        data: dict[str, Any] = blank(form, "food_id", "recipe_id", "quantity", "unit")
        data.update(meal=form.get("meal", ""), eaten_on=form.get("on") or None)
        if form.get("kind") == "quick":
            data = {
                "meal": form.get("meal", ""),
                "eaten_on": form.get("on") or None,
                "quick": {
                    "name": (form.get("name") or "").strip() or "Quick add",
                    **blank(form, "energy_kcal", "protein_g", "fat_g", "carbohydrate_g"),
                },
            }
        await diary.add_entry(
            session, principal=principal, client=client, data=EntryIn.model_validate(data)
        )

    return await _act(
        request, session, principal, client_id, form.get("on", ""), action, form.get("meal", "")
    )


@router.post("/clients/{client_id}/diary/entries/{entry_id}")
async def change_entry(
    request: Request,
    session: DbSession,
    principal: PageUser,
    client_id: uuid.UUID,
    entry_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action(client: Client) -> None:
        if form.get("remove"):
            await diary.delete_entry(session, principal=principal, entry_id=entry_id)
            return
        data = EntryUpdate.model_validate(blank(form, "quantity", "unit", "meal"))
        await diary.update_entry(session, principal=principal, entry_id=entry_id, data=data)

    return await _act(
        request, session, principal, client_id, form.get("on", ""), action, form.get("meal", "")
    )


@router.post("/clients/{client_id}/diary/copy")
async def copy_entries(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action(client: Client) -> None:
        data = CopyIn.model_validate(blank(form, "from_on", "to_on", "meal", "to_meal"))
        await diary.copy_entries(session, principal=principal, client=client, data=data)

    return await _act(
        request, session, principal, client_id, form.get("to_on", ""), action, form.get("meal", "")
    )


@router.post("/clients/{client_id}/diary/settings")
async def save_settings(
    request: Request, session: DbSession, principal: PageUser, client_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("diets", "avoid"))

    async def action(client: Client) -> None:
        if not access.writes_client_data(principal):
            raise NotFound("No such client")
        names = [m.strip() for m in (form.get("meal_names") or "").splitlines() if m.strip()]
        data = ProfileIn.model_validate(
            {"meal_names": names, "diets": form["diets"], "avoid": form["avoid"]}
        )
        await diary.put_profile(session, client=client, data=data)

    return await _act(request, session, principal, client_id, form.get("on", ""), action)


# --- the trainer's hub ---------------------------------------------------------------------------


@router.get("/nutrition")
async def hub_page(
    request: Request,
    session: DbSession,
    principal: NutritionRead,
    days: Annotated[int, Query(ge=1, le=28)] = 7,
    sort: Search = "score",
    order: Search = "asc",
    cursor: Cursor = "",
) -> Response:
    sort = sort if sort in adherence.SORTS else "score"
    days = days if days in adherence.OVERVIEW_DAYS else 7
    rows, next_cursor = await adherence.overview(
        session,
        principal=principal,
        params=PageParams(cursor=cursor or None, limit=50),
        days=days,
        sort=sort,
        descending=order == "desc",
    )
    return render(
        request,
        "nutrition/hub.html",
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "days": days,
            "sort": sort,
            "order": "desc" if order == "desc" else "asc",
            "day_choices": adherence.OVERVIEW_DAYS,
            **LABELS,
        },
    )
