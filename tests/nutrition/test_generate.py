"""POST /meal-plans/generate end to end: the pool from the database, the draft that saves
as is, the reasons when the targets are out of reach, validation, permissions, tenancy,
statement counts, and the demo's vegetarian and mixed weeks."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest

from spotter.core.db import db
from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from tests.builders import make_client_world, make_owner
from tests.nutrition.helpers import EGG, MILK, OATS, OIL, RICE, make_recipe, set_target
from tests.progress.test_queries import count
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import logged_in

API = "/api/v1"
GENERATE = f"{API}/meal-plans/generate"
TARGETS = {"energy_kcal": 2000, "protein_g": 100, "fat_g": 70, "carbohydrate_g": 240}


def within_bands(draft: dict[str, Any]) -> None:
    targets = draft["targets"]
    for day in draft["days"]:
        for nutrient, target in targets.items():
            if target is None:
                continue
            tol = 0.05 if nutrient == "energy_kcal" else 0.10
            total = day["totals"][nutrient]
            assert target * (1 - tol) - 0.5 <= total <= target * (1 + tol) + 0.5, (
                day["name"],
                nutrient,
                total,
                target,
            )


async def pool(client, actor, **fields: Any) -> list[dict[str, Any]]:
    """A small library: two breakfasts, four mains, two snacks."""
    made = []
    specs = [
        ("Porridge", [(OATS, 80), ("milk", 250)], ["breakfast"]),
        ("Eggs and oatcakes", [(EGG, 100), (OATS, 50)], ["breakfast"]),
        ("Egg and rice bowl", [(EGG, 150), (RICE, 300), (OIL, 10)], ["main"]),
        ("Rice and egg pot", [(RICE, 250), (EGG, 100)], ["main"]),
        ("Oily rice", [(RICE, 350), (OIL, 15)], ["main"]),
        ("Eggs, oats and rice", [(EGG, 100), (OATS, 40), (RICE, 200)], ["main"]),
        ("Egg snack", [(EGG, 100)], ["snack"]),
        ("Oat bites", [(OATS, 60), (OIL, 5)], ["snack"]),
    ]
    for name, lines, meals in specs:
        made.append(
            await make_recipe(
                client,
                actor,
                name,
                servings=1,
                meals=meals,
                ingredients=[
                    {"food_id": MILK if f == "milk" else f, "quantity": g, "unit": "g"}
                    for f, g in lines
                ],
                **fields,
            )
        )
    return made


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def test_recipe_meals_round_trip(client, world):
    recipe = await make_recipe(client, world.owner, "Porridge pot", meals=["breakfast", "snack"])
    assert recipe["meals"] == ["breakfast", "snack"]
    plain = await make_recipe(client, world.owner, "Any time stew")
    assert plain["meals"] == []
    r = await client.post(
        f"{API}/recipes", headers=world.owner.headers, json={"name": "X", "meals": ["brunch"]}
    )
    assert r.status_code == 422


async def test_a_template_draft_lands_within_the_bands_and_saves_as_is(client, world):
    await pool(client, world.owner)
    r = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={"days": 3, "targets": TARGETS, "max_days_per_item": 3},
    )
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["pool_size"] == 8 and draft["status"] in ("optimal", "time_limit")
    assert [d["name"] for d in draft["days"]] == ["Day 1", "Day 2", "Day 3"]
    assert [m["name"] for m in draft["days"][0]["meals"]] == [
        "Breakfast",
        "Lunch",
        "Dinner",
        "Snacks",
    ]
    within_bands(draft)
    breakfast = draft["days"][0]["meals"][0]["items"]
    assert {i["name"] for i in breakfast} <= {"Porridge", "Eggs and oatcakes"}
    assert breakfast[0]["unit"] == "serving" and breakfast[0]["quantity"] % 0.5 == 0
    # The draft's plan is MealPlanIn: it saves as it is.
    saved = await client.post(f"{API}/meal-plans", headers=world.owner.headers, json=draft["plan"])
    assert saved.status_code == 201, saved.text
    assert len(saved.json()["days"]) == 3
    # Same request, same plan; another seed may differ but still lands.
    again = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={"days": 3, "targets": TARGETS, "max_days_per_item": 3},
    )
    assert again.json()["plan"] == draft["plan"]


async def test_client_settings_apply_and_foods_join_the_pool(client, world):
    await pool(client, world.owner)
    await set_target(client, world.owner, world.client_id, **TARGETS)
    r = await client.put(
        f"{API}/clients/{world.client_id}/nutrition/profile",
        headers=world.owner.headers,
        json={"meal_names": ["Breakfast", "Lunch", "Dinner"], "diets": [], "avoid": []},
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        GENERATE,
        headers=world.trainer.headers,
        json={"client_id": world.client_id, "days": 2, "food_ids": [EGG], "max_days_per_item": 2},
    )
    assert r.status_code == 200, r.text
    draft = r.json()
    assert draft["client_id"] == world.client_id
    assert draft["targets"] == TARGETS
    assert [m["name"] for m in draft["days"][0]["meals"]] == ["Breakfast", "Lunch", "Dinner"]
    assert draft["pool_size"] >= 5
    within_bands(draft)


async def test_unreachable_targets_explain_why(client, world):
    await pool(client, world.owner)
    r = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={
            "days": 2,
            "targets": {"energy_kcal": 2000, "protein_g": 250},
            "max_days_per_item": 2,
        },
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "targets_unreachable"
    assert body["reasons"][0].startswith("At most ")
    assert "protein" in body["reasons"][0] and "(needs ≥ 225 g)" in body["reasons"][0]
    assert body["errors"][0]["message"] == body["reasons"][0]
    # A diet nothing in the pool fits names the meal.
    r = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={"days": 2, "targets": TARGETS, "diets": ["vegan"]},
    )
    assert r.status_code == 422
    assert r.json()["reasons"][0] == "The pool has no breakfast items that fit a vegan diet."
    # Exclusions by word and by id take items out.
    r = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={"days": 2, "targets": TARGETS, "exclude_words": ["porridge", "eggs"]},
    )
    assert r.json()["reasons"][0].startswith("The pool has no breakfast items")


@pytest.mark.parametrize(
    "body",
    [
        {"days": 0, "targets": TARGETS},
        {"days": 15, "targets": TARGETS},
        {"meals": [], "targets": TARGETS},
        {"meals": [f"M{n}" for n in range(9)], "targets": TARGETS},
        {"meals": ["Lunch", "lunch"], "targets": TARGETS},
        {"targets": {"protein_g": 100}},
        {"targets": {"energy_kcal": 500}},
        {"targets": {"energy_kcal": 2000, "protein_g": 400, "fat_g": 120}},
        {"targets": TARGETS, "min_items": 3, "max_items": 2},
        {"targets": TARGETS, "avoid": ["meat"]},
        {},
    ],
)
async def test_bad_requests_are_422s(client, world, body):
    r = await client.post(GENERATE, headers=world.owner.headers, json=body)
    assert r.status_code == 422, r.text


async def test_permissions_and_unknown_clients(client, world):
    body = {"days": 1, "targets": TARGETS}
    # A template needs foods:write; a client needs nutrition:write (or to be that client).
    assert (
        await client.post(GENERATE, headers=world.front_desk.headers, json=body)
    ).status_code == 403
    other = {**body, "client_id": world.other_client_id}
    assert (
        await client.post(GENERATE, headers=world.trainer.headers, json=other)
    ).status_code == 404
    assert (
        await client.post(GENERATE, headers=world.client_self.headers, json=other)
    ).status_code == 404
    unknown = {**body, "client_id": "018f0000-0000-7000-8000-000000000000"}
    assert (
        await client.post(GENERATE, headers=world.owner.headers, json=unknown)
    ).status_code == 404
    # A client without a target in force and no targets given: a 422 that says so.
    r = await client.post(
        GENERATE, headers=world.trainer.headers, json={"client_id": world.client_id}
    )
    assert r.status_code == 422 and "no nutrition target" in r.text


async def test_a_pool_never_holds_another_clients_or_organizations_recipes(client, world):
    await pool(client, world.owner)
    stranger = await make_owner(client, org_name="Elsewhere Gym")
    theirs = await make_recipe(client, stranger, "Their stew", servings=1)
    others = await make_recipe(
        client, world.owner, "Otto's own stew", servings=1, client_id=world.other_client_id
    )
    for foreign in (theirs, others):
        r = await client.post(
            GENERATE,
            headers=world.owner.headers,
            json={
                "client_id": world.client_id,
                "days": 1,
                "targets": TARGETS,
                "recipe_ids": [foreign["id"]],
            },
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "recipe_ids.0"
    # Another organization's owner reaches neither the client nor the pool.
    r = await client.post(
        GENERATE,
        headers=stranger.headers,
        json={"client_id": world.client_id, "days": 1, "targets": TARGETS},
    )
    assert r.status_code == 404, r.text
    r = await client.post(GENERATE, headers=stranger.headers, json={"days": 1, "targets": TARGETS})
    assert r.status_code == 422 and r.json()["pool_size"] == 1  # their own stew only
    r = await client.post(
        GENERATE,
        headers=world.owner.headers,
        json={"client_id": world.client_id, "days": 2, "targets": TARGETS},
    )
    assert r.status_code == 200, r.text
    assert r.json()["pool_size"] == 8
    used = {i["recipe_id"] for d in r.json()["days"] for m in d["meals"] for i in m["items"]}
    assert theirs["id"] not in used and others["id"] not in used


async def test_generating_costs_the_same_statements_for_a_small_and_a_large_pool(client, engine):
    counts = []
    for copies in (1, 4):
        owner = await make_owner(client)
        for n in range(copies):
            await pool(client, owner, description=f"copy {n}")
        counts.append(
            await count(
                engine,
                lambda a=owner: client.post(
                    GENERATE, headers=a.headers, json={"days": 2, "targets": TARGETS}
                ),
            )
        )
    assert counts[0] == counts[1], counts


async def _demo_client(client, headers: dict[str, str], name: str) -> str:
    r = await client.get(f"{API}/clients", headers=headers, params={"q": name})
    return next(c["id"] for c in r.json()["items"] if c["full_name"].startswith(name))


async def test_the_demo_plans_a_vegetarian_week_for_jordan_and_a_mixed_one(client):
    async with db.session() as s:
        await load_demo(s)
    r = await client.post(
        f"{API}/auth/login", json={"email": DEMO_LOGINS[0].email, "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    jordan = await _demo_client(client, headers, "Jordan")
    r = await client.post(
        GENERATE,
        headers=headers,
        json={"client_id": jordan, "days": 7, "diets": ["vegetarian"]},
    )
    assert r.status_code == 200, r.text
    draft = r.json()
    within_bands(draft)
    assert draft["plan"]["diets"] == ["vegetarian"]
    names = {i["name"] for d in draft["days"] for m in d["meals"] for i in m["items"]}
    assert not names & {"Chicken, rice and broccoli bowl", "Beef chili with rice"}
    marcus = await _demo_client(client, headers, "Marcus")
    r = await client.post(GENERATE, headers=headers, json={"client_id": marcus, "days": 7})
    assert r.status_code == 200, r.text
    within_bands(r.json())


async def test_the_page_previews_explains_and_saves(browser, client, world):  # noqa: F811
    await pool(client, world.owner)
    await set_target(client, world.owner, world.client_id, **TARGETS)
    b = await logged_in(browser, world.trainer.email)
    page = await b.get(f"/meal-plans/generate?client_id={world.client_id}")
    assert page.status_code == 200
    assert "Generate a meal plan" in page.text and "press Generate" in text(page)
    # Linked from the plan list and the client's nutrition page.
    assert 'href="/meal-plans/generate"' in (await b.get("/meal-plans")).text
    nutrition = await b.get(f"/clients/{world.client_id}/nutrition")
    assert f'href="/meal-plans/generate?client_id={world.client_id}"' in nutrition.text
    form = {"client_id": world.client_id, "days": "2", "seed": "0", "meals_per_day": "4"}
    r = await b.post("/meal-plans/generate", form)
    assert r.status_code == 200, r.text
    shown = text(r)
    assert "Day 1" in shown and "Day 2" in shown and "Save as plan" in shown
    plan = re.search(r'name="plan" value="([^"]+)"', r.text)
    assert plan
    # Unreachable targets say why; bad input shows next to its field.
    r = await b.post(
        "/meal-plans/generate",
        {**form, "energy_kcal": "2000", "protein_g": "260", "days": "1"},
    )
    assert r.status_code == 422 and "cannot be met" in text(r) and "At most" in text(r)
    r = await b.post("/meal-plans/generate", {**form, "days": "40"})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text
    # Saving assigns the draft to the client from the start date.
    saved = await b.post(
        "/meal-plans/generate/save",
        {
            "plan": html.unescape(plan.group(1)),
            "client_id": world.client_id,
            "starts_on": date.today().isoformat(),
        },
    )
    assert saved.status_code == 303, saved.text
    r = await client.get(f"{API}/clients/{world.client_id}/meal-plans", headers=world.owner.headers)
    assert [p["kind"] for p in r.json()] == ["assigned"]
