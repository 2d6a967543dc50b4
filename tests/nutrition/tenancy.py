"""The nutrition domain's part of tests/test_tenancy.py: a factory per tenant table and an
object of every ``{id}`` kind its routes take (kept here so the shared file only imports)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import new_id, utcnow
from spotter.nutrition.models import (
    CustomFood,
    CustomFoodCatalog,
    CustomFoodPortion,
    CustomFoodTerm,
    DiaryEntry,
    MealPlan,
    MealPlanDay,
    MealPlanItem,
    MealPlanMeal,
    NutritionProfile,
    NutritionTarget,
    PantryStaple,
    Recipe,
    RecipeIngredient,
    ShoppingList,
    ShoppingListItem,
)
from tests.nutrition.helpers import EGG, log, make_food, make_recipe, png, set_target

Factory = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Any]]


async def _client(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> uuid.UUID:
    parent = Client(organization_id=org, full_name="Nutrition Probe", trainer_id=user)
    setup.add(parent)
    await setup.flush()
    return parent.id


async def _custom_food(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return CustomFood(organization_id=org, name="Probe bar", energy_kcal=400, created_by_id=user)


async def _saved_food(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> uuid.UUID:
    food = await _custom_food(setup, org, user)
    setup.add(food)
    await setup.flush()
    return food.id


async def _custom_food_portion(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    food_id = await _saved_food(setup, org, user)
    return CustomFoodPortion(
        organization_id=org, custom_food_id=food_id, description="bar", gram_weight=60
    )


async def _custom_food_term(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    food_id = await _saved_food(setup, org, user)
    return CustomFoodTerm(
        organization_id=org, custom_food_id=food_id, term="probe", whole=True, name_len=9
    )


async def _custom_food_catalog(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    # The organization's own foods' catalogue (its owner is the organization).
    return CustomFoodCatalog(organization_id=org, owner_id=org, version=uuid.uuid4())


async def _recipe(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return Recipe(organization_id=org, name="Probe stew", servings=2, steps=[], claimed_diets=[])


async def _recipe_ingredient(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    recipe = await _recipe(setup, org, user)
    setup.add(recipe)
    await setup.flush()
    return RecipeIngredient(
        organization_id=org,
        recipe_id=recipe.id,
        food_id=uuid.UUID(EGG),
        quantity=100,
        unit="g",
        grams=100,
    )


async def _target(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return NutritionTarget(
        organization_id=org,
        client_id=await _client(setup, org, user),
        effective_on=utcnow().date(),
        energy_kcal=2000,
        protein_g=150,
        fat_g=70,
        carbohydrate_g=190,
    )


async def _profile(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return NutritionProfile(
        organization_id=org,
        client_id=await _client(setup, org, user),
        meal_names=["Breakfast"],
        diets=[],
        avoid=[],
    )


async def _entry(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return DiaryEntry(
        id=new_id(),
        organization_id=org,
        client_id=await _client(setup, org, user),
        eaten_on=utcnow().date(),
        meal="Lunch",
        kind="quick",
        name="Probe",
        quantity=1,
        unit="serving",
        energy_kcal=500,
    )


async def _meal_plan(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return MealPlan(organization_id=org, name="Probe plan", diets=[], day_count=1)


async def _meal_plan_day(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    plan = await _meal_plan(setup, org, user)
    setup.add(plan)
    await setup.flush()
    return MealPlanDay(organization_id=org, plan_id=plan.id, position=0)


async def _meal_plan_meal(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    day = await _meal_plan_day(setup, org, user)
    setup.add(day)
    await setup.flush()
    return MealPlanMeal(organization_id=org, day_id=day.id, name="Lunch")


async def _meal_plan_item(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    meal = await _meal_plan_meal(setup, org, user)
    setup.add(meal)
    await setup.flush()
    return MealPlanItem(
        organization_id=org,
        meal_id=meal.id,
        food_id=uuid.UUID(EGG),
        quantity=100,
        unit="g",
        grams=100,
    )


async def _shopping_list(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return ShoppingList(
        organization_id=org,
        client_id=await _client(setup, org, user),
        name="Probe list",
        starts_on=utcnow().date(),
        ends_on=utcnow().date(),
        generated_at=utcnow(),
    )


async def _shopping_list_item(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    parent = await _shopping_list(setup, org, user)
    setup.add(parent)
    await setup.flush()
    return ShoppingListItem(
        organization_id=org, list_id=parent.id, name="Probe", aisle="other", sources=[]
    )


async def _pantry_staple(setup: AsyncSession, org: uuid.UUID, user: uuid.UUID) -> Any:
    return PantryStaple(
        organization_id=org, client_id=await _client(setup, org, user), food_id=uuid.UUID(EGG)
    )


FACTORIES: dict[str, Factory] = {
    "custom_foods": _custom_food,
    "custom_food_portions": _custom_food_portion,
    "custom_food_terms": _custom_food_term,
    "custom_food_catalogs": _custom_food_catalog,
    "recipes": _recipe,
    "recipe_ingredients": _recipe_ingredient,
    "nutrition_targets": _target,
    "nutrition_profiles": _profile,
    "diary_entries": _entry,
    "meal_plans": _meal_plan,
    "meal_plan_days": _meal_plan_day,
    "meal_plan_meals": _meal_plan_meal,
    "meal_plan_items": _meal_plan_item,
    "shopping_lists": _shopping_list,
    "shopping_list_items": _shopping_list_item,
    "pantry_staples": _pantry_staple,
}

ID_KINDS = {
    "food_id": "food",  # a custom food (shared ones are everyone's)
    "recipe_id": "recipe",
    "target_id": "nutrition_target",
    "entry_id": "diary_entry",
    "plan_id": "meal_plan",  # a plan assigned to the client
    "plan_item_id": "meal_plan_item",  # an item of that plan
    "shopping_list_id": "shopping_list",
    "shopping_item_id": "shopping_item",
}


async def world(client: Any, owner: Any, client_id: str) -> dict[str, str]:
    """Organization A's nutrition objects (and a target in force today for the client, so
    every GET route answers 200 for A)."""
    food = await make_food(client, owner, "Alpha bar")
    recipe = await make_recipe(client, owner, "Alpha stew")
    r = await client.put(
        f"/api/v1/recipes/{recipe['id']}/photo",
        headers=owner.headers,
        files={"file": ("stew.png", png(), "image/png")},
    )
    assert r.status_code == 200, r.text
    target = await set_target(client, owner, client_id)
    entry = await log(client, owner, client_id, food_id=food["id"], quantity=50)
    plan = await client.post(
        "/api/v1/meal-plans",
        headers=owner.headers,
        json={
            "name": "Alpha plan",
            "days": [
                {
                    "meals": [
                        {
                            "name": "Lunch",
                            "items": [{"food_id": EGG, "quantity": 100, "unit": "g"}],
                        },
                        {"name": "Dinner"},
                    ]
                }
            ],
        },
    )
    assigned = await client.post(
        f"/api/v1/meal-plans/{plan.json()['id']}/assign",
        headers=owner.headers,
        json={"client_id": client_id, "starts_on": "2026-01-05"},
    )
    assert assigned.status_code == 201, assigned.text
    (lunch, _) = assigned.json()["days"][0]["meals"]
    return {
        "meal_plan": assigned.json()["id"],
        "meal_plan_item": lunch["items"][0]["id"],
        "food": food["id"],
        "recipe": recipe["id"],
        "nutrition_target": target["id"],
        "diary_entry": entry["id"],
        **await _shopping_world(client, owner, client_id, recipe["id"]),
    }


async def _shopping_world(
    client: Any, owner: Any, client_id: str, recipe_id: str
) -> dict[str, str]:
    """A plan assigned today, and a list from it."""
    from spotter.core.db import db
    from tests.nutrition.shopping_helpers import items, make_list, make_plan

    today = utcnow().date()
    async with db.session(platform=True) as s:
        day = {"Lunch": [("food", EGG, 100), ("recipe", recipe_id, 1)]}
        await make_plan(
            s,
            organization_id=owner.organization_id,
            client_id=client_id,
            starts_on=today,
            days=[day],
        )
    listed = await make_list(
        client, owner, client_id, starts_on=today.isoformat(), ends_on=today.isoformat()
    )
    return {
        "shopping_list": listed["id"],
        "shopping_item": next(iter(items(listed).values()))["id"],
    }
