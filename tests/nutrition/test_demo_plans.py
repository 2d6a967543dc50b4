"""The demo's meal plans: the organization's template in the list, Jordan's copy of it on
the trainer's page and on Jordan's own /plan."""

from __future__ import annotations

import sqlalchemy as sa

from spotter.clients.models import Client
from spotter.core.db import db
from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from spotter.nutrition.models import MealPlan, MealPlanDay, MealPlanItem, MealPlanMeal, Recipe
from tests.test_pages import browser, text  # noqa: F401  (the fixture)


async def test_demo_has_a_template_and_jordans_plan(browser):  # noqa: F811
    async with db.session() as s:
        await load_demo(s)
    alex = await browser()
    await alex.login(DEMO_LOGINS[0].email, DEMO_PASSWORD)
    listed = text(await alex.get("/meal-plans"))
    assert "Balanced three-day rotation" in listed and "the organization's" in listed
    assigned = text(await alex.get("/meal-plans?kind=assigned"))
    assert "Jordan Lee" in assigned
    jordan = await browser()
    await jordan.login(DEMO_LOGINS[2].email, DEMO_PASSWORD)
    page = await jordan.get("/plan")
    assert page.status_code == 200
    mine = text(page)
    assert "Balanced three-day rotation" in mine and "Log this day" in mine
    # Whichever day of the rotation today is, the page shows that day's recipes.
    async with db.session(platform=True) as s:
        planned = set(
            await s.scalars(
                sa.select(Recipe.name)
                .join(MealPlanItem, MealPlanItem.recipe_id == Recipe.id)
                .join(MealPlanMeal, MealPlanMeal.id == MealPlanItem.meal_id)
                .join(MealPlanDay, MealPlanDay.id == MealPlanMeal.day_id)
                .join(MealPlan, MealPlan.id == MealPlanDay.plan_id)
                .join(Client, Client.id == MealPlan.client_id)
                .where(Client.full_name == "Jordan Lee")
            )
        )
    assert planned and any(name in mine for name in planned)
