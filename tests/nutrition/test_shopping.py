"""Shopping lists through the API: a 4-week list from a 7-day plan added up by hand,
pantry staples apart, ticks kept on regenerate, manual items, CSV and PDF, validation and
who may do what."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import structlog.testing
from pypdf import PdfReader

from tests.builders import make_client_world
from tests.nutrition.helpers import CHICKEN, EGG, MILK, OATS, OIL, make_food, make_recipe
from tests.nutrition.shopping_helpers import Day, items, make_list, make_plan

API = "/api/v1"
MONDAY = date(2026, 3, 2)
EGGS = "Egg, whole, raw, fresh"
RICE_NAME = "Rice, white, long-grain, regular, enriched, cooked"
CHICKEN_NAME = "Chicken, broiler or fryers, breast, skinless, boneless, meat only, raw"
OIL_NAME = "Oil, olive, salad or cooking"
MILK_NAME = "Milk, whole, 3.25% milkfat, with added vitamin D"


async def week_plan(client, session, w, **fields):
    """7 days: 2 large eggs (100 g) for breakfast, a serving of egg fried rice for lunch
    (50 g egg, 158 g rice, 6.75 g olive oil), 200 g chicken on days 1, 3 and 5, 250 g milk
    on day 7."""
    rice = await make_recipe(client, w.trainer, "Egg fried rice")  # 2 servings
    days = []
    for n in range(1, 8):
        day = {"Breakfast": [("food", EGG, 100)], "Lunch": [("recipe", rice["id"], 1)]}
        if n in (1, 3, 5):
            day["Dinner"] = [("food", CHICKEN, 200)]
        if n == 7:
            day["Dinner"] = [("food", MILK, 250)]
        days.append(day)
    return await make_plan(
        session,
        organization_id=w.owner.organization_id,
        client_id=w.client_id,
        starts_on=MONDAY,
        days=days,
        **fields,
    )


async def test_a_four_week_list_adds_up_by_hand(client, outbox, session):
    w = await make_client_world(client, outbox)
    await week_plan(client, session, w)
    r = await client.put(
        f"{API}/clients/{w.client_id}/pantry",
        headers=w.client_self.headers,
        json={"food_ids": [OIL]},
    )
    assert r.status_code == 200 and r.json()["items"][0]["name"] == OIL_NAME, r.text
    listed = await make_list(
        client, w.client_self, w.client_id, starts_on="2026-03-02", ends_on="2026-03-29"
    )
    got = items(listed)
    # 28 days x (100 + 50) g of egg = 4200 g = 84 large eggs
    assert got[EGGS]["grams"] == pytest.approx(4200) and got[EGGS]["label"] == "84 eggs (large)"
    # 28 x 158 g = 4424 g -> 4.5 kg; 12 dinners x 200 g = 2.4 kg; 4 x 250 g milk = 969.6 ml
    assert got[RICE_NAME]["grams"] == pytest.approx(4424) and got[RICE_NAME]["label"] == "4.5 kg"
    assert got[CHICKEN_NAME]["label"] == "2.4 kg" and got[CHICKEN_NAME]["unit"] == "kg"
    assert got[MILK_NAME]["label"] == "970 ml"
    assert got[EGGS]["sources"] == ["Breakfast", "Egg fried rice"]
    assert [a["aisle"] for a in listed["aisles"]] == ["meat_fish", "dairy_eggs", "dry_goods"]
    # Olive oil is at home: 28 x 6.75 g = 189 g, listed apart
    (oil,) = listed["at_home"]
    assert oil["name"] == OIL_NAME and oil["grams"] == pytest.approx(189) and oil["at_home"]
    assert listed["items_total"] == 4 and listed["items_ticked"] == 0
    assert listed["name"] == "Shopping 2 Mar to 29 Mar"
    # Taking the oil off the pantry puts it back on the list at once.
    await client.put(
        f"{API}/clients/{w.client_id}/pantry", headers=w.client_self.headers, json={"food_ids": []}
    )
    again = (
        await client.get(f"{API}/shopping-lists/{listed['id']}", headers=w.trainer.headers)
    ).json()
    assert items(again)[OIL_NAME]["label"] == "210 ml"  # 189 g / 0.913 g/ml = 207 ml
    assert again["at_home"] == []


async def test_each_date_uses_the_plan_that_covers_it(client, outbox, session):
    w = await make_client_world(client, outbox)
    org = w.owner.organization_id
    await make_plan(
        session,
        organization_id=org,
        client_id=w.client_id,
        starts_on=MONDAY,
        ends_on=date(2026, 3, 8),
        days=[{"Breakfast": [("food", EGG, 50)]}],
    )
    await make_plan(
        session,
        organization_id=org,
        client_id=w.client_id,
        starts_on=date(2026, 3, 9),
        days=[{"Breakfast": [("food", OATS, 50)]}, {"Breakfast": []}],
    )
    listed = await make_list(
        client, w.trainer, w.client_id, starts_on="2026-03-06", ends_on="2026-03-15"
    )
    got = items(listed)
    # 6-8 March: the first plan, 3 eggs; 9-15 March: oats on plan days 1 (9, 11, 13, 15)
    assert got[EGGS]["label"] == "3 eggs (large)"
    assert got["Oats"]["grams"] == pytest.approx(200) and got["Oats"]["label"] == "200 g"


async def test_ticks_are_kept_when_the_list_is_regenerated(client, outbox, session):
    w = await make_client_world(client, outbox)
    plan = await week_plan(client, session, w)
    body = {"starts_on": "2026-03-02", "ends_on": "2026-03-08", "meal_plan_id": str(plan.id)}
    listed = await make_list(client, w.client_self, w.client_id, **body)
    eggs = items(listed)[EGGS]
    url = f"{API}/shopping-lists/{listed['id']}/items/{eggs['id']}"
    first = await client.put(url, headers=w.client_self.headers, json={"ticked": True})
    assert first.status_code == 200, first.text
    ticked = items(first.json())[EGGS]
    assert ticked["ticked"] and ticked["ticked_by_id"] == w.client_self.user_id
    # Idempotent: ticking again keeps who and when.
    second = await client.put(url, headers=w.trainer.headers, json={"ticked": True})
    assert items(second.json())[EGGS]["ticked_at"] == ticked["ticked_at"]
    assert second.json()["items_ticked"] == 1
    r = await client.post(
        f"{API}/shopping-lists/{listed['id']}/items",
        headers=w.client_self.headers,
        json={"name": "Kitchen roll", "label": "1 pack"},
    )
    assert r.status_code == 201 and items(r.json())["Kitchen roll"]["manual"], r.text
    again = await make_list(client, w.client_self, w.client_id, **body)
    assert again["id"] == listed["id"]
    assert items(again)[EGGS]["ticked"] and not items(again)[RICE_NAME]["ticked"]
    assert "Kitchen roll" in items(again)
    un = await client.put(
        f"{API}/shopping-lists/{listed['id']}/items/{items(again)[EGGS]['id']}",
        headers=w.client_self.headers,
        json={"ticked": False},
    )
    assert not items(un.json())[EGGS]["ticked"] and un.json()["items_ticked"] == 0
    lists = (
        await client.get(f"{API}/clients/{w.client_id}/shopping-lists", headers=w.trainer.headers)
    ).json()
    assert [entry["id"] for entry in lists] == [listed["id"]]
    manual = items(again)["Kitchen roll"]
    gone = await client.delete(
        f"{API}/shopping-lists/{listed['id']}/items/{manual['id']}", headers=w.client_self.headers
    )
    assert "Kitchen roll" not in items(gone.json())
    refused = await client.delete(
        f"{API}/shopping-lists/{listed['id']}/items/{items(again)[EGGS]['id']}",
        headers=w.client_self.headers,
    )
    assert refused.status_code == 422 and "meal plan" in refused.json()["detail"]
    r = await client.delete(f"{API}/shopping-lists/{listed['id']}", headers=w.client_self.headers)
    assert r.status_code == 204
    r = await client.get(f"{API}/shopping-lists/{listed['id']}", headers=w.client_self.headers)
    assert r.status_code == 404


async def test_csv_and_pdf(client, outbox, session):
    w = await make_client_world(client, outbox)
    await week_plan(client, session, w)
    await client.put(
        f"{API}/clients/{w.client_id}/pantry", headers=w.trainer.headers, json={"food_ids": [OIL]}
    )
    listed = await make_list(
        client, w.client_self, w.client_id, starts_on="2026-03-02", ends_on="2026-03-08"
    )
    eggs = items(listed)[EGGS]
    await client.put(
        f"{API}/shopping-lists/{listed['id']}/items/{eggs['id']}",
        headers=w.client_self.headers,
        json={"ticked": True},
    )
    r = await client.get(f"{API}/shopping-lists/{listed['id']}.csv", headers=w.client_self.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["group", "item", "quantity", "unit", "grams", "ticked"]
    by_item = {row["item"]: row for row in rows}
    # 7 x 150 g of egg = 21 large eggs
    assert by_item[EGGS] == {
        "group": "Dairy and eggs",
        "item": EGGS,
        "quantity": "21",
        "unit": "eggs (large)",
        "grams": "1050",
        "ticked": "yes",
    }
    assert by_item[CHICKEN_NAME]["quantity"] == "600" and by_item[CHICKEN_NAME]["unit"] == "g"
    assert by_item[OIL_NAME]["group"] == "At home"
    r = await client.get(f"{API}/shopping-lists/{listed['id']}.pdf", headers=w.trainer.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = pdf_text(r.content)
    for words in ("Meat and fish", "Dairy and eggs", "21 eggs (large)", "600 g", "At home"):
        assert words in text, words
    assert "Egg, whole, raw, fresh" in text and "1 of 4 ticked" in text


def pdf_text(pdf: bytes) -> str:
    """The text a reader would copy out of the PDF (through the fonts' Unicode maps)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_pdf_prints_every_script_in_the_embedded_font(client, outbox, session):
    """Accented Latin, Greek and Cyrillic names print as themselves in DejaVu Sans (not
    "?"), a glyph the bold face lacks comes from the regular one, what no shipped font has
    (CJK, emoji) prints as U+FFFD with a warning instead of failing or vanishing, and a
    long name wraps."""
    w = await make_client_world(client, outbox)
    names = ["Café crème", "Ηλιέλαιο", "Ćevapi", "Гречка", "Żurek łódzki", "鸡胸肉 💪"]
    foods = [await make_food(client, w.trainer, name) for name in names]
    days: list[Day] = [{"Lunch": [("custom", food["id"], 100.0) for food in foods]}]
    await make_plan(
        session,
        organization_id=w.owner.organization_id,
        client_id=w.client_id,
        starts_on=MONDAY,
        days=days,
    )
    sans_a = "\U0001d5a0"  # MATHEMATICAL SANS-SERIF CAPITAL A: in the regular face only
    title = f"Café crème week: Ψώνια, Покупки, {sans_a}"
    listed = await make_list(
        client, w.client_self, w.client_id, starts_on="2026-03-02", ends_on="2026-03-02", name=title
    )
    long_name = "Sparkling water, lemon and lime, " * 5 + "in glass bottles"
    for manual in ({"name": "Сметана", "label": "1 банка"}, {"name": long_name}):
        r = await client.post(
            f"{API}/shopping-lists/{listed['id']}/items", headers=w.client_self.headers, json=manual
        )
        assert r.status_code == 201, r.text
    url = f"{API}/shopping-lists/{listed['id']}.pdf"
    with structlog.testing.capture_logs() as logs:
        r = await client.get(url, headers=w.trainer.headers)
    assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.text
    assert 'filename="cafe-creme-week-a.pdf"' in r.headers["content-disposition"]
    text = pdf_text(r.content)
    for words in (*names[:-1], title, "Сметана", "1 банка", "100 g"):
        assert words in text, (words, text)
    assert "?" not in text and "\ufffd\ufffd\ufffd \ufffd" in text  # 鸡胸肉 💪
    assert long_name in " ".join(text.split()) and long_name not in text  # on two lines
    warned = [e for e in logs if e["event"] == "pdf.unprintable_characters"]
    assert [e["distinct"] for e in warned] == [4] and "鸡" not in str(warned)
    reader = PdfReader(io.BytesIO(r.content))
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    embedded = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts}
    assert embedded == {"DejaVuSansBook", "DejaVuSansBold"}
    assert reader.metadata is not None and reader.metadata.title == title
    again = await client.get(url, headers=w.trainer.headers)
    assert again.content == r.content  # the same list gives the same file


