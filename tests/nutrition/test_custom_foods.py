"""Custom foods: the organization's and a client's, portions, per-serving labels, barcodes,
edits and archiving; shared rows stay untouched; who sees what."""

from __future__ import annotations

import pytest

from tests.builders import invite_and_accept, make_client_world, make_owner
from tests.nutrition.helpers import EGG, make_food, names, search


async def test_create_with_label_per_serving_and_portions(client):
    owner = await make_owner(client)
    food = await make_food(
        client,
        owner,
        "Protein bar, peanut",
        brand="Acme",
        basis_g=60,  # the label gives a 60 g bar
        energy_kcal=240,
        protein_g=20,
        fat_g=9,
        carbohydrate_g=21,
        fiber_g=None,
        sugars_g=3,
        portions=[{"description": "bar", "gram_weight": 60}],
        barcode="4006381333931",
    )
    per = food["per_100g"]
    assert per["energy_kcal"] == pytest.approx(400)  # 240 / 60 * 100
    assert per["protein_g"] == pytest.approx(33.333, abs=0.01)
    assert per["fiber_g"] is None and per["sodium_mg"] is None  # unknown, not zero
    assert food["source"] == "organization" and food["display_name"] == "Protein bar, peanut (Acme)"
    assert food["allergens"] == ["peanuts"]
    units = {u["label"]: u["grams"] for u in food["units"]}
    assert units["1 bar"] == 60 and units["g"] == 1
    amount = await client.get(
        f"/api/v1/foods/{food['id']}/amount",
        headers=owner.headers,
        params={"quantity": 2, "unit": food["portions"][0]["id"]},
    )
    body = amount.json()
    assert body["grams"] == 120 and body["nutrients"]["energy_kcal"] == 480
    assert body["nutrients"]["fiber_g"] is None and body["unit_label"] == "1 bar"


async def test_stated_contents_override_the_rules(client):
    owner = await make_owner(client)
    food = await make_food(client, owner, "Plain crackers", contains=["gluten", "sesame"])
    assert food["contains"] == ["gluten", "sesame"] and food["contains_stated"]
    derived = await make_food(client, owner, "Cheese scone")
    assert set(derived["contains"]) == {"gluten", "milk"} and not derived["contains_stated"]
    assert "vegetarian" in derived["diets"] and "vegan" not in derived["diets"]


async def test_bad_values_are_refused(client):
    owner = await make_owner(client)
    cases = [
        ({"protein_g": -1}, "protein_g"),
        ({"protein_g": 60, "fat_g": 30, "carbohydrate_g": 30}, None),  # 120 g per 100 g
        ({"sugars_g": 70, "carbohydrate_g": 60}, None),
        ({"energy_kcal": 1200}, None),
        ({"barcode": "4006381333932"}, "barcode"),  # wrong check digit
        ({"barcode": "12345"}, "barcode"),
        ({"food_group": "rocks"}, "food_group"),
        ({"portions": [{"description": "cup", "gram_weight": 0}]}, "portions"),
        ({"contains": ["glitter"]}, "contains"),
    ]
    for extra, field in cases:
        r = await client.post(
            "/api/v1/foods", headers=owner.headers, json={"name": "Bad food", **extra}
        )
        assert r.status_code == 422, (extra, r.text)
        if field:
            assert field in {(e["field"] or "").split(".")[0] for e in r.json()["errors"]}, r.text
    assert names(await search(client, owner, "bad food", source="custom")) == []


async def test_barcodes_validate_normalize_and_look_up(client):
    owner = await make_owner(client)
    food = await make_food(client, owner, "Cola", barcode="036000291452")  # UPC-A
    assert food["barcode"] == "0036000291452"  # stored as EAN-13
    for code in ("036000291452", "0036000291452"):
        r = await client.get("/api/v1/foods/barcode", headers=owner.headers, params={"code": code})
        assert r.status_code == 200 and r.json()["id"] == food["id"]
    ean8 = await make_food(client, owner, "Gum", barcode="96385074")
    assert ean8["barcode"] == "96385074"
    r = await client.get(
        "/api/v1/foods/barcode", headers=owner.headers, params={"code": "12345678"}
    )
    assert r.status_code == 422 and "check digit" in r.json()["detail"]
    r = await client.get(
        "/api/v1/foods/barcode", headers=owner.headers, params={"code": "4006381333931"}
    )
    assert r.status_code == 404
    dup = await client.post(
        "/api/v1/foods", headers=owner.headers, json={"name": "Cola 2", "barcode": "036000291452"}
    )
    assert dup.status_code == 409 and dup.json()["existing_food_id"] == food["id"]


