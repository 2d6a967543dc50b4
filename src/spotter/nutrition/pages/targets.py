"""The macro calculator page for a client: their data prefilled (in their units), the
result with its working, saved as a target; typed targets; the history."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.core.units import UnitSystem, from_display, to_display
from spotter.identity.dependencies import Principal
from spotter.nutrition.calculator import ACTIVITY_LABELS, Goal
from spotter.nutrition.pages.common import (
    LABELS,
    NutritionRead,
    NutritionWrite,
    blank,
    not_for_the_form,
)
from spotter.nutrition.pages.plans import plans_section
from spotter.nutrition.pages.routes import router
from spotter.nutrition.schemas.targets import ClientCalculatorIn, TargetIn
from spotter.nutrition.service import targets as service
from spotter.nutrition.service.days import client_today
from spotter.web import FORM_ERRORS, read_form, redirect, render, render_form

GOALS = [(Goal.LOSE.value, "Lose"), (Goal.MAINTAIN.value, "Maintain"), (Goal.GAIN.value, "Gain")]
SEXES = [("", "Not given"), ("female", "Female"), ("male", "Male"), ("intersex", "Intersex")]


def _system(client: Any) -> UnitSystem:
    return UnitSystem.IMPERIAL if client.unit_system == "imperial" else UnitSystem.METRIC


def _shown(value: float | None, unit: str, system: UnitSystem) -> str:
    return "" if value is None else f"{to_display(value, unit, system):.1f}".removesuffix(".0")


def calculator_input(form: dict[str, Any], system: UnitSystem) -> dict[str, Any]:
    """The calculator form (in the client's units) as ``ClientCalculatorIn``'s fields."""
    data: dict[str, Any] = blank(form, "age_years", "sex", "body_fat_pct", "activity", "goal")
    for name, unit, target in (("weight", "kg", "weight_kg"), ("height", "cm", "height_cm")):
        raw = (form.get(name) or "").strip()
        try:
            data[target] = float(from_display(Decimal(raw), unit, system)) if raw else None
        except ArithmeticError:
            data[target] = raw  # let the schema say what is wrong with it
    adjust = (form.get("adjust") or "").strip() or None
    data["adjust_kcal" if form.get("adjust_by") == "kcal" else "adjust_percent"] = adjust
    protein = (form.get("protein") or "").strip()
    if protein:
        per_lb = system == UnitSystem.IMPERIAL
        try:
            data["protein_g_per_kg"] = float(protein) / 0.45359237 if per_lb else float(protein)
        except ValueError:
            data["protein_g_per_kg"] = protein
    data["fat_percent"] = (form.get("fat_percent") or "").strip() or 30
    data["use_body_fat"] = bool(data.get("body_fat_pct"))
    return {k: v for k, v in data.items() if v is not None or k == "use_body_fat"}


async def page_context(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> dict[str, Any]:
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    system = _system(client)
    history, _ = await service.list_targets(session, client=client, params=PageParams(limit=20))
    return {
        "client": client,
        "system": system.value,
        "weight_unit": "lb" if system == UnitSystem.IMPERIAL else "kg",
        "height_unit": "in" if system == UnitSystem.IMPERIAL else "cm",
        "protein_unit": "g per lb" if system == UnitSystem.IMPERIAL else "g per kg",
        "activities": [(a.value, label) for a, label in ACTIVITY_LABELS.items()],
        "goals": GOALS,
        "sexes": SEXES,
        "history": history,
        "today": client_today(client, principal.organization.timezone),
        "can_save": principal.can("nutrition:write"),
        "result": None,
        **await plans_section(session, principal, client),
        **LABELS,
    }


async def _prefill(session: AsyncSession, context: dict[str, Any]) -> dict[str, Any]:
    client, system = context["client"], UnitSystem(context["system"])
    known, _ = await service.client_data(session, client=client, today=context["today"])
    per_lb = system == UnitSystem.IMPERIAL
    return {
        "weight": _shown(known.get("weight_kg"), "kg", system),
        "height": _shown(known.get("height_cm"), "cm", system),
        "age_years": known.get("age_years", ""),
        "sex": known.get("sex", ""),
        "body_fat_pct": known.get("body_fat_pct", ""),
        "activity": "moderate",
        "goal": "maintain",
        "adjust_by": "percent",
        "protein": "0.8" if per_lb else "1.8",
        "fat_percent": "30",
        "effective_on": context["today"].isoformat(),
    }


@router.get("/clients/{client_id}/nutrition")
async def calculator_page(
    request: Request, session: DbSession, principal: NutritionRead, client_id: uuid.UUID
) -> Response:
    context = await page_context(session, principal, client_id)
    form = await _prefill(session, context)
    return render(request, "nutrition/targets.html", {**context, "form": form})


@router.post("/clients/{client_id}/nutrition/calculate")
async def calculate(
    request: Request, session: DbSession, principal: NutritionRead, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    context = await page_context(session, principal, client_id)
    try:
        async with session.begin_nested():
            data = ClientCalculatorIn.model_validate(
                calculator_input(form, UnitSystem(context["system"]))
            )
            inputs, sources, result = await service.calculate_for_client(
                session, principal=principal, client=context["client"], data=data
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        return render_form(
            request, "nutrition/targets.html", exc, form=form, context=context, rename=_RENAME
        )
    form.setdefault("effective_on", context["today"].isoformat())
    return render(
        request,
        "nutrition/targets.html",
        {**context, "form": form, "result": service.calculation_record(inputs, sources, result)},
    )


_RENAME = {
    "weight_kg": "weight",
    "height_cm": "height",
    "protein_g_per_kg": "protein",
    "adjust_percent": "adjust",
    "adjust_kcal": "adjust",
}


@router.post("/clients/{client_id}/nutrition/targets")
async def save_target(
    request: Request, session: DbSession, principal: NutritionWrite, client_id: uuid.UUID
) -> Response:
    """Save the calculator's result (its inputs come back as the form) or typed targets."""
    form = await read_form(request)
    context = await page_context(session, principal, client_id)
    typed = form.get("source") == "typed"
    try:
        async with session.begin_nested():
            body: dict[str, Any] = {
                "effective_on": form.get("effective_on") or None,
                "notes": (form.get("notes") or "").strip() or None,
            }
            if typed:
                body.update(
                    blank(form, "energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fiber_g")
                )
            else:
                body["calculator"] = calculator_input(form, UnitSystem(context["system"]))
            saved = await service.save_target(
                session,
                principal=principal,
                client=context["client"],
                data=TargetIn.model_validate(body),
            )
    except FORM_ERRORS as exc:
        if not_for_the_form(exc):
            raise
        return render_form(
            request,
            "nutrition/targets.html",
            exc,
            form=form,
            context={**context, "typed_open": typed},
            rename=_RENAME,
        )
    return redirect(
        request,
        f"/clients/{client_id}/nutrition",
        f"Targets saved from {saved.effective_on:%-d %b %Y}: {saved.energy_kcal:.0f} kcal.",
    )


@router.post("/clients/{client_id}/nutrition/targets/{target_id}/delete")
async def delete_target(
    request: Request,
    session: DbSession,
    principal: NutritionWrite,
    client_id: uuid.UUID,
    target_id: uuid.UUID,
) -> Response:
    await service.delete_target(session, principal=principal, target_id=target_id)
    return redirect(request, f"/clients/{client_id}/nutrition", "Target removed.")
