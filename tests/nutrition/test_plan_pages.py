"""Meal plan pages: the list and its empty states, the builder over HTMX (add from the
search, change a quantity, remove, duplicate a day, targets and warnings), assigning from
the builder and from the client's nutrition page, the client's /plan with its Log buttons,
moving an item to another meal or day, and who reaches which page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.builders import make_client_world
from tests.nutrition.helpers import CHICKEN, EGG, set_target
from tests.nutrition.test_plan_moves import meal, two_days
from tests.nutrition.test_plans import assign
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def _new_plan(b, name: str = "Cutting week") -> str:
    r = await b.post("/meal-plans", {"name": name})
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


async def test_list_and_empty_states(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    page = await b.get("/meal-plans")
    assert page.status_code == 200 and "No meal plan templates yet" in text(page)
    assigned = await b.get("/meal-plans?kind=assigned")
    assert "No client follows a meal plan yet" in text(assigned)
    await _new_plan(b)
    listed = await b.get("/meal-plans")
    assert "Cutting week" in listed.text and "personal" in listed.text
    rows = await b.client.get("/meal-plans/rows", params={"q": "zzqq"}, headers=HX)
    assert "No meal plan matches" in text(rows)
    rows = await b.client.get("/meal-plans/rows", params={"q": "cut"}, headers=HX)
    assert "Cutting week" in rows.text


async def test_the_builder_over_htmx(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    plan_id = await _new_plan(b)
    page = await b.get(f"/meal-plans/{plan_id}")
    assert page.status_code == 200
    assert "Breakfast" in page.text and "+ Add to breakfast" in page.text
    assert "Nothing planned for breakfast yet" in page.text
    found = await b.client.get(
        f"/meal-plans/{plan_id}/search",
        params={"q": "egg", "meal": "Breakfast", "day": 1},
        headers=HX,
    )
    assert "Egg, whole, raw, fresh" in found.text and "1 large" in found.text
    large = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>1 large<', found.text).group(1)
    url = f"/meal-plans/{plan_id}/edit"
    add = {"op": "add_item", "day_index": "0", "meal": "Breakfast", "food_id": EGG}
    r = await hx_post(b, url, {**add, "quantity": "2", "unit": large})
    assert r.status_code == 200 and 'id="plan"' in r.text
    assert "Egg, whole, raw, fresh" in r.text and "143" in r.text
    r = await hx_post(
        b,
        url,
        {
            "op": "details",
            "day_index": "0",
            "name": "Cutting week",
            "diets": ["vegan"],
            "energy_kcal": "2000",
            "protein_g": "150",
            "fat_g": "60",
            "carbohydrate_g": "200",
        },
    )
    assert r.status_code == 200 and "Diet check" in r.text and "Marked Vegan, but" in r.text
    assert "under" in r.text
    r = await hx_post(
        b,
        url,
        {"op": "quantity", "day_index": "0", "meal_index": "0", "item_index": "0", "quantity": "4"},
    )
    assert "286" in r.text
    bad = await hx_post(
        b,
        url,
        {
            "op": "quantity",
            "day_index": "0",
            "meal_index": "0",
            "item_index": "0",
            "quantity": "-1",
        },
    )
    assert bad.status_code == 422 and "alert-error" in bad.text and "286" in bad.text
    r = await hx_post(b, url, {"op": "duplicate_day", "day_index": "0"})
    assert "Day 2" in r.text and r.text.count("Egg, whole, raw, fresh") >= 1
    r = await hx_post(
        b, url, {"op": "remove_item", "day_index": "1", "meal_index": "0", "item_index": "0"}
    )
    assert "Nothing planned for breakfast yet" in r.text
    r = await hx_post(
        b, url, {**add, "day_index": "1", "food_id": CHICKEN, "quantity": "100", "unit": "parsec"}
    )
    assert r.status_code == 422 and "alert-error" in r.text
    tab = await b.client.get(f"/meal-plans/{plan_id}", params={"day": 1}, headers=HX)
    assert tab.status_code == 200 and 'id="plan"' in tab.text and "<html" not in tab.text
    copied = await b.post(f"/meal-plans/{plan_id}/copy", {})
    assert copied.status_code == 303 and plan_id not in copied.headers["location"]
    copy = await b.get(copied.headers["location"])
    assert "Cutting week (copy)" in copy.text and "Egg, whole, raw, fresh" in copy.text
    archived = await b.post(f"/meal-plans/{plan_id}/archive", {})
    assert archived.status_code == 303
    assert "Cutting week (copy)" in (await b.get("/meal-plans")).text
    assert ">Cutting week<" not in (await b.get("/meal-plans")).text


async def test_assigning_and_the_clients_plan_page(browser, client, world):  # noqa: F811
    await set_target(client, world.trainer, world.client_id, effective_on="2026-01-01")
    trainer = await logged_in(browser, world.trainer.email)
    plan_id = await _new_plan(trainer, "House plan")
    url = f"/meal-plans/{plan_id}/edit"
    add = {
        "op": "add_item",
        "day_index": "0",
        "meal": "Lunch",
        "food_id": EGG,
        "quantity": "100",
        "unit": "g",
    }
    assert (await hx_post(trainer, url, add)).status_code == 200
    choices = await trainer.client.get(
        f"/meal-plans/{plan_id}/clients", params={"q": "Sally"}, headers=HX
    )
    assert "Sally Self" in choices.text and "Otto Elsewhere" not in choices.text
    # A client who has no plan sees an empty state.
    me = await logged_in(browser, world.client_self.email)
    empty = await me.get("/plan")
    assert empty.status_code == 200 and "No meal plan today" in text(empty)
    today = date.today().isoformat()
    r = await trainer.post(
        f"/meal-plans/{plan_id}/assign", {"client_id": world.client_id, "starts_on": today}
    )
    assert r.status_code == 303
    assigned_id = r.headers["location"].rsplit("/", 1)[1]
    assert assigned_id != plan_id
    section = await trainer.get(f"/clients/{world.client_id}/nutrition")
    assert "House plan" in section.text and "in force" in section.text and "Assign" in section.text
    mine = await me.get("/plan")
    assert (
        "Log this day" in mine.text
        and "Log lunch" in mine.text
        and "Egg, whole, raw, fresh" in mine.text
    )
    before = await me.get("/plan", params={"on": "2020-01-01"})
    assert "No meal plan for 1 January" in text(before) and 'aria-label="Next day"' in before.text
    r = await hx_post(me, "/plan/log", {"plan_id": assigned_id, "on": today, "meal": "Lunch"})
    assert r.status_code == 200 and "logged" in r.text and "In your diary" in r.text
    again = await hx_post(me, "/plan/log", {"plan_id": assigned_id, "on": today})
    assert again.status_code == 200
    day = await client.get(
        f"/api/v1/clients/{world.client_id}/diary",
        headers=world.client_self.headers,
        params={"on": today},
    )
    assert sum(len(m["entries"]) for m in day.json()["meals"]) == 1
    # The client reads their own plan, not another client's; no templates, no builder edits.
    assert (await me.get(f"/meal-plans/{assigned_id}")).status_code == 200
    assert (await me.get(f"/meal-plans/{plan_id}")).status_code == 404
    other = await logged_in(browser, world.client_other.email)
    assert (await other.get(f"/meal-plans/{assigned_id}")).status_code == 404
    refused = await hx_post(other, "/plan/log", {"plan_id": assigned_id, "on": today})
    assert refused.status_code == 422 or refused.status_code == 404
    edit = await hx_post(me, f"/meal-plans/{assigned_id}/edit", {"op": "add_day", "day_index": "0"})
    assert edit.status_code == 403


async def test_navigation(browser, world):  # noqa: F811
    trainer = await logged_in(browser, world.trainer.email)
    home = await trainer.get("/home")
    assert 'href="/meal-plans"' in home.text
    me = await logged_in(browser, world.client_self.email)
    mine = await me.get("/home")
    assert 'href="/plan"' in mine.text and 'href="/meal-plans"' not in mine.text
    assert (await me.get("/meal-plans")).status_code == 303


async def test_moving_an_item_in_the_builder(browser, client, world):  # noqa: F811
    trainer = await logged_in(browser, world.trainer.email)
    plan = await two_days(client, world.trainer)
    egg = meal(plan, 1, "Breakfast")["items"][0]
    lunch, dinner = meal(plan, 1, "Lunch"), meal(plan, 2, "Dinner")
    page = await trainer.get(f"/meal-plans/{plan['id']}")
    assert page.status_code == 200
    assert 'aria-label="Move Egg, whole, raw, fresh"' in page.text
    # One dialog lists every meal of every day.
    assert page.text.count('<dialog x-ref="move"') == 1
    assert f'<option value="{lunch["id"]}">Day 1 · Lunch</option>' in page.text
    assert f'<option value="{dinner["id"]}">Day 2 · Dinner</option>' in page.text
    url = f"/meal-plans/{plan['id']}/move"

    r = await hx_post(
        trainer, url, {"item_id": egg["id"], "meal_id": lunch["id"], "day_index": "0"}
    )
    assert r.status_code == 200 and 'id="plan"' in r.text and "<html" not in r.text
    assert "Moved Egg, whole, raw, fresh to Day 1 · Lunch." in text(r)
    # The moved item's Move button has the focus back; Lunch now counts the egg too.
    button = r.text.split(f'id="mv-{egg["id"]}"')[1].split(">Move</button>")[0]
    assert button.endswith(" autofocus")
    moved = await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=world.trainer.headers)
    assert egg["id"] in [i["id"] for i in meal(moved.json(), 1, "Lunch")["items"]]

    # To another day: the day on show stays, the message (focused) links to the other day.
    r = await hx_post(
        trainer, url, {"item_id": egg["id"], "meal_id": dinner["id"], "day_index": "0"}
    )
    assert r.status_code == 200 and "Moved Egg, whole, raw, fresh to Day 2 · Dinner." in text(r)
    assert re.search(r'class="alert alert-success n-moved"[^>]*autofocus', r.text)
    assert "Open day 2" in r.text and 'aria-current="page">Day 1' in r.text

    # A meal of another plan: refused on the page, nothing moved.
    other = await two_days(client, world.trainer, name="Other week")
    r = await hx_post(
        trainer,
        url,
        {"item_id": egg["id"], "meal_id": meal(other, 1, "Lunch")["id"], "day_index": "1"},
    )
    assert r.status_code == 422 and "alert-error" in r.text and "another meal plan" in r.text
    after = await client.get(f"/api/v1/meal-plans/{plan['id']}", headers=world.trainer.headers)
    assert [i["id"] for i in meal(after.json(), 2, "Dinner")["items"]] == [egg["id"]]
    r = await hx_post(trainer, url, {"item_id": "not-an-id", "meal_id": lunch["id"]})
    assert r.status_code == 404
    r = await hx_post(trainer, url, {"item_id": egg["id"], "meal_id": ""})
    assert r.status_code == 422 and "alert-error" in r.text

    # Without HTMX: back to the day with the message.
    r = await trainer.post(url, {"item_id": egg["id"], "meal_id": lunch["id"], "day_index": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"/meal-plans/{plan['id']}?day=2"
    assert "Moved Egg" in text(await trainer.get(r.headers["location"]))

    # The client reads their plan without Move buttons and cannot post a move.
    assigned = (await assign(client, world.trainer, plan["id"], world.client_id)).json()
    item = meal(assigned, 1, "Lunch")["items"][0]["id"]
    me = await logged_in(browser, world.client_self.email)
    mine = await me.get(f"/meal-plans/{assigned['id']}")
    assert mine.status_code == 200 and 'aria-haspopup="dialog"' not in mine.text
    move_url = f"/meal-plans/{assigned['id']}/move"
    r = await hx_post(
        me, move_url, {"item_id": item, "meal_id": meal(assigned, 1, "Breakfast")["id"]}
    )
    assert r.status_code == 403
    other_client = await logged_in(browser, world.client_other.email)
    r = await hx_post(other_client, move_url, {"item_id": item, "meal_id": lunch["id"]})
    assert r.status_code == 404
