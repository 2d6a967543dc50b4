"""The "Generate a plan" page: who it is for (a client, or targets for a template), diets,
allergens and words to leave out, meals and days; the draft previewed day by day against
the targets (or why the targets cannot be met), then saved through the meal-plan service
(a template, assigned to the client from a start date when there is one)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.errors import AppError
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.nutrition import present
from spotter.nutrition.pages.common import (
    ALLERGEN_CHOICES,
    DIET_CHOICES,
    LABELS,
    FoodsRead,
    not_for_the_form,
)
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.generate import MAX_DAYS, GenerateIn
from spotter.nutrition.schemas.plans import AssignIn, MealPlanCreate
from spotter.nutrition.service import access, plans
from spotter.nutrition.service import generate as service
from spotter.nutrition.service.days import client_today
from spotter.web import FORM_ERRORS, field_messages, read_form, redirect, render

CLIENT_CHOICES = 100
TARGET_FIELDS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
LISTS = ("diets", "avoid")


async def _context(
    session: AsyncSession, principal: Principal, client: Client | None
) -> dict[str, Any]:
    found: list[Any] = []
    if principal.can("nutrition:write"):
        found, _ = await clients.list_clients(
            session, principal=principal, params=PageParams(limit=CLIENT_CHOICES)
        )
    return {
        "client": client,
        "client_choices": [(str(c.id), c.full_name) for c in found],
        "can_template": principal.can("foods:write"),
        "manages_library": plans.manages_library(principal),
        "diet_choices": DIET_CHOICES,
        "allergen_choices": ALLERGEN_CHOICES,
        "meal_counts": [("", "The client's meals")] + [(str(n), str(n)) for n in range(1, 9)],
        "max_days": MAX_DAYS,
        "draft": None,
        "plan_json": None,
        "reasons": [],
        "notes": [],
        "today": client_today(client, principal.organization.timezone) if client else None,
        **LABELS,
    }


async def _client(
    session: AsyncSession, principal: Principal, client_id: str | None
) -> Client | None:
    if not client_id:
        return None
    try:
        wanted = uuid.UUID(client_id)
    except ValueError:
        return None
    return await access.client_for_write(session, principal, wanted)


def _request(form: dict[str, Any]) -> dict[str, Any]:
    """The form as ``GenerateIn`` data (blank fields left out, so defaults apply)."""
    targets = {k: v for k in TARGET_FIELDS if (v := (form.get(k) or "").strip())}
    words = [w.strip() for w in (form.get("exclude_words") or "").split(",") if w.strip()]
    data: dict[str, Any] = {
        "client_id": form.get("client_id") or None,
        "days": form.get("days") or 7,
        "diets": form.get("diets") or [],
        "avoid": form.get("avoid") or [],
        "exclude_words": words,
        "seed": form.get("seed") or 0,
    }
    if targets:
        data["targets"] = targets
    if form.get("meals_per_day"):
        data["meals_per_day"] = form["meals_per_day"]
    return data


@router.get("/meal-plans/generate")
async def generate_page(
    request: Request, session: DbSession, principal: FoodsRead, client_id: str | None = None
) -> Response:
    if not principal.is_staff:
        return redirect(request, "/plan")
    client = await _client(session, principal, client_id)
    context = await _context(session, principal, client)
    form = {"client_id": str(client.id) if client else "", "days": "7", "seed": "0"}
    return render(request, "nutrition/generate.html", {**context, "form": form})


@router.post("/meal-plans/generate")
async def preview(request: Request, session: DbSession, principal: FoodsRead) -> Response:
    """The draft for the form (nothing is saved), or why there is none."""
    form = await read_form(request, lists=LISTS)
    client = await _client(session, principal, form.get("client_id"))
    context = await _context(session, principal, client)
    status = 200
    try:
        data = GenerateIn.model_validate(_request(form))
        draft = await service.generate(session, principal=principal, data=data)
    except service.TargetsUnreachable as exc:
        context.update(reasons=exc.extra["reasons"], notes=exc.extra["notes"])
        status = 422
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        errors, general = field_messages(exc, default_field="targets")
        context.update(errors=errors, form_error=general)
        status = 422
    else:
        out = present.draft(draft)
        context.update(
            draft=out,
            plan_json=json.dumps(out.plan.model_dump(mode="json")),
            notes=out.notes,
        )
    return render(request, "nutrition/generate.html", {**context, "form": form}, status_code=status)


@router.post("/meal-plans/generate/save")
async def save(request: Request, session: DbSession, principal: FoodsRead) -> Response:
    """The previewed draft as a template, and for a client assigned from ``starts_on``."""
    form = await read_form(request)
    client = await _client(session, principal, form.get("client_id"))
    try:
        async with session.begin_nested():
            data = MealPlanCreate.model_validate(
                {
                    **json.loads(form.get("plan") or "{}"),
                    "organization_template": bool(form.get("organization_template")),
                }
            )
            view = await plans.create_plan(session, principal=principal, data=data)
            if client is not None:
                assign = AssignIn.model_validate(
                    {"client_id": client.id, "starts_on": form.get("starts_on") or None}
                )
                view = await plans.assign_plan(
                    session, principal=principal, plan_id=view.plan.id, data=assign
                )
    except (*FORM_ERRORS, json.JSONDecodeError) as exc:
        if isinstance(exc, AppError) and not_for_the_form(exc):
            raise
        message = "The draft could not be read; generate it again."
        if not isinstance(exc, json.JSONDecodeError):
            fields, general = field_messages(exc)
            message = " ".join(fields.values()) or general or "Not saved."
        back = f"/meal-plans/generate?client_id={client.id}" if client else "/meal-plans/generate"
        return redirect(request, back, message, "error")
    saved = "Saved and assigned." if client is not None else "Saved as a template."
    return redirect(request, f"/meal-plans/{view.plan.id}", saved)