async def test_bad_input_is_refused_clearly(client, outbox, session):
    w = await make_client_world(client, outbox)
    await week_plan(client, session, w)
    other_plan = await make_plan(
        session,
        organization_id=w.owner.organization_id,
        client_id=w.other_client_id,
        starts_on=MONDAY,
        days=[{"Lunch": [("food", EGG, 50)]}],
    )
    url = f"{API}/clients/{w.client_id}/shopping-lists"
    cases = [
        ({"starts_on": "2026-03-08", "ends_on": "2026-03-02"}, "before starts_on"),
        ({"starts_on": "2026-03-02", "ends_on": "2026-04-27"}, "8 weeks"),  # 57 days
        (
            {
                "starts_on": "2026-03-02",
                "ends_on": "2026-03-08",
                "meal_plan_id": str(other_plan.id),
            },
            "no such meal plan",
        ),
        ({"starts_on": "2026-01-01", "ends_on": "2026-01-07"}, "covers"),
    ]
    for body, words in cases:
        r = await client.post(url, headers=w.trainer.headers, json=body)
        assert r.status_code == 422 and words in r.text, (body, r.text)
    ok = await client.post(
        url, headers=w.trainer.headers, json={"starts_on": "2026-03-02", "ends_on": "2026-04-26"}
    )
    assert ok.status_code == 201, ok.text  # 56 days
    first = ok.json()
    second = await make_list(
        client, w.trainer, w.client_id, starts_on="2026-03-02", ends_on="2026-03-03"
    )
    stranger = items(second)[EGGS]["id"]
    r = await client.put(
        f"{API}/shopping-lists/{first['id']}/items/{stranger}",
        headers=w.trainer.headers,
        json={"ticked": True},
    )
    assert r.status_code == 404 and r.json()["code"] == "shopping_item_not_found"
    r = await client.put(
        f"{API}/clients/{w.client_id}/pantry",
        headers=w.trainer.headers,
        json={"food_ids": [OIL, "018f0000-0000-7000-8000-000000000000"]},
    )
    assert r.status_code == 422 and "no such food" in r.text
    assert r.json()["errors"][0]["field"] == "food_ids.1"
    r = await client.put(
        f"{API}/shopping-lists/{first['id']}/items/{stranger}",
        headers=w.trainer.headers,
        json={"ticked": "maybe"},
    )
    assert r.status_code == 422


