"""The macro calculator and clients' targets."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, Response

from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.nutrition.dependencies import (
    FoodsRead,
    NutritionReadable,
    NutritionReader,
    NutritionWrite,
    TargetsWritable,
)
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.targets import (
    CalculationOut,
    CalculatorIn,
    ClientCalculatorIn,
    TargetIn,
    TargetOut,
)
from spotter.nutrition.service import targets as service


@router.post("/nutrition/calculate", response_model=CalculationOut)
async def calculate(principal: FoodsRead, data: CalculatorIn) -> CalculationOut:
    """BMR (Mifflin-St Jeor, or Katch-McArdle with body fat), TDEE by activity factor
    (1.2 / 1.375 / 1.55 / 1.725 / 1.9), the goal's adjustment, protein by g/kg, fat by % of
    energy, carbohydrate the rest; every step written out. Nothing is saved."""
    return CalculationOut(**service.calculation(data))


@router.post("/clients/{client_id}/nutrition/calculate", response_model=CalculationOut)
async def calculate_for_client(
    session: DbSession,
    principal: NutritionReader,
    client: NutritionReadable,
    data: ClientCalculatorIn,
) -> CalculationOut:
    """The calculator with the client's profile (sex, age, height) and latest assessment
    (weight, body fat) filling what you leave out. Nothing is saved."""
    inputs, sources, result = await service.calculate_for_client(
        session, principal=principal, client=client, data=data
    )
    return CalculationOut(**service.calculation_record(inputs, sources, result))


@router.get("/clients/{client_id}/nutrition/targets", response_model=Page[TargetOut])
async def list_targets(
    session: DbSession, client: NutritionReadable, params: Pages
) -> Page[TargetOut]:
    """The client's targets, newest first (each applies until the next one starts)."""
    items, cursor = await service.list_targets(session, client=client, params=params)
    return Page(items=[TargetOut.model_validate(t) for t in items], next_cursor=cursor)


@router.get("/clients/{client_id}/nutrition/targets/current", response_model=TargetOut)
async def current_target(
    session: DbSession,
    principal: NutritionReader,
    client: NutritionReadable,
    on: Annotated[date | None, Query(description="Default: today for the client")] = None,
) -> TargetOut:
    found = await service.current_target(session, principal=principal, client=client, on=on)
    return TargetOut.model_validate(found)


@router.post("/clients/{client_id}/nutrition/targets", response_model=TargetOut, status_code=201)
async def save_target(
    session: DbSession, principal: NutritionWrite, client: TargetsWritable, data: TargetIn
) -> TargetOut:
    """Typed targets or the calculator's result, from `effective_on` (default today);
    a target already starting that day is replaced."""
    saved = await service.save_target(session, principal=principal, client=client, data=data)
    return TargetOut.model_validate(saved)


@router.get("/nutrition-targets/{target_id}", response_model=TargetOut)
async def get_target(
    session: DbSession, principal: NutritionReader, target_id: uuid.UUID
) -> TargetOut:
    return TargetOut.model_validate(
        await service.get_target(session, principal=principal, target_id=target_id)
    )


@router.delete("/nutrition-targets/{target_id}", status_code=204)
async def delete_target(
    session: DbSession, principal: NutritionWrite, target_id: uuid.UUID
) -> Response:
    """Remove a target (the one before it applies again)."""
    await service.delete_target(session, principal=principal, target_id=target_id)
    return Response(status_code=204)
