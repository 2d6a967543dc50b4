"""Meal plan pages: the list (templates and assigned plans), the builder (days as tabs,
meals, inline search of foods and recipes, quantities edited in place, totals against the
target, diet warnings, assigning to a client), and the client's own plan for today with
"Log" buttons that fill the diary.

The builder edits the plan as a whole: each change loads the plan as its input
(``service.plans.plan_input``), changes that, and saves it through ``update_plan`` in a
savepoint, so every rule of the API applies to the page too; the plan is re-rendered in
place (HTMX) or the page is reloaded."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.core.errors import NotFound, field_error
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import present
from spotter.nutrition.errors import MealPlanItemNotFound
from spotter.nutrition.models.plans import ASSIGNED, TEMPLATE
from spotter.nutrition.pages.common import (
    DIET_CHOICES,
    LABELS,
    FoodsRead,
    Search,
    foods_and_recipes,
    not_for_the_form,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.diary import DEFAULT_MEALS
from spotter.nutrition.schemas.plans import (
    AssignIn,
    CopyPlanIn,
    LogPlanIn,
    MealPlanCreate,
    MealPlanIn,
    MoveItemIn,
)
from spotter.nutrition.service import access, diary, plans
from spotter.nutrition.service.days import client_today, today_in
from spotter.web import FORM_ERRORS, PageUser, field_messages, read_form, redirect, render

DayParam = Annotated[int, Query(ge=1, le=28)]
Kind = Annotated[str, Query(max_length=10)]
LIST_SIZE = 50


# --- the list --------------------------------------------------------------------------------


async def _rows(
    session: AsyncSession, principal: Principal, q: str, kind: str
) -> tuple[list[Any], str | None]:
    rows, cursor = await plans.list_plans(
        session,
        principal=principal,
        params=PageParams(limit=LIST_SIZE),
        kind=kind if kind in (TEMPLATE, ASSIGNED) else TEMPLATE,
        q=q or None,
    )
    names = await plans.client_names(
        session, principal=principal, ids={r.client_id for r in rows if r.client_id}
    )
    return [(present.meal_plan_summary(r), names.get(r.client_id)) for r in rows], cursor


@router.get("/meal-plans")
async def list_page(
    request: Request, session: DbSession, principal: FoodsRead, q: Search = "", kind: Kind = ""
) -> Response:
    if not principal.is_staff:
        return redirect(request, "/plan")
    kind = kind if kind in (TEMPLATE, ASSIGNED) else TEMPLATE
    rows, _ = await _rows(session, principal, q, kind)
    return render(
        request,
        "nutrition/plans.html",
        {
            "rows": rows,
            "q": q,
            "kind": kind,
            "can_create": principal.can("foods:write"),
            "manages_library": plans.manages_library(principal),
            **LABELS,
        },
    )


@router.get("/meal-plans/rows")
async def list_rows(
    request: Request, session: DbSession, principal: FoodsRead, q: Search = "", kind: Kind = ""
) -> Response:
    rows, _ = await _rows(session, principal, q, kind)
    return render(
        request, "nutrition/_plan_rows.html", {"rows": rows, "q": q, "kind": kind, **LABELS}
    )


@router.post("/meal-plans")
async def create_from_form(request: Request, session: DbSession, principal: FoodsRead) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = MealPlanCreate.model_validate(
                {
                    "name": form.get("name", ""),
                    "organization_template": bool(form.get("organization_template")),
                    "days": [{"meals": [{"name": m} for m in DEFAULT_MEALS]}],
                }
            )
            view = await plans.create_plan(session, principal=principal, data=data)
    except FORM_ERRORS as exc:
        if not_for_the_form(exc) and getattr(exc, "status", 0) != 403:
            raise
        fields, general = field_messages(exc)
        return redirect(
            request, "/meal-plans", " ".join(fields.values()) or general or "Not saved.", "error"
        )
    return redirect(request, f"/meal-plans/{view.plan.id}")


# --- the builder -----------------------------------------------------------------------------


async def builder_context(
    session: AsyncSession, principal: Principal, view: plans.PlanView, day: int
) -> dict[str, Any]:
    out = present.meal_plan(view)
    number = min(max(day, 1), len(out.days))
    return {
        "p": out,
        "plan_day": out.days[number - 1],
        "day_number": number,
        "client": view.client,
        "editable": plans.may_edit(principal, view.plan) and view.plan.archived_at is None,
        "can_assign": view.plan.kind == TEMPLATE
        and view.plan.archived_at is None
        and principal.can("nutrition:write"),
        "can_copy": principal.can("foods:write"),
        "manages_library": plans.manages_library(principal),
        "today": today_in(principal.organization.timezone),
        "diet_choices": DIET_CHOICES,
        "error": None,
        "moved": None,
        **LABELS,
    }


@router.get("/meal-plans/{plan_id}")
async def builder_page(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID, day: DayParam = 1
) -> Response:
    view = await plans.get_plan(session, principal=principal, plan_id=plan_id)
    context = await builder_context(session, principal, view, day)
    template = (
        "nutrition/_plan.html" if request.headers.get("hx-request") else "nutrition/plan.html"
    )
    return render(request, template, context)


@router.get("/meal-plans/{plan_id}/search")
async def builder_search(
    request: Request,
    session: DbSession,
    principal: PageUser,
    plan_id: uuid.UUID,
    q: Search = "",
    meal: Search = "",
    day: DayParam = 1,
) -> Response:
    """Foods and recipes to add to a meal of the plan (the client's own too, for a
    client's plan)."""
    view = await plans.get_plan(session, principal=principal, plan_id=plan_id)
    foods, recipes = await foods_and_recipes(
        session, principal, q=q, client_id=view.plan.client_id, with_units=True
    )
    return render(
        request,
        "nutrition/_plan_results.html",
        {"q": q, "foods": foods, "recipes": recipes, "meal": meal, "day": day, "plan_id": plan_id},
    )


def _index(form: dict[str, Any], name: str, size: int) -> int:
    try:
        value = int(form.get(name) or "")
    except ValueError:
        value = -1
    if not 0 <= value < size:
        raise field_error(name, "that is no longer in the plan; reload the page")
    return value


def _edit(data: dict[str, Any], form: dict[str, Any], op: str) -> int:
    """Apply one builder change to the plan's input; answers the day to show (1-based)."""
    days = data["days"]
    d = _index(form, "day_index", len(days)) if op != "details" else 0
    meals = days[d]["meals"] if days else []
    if op == "details":
        data.update(
            name=form.get("name", ""),
            description=form.get("description") or None,
            diets=form.get("diets", []),
            **{n: (form.get(n) or "").strip() or None for n in plans.MACROS},
        )
        return int(form.get("day_index") or 0) + 1
    if op == "add_item":
        meal = next((m for m in meals if m["name"].lower() == form.get("meal", "").lower()), None)
        if meal is None:
            meal = {"name": form.get("meal", ""), "items": []}
            meals.append(meal)
        item = {k: (form.get(k) or "").strip() or None for k in ("food_id", "recipe_id", "unit")}
        meal["items"].append({**item, "quantity": (form.get("quantity") or "").strip() or None})
    elif op in ("quantity", "remove_item"):
        m = _index(form, "meal_index", len(meals))
        i = _index(form, "item_index", len(meals[m]["items"]))
        if op == "remove_item":
            del meals[m]["items"][i]
        else:
            meals[m]["items"][i]["quantity"] = (form.get("quantity") or "").strip() or None
    elif op == "add_meal":
        meals.append({"name": form.get("name", ""), "items": []})
    elif op == "remove_meal":
        del meals[_index(form, "meal_index", len(meals))]
    elif op == "add_day":
        days.append({"name": None, "meals": [{"name": m["name"], "items": []} for m in meals]})
        return len(days)
    elif op == "duplicate_day":
        copy = {"name": days[d]["name"], "meals": [dict(m, items=list(m["items"])) for m in meals]}
        days.insert(d + 1, copy)
        return d + 2
    elif op == "remove_day":
        if len(days) == 1:
            raise field_error("day_index", "a plan keeps at least one day")
        del days[d]
        return max(d, 1)
    elif op == "rename_day":
        days[d]["name"] = (form.get("name") or "").strip() or None
    else:
        raise field_error("op", "unknown change")
    return d + 1


def _shown_day(form: dict[str, Any]) -> int:
    """The day (1-based) the builder was showing when the form was sent."""
    index = form.get("day_index") or ""
    return int(index) + 1 if index.isdigit() else 1


@router.post("/meal-plans/{plan_id}/edit")
async def builder_edit(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID
) -> Response:
    form = await read_form(request, lists=("diets",))
    op = form.get("op", "")
    show = _shown_day(form)
    error = None
    try:
        async with session.begin_nested():
            row = await plans.editable_plan(session, principal=principal, plan_id=plan_id)
            data = plans.plan_input(row).model_dump(mode="json")
            show = _edit(data, form, op)
            await plans.update_plan(
                session,
                principal=principal,
                plan_id=plan_id,
                data=MealPlanIn.model_validate(data),
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        error = " ".join(fields.values()) or general or "Not saved."
    url = f"/meal-plans/{plan_id}?day={show}"
    if not request.headers.get("hx-request"):
        return redirect(request, url, error, "error") if error else redirect(request, url)
    view = await plans.get_plan(session, principal=principal, plan_id=plan_id)
    context = await builder_context(session, principal, view, show)
    context["error"] = error
    return render(request, "nutrition/_plan.html", context, status_code=422 if error else 200)


def _item_id(form: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(form.get("item_id") or "")
    except ValueError:
        raise MealPlanItemNotFound() from None


@router.post("/meal-plans/{plan_id}/move")
async def move_from_form(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID
) -> Response:
    """The builder's Move dialog: an item to another meal of the plan (any day), at the
    end of it. The day on show stays; the message says where the item went."""
    form = await read_form(request)
    show = _shown_day(form)
    item_id = _item_id(form)

    async def action() -> Any:
        data = MoveItemIn.model_validate({"meal_id": form.get("meal_id") or None})
        return await plans.move_item(
            session, principal=principal, plan_id=plan_id, item_id=item_id, data=data
        )

    view, error = await _post(session, action)
    moved = None
    if view is not None and (found := view.locate(item_id)) is not None:
        day, meal, line = found
        moved = {
            "id": str(item_id),
            "day": day.number,
            "text": f"Moved {line.name} to {plans.meal_label(day.row, meal.row)}.",
        }
    url = f"/meal-plans/{plan_id}?day={show}"
    if not request.headers.get("hx-request"):
        if error:
            return redirect(request, url, error, "error")
        return redirect(request, url, moved["text"] if moved else None)
    view = view or await plans.get_plan(session, principal=principal, plan_id=plan_id)
    context = await builder_context(session, principal, view, show)
    context.update(error=error, moved=moved)
    return render(request, "nutrition/_plan.html", context, status_code=422 if error else 200)


@router.get("/meal-plans/{plan_id}/clients")
async def assign_clients(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID, q: Search = ""
) -> Response:
    """The clients to assign to (the caller's visible ones, by name)."""
    await plans.visible_plan(session, principal=principal, plan_id=plan_id)
    if not principal.can("nutrition:write"):
        raise NotFound("No such meal plan")
    found, _ = await clients.list_clients(
        session, principal=principal, params=PageParams(limit=10), q=q or None
    )
    return render(request, "nutrition/_plan_clients.html", {"found": found, "q": q})


async def _post(session: AsyncSession, action: Any) -> tuple[Any, str | None]:
    """Run one form action in a savepoint: its result, or the message to show."""
    try:
        async with session.begin_nested():
            return await action(), None
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        fields, general = field_messages(exc)
        return None, " ".join(fields.values()) or general or "Not saved."


async def _open_result(
    request: Request, session: AsyncSession, plan_id: uuid.UUID, action: Any, done: str
) -> Response:
    """Run an action that makes a plan (assign, copy) and open it; back to the plan with
    the message when it was refused."""
    view, error = await _post(session, action)
    if error:
        return redirect(request, f"/meal-plans/{plan_id}", error, "error")
    return redirect(request, f"/meal-plans/{view.plan.id}", done)


@router.post("/meal-plans/{plan_id}/assign")
async def assign_from_form(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    await plans.visible_plan(session, principal=principal, plan_id=plan_id)

    async def action() -> Any:
        data = AssignIn.model_validate(
            {"client_id": form.get("client_id") or None, "starts_on": form.get("starts_on") or None}
        )
        return await plans.assign_plan(session, principal=principal, plan_id=plan_id, data=data)

    return await _open_result(request, session, plan_id, action, "Assigned.")


@router.post("/meal-plans/{plan_id}/copy")
async def copy_from_form(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> Any:
        data = CopyPlanIn(organization_template=bool(form.get("organization_template")))
        return await plans.copy_plan(session, principal=principal, plan_id=plan_id, data=data)

    return await _open_result(request, session, plan_id, action, "Copied.")


@router.post("/meal-plans/{plan_id}/archive")
async def archive_from_form(
    request: Request, session: DbSession, principal: PageUser, plan_id: uuid.UUID
) -> Response:
    await plans.archive_plan(session, principal=principal, plan_id=plan_id)
    return redirect(request, "/meal-plans", "Archived.")


# --- the client's plan -----------------------------------------------------------------------


async def today_context(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID, on: date | None
) -> dict[str, Any]:
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    today = client_today(client, principal.organization.timezone)
    on = on or today
    row = await plans.plan_in_force(session, principal=principal, client=client, on=on)
    context: dict[str, Any] = {
        "client": client,
        "on": on,
        "prev_on": on - timedelta(days=1),
        "next_on": on + timedelta(days=1),
        "today": today,
        "p": None,
        "plan_day": None,
        "logged": set(),
        "own": principal.role == "client",
        "writable": access.writes_client_data(principal),
        "error": None,
        **LABELS,
    }
    if row is None:
        return context
    view = await plans.get_plan(session, principal=principal, plan_id=row.id)
    number = row.day_number(on)
    out = present.meal_plan(view)
    context.update(p=out, plan_day=out.days[number - 1] if number else None)
    day = await diary.read_day(session, principal=principal, client=client, day=on)
    context["logged"] = {
        e.meal_plan_item_id for m in day.meals for e in m.entries if e.meal_plan_item_id
    }
    return context


def _on(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/plan")
async def own_plan(
    request: Request, session: DbSession, principal: PageUser, on: Search = ""
) -> Response:
    """A client's plan for today (staff: the meal plans)."""
    client_id = await access.own_client_id(session, principal)
    if client_id is None:
        return redirect(request, "/meal-plans")
    context = await today_context(session, principal, client_id, _on(on))
    return render(request, "nutrition/my_plan.html", context)


@router.post("/plan/log")
async def log_from_form(request: Request, session: DbSession, principal: PageUser) -> Response:
    """Log the day (or one meal of it) into the client's diary."""
    form = await read_form(request)
    client_id = await access.own_client_id(session, principal)
    if client_id is None:
        raise NotFound("No plan")
    on = _on(form.get("on", ""))

    async def action() -> Any:
        data = LogPlanIn.model_validate(
            {
                "eaten_on": form.get("on") or None,
                "meals": [form["meal"]] if form.get("meal") else None,
            }
        )
        return await plans.log_day(
            session, principal=principal, plan_id=uuid.UUID(form.get("plan_id", "")), data=data
        )

    try:
        uuid.UUID(form.get("plan_id", ""))
    except ValueError:
        raise NotFound("No such meal plan") from None
    _, error = await _post(session, action)
    if not request.headers.get("hx-request"):
        url = f"/plan?on={on.isoformat()}" if on else "/plan"
        return (
            redirect(request, url, error, "error") if error else redirect(request, url, "Logged.")
        )
    context = await today_context(session, principal, client_id, on)
    context["error"] = error
    return render(request, "nutrition/_my_plan.html", context, status_code=422 if error else 200)


async def plans_section(session: AsyncSession, principal: Principal, client: Any) -> dict[str, Any]:
    """The meal-plan part of a client's nutrition page: their plans, and the templates
    to assign from."""
    rows = await plans.client_plans(session, principal=principal, client=client)
    today = client_today(client, principal.organization.timezone)
    templates: list[Any] = []
    if principal.can("nutrition:write"):
        templates, _ = await plans.list_plans(
            session, principal=principal, params=PageParams(limit=LIST_SIZE), kind=TEMPLATE
        )
    return {
        "client_plans": [present.meal_plan_summary(r) for r in rows],
        "current_plan_id": next((r.id for r in rows if r.covers(today)), None),
        "plan_templates": [present.meal_plan_summary(t) for t in templates],
    }
