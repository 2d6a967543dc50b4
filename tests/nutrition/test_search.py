"""Food search: natural queries, word order, ranking tiers, prefixes and typos, filters,
pagination, custom foods merged in."""

from __future__ import annotations

import importlib

from tests.builders import make_owner
from tests.nutrition.helpers import make_food, names, search


async def test_natural_queries_find_the_plain_food_first(client):
    owner = await make_owner(client)
    first = {
        "chicken breast": "Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw",
        "greek yogurt": "Yogurt, Greek, plain, nonfat",
        "rice cooked": "Rice, white, long-grain, regular, enriched, cooked",
        "cooked rice": "Rice, white, long-grain, regular, enriched, cooked",
        "eggs": "Egg, whole, raw, fresh",
        "banana": "Bananas, raw",
        "oats": "Oats",
        "olive oil": "Oil, olive, salad or cooking",
        "almonds": "Nuts, almonds",
        "sweet potato": "Sweet potato, raw, unprepared",
    }
    for q, expected in first.items():
        found = names(await search(client, owner, q, limit=5))
        assert found and found[0] == expected, (q, found)


async def test_word_order_does_not_matter(client):
    owner = await make_owner(client)
    a = names(await search(client, owner, "rice brown cooked", limit=20))
    b = names(await search(client, owner, "cooked brown rice", limit=20))
    assert a == b and a[0] == "Rice, brown, long-grain, cooked"


async def test_whole_words_before_prefixes_before_typos(client):
    owner = await make_owner(client)
    # Typing: "chick" reaches chicken by prefix.
    assert any("Chicken" in n for n in names(await search(client, owner, "chick", limit=10)))
    # A typo still finds it, after exact matches of nothing.
    typo = names(await search(client, owner, "chiken brest", limit=10))
    assert any(n.startswith("Chicken") and "breast" in n for n in typo), typo
    # "yogurt" whole-word matches come before names that only contain a longer word.
    found = names(await search(client, owner, "yogurt", limit=30))
    assert all("yogurt" in n.lower() for n in found)


async def test_all_words_matched_come_first(client):
    owner = await make_owner(client)
    found = names(await search(client, owner, "peanut butter cookies", limit=40))
    assert found[0].lower().count("peanut") and "cookie" in found[0].lower()
    # Foods with only two of the three words follow (they are still useful).
    assert any("cookie" not in n.lower() for n in found)


async def test_group_filter_and_sources(client):
    owner = await make_owner(client)
    found = await search(client, owner, "chicken", group="soups_sauces", limit=20)
    assert found and all(f["food_group"]["slug"] == "soups_sauces" for f in found)
    r = await client.get(
        "/api/v1/foods", headers=owner.headers, params={"q": "x", "group": "sweets_and_stuff"}
    )
    assert r.status_code == 422 and "unknown food group" in r.json()["errors"][0]["message"]
    await make_food(client, owner, "Chicken katsu curry (house)")
    custom = await search(client, owner, "chicken", source="custom")
    assert names(custom) == ["Chicken katsu curry (house)"]
    usda = await search(client, owner, "chicken katsu", source="usda")
    assert "Chicken katsu curry (house)" not in names(usda)


async def test_custom_foods_are_ranked_with_shared_ones(client):
    owner = await make_owner(client)
    await make_food(client, owner, "Greek yogurt honey pot", brand="Fage")
    await make_food(client, owner, "Yogurt greek")
    found = names(await search(client, owner, "greek yogurt", limit=10))
    # The staple first; then "Yogurt greek", shorter than every other Greek yogurt.
    assert found[:2] == ["Yogurt, Greek, plain, nonfat", "Yogurt greek"]
    assert "Greek yogurt honey pot" in found
    # Brand words are searchable; prefixes work for custom foods too.
    assert names(await search(client, owner, "fage"))[0] == "Greek yogurt honey pot"
    assert "Greek yogurt honey pot" in names(await search(client, owner, "yogurt hon", limit=50))
    # A typo the shared vocabulary can correct also reaches custom foods.
    await make_food(client, owner, "Zesty chicken wrap")
    assert "Zesty chicken wrap" in names(await search(client, owner, "chiken wrap", limit=50))


