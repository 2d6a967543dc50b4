"""Recipes: macros per serving from the ingredients (hand-computed), sub-recipes and the
refusal of a recipe that contains itself, diet labels checked, allergens, unknown-aware
totals, who sees and edits which."""

from __future__ import annotations

import pytest

from tests.builders import make_client_world, make_owner
from tests.nutrition.helpers import EGG, HONEY, RICE, make_food, make_recipe


async def test_per_serving_macros_from_the_ingredients(client):
    owner = await make_owner(client)
    recipe = await make_recipe(client, owner, steps=["Cook the rice", "Fry with the egg"])
    # egg 2 x 50 g = 100 g; rice 2 cups x 158 g = 316 g; oil 1 tbsp = 13.5 g
    # kcal 143 + 130 * 3.16 + 884 * 0.135 = 143 + 410.8 + 119.34 = 673.14 -> 336.57 / serving
    # protein 12.56 + 2.69 * 3.16 = 21.0604 -> 10.53; fat 9.51 + 0.8848 + 13.5 = 23.8948 -> 11.95
    # carbohydrate 0.72 + 89.0172 = 89.7372 -> 44.87; fibre 0 + 1.264 + 0 -> 0.63
    grams = [i["grams"] for i in recipe["ingredients"]]
    assert grams == [100, 316, 13.5] and recipe["weight_g"] == 429.5
    per = recipe["per_serving"]
    assert per["energy_kcal"] == pytest.approx(336.57)
    assert per["protein_g"] == pytest.approx(10.53)
    assert per["fat_g"] == pytest.approx(11.95)
    assert per["carbohydrate_g"] == pytest.approx(44.87)
    assert per["fiber_g"] == pytest.approx(0.63)
    assert per["incomplete"] == []
    assert recipe["total"]["energy_kcal"] == pytest.approx(673.14)
    assert recipe["allergens"] == ["egg"]
    assert recipe["diets"] == ["vegetarian", "gluten_free", "dairy_free"]
    assert recipe["ingredients"][0]["unit_label"] == "1 large"
    assert recipe["steps"] == ["Cook the rice", "Fry with the egg"]


async def test_sub_recipes_and_claimed_diets_are_checked(client):
    owner = await make_owner(client)
    base = await make_recipe(client, owner)
    family = await make_recipe(
        client,
        owner,
        "Honey fried rice",
        servings=4,
        claimed_diets=["vegan", "gluten_free"],
        ingredients=[
            {"recipe_id": base["id"], "quantity": 2},  # both servings: the whole base
            {"food_id": HONEY, "quantity": 1, "unit": "tbsp"},
        ],
    )
    # 673.14 + 304 * 0.21 = 673.14 + 63.84 = 736.98 kcal over 4 servings = 184.245
    assert family["per_serving"]["energy_kcal"] == pytest.approx(184.24, abs=0.01)
    assert family["weight_g"] == pytest.approx(429.5 + 21)
    assert family["ingredients"][0]["unit"] == "serving"
    assert "vegan" not in family["diets"] and "gluten_free" in family["diets"]
    (warning,) = family["diet_warnings"]
    assert warning.startswith("Marked Vegan, but it contains:")
    assert "Egg fried rice (egg)" in warning and "Honey (animal product)" in warning


async def test_keto_claim_is_checked_by_carbohydrate_share(client):
    owner = await make_owner(client)
    omelet = await make_recipe(
        client,
        owner,
        "Egg and oil",
        servings=1,
        claimed_diets=["keto"],
        ingredients=[
            {"food_id": EGG, "quantity": 150},
            {"food_id": RICE, "quantity": 30},
        ],
    )
    # carbs: 1.08 + 8.451 = 9.531 g (net 9.411 g = 37.6 kcal) of macro energy
    # 4 * (18.84 + 0.807) + 9 * (14.265 + 0.084) + 4 * 9.531 = 78.59 + 129.14 + 38.12 = 245.85
    # -> 15.3%: not keto
    assert "keto" not in omelet["diets"]
    assert "net carbohydrate is 15% of the energy" in omelet["diet_warnings"][0]
    eggs = await make_recipe(
        client,
        owner,
        "Eggs",
        servings=1,
        claimed_diets=["keto"],
        ingredients=[{"food_id": EGG, "quantity": 150}],
    )
    assert "keto" in eggs["diets"] and eggs["diet_warnings"] == []


async def test_a_recipe_cannot_contain_itself(client):
    owner = await make_owner(client)
    a = await make_recipe(client, owner, "A")
    b = await make_recipe(client, owner, "B", ingredients=[{"recipe_id": a["id"], "quantity": 1}])
    c = await make_recipe(client, owner, "C", ingredients=[{"recipe_id": b["id"], "quantity": 1}])
    for target, inner in ((a, a), (a, c), (b, c)):
        body = {
            "name": target["name"],
            "ingredients": [{"recipe_id": inner["id"], "quantity": 1}],
        }
        r = await client.put(f"/api/v1/recipes/{target['id']}", headers=owner.headers, json=body)
        assert r.status_code == 422, r.text
        problem = r.json()
        assert problem["code"] == "recipe_cycle" and "cannot contain itself" in problem["detail"]
        assert problem["errors"][0]["field"] == "ingredients.0.recipe_id"
    # The refused edits changed nothing.
    again = (await client.get(f"/api/v1/recipes/{a['id']}", headers=owner.headers)).json()
    assert [i["name"] for i in again["ingredients"]] == [
        "Egg, whole, raw, fresh",
        "Rice, white, long-grain, regular, enriched, cooked",
        "Oil, olive, salad or cooking",
    ]
    # The preview checks too when told which recipe is being edited.
    r = await client.post(
        "/api/v1/recipes/preview",
        headers=owner.headers,
        params={"recipe_id": a["id"]},
        json={"name": "A", "ingredients": [{"recipe_id": c["id"], "quantity": 1}]},
    )
    assert r.status_code == 422 and r.json()["code"] == "recipe_cycle"


