"""The food diary: foods, recipes and quick macros per meal; totals against the target in
force; copying; editing; snapshots; recent foods; adherence; who may log for whom."""

from __future__ import annotations

import pytest

from tests.builders import make_client, make_client_world, make_owner
from tests.nutrition.helpers import (
    EGG,
    EGG_LARGE,
    RICE,
    day,
    log,
    make_food,
    make_recipe,
    set_target,
)

D1, D2 = "2026-03-02", "2026-03-03"


async def test_a_day_of_foods_recipes_and_quick_macros(client, outbox):
    w = await make_client_world(client, outbox)
    await set_target(client, w.trainer, w.client_id, effective_on="2026-03-01")
    eggs = await log(
        client,
        w.client_self,
        w.client_id,
        meal="breakfast",
        eaten_on=D1,
        food_id=EGG,
        quantity=2,
        unit=EGG_LARGE,
    )
    # 2 x 50 g of egg: 143 kcal and 12.56 g protein per 100 g
    assert eggs["grams"] == 100 and eggs["nutrients"]["energy_kcal"] == 143
    assert eggs["meal"] == "Breakfast" and eggs["unit_label"] == "1 large"
    recipe = await make_recipe(client, w.trainer, "Fried rice")  # 336.57 kcal a serving
    rice = await log(
        client, w.client_self, w.client_id, eaten_on=D1, recipe_id=recipe["id"], quantity=1.5
    )
    assert rice["nutrients"]["energy_kcal"] == pytest.approx(504.86, abs=0.01)
    assert rice["unit"] == "serving" and rice["unit_label"] == "servings"
    quick = await log(
        client,
        w.client_self,
        w.client_id,
        meal="Dinner",
        eaten_on=D1,
        quick={"name": "Restaurant curry", "energy_kcal": 900, "protein_g": 40},
    )
    assert quick["kind"] == "quick" and quick["nutrients"]["fat_g"] is None
    today = await day(client, w.trainer, w.client_id, D1)
    assert [m["name"] for m in today["meals"]] == ["Breakfast", "Lunch", "Dinner", "Snacks"]
    assert today["totals"]["energy_kcal"] == pytest.approx(143 + 504.86 + 900, abs=0.01)
    # The curry's fat is unknown: the day's fat is a lower bound.
    assert "fat_g" in today["totals"]["incomplete"]
    assert today["target"]["energy_kcal"] == 2000
    assert today["remaining"]["energy_kcal"] == pytest.approx(2000 - 1547.86, abs=0.1)
    assert today["adherence"]["logged"] and today["adherence"]["incomplete"]


