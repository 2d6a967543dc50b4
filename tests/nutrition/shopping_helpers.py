"""Builders for the shopping-list tests: assigned meal plans written straight to the
tables (the plan API is another part), and list calls."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.nutrition.models import MealPlan, MealPlanDay, MealPlanItem, MealPlanMeal
from spotter.nutrition.models.plans import ASSIGNED
from tests.builders import Account, ClientWorld, make_client_world
from tests.nutrition.helpers import CHICKEN, EGG

# A day: {meal name: [item, ...]}; an item: ("food", food id, grams) or
# ("recipe", recipe id, servings).
Day = dict[str, list[tuple[str, str, float]]]


async def make_plan(
    session: AsyncSession,
    *,
    organization_id: str,
    client_id: str,
    starts_on: date,
    days: list[Day],
    ends_on: date | None = None,
    name: str = "Probe plan",
) -> MealPlan:
    org = uuid.UUID(organization_id)
    plan = MealPlan(
        organization_id=org,
        kind=ASSIGNED,
        name=name,
        diets=[],
        day_count=len(days),
        client_id=uuid.UUID(client_id),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(plan)
    await session.flush()
    for position, meals in enumerate(days):
        day = MealPlanDay(organization_id=org, plan_id=plan.id, position=position)
        session.add(day)
        await session.flush()
        for m, (meal_name, items) in enumerate(meals.items()):
            meal = MealPlanMeal(organization_id=org, day_id=day.id, position=m, name=meal_name)
            session.add(meal)
            await session.flush()
            for i, (kind, ref, amount) in enumerate(items):
                item = MealPlanItem(organization_id=org, meal_id=meal.id, position=i)
                if kind == "recipe":
                    item.recipe_id, item.quantity, item.unit = uuid.UUID(ref), amount, "serving"
                else:
                    custom = kind == "custom"
                    item.food_id = None if custom else uuid.UUID(ref)
                    item.custom_food_id = uuid.UUID(ref) if custom else None
                    item.quantity, item.unit, item.grams = amount, "g", amount
                session.add(item)
    await session.flush()
    return plan


async def make_list(
    client: httpx.AsyncClient, actor: Account, client_id: str, **fields: Any
) -> dict[str, Any]:
    r = await client.post(
        f"/api/v1/clients/{client_id}/shopping-lists", headers=actor.headers, json=fields
    )
    assert r.status_code == 201, r.text
    return r.json()


def items(listed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The items to buy by name."""
    return {i["name"]: i for a in listed["aisles"] for i in a["items"]}


async def client_with_a_week_planned(
    client: httpx.AsyncClient, outbox: Any, session: AsyncSession
) -> ClientWorld:
    """A client world whose client has this week's plan: eggs at breakfast, chicken at
    dinner (what the shopping and pantry pages list)."""
    w = await make_client_world(client, outbox)
    monday = date.today() - timedelta(days=date.today().weekday())
    await make_plan(
        session,
        organization_id=w.owner.organization_id,
        client_id=w.client_id,
        starts_on=monday,
        days=[{"Breakfast": [("food", EGG, 100)], "Dinner": [("food", CHICKEN, 200)]}],
    )
    return w