async def test_pages_never_repeat_and_cover_everything(client):
    owner = await make_owner(client)
    for i in range(7):
        await make_food(client, owner, f"Tomato sauce batch {i}")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"q": "tomato sauce", "limit": 9}
        if cursor:
            params["cursor"] = cursor
        r = await client.get("/api/v1/foods", headers=owner.headers, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    every = await search(client, owner, "tomato sauce", limit=100)
    assert seen[:100] == [i["id"] for i in every]
    bad = await client.get(
        "/api/v1/foods", headers=owner.headers, params={"q": "x", "cursor": "abc"}
    )
    assert bad.status_code == 422


async def test_browse_without_a_query(client):
    owner = await make_owner(client)
    mine = await make_food(client, owner, "Zzz my own bar")
    r = await client.get("/api/v1/foods", headers=owner.headers, params={"limit": 3})
    body = r.json()
    assert body["items"][0]["id"] == mine["id"]  # own foods first, newest first
    r2 = await client.get(
        "/api/v1/foods",
        headers=owner.headers,
        params={"limit": 3, "cursor": body["next_cursor"]},
    )
    assert r2.json()["items"][0]["source"] == "usda"
    fruits = await client.get(
        "/api/v1/foods", headers=owner.headers, params={"group": "fruits", "limit": 50}
    )
    assert {i["food_group"]["slug"] for i in fruits.json()["items"]} == {"fruits"}


async def test_another_organizations_foods_never_appear(client):
    a = await make_owner(client, org_name="Alpha Foods")
    b = await make_owner(client, org_name="Beta Foods")
    await make_food(client, a, "Zanzibar spice bar", barcode="96385074")
    for q in ("zanzibar spice", "zanz", "zanzibar"):
        assert names(await search(client, b, q, source="custom")) == []
        assert "Zanzibar spice bar" in names(await search(client, a, q))
    r = await client.get("/api/v1/foods", headers=b.headers, params={"source": "custom"})
    assert r.json()["items"] == []
    r = await client.get("/api/v1/foods/barcode", headers=b.headers, params={"code": "96385074"})
    assert r.status_code == 404


async def test_repeated_searches_see_every_edit_of_a_custom_food(client):
    """Search keeps the views and outputs of custom foods by their values, so an edit (name,
    nutrients, portions) shows on the very next search, never a kept copy."""
    owner = await make_owner(client)
    made = await make_food(
        client, owner, "Oat bake", portions=[{"description": "slice", "gram_weight": 80}]
    )
    first = (await search(client, owner, "oat bake"))[0]
    assert first["per_100g"]["energy_kcal"] == 450 and first["portions"][0]["gram_weight"] == 80
    assert (await search(client, owner, "oat bake"))[0] == first  # kept, and alike

    body = {
        "name": "Oat bake",
        "brand": "Home",
        "energy_kcal": 380,
        "protein_g": 10,
        "fat_g": 18,
        "carbohydrate_g": 60,
        "portions": [{"description": "square", "gram_weight": 55}],
    }
    r = await client.put(f"/api/v1/foods/{made['id']}", headers=owner.headers, json=body)
    assert r.status_code == 200, r.text
    changed = (await search(client, owner, "oat bake"))[0]
    assert changed["id"] == made["id"] and changed["brand"] == "Home"
    assert changed["per_100g"]["energy_kcal"] == 380
    assert [p["description"] for p in changed["portions"]] == ["square"]


async def test_a_page_of_whole_matches_comes_from_the_head_and_agrees(client, monkeypatch):
    """Several whole words that many custom foods all have: the first page is read from
    the head of the driver's rows, and it is the page the full statement gives. A head
    that comes up short goes on to the full branch in the same statement, with the same
    answer as the full statement alone."""
    module = importlib.import_module("spotter.nutrition.service.search")  # not the function
    owner = await make_owner(client)
    for i in range(12):
        await make_food(client, owner, f"Protein bar {i} crunch")
        await make_food(client, owner, f"Protein barbecue sauce {i}")  # "bar": a prefix
    heads: list[int] = []
    original = module._head_statement

    def counted(*args: object) -> object:
        heads.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_head_statement", counted)

    async def ids(q: str, limit: int) -> list[str]:
        module._answers.clear()  # computed, not a kept answer (tests/nutrition/test_search_kept.py)
        return [i["id"] for i in await search(client, owner, q, limit=limit, source="custom")]

    dense = await ids("protein bar", 10)
    assert len(heads) == 1 and len(dense) == 10
    short = await ids("sauce protein", 20)  # 12 foods: the head cannot fill 21
    assert len(heads) == 2 and len(short) == 12

    monkeypatch.setattr(module, "_dense", lambda *args: False)  # the full statement alone
    assert await ids("protein bar", 10) == dense
    assert await ids("sauce protein", 20) == short
    assert len(heads) == 2
    module._answers.clear()
    full = await search(client, owner, "protein bar", limit=30, source="custom")
    assert all(f["name"].startswith("Protein bar ") for f in full[:12])  # tier 0 first