async def test_adherence_score_hand_computed(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    await set_target(client, owner, person["id"], effective_on="2026-03-01")
    await log(
        client,
        owner,
        person["id"],
        eaten_on=D1,
        quick={"energy_kcal": 1800, "protein_g": 135, "fat_g": 77, "carbohydrate_g": 171},
    )
    # shares 0.9, 0.9, 1.1, 0.9: mean distance 10% -> score 90; energy within 10%, protein 90%
    a = (await day(client, owner, person["id"], D1))["adherence"]
    assert a["score"] == 90 and a["on_target"] is True
    assert (a["energy_pct"], a["protein_pct"], a["fat_pct"]) == (90.0, 90.0, 110.0)
    empty = (await day(client, owner, person["id"], D2))["adherence"]
    assert empty == {**empty, "logged": False, "score": None, "on_target": None}
    days = await client.get(
        f"/api/v1/clients/{person['id']}/diary/days",
        headers=owner.headers,
        params={"from": "2026-03-01", "to": D2},
    )
    summary = days.json()
    assert [d["entries"] for d in summary] == [0, 1, 0]
    assert summary[1]["adherence"]["score"] == 90 and summary[0]["target_energy_kcal"] == 2000
    too_long = await client.get(
        f"/api/v1/clients/{person['id']}/diary/days",
        headers=owner.headers,
        params={"from": "2026-01-01", "to": "2026-06-01"},
    )
    assert too_long.status_code == 422


async def test_meals_are_the_clients_own(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    r = await client.post(
        f"/api/v1/clients/{person['id']}/diary",
        headers=owner.headers,
        json={"meal": "Elevenses", "food_id": EGG, "quantity": 50, "eaten_on": D1},
    )
    assert r.status_code == 422 and "not one of this client's meals" in r.json()["detail"]
    profile = await client.put(
        f"/api/v1/clients/{person['id']}/nutrition/profile",
        headers=owner.headers,
        json={"meal_names": ["Breakfast", "Elevenses", "Lunch", "Dinner"], "diets": ["vegetarian"]},
    )
    assert profile.status_code == 200
    await log(client, owner, person["id"], meal="elevenses", eaten_on=D1, food_id=EGG, quantity=50)
    await log(client, owner, person["id"], meal="Lunch", eaten_on=D1, food_id=RICE, quantity=150)
    # Renaming meals later keeps the old entries, shown after the current meals.
    await client.put(
        f"/api/v1/clients/{person['id']}/nutrition/profile",
        headers=owner.headers,
        json={"meal_names": ["Morning", "Evening"]},
    )
    meals = [m["name"] for m in (await day(client, owner, person["id"], D1))["meals"]]
    assert meals == ["Morning", "Evening", "Elevenses", "Lunch"]


async def test_copy_a_day_and_a_meal(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    await log(client, owner, person["id"], meal="Breakfast", eaten_on=D1, food_id=EGG, quantity=100)
    await log(client, owner, person["id"], meal="Lunch", eaten_on=D1, food_id=RICE, quantity=200)
    r = await client.post(
        f"/api/v1/clients/{person['id']}/diary/copy",
        headers=owner.headers,
        json={"from_on": D1, "to_on": D2},
    )
    assert r.status_code == 200, r.text
    copied = r.json()
    assert copied["day"] == D2 and copied["totals"]["energy_kcal"] == pytest.approx(143 + 260)
    r = await client.post(
        f"/api/v1/clients/{person['id']}/diary/copy",
        headers=owner.headers,
        json={"from_on": D1, "to_on": D2, "meal": "breakfast", "to_meal": "Snacks"},
    )
    snacks = next(m for m in r.json()["meals"] if m["name"] == "Snacks")
    assert [e["name"] for e in snacks["entries"]] == ["Egg, whole, raw, fresh"]
    r = await client.post(
        f"/api/v1/clients/{person['id']}/diary/copy",
        headers=owner.headers,
        json={"from_on": "2026-02-01", "to_on": D2},
    )
    assert r.status_code == 422 and "nothing was logged" in r.json()["detail"]


async def test_edit_and_delete_entries_and_snapshots(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    food = await make_food(client, owner, "House bar", energy_kcal=400)
    entry = await log(client, owner, person["id"], eaten_on=D1, food_id=food["id"], quantity=50)
    assert entry["nutrients"]["energy_kcal"] == 200
    r = await client.put(
        f"/api/v1/diary-entries/{entry['id']}",
        headers=owner.headers,
        json={"quantity": 2, "unit": "oz", "meal": "Snacks"},
    )
    changed = r.json()
    assert changed["grams"] == pytest.approx(56.7, abs=0.01) and changed["meal"] == "Snacks"
    assert changed["nutrients"]["energy_kcal"] == pytest.approx(226.8, abs=0.01)
    # Correcting the food later does not rewrite the diary.
    await client.put(
        f"/api/v1/foods/{food['id']}",
        headers=owner.headers,
        json={"name": "House bar", "energy_kcal": 100},
    )
    again = await client.get(f"/api/v1/diary-entries/{entry['id']}", headers=owner.headers)
    assert again.json()["nutrients"]["energy_kcal"] == pytest.approx(226.8, abs=0.01)
    bad = await client.put(
        f"/api/v1/diary-entries/{entry['id']}", headers=owner.headers, json={"unit": "cup"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "unit_not_applicable"
    assert (
        await client.delete(f"/api/v1/diary-entries/{entry['id']}", headers=owner.headers)
    ).status_code == 204
    assert (
        await client.get(f"/api/v1/diary-entries/{entry['id']}", headers=owner.headers)
    ).status_code == 404


async def test_bad_entries(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    base = f"/api/v1/clients/{person['id']}/diary"
    cases = [
        {"meal": "Lunch", "food_id": EGG, "quantity": -100},
        {"meal": "Lunch", "food_id": EGG},
        {"meal": "Lunch", "food_id": EGG, "recipe_id": EGG, "quantity": 1},
        {"meal": "Lunch", "food_id": RICE, "quantity": 1, "unit": "piece"},
        {"meal": "Lunch", "quick": {"name": "Nothing"}},
        {"meal": "Lunch", "food_id": EGG, "quantity": 1, "eaten_on": "2099-01-01"},
    ]
    for body in cases:
        r = await client.post(base, headers=owner.headers, json=body)
        assert r.status_code == 422, (body, r.text)
    assert (await day(client, owner, person["id"], D1))["meals"][1]["entries"] == []


async def test_recent_and_frequent_foods(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    from datetime import date, timedelta

    days = [(date.today() - timedelta(days=n)).isoformat() for n in (3, 2, 1)]
    for on in days:
        await log(client, owner, person["id"], eaten_on=on, food_id=EGG, quantity=2, unit=EGG_LARGE)
    await log(client, owner, person["id"], eaten_on=days[-1], food_id=RICE, quantity=1, unit="cup")
    r = await client.get(f"/api/v1/clients/{person['id']}/diary/recent", headers=owner.headers)
    items = r.json()
    assert [i["name"] for i in items][:2] == [
        "Egg, whole, raw, fresh",
        "Rice, white, long-grain, regular, enriched, cooked",
    ]
    assert (
        items[0]["times"] == 3 and items[0]["unit_label"] == "1 large" and items[0]["quantity"] == 2
    )
    r = await client.get(
        f"/api/v1/clients/{person['id']}/diary/recent",
        headers=owner.headers,
        params={"order": "recent"},
    )
    assert r.json()[0]["name"].startswith("Rice")


async def test_who_logs_for_whom(client, outbox):
    w = await make_client_world(client, outbox)
    body = {"meal": "Lunch", "food_id": EGG, "quantity": 100, "eaten_on": D1}
    expect = {
        "owner": 201,
        "admin": 201,
        "trainer_own": 201,
        "trainer_other": 404,
        "front_desk": 403,
        "client_self": 201,
        "client_other": 404,
        "api_key": 201,
    }
    for actor, headers in w.actors().items():
        r = await client.post(f"/api/v1/clients/{w.client_id}/diary", headers=headers, json=body)
        assert r.status_code == expect[actor], (actor, r.text)
    entry = (await day(client, w.trainer, w.client_id, D1))["meals"][1]["entries"][0]
    for actor, headers in w.actors().items():
        r = await client.get(f"/api/v1/diary-entries/{entry['id']}", headers=headers)
        want = {"trainer_other": 404, "client_other": 404, "front_desk": 403}.get(actor, 200)
        assert r.status_code == want, (actor, r.text)


async def test_trainer_adherence_overview(client, outbox):
    from datetime import date

    w = await make_client_world(client, outbox)
    today = date.today().isoformat()
    await set_target(client, w.trainer, w.client_id, effective_on="2026-01-01")
    await log(
        client,
        w.trainer,
        w.client_id,
        eaten_on=today,
        quick={"energy_kcal": 1800, "protein_g": 135, "fat_g": 77, "carbohydrate_g": 171},
    )
    r = await client.get("/api/v1/nutrition/adherence", headers=w.trainer.headers)
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    # The trainer's two clients (one logging, one not); never another trainer's.
    assert len(rows) == 2
    first = rows[0]
    assert first["client_id"] == w.client_id and first["score"] == 90
    assert first["days_logged"] == 1 and first["days_on_target"] == 1 and first["days"] == 7
    assert rows[1]["score"] is None and rows[1]["days_logged"] == 0
    by_name = await client.get(
        "/api/v1/nutrition/adherence",
        headers=w.trainer.headers,
        params={"sort": "name", "limit": 1},
    )
    body = by_name.json()
    nxt = await client.get(
        "/api/v1/nutrition/adherence",
        headers=w.trainer.headers,
        params={"sort": "name", "limit": 1, "cursor": body["next_cursor"]},
    )
    names = [body["items"][0]["client_name"], nxt.json()["items"][0]["client_name"]]
    assert names == sorted(names, key=str.lower)
    owner_rows = (await client.get("/api/v1/nutrition/adherence", headers=w.owner.headers)).json()
    assert len(owner_rows["items"]) == 3
    assert (
        await client.get("/api/v1/nutrition/adherence", headers=w.client_self.headers)
    ).status_code == 403
    bad = await client.get(
        "/api/v1/nutrition/adherence", headers=w.trainer.headers, params={"days": 5}
    )
    assert bad.status_code == 422
