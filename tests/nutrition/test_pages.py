"""Nutrition pages: food search and the custom food form, the recipe editor over HTMX, the
calculator saved as a target (in the client's units), the diary's fast entry, the
trainer's adherence overview; who reaches which page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.builders import make_assessment, make_client_world
from tests.nutrition.helpers import EGG, RICE, make_recipe, set_target
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def test_food_search_and_a_food_page(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.get("/foods?q=chicken+breast")
    assert r.status_code == 200
    assert "Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw" in r.text
    rows = await b.get("/foods/rows?q=zzqqxx")
    assert "No food matches" in text(rows)
    page = await b.get(f"/foods/{EGG}")
    assert page.status_code == 200
    assert "1 large" in page.text and "Contains egg" in page.text
    # A food with unknown fibre says so rather than showing zero.
    oil = await b.get("/foods?q=oil+olive")
    assert oil.status_code == 200
    unknown = await b.get("/foods?q=Beverages+carbonated+cola")
    assert "unknown" in unknown.text


async def test_custom_food_form(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    assert (await b.get("/foods/new")).status_code == 200
    r = await b.post("/foods/new", {"name": "", "protein_g": "-3", "basis_g": "100"})
    assert r.status_code == 422 and 'aria-invalid="true"' in r.text
    r = await b.post(
        "/foods/new",
        {
            "name": "House flapjack",
            "basis_g": "50",
            "energy_kcal": "220",
            "protein_g": "4",
            "fat_g": "10",
            "carbohydrate_g": "28",
            "portion_description_0": "bar",
            "portion_grams_0": "50",
            "state_contains": "on",
            "contains": ["gluten", "milk"],
        },
    )
    assert r.status_code == 303, r.text
    page = await b.get(r.headers["location"])
    assert "House flapjack" in page.text and "440" in page.text  # 220 kcal per 50 g
    assert "Contains gluten" in page.text and "1 bar" in page.text
    food_id = r.headers["location"].rsplit("/", 1)[1]
    edit = await b.get(f"/foods/{food_id}/edit")
    assert 'value="440"' in edit.text
    r = await b.post(f"/foods/{food_id}/edit", {"name": "House flapjack", "basis_g": "100"})
    assert r.status_code == 303
    assert "unknown" in (await b.get(f"/foods/{food_id}")).text  # values left empty: unknown
    r = await b.post(f"/foods/{food_id}/archive")
    assert r.status_code == 303


async def test_recipe_editor_over_htmx(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.post("/recipes", {"name": "Porridge", "servings": "2"})
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    editor = await b.get(url)
    assert "No ingredients yet" in editor.text
    found = await b.client.get(f"{url}/search", params={"q": "oats"}, headers=HX)
    assert "Oats" in found.text and "+ " in found.text
    r = await hx_post(
        b, f"{url}/ingredients", {"food_id": str(RICE), "quantity": "316", "unit": "g"}
    )
    assert r.status_code == 200 and 'id="ingredients"' in r.text
    assert "205" in r.text  # 130 kcal/100 g x 316 g / 2 servings = 205.4
    r = await hx_post(b, f"{url}/lines", {"line": "0", "quantity": "1", "unit": "cup"})
    assert "103" in text(r)  # 158 g: 205.4 / 2 = 102.7
    bad = await hx_post(b, f"{url}/lines", {"line": "0", "quantity": "1", "unit": "piece"})
    assert bad.status_code == 422 and "does not apply" in text(bad)
    r = await hx_post(b, f"{url}/ingredients", {"food_id": str(EGG), "quantity": "50", "unit": "g"})
    assert "Contains egg" in r.text and "Vegetarian" in r.text
    r = await hx_post(b, f"{url}/lines", {"line": "1", "remove": "1"})
    assert "Contains egg" not in r.text
    r = await b.post(
        url,
        {
            "name": "Porridge",
            "servings": "1",
            "steps": "Boil\nStir",
            "claimed_diets": ["vegan", "keto"],
        },
    )
    assert r.status_code == 303
    page = await b.get(url)
    assert "Marked Keto, but" in page.text and "Boil" in page.text
    cycle = await hx_post(
        b, f"{url}/ingredients", {"recipe_id": url.rsplit("/", 1)[1], "quantity": "1"}
    )
    assert cycle.status_code == 422 and "cannot contain itself" in text(cycle)


async def test_calculator_in_the_clients_units_saved_as_target(browser, client, world):  # noqa: F811
    # Profile in imperial units; weight from an assessment.
    r = await client.put(
        f"/api/v1/clients/{world.client_id}/profile",
        headers=world.trainer.headers,
        json={
            "born_on": "1990-01-01",
            "sex": "female",
            "height_cm": 165.1,
            "unit_system": "imperial",
        },
    )
    assert r.status_code == 200
    await make_assessment(client, world.trainer, world.client_id, body_weight_kg=68.0388555)
    b = await logged_in(browser, world.trainer.email)
    page = await b.get(f"/clients/{world.client_id}/nutrition")
    assert page.status_code == 200
    assert 'value="150"' in page.text  # 68.04 kg shown as 150 lb
    assert 'value="65"' in page.text  # 165.1 cm shown as 65 in
    form = {
        "weight": "150",
        "height": "65",
        "age_years": "36",
        "sex": "female",
        "activity": "sedentary",
        "goal": "maintain",
        "adjust_by": "percent",
        "protein": "0.8",
        "fat_percent": "30",
    }
    r = await b.post(f"/clients/{world.client_id}/nutrition/calculate", form)
    assert r.status_code == 200
    # 10 x 68.04 + 6.25 x 165.1 - 5 x 36 - 161 = 1371.3 -> TDEE x 1.2 = 1645.5 -> 1646
    assert "1646" in r.text and "Mifflin-St Jeor" in r.text
    r = await b.post(
        f"/clients/{world.client_id}/nutrition/targets", {**form, "effective_on": "2026-03-01"}
    )
    assert r.status_code == 303, r.text
    page = await b.get(r.headers["location"])
    assert "Targets saved" in text(page) and "1646 kcal" in text(page)
    typed = await b.post(
        f"/clients/{world.client_id}/nutrition/targets",
        {
            "source": "typed",
            "energy_kcal": "1500",
            "protein_g": "300",
            "fat_g": "100",
            "carbohydrate_g": "0",
            "effective_on": "2026-03-02",
        },
    )
    assert typed.status_code == 422 and "exceed the energy" in text(typed)


async def test_diary_fast_entry(browser, client, world):  # noqa: F811
    await set_target(client, world.trainer, world.client_id, effective_on="2026-01-01")
    recipe = await make_recipe(client, world.trainer, "Team chili")
    b = await logged_in(browser, world.client_self.email)
    page = await b.get("/diary")
    assert page.status_code == 200
    assert "Breakfast" in page.text and "+ Add to breakfast" in page.text
    today = date.today().isoformat()
    found = await b.client.get(
        f"/clients/{world.client_id}/diary/search",
        params={"q": "egg", "meal": "Breakfast", "on": today},
        headers=HX,
    )
    assert "Egg, whole, raw, fresh" in found.text and "1 large" in found.text
    large = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>1 large<', found.text).group(1)
    r = await hx_post(
        b,
        f"/clients/{world.client_id}/diary/add",
        {"food_id": EGG, "quantity": "2", "unit": large, "meal": "Breakfast", "on": today},
    )
    assert r.status_code == 200 and 'id="day"' in r.text
    assert "Egg, whole, raw, fresh" in r.text and "143" in r.text
    r = await hx_post(
        b,
        f"/clients/{world.client_id}/diary/add",
        {"recipe_id": recipe["id"], "quantity": "1", "meal": "Dinner", "on": today},
    )
    assert "Team chili" in r.text
    r = await hx_post(
        b,
        f"/clients/{world.client_id}/diary/add",
        {"kind": "quick", "name": "Latte", "energy_kcal": "120", "meal": "Snacks", "on": today},
    )
    assert "Latte" in r.text and "kcal left" in r.text
    bad = await hx_post(
        b,
        f"/clients/{world.client_id}/diary/add",
        {"food_id": EGG, "quantity": "-1", "meal": "Lunch", "on": today},
    )
    assert bad.status_code == 422 and "alert" in bad.text
    # Recent foods appear for one-tap entry; the trainer sees the same day.
    again = await b.get("/diary")
    assert "Recent" in again.text
    trainer = await logged_in(browser, world.trainer.email)
    theirs = await trainer.get(f"/clients/{world.client_id}/diary")
    assert "Latte" in theirs.text
    other = await logged_in(browser, world.client_other.email)
    assert (await other.get(f"/clients/{world.client_id}/diary")).status_code == 404


async def test_adherence_hub_and_navigation(browser, client, world):  # noqa: F811
    await set_target(client, world.trainer, world.client_id, effective_on="2026-01-01")
    r = await client.post(
        f"/api/v1/clients/{world.client_id}/diary",
        headers=world.trainer.headers,
        json={
            "meal": "Lunch",
            "quick": {"energy_kcal": 1800, "protein_g": 135, "fat_g": 77, "carbohydrate_g": 171},
        },
    )
    assert r.status_code == 201
    b = await logged_in(browser, world.trainer.email)
    hub = await b.get("/nutrition")
    assert hub.status_code == 200 and 'href="/nutrition"' in hub.text
    assert "Sally Self" in hub.text and ">90<" in hub.text
    sorted_page = await b.get("/nutrition?sort=name&order=desc&days=14")
    assert sorted_page.status_code == 200 and "Last 14 days" in sorted_page.text
    c = await logged_in(browser, world.client_self.email)
    home = await c.get("/home")
    assert 'href="/diary"' in home.text and 'href="/nutrition"' not in home.text
    assert (await c.get("/nutrition")).status_code == 403
    desk = await logged_in(browser, world.front_desk.email)
    assert (await desk.get("/foods?q=rice")).status_code == 200
    assert (await desk.get(f"/clients/{world.client_id}/diary")).status_code == 404


async def test_recipe_photo_from_the_editor(browser, client, world):  # noqa: F811
    from tests.nutrition.helpers import png

    recipe = await make_recipe(client, world.trainer, "Photo bowl")
    b = await logged_in(browser, world.trainer.email)
    r = await b.client.post(
        f"/recipes/{recipe['id']}/photo",
        data={"csrf_token": await b.csrf()},
        files={"file": ("bowl.png", png(), "image/png")},
    )
    assert r.status_code == 303, r.text
    page = await b.get(f"/recipes/{recipe['id']}")
    assert f'src="/recipes/{recipe["id"]}/photo"' in page.text and "Photo saved" in text(page)
    image = await b.get(f"/recipes/{recipe['id']}/photo?thumbnail=true")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    bad = await b.client.post(
        f"/recipes/{recipe['id']}/photo",
        data={"csrf_token": await b.csrf()},
        files={"file": ("notes.png", b"not an image", "image/png")},
    )
    assert bad.status_code == 303
    assert "not a JPEG, PNG or WebP" in text(await b.get(bad.headers["location"]))
    r = await b.post(f"/recipes/{recipe['id']}/photo/remove")
    assert r.status_code == 303
    assert (await b.get(f"/recipes/{recipe['id']}/photo")).status_code == 404