async def test_bad_ingredients_are_clear_422s(client):
    owner = await make_owner(client)
    cases = [
        ({"food_id": EGG, "quantity": -50}, "ingredients.0.quantity"),
        ({"food_id": EGG, "quantity": 0}, "ingredients.0.quantity"),
        ({"food_id": RICE, "quantity": 1, "unit": "handful"}, "ingredients.0.unit"),
        ({"food_id": HONEY, "quantity": 1, "unit": "piece"}, "ingredients.0.unit"),
        (
            {"food_id": "00000000-0000-7000-8000-000000000000", "quantity": 1},
            "ingredients.0.food_id",
        ),
        ({"quantity": 1}, "ingredients.0"),
    ]
    for line, field in cases:
        r = await client.post(
            "/api/v1/recipes", headers=owner.headers, json={"name": "Bad", "ingredients": [line]}
        )
        assert r.status_code == 422, (line, r.text)
        fields = {e["field"] for e in r.json()["errors"]}
        assert field in fields, (line, fields)
    r = await client.get("/api/v1/recipes", headers=owner.headers, params={"q": "Bad"})
    assert r.json()["items"] == []


async def test_unknown_nutrients_make_totals_lower_bounds(client):
    owner = await make_owner(client)
    sauce = await make_food(client, owner, "House sauce", fiber_g=None, sodium_mg=None)
    recipe = await make_recipe(
        client,
        owner,
        "Rice with sauce",
        servings=1,
        ingredients=[
            {"food_id": RICE, "quantity": 200},
            {"food_id": sauce["id"], "quantity": 50},
        ],
    )
    per = recipe["per_serving"]
    assert per["fiber_g"] == pytest.approx(0.8) and "fiber_g" in per["incomplete"]
    assert "sodium_mg" in per["incomplete"] and "energy_kcal" not in per["incomplete"]


async def test_client_recipes_are_shared_between_the_client_and_their_coaches(client, outbox):
    w = await make_client_world(client, outbox)
    mine = await make_recipe(client, w.client_self, "Sally's porridge")
    assert mine["client_id"] == w.client_id
    org = await make_recipe(client, w.trainer, "Gym chili")
    # The coach edits the client's recipe; other trainers and clients do not see it.
    r = await client.put(
        f"/api/v1/recipes/{mine['id']}",
        headers=w.trainer.headers,
        json={"name": "Sally's porridge, less sugar", "servings": 1},
    )
    assert r.status_code == 200, r.text
    for headers in (w.trainer_other.headers, w.client_other.headers, w.front_desk.headers):
        assert (
            await client.get(f"/api/v1/recipes/{mine['id']}", headers=headers)
        ).status_code == 404
    # Everyone in the organization reads its library; clients do not write it.
    for headers in w.actors().values():
        assert (
            await client.get(f"/api/v1/recipes/{org['id']}", headers=headers)
        ).status_code == 200
    r = await client.put(
        f"/api/v1/recipes/{org['id']}", headers=w.client_self.headers, json={"name": "Mine"}
    )
    assert r.status_code == 403
    # An organization recipe cannot use a client's own food (others could not read it).
    own_food = await make_food(client, w.client_self, "Sally's jam")
    r = await client.post(
        "/api/v1/recipes",
        headers=w.trainer.headers,
        json={"name": "Jam toast", "ingredients": [{"food_id": own_food["id"], "quantity": 20}]},
    )
    assert r.status_code == 422 and "one client's own food" in r.json()["detail"]
    # The client's list holds the library and their own recipes.
    listed = await client.get("/api/v1/recipes", headers=w.client_self.headers)
    assert {i["name"] for i in listed.json()["items"]} == {
        "Gym chili",
        "Sally's porridge, less sugar",
    }
    staff = await client.get("/api/v1/recipes", headers=w.trainer.headers)
    assert {i["name"] for i in staff.json()["items"]} == {"Gym chili"}


async def test_archive_keeps_the_recipe_readable(client):
    owner = await make_owner(client)
    recipe = await make_recipe(client, owner)
    assert (
        await client.delete(f"/api/v1/recipes/{recipe['id']}", headers=owner.headers)
    ).status_code == 204
    r = await client.get(f"/api/v1/recipes/{recipe['id']}", headers=owner.headers)
    assert r.status_code == 200 and r.json()["archived"]
    listed = await client.get("/api/v1/recipes", headers=owner.headers)
    assert listed.json()["items"] == []
    r = await client.put(
        f"/api/v1/recipes/{recipe['id']}", headers=owner.headers, json={"name": "Back"}
    )
    assert r.status_code == 409