async def test_who_may_see_and_change_a_list(client, outbox, session):
    w = await make_client_world(client, outbox)
    await week_plan(client, session, w)
    listed = await make_list(
        client, w.trainer, w.client_id, starts_on="2026-03-02", ends_on="2026-03-08"
    )
    item = items(listed)[EGGS]["id"]
    read = f"{API}/shopping-lists/{listed['id']}"
    tick = f"{read}/items/{item}"
    expected = {
        "owner": (200, 200),
        "admin": (200, 200),
        "trainer_own": (200, 200),
        "trainer_other": (404, 404),
        "front_desk": (403, 403),
        "client_self": (200, 200),
        "client_other": (404, 404),
    }
    for actor, (can_read, can_tick) in expected.items():
        headers = w.actors()[actor]
        r = await client.get(read, headers=headers)
        assert r.status_code == can_read, (actor, r.text)
        r = await client.put(tick, headers=headers, json={"ticked": True})
        assert r.status_code == can_tick, (actor, r.text)
        r = await client.get(f"{API}/clients/{w.client_id}/shopping-lists", headers=headers)
        assert r.status_code == (can_read if actor != "front_desk" else 403), (actor, r.text)
    r = await client.post(
        f"{API}/clients/{w.client_id}/shopping-lists",
        headers=w.client_other.headers,
        json={"starts_on": "2026-03-02", "ends_on": "2026-03-08"},
    )
    assert r.status_code == 404