async def test_edit_and_archive(client):
    owner = await make_owner(client)
    food = await make_food(
        client, owner, "Overnight oats", portions=[{"description": "jar", "gram_weight": 250}]
    )
    portion_id = food["portions"][0]["id"]
    body = {
        "name": "Overnight oats, berries",
        "energy_kcal": 150,
        "portions": [
            {"description": "jar", "gram_weight": 260},
            {"description": "spoon", "gram_weight": 15},
        ],
    }
    r = await client.put(f"/api/v1/foods/{food['id']}", headers=owner.headers, json=body)
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["name"] == "Overnight oats, berries" and changed["per_100g"]["protein_g"] is None
    assert changed["portions"][0]["id"] == portion_id  # kept: units stay valid
    assert changed["portions"][0]["gram_weight"] == 260
    assert names(await search(client, owner, "berries", source="custom")) == [changed["name"]]
    assert names(await search(client, owner, "overnight oats granola", source="custom")) == []
    r = await client.delete(f"/api/v1/foods/{food['id']}", headers=owner.headers)
    assert r.status_code == 204
    assert names(await search(client, owner, "overnight", source="custom")) == []
    still = await client.get(f"/api/v1/foods/{food['id']}", headers=owner.headers)
    assert still.status_code == 200 and still.json()["archived"]
    again = await client.put(f"/api/v1/foods/{food['id']}", headers=owner.headers, json=body)
    assert again.status_code == 409
    assert (
        await client.delete(f"/api/v1/foods/{food['id']}", headers=owner.headers)
    ).status_code == 204


async def test_shared_foods_are_read_only(client):
    owner = await make_owner(client)
    r = await client.put(f"/api/v1/foods/{EGG}", headers=owner.headers, json={"name": "Mine now"})
    assert r.status_code == 409 and r.json()["code"] == "shared_food_read_only"
    assert (await client.delete(f"/api/v1/foods/{EGG}", headers=owner.headers)).status_code == 409
    egg = await client.get(f"/api/v1/foods/{EGG}", headers=owner.headers)
    assert egg.json()["name"] == "Egg, whole, raw, fresh"


async def test_client_foods_are_seen_by_the_client_and_their_coaches_only(client, outbox):
    w = await make_client_world(client, outbox)
    own = await make_food(client, w.client_self, "Grandma's flapjack")
    assert own["source"] == "client" and own["client_id"] == w.client_id
    by_trainer = await make_food(
        client, w.trainer, "Sally's shake", client_id=w.client_id, protein_g=30, carbohydrate_g=30
    )
    org_food = await make_food(client, w.trainer, "Gym smoothie")
    expectations = {
        "owner": 200,
        "admin": 200,
        "trainer_own": 200,
        "trainer_other": 404,
        "front_desk": 404,
        "client_self": 200,
        "client_other": 404,
        "api_key": 200,
    }
    for actor, headers in w.actors().items():
        for food in (own, by_trainer):
            r = await client.get(f"/api/v1/foods/{food['id']}", headers=headers)
            assert r.status_code == expectations[actor], (actor, r.text)
        r = await client.get(f"/api/v1/foods/{org_food['id']}", headers=headers)
        assert r.status_code == 200, actor
    # The client finds their own foods in search; the other client does not.
    assert "Grandma's flapjack" in names(await search(client, w.client_self, "flapjack"))
    assert "Grandma's flapjack" not in names(await search(client, w.client_other, "flapjack"))
    # Staff see a client's foods in search when searching for that client.
    assert "Grandma's flapjack" not in names(await search(client, w.trainer, "flapjack"))
    found = await search(client, w.trainer, "flapjack", client_id=w.client_id)
    assert "Grandma's flapjack" in names(found)
    r = await client.get(
        "/api/v1/foods",
        headers=w.trainer_other.headers,
        params={"q": "flapjack", "client_id": w.client_id},
    )
    assert r.status_code == 404
    # Clients cannot write the organization's foods or another client's.
    r = await client.put(
        f"/api/v1/foods/{org_food['id']}", headers=w.client_self.headers, json={"name": "Mine"}
    )
    assert r.status_code == 403
    r = await client.post(
        "/api/v1/foods",
        headers=w.client_self.headers,
        json={"name": "Sneaky", "client_id": w.other_client_id},
    )
    assert r.status_code == 404
    # Front desk reads the organization's foods but writes none.
    r = await client.post("/api/v1/foods", headers=w.front_desk.headers, json={"name": "Desk"})
    assert r.status_code == 403


async def test_a_client_of_another_organization_is_not_found(client, outbox):
    w = await make_client_world(client, outbox)
    other = await make_owner(client, org_name="Elsewhere Gym")
    trainer = await invite_and_accept(client, outbox, other, role="trainer")
    r = await client.post(
        "/api/v1/foods", headers=trainer.headers, json={"name": "X", "client_id": w.client_id}
    )
    assert r.status_code == 404
