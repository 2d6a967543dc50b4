"""Meal plans: templates, assigning them to clients, a client's plans, logging a plan day
into the diary."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Response

from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.nutrition import present
from spotter.nutrition.dependencies import (
    DiaryWriter,
    FoodsRead,
    NutritionReadable,
    NutritionReader,
)
from spotter.nutrition.router.diary import day_out
from spotter.nutrition.router.routes import router
from spotter.nutrition.schemas.diary import DayOut
from spotter.nutrition.schemas.plans import (
    AssignIn,
    CopyPlanIn,
    LogPlanIn,
    MealPlanCreate,
    MealPlanIn,
    MealPlanOut,
    MealPlanSummary,
    MoveItemIn,
)
from spotter.nutrition.service import plans

Kind = Literal["template", "assigned"]


@router.get("/meal-plans", response_model=Page[MealPlanSummary])
async def list_plans(
    session: DbSession,
    principal: FoodsRead,
    params: Pages,
    kind: Kind | None = None,
    client_id: uuid.UUID | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
    include_archived: bool = False,
) -> Page[MealPlanSummary]:
    """Templates (personal and the organization's) and assigned plans the caller sees,
    by name."""
    rows, cursor = await plans.list_plans(
        session,
        principal=principal,
        params=params,
        kind=kind,
        client_id=client_id,
        q=q,
        include_archived=include_archived,
    )
    return Page(items=[present.meal_plan_summary(r) for r in rows], next_cursor=cursor)


@router.post("/meal-plans", response_model=MealPlanOut, status_code=201)
async def create_plan(
    session: DbSession, principal: FoodsRead, data: MealPlanCreate
) -> MealPlanOut:
    """A template: personal, or the organization's (`organization_template`)."""
    return present.meal_plan(await plans.create_plan(session, principal=principal, data=data))


@router.get("/meal-plans/{plan_id}", response_model=MealPlanOut)
async def get_plan(session: DbSession, principal: FoodsRead, plan_id: uuid.UUID) -> MealPlanOut:
    """Days, meals and items with their nutrients, each day against its target (a
    template's own, or the client's in force on the day's next date), diet warnings."""
    return present.meal_plan(await plans.get_plan(session, principal=principal, plan_id=plan_id))


@router.put("/meal-plans/{plan_id}", response_model=MealPlanOut)
async def update_plan(
    session: DbSession, principal: FoodsRead, plan_id: uuid.UUID, data: MealPlanIn
) -> MealPlanOut:
    """Replace the plan's fields and days."""
    view = await plans.update_plan(session, principal=principal, plan_id=plan_id, data=data)
    return present.meal_plan(view)


@router.post("/meal-plans/{plan_id}/items/{plan_item_id}/move", response_model=MealPlanOut)
async def move_item(
    session: DbSession,
    principal: FoodsRead,
    plan_id: uuid.UUID,
    plan_item_id: uuid.UUID,
    data: MoveItemIn,
) -> MealPlanOut:
    """Move an item to another meal of the plan (of any of its days) or within its meal,
    at `position` (0 first; the end when not given). The item keeps its id; the plan is
    answered with both meals' and days' totals. A meal of another plan is a 422."""
    view = await plans.move_item(
        session, principal=principal, plan_id=plan_id, item_id=plan_item_id, data=data
    )
    return present.meal_plan(view)


@router.delete("/meal-plans/{plan_id}", status_code=204)
async def archive_plan(session: DbSession, principal: FoodsRead, plan_id: uuid.UUID) -> Response:
    """Archive (plans are kept: the diary entries logged from them stay linked)."""
    await plans.archive_plan(session, principal=principal, plan_id=plan_id)
    return Response(status_code=204)


@router.post("/meal-plans/{plan_id}/copy", response_model=MealPlanOut, status_code=201)
async def copy_plan(
    session: DbSession, principal: FoodsRead, plan_id: uuid.UUID, data: CopyPlanIn
) -> MealPlanOut:
    view = await plans.copy_plan(session, principal=principal, plan_id=plan_id, data=data)
    return present.meal_plan(view)


@router.post("/meal-plans/{plan_id}/assign", response_model=MealPlanOut, status_code=201)
async def assign_plan(
    session: DbSession, principal: FoodsRead, plan_id: uuid.UUID, data: AssignIn
) -> MealPlanOut:
    """A copy of the template for the client from `starts_on` (their earlier plan ends the
    day before)."""
    view = await plans.assign_plan(session, principal=principal, plan_id=plan_id, data=data)
    return present.meal_plan(view)


@router.get("/clients/{client_id}/meal-plans", response_model=list[MealPlanSummary])
async def client_plans(
    session: DbSession,
    principal: NutritionReader,
    client: NutritionReadable,
    include_archived: bool = False,
) -> list[MealPlanSummary]:
    """The client's assigned plans, the latest start first."""
    rows = await plans.client_plans(
        session, principal=principal, client=client, include_archived=include_archived
    )
    return [present.meal_plan_summary(r) for r in rows]


@router.post("/meal-plans/{plan_id}/log", response_model=DayOut)
async def log_day(
    session: DbSession, principal: DiaryWriter, plan_id: uuid.UUID, data: LogPlanIn
) -> DayOut:
    """Log the items of `eaten_on`'s plan day (or of some `meals`) into the client's diary;
    items already logged that day are skipped. Answers the diary day."""
    day = await plans.log_day(session, principal=principal, plan_id=plan_id, data=data)
    return await day_out(session, principal, day)
