"""Meal plans through the API: templates with totals against targets, editing, copying,
assigning (a copy), diet warnings, logging a plan day into the diary, bad input, and who
may do what."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.builders import Account, make_client, make_client_world, make_owner
from tests.nutrition.helpers import CHICKEN, EGG, EGG_LARGE, make_food, make_recipe, set_target

MONDAY = "2026-03-02"


def day_of(*meals: tuple[str, list[dict[str, Any]]], name: str | None = None) -> dict[str, Any]:
    return {"name": name, "meals": [{"name": n, "items": items} for n, items in meals]}


async def make_plan(
    client: httpx.AsyncClient, actor: Account, name: str = "Lean week", **fields: Any
) -> dict[str, Any]:
    body = {
        "name": name,
        "days": [day_of(("Breakfast", [{"food_id": EGG, "quantity": 100, "unit": "g"}]))],
        **fields,
    }
    r = await client.post("/api/v1/meal-plans", headers=actor.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def a_day(client: httpx.AsyncClient, actor: Account) -> dict[str, Any]:
    """Breakfast 2 large eggs (100 g: 143 kcal, 12.56 g protein), lunch 1.5 servings of
    egg fried rice (336.57 kcal a serving), snacks 50 g of granola (450 kcal, 10 g protein,
    18 g fat, 60 g carbohydrate per 100 g)."""
    granola = await make_food(client, actor)
    rice = await make_recipe(client, actor)
    return day_of(
        ("Breakfast", [{"food_id": EGG, "quantity": 2, "unit": EGG_LARGE}]),
        ("Lunch", [{"recipe_id": rice["id"], "quantity": 1.5}]),
        ("Snacks", [{"food_id": granola["id"], "quantity": 50, "unit": "g", "note": "a handful"}]),
        name="Training day",
    )


DAY_KCAL = 143 + 1.5 * 336.57 + 225


async def test_a_template_with_totals_against_its_own_targets(client):
    owner = await make_owner(client)
    plan = await make_plan(
        client, owner, days=[await a_day(client, owner)], energy_kcal=2000, protein_g=150
    )
    assert plan["kind"] == "template" and plan["organization_template"] is False
    assert plan["day_count"] == 1 and plan["target_source"] == "plan"
    (day,) = plan["days"]
    assert day["number"] == 1 and day["name"] == "Training day" and day["next_on"] is None
    breakfast, lunch, snacks = day["meals"]
    assert (
        breakfast["items"][0]["grams"] == 100 and breakfast["items"][0]["unit_label"] == "1 large"
    )
    assert breakfast["totals"]["energy_kcal"] == 143
    assert lunch["items"][0]["unit"] == "serving" and lunch["items"][0]["unit_label"] == "servings"
    assert lunch["totals"]["energy_kcal"] == pytest.approx(504.86, abs=0.01)
    assert (
        snacks["items"][0]["nutrients"]["fat_g"] == 9 and snacks["items"][0]["note"] == "a handful"
    )
    assert day["totals"]["energy_kcal"] == pytest.approx(DAY_KCAL, abs=0.01)
    energy, protein = day["versus"]
    assert energy["nutrient"] == "energy_kcal" and energy["target"] == 2000
    assert energy["percent"] == pytest.approx(DAY_KCAL / 20, abs=0.1)
    assert energy["status"] == "under" and energy["difference"] == pytest.approx(
        DAY_KCAL - 2000, abs=0.1
    )
    assert protein["nutrient"] == "protein_g"
    assert plan["daily_average"]["energy_kcal"] == pytest.approx(DAY_KCAL, abs=0.01)
    again = await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=owner.headers)
    assert again.status_code == 200 and again.json()["days"] == plan["days"]


async def test_update_replaces_days_and_keeps_item_ids_in_place(client):
    owner = await make_owner(client)
    plan = await make_plan(client, owner)
    item_id = plan["days"][0]["meals"][0]["items"][0]["id"]
    body = {
        "name": "Renamed",
        "description": "Two days",
        "days": [
            day_of(("Breakfast", [{"food_id": EGG, "quantity": 150, "unit": "g"}])),
            day_of(("Dinner", [{"food_id": CHICKEN, "quantity": 200, "unit": "g"}])),
        ],
    }
    r = await client.put(f"/api/v1/meal-plans/{plan['id']}", headers=owner.headers, json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["name"] == "Renamed" and out["day_count"] == 2
    first = out["days"][0]["meals"][0]["items"][0]
    assert first["id"] == item_id and first["grams"] == 150
    assert out["days"][1]["meals"][0]["items"][0]["name"].startswith("Chicken")
    body["days"] = body["days"][1:]
    shrunk = await client.put(f"/api/v1/meal-plans/{plan['id']}", headers=owner.headers, json=body)
    assert shrunk.status_code == 200 and shrunk.json()["day_count"] == 1
    assert shrunk.json()["days"][0]["meals"][0]["name"] == "Dinner"


async def test_copy_and_archive(client):
    owner = await make_owner(client)
    plan = await make_plan(client, owner, diets=["vegetarian"])
    r = await client.post(
        f"/api/v1/meal-plans/{plan['id']}/copy",
        headers=owner.headers,
        json={"organization_template": True},
    )
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["name"] == "Lean week (copy)" and copy["organization_template"] is True
    assert copy["source_plan_id"] == plan["id"] and copy["diets"] == ["vegetarian"]
    assert (
        copy["days"][0]["meals"][0]["items"][0]["id"]
        != plan["days"][0]["meals"][0]["items"][0]["id"]
    )
    assert (
        await client.delete(f"/api/v1/meal-plans/{copy['id']}", headers=owner.headers)
    ).status_code == 204
    listed = await client.get("/api/v1/meal-plans", headers=owner.headers)
    assert [p["id"] for p in listed.json()["items"]] == [plan["id"]]
    archived = await client.get(
        "/api/v1/meal-plans", headers=owner.headers, params={"include_archived": True}
    )
    assert len(archived.json()["items"]) == 2
    changed = await client.put(
        f"/api/v1/meal-plans/{copy['id']}",
        headers=owner.headers,
        json={"name": "x", "days": [day_of()]},
    )
    assert changed.status_code == 409 and changed.json()["code"] == "meal_plan_archived"


async def assign(
    client: httpx.AsyncClient, actor: Account, plan_id: str, client_id: str, starts_on: str = MONDAY
) -> httpx.Response:
    return await client.post(
        f"/api/v1/meal-plans/{plan_id}/assign",
        headers=actor.headers,
        json={"client_id": client_id, "starts_on": starts_on},
    )


async def test_assigning_copies_the_template_and_ends_the_previous_plan(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    await set_target(client, owner, person["id"], effective_on="2026-03-01")
    template = await make_plan(
        client, owner, days=[await a_day(client, owner), day_of()], energy_kcal=3000
    )
    r = await assign(client, owner, template["id"], person["id"])
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["kind"] == "assigned" and first["client_id"] == person["id"]
    assert first["source_plan_id"] == template["id"] and first["energy_kcal"] is None
    # Measured against the client's target (2000 kcal), on each day's next date.
    assert first["target_source"] == "client"
    assert first["days"][0]["versus"][0]["target"] == 2000
    assert first["days"][0]["next_on"] is not None
    # Editing the template does not touch the client's copy.
    await client.put(
        f"/api/v1/meal-plans/{template['id']}",
        headers=owner.headers,
        json={"name": "Changed", "days": [day_of()]},
    )
    kept = (await client.get(f"/api/v1/meal-plans/{first['id']}", headers=owner.headers)).json()
    assert kept["name"] == "Lean week" and kept["day_count"] == 2
    # A newer plan ends the earlier one the day before it starts.
    second = (await assign(client, owner, template["id"], person["id"], "2026-03-16")).json()
    plans = (
        await client.get(f"/api/v1/clients/{person['id']}/meal-plans", headers=owner.headers)
    ).json()
    assert [p["id"] for p in plans] == [second["id"], first["id"]]
    assert plans[1]["ends_on"] == "2026-03-15" and plans[0]["ends_on"] is None
    # A plan that would have started after the newest one is replaced (archived).
    later = (await assign(client, owner, template["id"], person["id"], "2026-04-01")).json()
    replacing = (await assign(client, owner, template["id"], person["id"], "2026-03-20")).json()
    live = await client.get(f"/api/v1/clients/{person['id']}/meal-plans", headers=owner.headers)
    assert later["id"] not in [p["id"] for p in live.json()]
    assert live.json()[0]["id"] == replacing["id"]
    assigned = await client.get(
        "/api/v1/meal-plans", headers=owner.headers, params={"kind": "assigned"}
    )
    assert {p["id"] for p in assigned.json()["items"]} == {
        first["id"],
        second["id"],
        replacing["id"],
    }


async def test_logging_a_plan_day_is_idempotent(client, outbox):
    w = await make_client_world(client, outbox)
    template = await make_plan(client, w.trainer, days=[await a_day(client, w.trainer), day_of()])
    plan = (await assign(client, w.trainer, template["id"], w.client_id)).json()
    url = f"/api/v1/meal-plans/{plan['id']}/log"
    r = await client.post(
        url, headers=w.client_self.headers, json={"eaten_on": MONDAY, "meals": ["breakfast"]}
    )
    assert r.status_code == 200, r.text
    meals = {m["name"]: m for m in r.json()["meals"]}
    assert [e["name"] for e in meals["Breakfast"]["entries"]] == [
        meals["Breakfast"]["entries"][0]["name"]
    ]
    assert meals["Breakfast"]["totals"]["energy_kcal"] == 143 and meals["Lunch"]["entries"] == []
    r = await client.post(url, headers=w.trainer.headers, json={"eaten_on": MONDAY})
    assert r.status_code == 200, r.text
    again = await client.post(url, headers=w.trainer.headers, json={"eaten_on": MONDAY})
    day = again.json()
    assert sum(len(m["entries"]) for m in day["meals"]) == 3
    assert day["totals"]["energy_kcal"] == pytest.approx(DAY_KCAL, abs=0.01)
    # Day 2 has no meals: nothing to log; a date before the plan is refused.
    empty = await client.post(url, headers=w.trainer.headers, json={"eaten_on": "2026-03-03"})
    assert empty.status_code == 200 and empty.json()["totals"]["energy_kcal"] == 0
    before = await client.post(url, headers=w.trainer.headers, json={"eaten_on": "2026-03-01"})
    assert before.status_code == 422 and "does not cover" in before.text
    unknown = await client.post(
        url, headers=w.trainer.headers, json={"eaten_on": MONDAY, "meals": ["Brunch"]}
    )
    assert unknown.status_code == 422 and "Brunch" in unknown.text
    # Day 3 is day 1 again (plans repeat).
    third = await client.post(url, headers=w.trainer.headers, json={"eaten_on": "2026-03-04"})
    assert third.json()["totals"]["energy_kcal"] == pytest.approx(DAY_KCAL, abs=0.01)
    # A template is not logged.
    t = await client.post(
        f"/api/v1/meal-plans/{template['id']}/log",
        headers=w.trainer.headers,
        json={"eaten_on": MONDAY},
    )
    assert t.status_code == 409


async def test_diet_warnings_name_the_items(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    r = await client.put(
        f"/api/v1/clients/{person['id']}/nutrition/profile",
        headers=owner.headers,
        json={"diets": ["vegan"], "avoid": ["egg"]},
    )
    assert r.status_code == 200, r.text
    days = [
        day_of(("Breakfast", [{"food_id": EGG, "quantity": 100, "unit": "g"}])),
        day_of(("Lunch", [{"food_id": CHICKEN, "quantity": 150, "unit": "g"}])),
    ]
    template = await make_plan(client, owner, days=days, diets=["vegetarian"])
    assert len(template["warnings"]) == 1
    assert template["warnings"][0].startswith("Marked Vegetarian, but: Day 2 Lunch — Chicken")
    assert "(meat)" in template["warnings"][0]
    plan = (await assign(client, owner, template["id"], person["id"])).json()
    vegan = next(w for w in plan["warnings"] if w.startswith("Vegan client"))
    assert "Day 1 Breakfast — Egg" in vegan and "Day 2 Lunch — Chicken" in vegan
    assert any(
        w.startswith("The client avoids egg, but: Day 1 Breakfast") for w in plan["warnings"]
    )


@pytest.mark.parametrize(
    ("item", "field", "code"),
    [
        ({"food_id": EGG, "quantity": 0, "unit": "g"}, "quantity", "invalid_input"),
        ({"food_id": EGG, "quantity": -5, "unit": "g"}, "quantity", "invalid_input"),
        ({"food_id": EGG, "quantity": 1, "unit": "parsec"}, "unit", "unit_not_applicable"),
        ({"food_id": EGG, "quantity": 1}, None, "invalid_input"),
        ({"food_id": EGG, "recipe_id": EGG, "quantity": 1, "unit": "g"}, None, "invalid_input"),
        ({"recipe_id": EGG, "quantity": 1, "unit": "g"}, None, "invalid_input"),
        (
            {"food_id": "00000000-0000-7000-8000-000000000000", "quantity": 1, "unit": "g"},
            "food_id",
            "invalid_input",
        ),
        ({"recipe_id": "00000000-0000-7000-8000-000000000000"}, "recipe_id", "invalid_input"),
    ],
)
async def test_bad_items_are_refused_and_change_nothing(client, item, field, code):
    owner = await make_owner(client)
    body = {
        "name": "Bad",
        "days": [day_of(("Lunch", [{"food_id": EGG, "quantity": 1, "unit": "g"}, item]))],
    }
    r = await client.post("/api/v1/meal-plans", headers=owner.headers, json=body)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == code
    if field is not None:
        assert any(
            e["field"].startswith(f"days.0.meals.0.items.1.{field}") for e in problem["errors"]
        )
    if field in ("food_id", "recipe_id"):
        assert "Day 1, Lunch, item 2" in problem["detail"]
    listed = await client.get("/api/v1/meal-plans", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_size_limits_and_other_clients_foods(client, outbox):
    w = await make_client_world(client, outbox)
    too_many = {"name": "Long", "days": [day_of() for _ in range(29)]}
    r = await client.post("/api/v1/meal-plans", headers=w.owner.headers, json=too_many)
    assert r.status_code == 422
    none = await client.post(
        "/api/v1/meal-plans", headers=w.owner.headers, json={"name": "No days", "days": []}
    )
    assert none.status_code == 422
    items = [{"food_id": EGG, "quantity": 1, "unit": "g"}] * 31
    r = await client.post(
        "/api/v1/meal-plans",
        headers=w.owner.headers,
        json={"name": "Big", "days": [day_of(("Lunch", items))]},
    )
    assert r.status_code == 422
    own = await make_food(client, w.client_self, "Sally's bar")
    assert own["client_id"] == w.client_id
    body = {
        "name": "T",
        "days": [day_of(("Lunch", [{"food_id": own["id"], "quantity": 40, "unit": "g"}]))],
    }
    r = await client.post("/api/v1/meal-plans", headers=w.trainer.headers, json=body)
    assert r.status_code == 422 and "one client's own food" in r.text
    # The client's own plan may use the client's own food, not another client's.
    template = await make_plan(client, w.trainer)
    plan = (await assign(client, w.trainer, template["id"], w.client_id)).json()
    ok = await client.put(f"/api/v1/meal-plans/{plan['id']}", headers=w.trainer.headers, json=body)
    assert ok.status_code == 200, ok.text
    hidden = await assign(client, w.trainer, template["id"], w.other_client_id)
    assert hidden.status_code == 404


async def test_who_may_do_what(client, outbox):
    w = await make_client_world(client, outbox)
    personal = await make_plan(client, w.trainer, "Tia's plan")
    shared = await make_plan(client, w.owner, "House plan", organization_template=True)
    assert shared["organization_template"] is True
    # Trainers keep personal templates; the organization's belong to owners and admins.
    refused = await client.post(
        "/api/v1/meal-plans",
        headers=w.trainer.headers,
        json={"name": "Mine", "organization_template": True, "days": [day_of()]},
    )
    assert refused.status_code == 403
    edit = {"name": "Edited", "days": [day_of()]}
    assert (
        await client.put(f"/api/v1/meal-plans/{shared['id']}", headers=w.trainer.headers, json=edit)
    ).status_code == 403
    assert (
        await client.put(f"/api/v1/meal-plans/{shared['id']}", headers=w.admin.headers, json=edit)
    ).status_code == 200
    # Another trainer does not see Tia's template; front desk sees it but cannot change it.
    assert (
        await client.get(f"/api/v1/meal-plans/{personal['id']}", headers=w.trainer_other.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/meal-plans/{personal['id']}", headers=w.front_desk.headers)
    ).status_code == 200
    assert (
        await client.delete(f"/api/v1/meal-plans/{personal['id']}", headers=w.front_desk.headers)
    ).status_code == 403
    assert (await assign(client, w.front_desk, shared["id"], w.client_id)).status_code == 403
    # Clients see no templates, read their own plan, never another client's.
    assert (
        await client.get(f"/api/v1/meal-plans/{shared['id']}", headers=w.client_self.headers)
    ).status_code == 404
    plan = (await assign(client, w.trainer, shared["id"], w.client_id)).json()
    mine = await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=w.client_self.headers)
    assert mine.status_code == 200
    assert (
        await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=w.client_other.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=w.trainer_other.headers)
    ).status_code == 404
    # Clients do not change their plan; they log it.
    assert (
        await client.put(
            f"/api/v1/meal-plans/{plan['id']}", headers=w.client_self.headers, json=edit
        )
    ).status_code == 403
    log = await client.post(
        f"/api/v1/meal-plans/{plan['id']}/log",
        headers=w.client_other.headers,
        json={"eaten_on": MONDAY},
    )
    assert log.status_code == 404
    listed = await client.get("/api/v1/meal-plans", headers=w.client_self.headers)
    assert [p["id"] for p in listed.json()["items"]] == [plan["id"]]
    trainer_list = await client.get(
        "/api/v1/meal-plans", headers=w.trainer_other.headers, params={"kind": "template"}
    )
    assert [p["id"] for p in trainer_list.json()["items"]] == [shared["id"]]


async def test_list_search_and_pages(client):
    owner = await make_owner(client)
    for name in ("Alpha cut", "Beta bulk", "Gamma cut"):
        await make_plan(client, owner, name)
    found = await client.get("/api/v1/meal-plans", headers=owner.headers, params={"q": "CUT"})
    assert [p["name"] for p in found.json()["items"]] == ["Alpha cut", "Gamma cut"]
    page = (
        await client.get("/api/v1/meal-plans", headers=owner.headers, params={"limit": 2})
    ).json()
    assert [p["name"] for p in page["items"]] == ["Alpha cut", "Beta bulk"]
    rest = await client.get(
        "/api/v1/meal-plans",
        headers=owner.headers,
        params={"limit": 2, "cursor": page["next_cursor"]},
    )
    assert [p["name"] for p in rest.json()["items"]] == ["Gamma cut"]
