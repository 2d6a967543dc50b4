"""Moving a meal-plan item to another meal (same day or another day of the plan) through
the API: the row moves with its id, both meals are renumbered, totals follow; a meal of
another plan, another organization's plan, meal or item, and a client are refused and
change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.builders import Account, make_client_world, make_owner, table_snapshot
from tests.nutrition.helpers import CHICKEN, EGG
from tests.nutrition.test_plans import assign, day_of, make_plan

API = "/api/v1/meal-plans"
NOWHERE = "018f0000-0000-7000-8000-000000000000"


def food(food_id: str, grams: float) -> dict[str, Any]:
    return {"food_id": food_id, "quantity": grams, "unit": "g"}


async def two_days(client: httpx.AsyncClient, actor: Account, **fields: Any) -> dict[str, Any]:
    """Day 1: breakfast 100 g egg then 50 g egg, lunch 200 g chicken; day 2: dinner empty."""
    return await make_plan(
        client,
        actor,
        days=[
            day_of(
                ("Breakfast", [food(EGG, 100), food(EGG, 50)]),
                ("Lunch", [food(CHICKEN, 200)]),
            ),
            day_of(("Dinner", [])),
        ],
        **fields,
    )


def meal(plan: dict[str, Any], day: int, name: str) -> dict[str, Any]:
    return next(m for m in plan["days"][day - 1]["meals"] if m["name"] == name)


async def move(
    client: httpx.AsyncClient, actor: Account | dict[str, str], plan_id: str, item_id: str, **body
) -> httpx.Response:
    headers = actor if isinstance(actor, dict) else actor.headers
    return await client.post(f"{API}/{plan_id}/items/{item_id}/move", headers=headers, json=body)


async def test_an_item_moves_between_meals_and_days_with_its_id(client):
    owner = await make_owner(client)
    plan = await two_days(client, owner)
    breakfast, lunch = meal(plan, 1, "Breakfast"), meal(plan, 1, "Lunch")
    first, second = breakfast["items"]
    day1_kcal = plan["days"][0]["totals"]["energy_kcal"]

    # Within the day: the day's total stays, both meals' totals follow the item.
    r = await move(client, owner, plan["id"], first["id"], meal_id=lunch["id"], position=0)
    assert r.status_code == 200, r.text
    moved = r.json()
    assert [i["id"] for i in meal(moved, 1, "Lunch")["items"]] == [
        first["id"],
        lunch["items"][0]["id"],
    ]
    assert [i["id"] for i in meal(moved, 1, "Breakfast")["items"]] == [second["id"]]
    assert meal(moved, 1, "Breakfast")["totals"]["energy_kcal"] == pytest.approx(143 / 2)
    assert meal(moved, 1, "Lunch")["totals"]["energy_kcal"] == pytest.approx(
        lunch["totals"]["energy_kcal"] + 143
    )
    assert moved["days"][0]["totals"]["energy_kcal"] == pytest.approx(day1_kcal)

    # To another day, at the end (no position): both days' totals follow.
    dinner = meal(plan, 2, "Dinner")
    r = await move(client, owner, plan["id"], second["id"], meal_id=dinner["id"])
    assert r.status_code == 200, r.text
    moved = r.json()
    assert meal(moved, 1, "Breakfast")["items"] == []
    assert [i["id"] for i in meal(moved, 2, "Dinner")["items"]] == [second["id"]]
    assert moved["days"][1]["totals"]["energy_kcal"] == pytest.approx(143 / 2)
    assert moved["days"][0]["totals"]["energy_kcal"] == pytest.approx(day1_kcal - 143 / 2)

    # Reordering within a meal; what is read back is what was answered (positions saved).
    chicken = lunch["items"][0]["id"]
    r = await move(client, owner, plan["id"], chicken, meal_id=lunch["id"], position=0)
    assert [i["id"] for i in meal(r.json(), 1, "Lunch")["items"]] == [chicken, first["id"]]
    again = (await client.get(f"{API}/{plan['id']}", headers=owner.headers)).json()
    assert again["days"] == r.json()["days"]
    # Its own place again changes nothing.
    same = await move(client, owner, plan["id"], chicken, meal_id=lunch["id"], position=0)
    assert same.status_code == 200 and same.json()["days"] == again["days"]
    # The end of its own meal.
    r = await move(client, owner, plan["id"], chicken, meal_id=lunch["id"])
    assert [i["id"] for i in meal(r.json(), 1, "Lunch")["items"]] == [first["id"], chicken]


async def test_a_logged_item_keeps_its_diary_link_when_moved(client, outbox):
    w = await make_client_world(client, outbox)
    template = await two_days(client, w.trainer)
    plan = (await assign(client, w.trainer, template["id"], w.client_id)).json()
    item = meal(plan, 1, "Breakfast")["items"][0]
    logged = await client.post(
        f"{API}/{plan['id']}/log",
        headers=w.client_self.headers,
        json={"eaten_on": plan["starts_on"], "meals": ["Breakfast"]},
    )
    assert logged.status_code == 200, logged.text
    r = await move(client, w.trainer, plan["id"], item["id"], meal_id=meal(plan, 1, "Lunch")["id"])
    assert r.status_code == 200, r.text
    # Logging the day again adds only what was not logged: the moved item still counts.
    again = await client.post(
        f"{API}/{plan['id']}/log",
        headers=w.client_self.headers,
        json={"eaten_on": plan["starts_on"]},
    )
    entries = [e for m in again.json()["meals"] for e in m["entries"]]
    assert len(entries) == 3  # two eggs logged before, the chicken now


async def test_bad_moves_are_refused_and_change_nothing(client):
    owner = await make_owner(client)
    plan = await two_days(client, owner)
    other = await two_days(client, owner, name="Other week")
    item = meal(plan, 1, "Breakfast")["items"][0]["id"]
    lunch = meal(plan, 1, "Lunch")["id"]
    full = await make_plan(
        client, owner, name="Full", days=[day_of(("Snacks", [food(EGG, 10)] * 30))]
    )
    before = await table_snapshot(organization_id=owner.organization_id)
    cases = [
        # A meal of another plan of the organization: a clear 422 naming the field.
        ({"meal_id": meal(other, 1, "Lunch")["id"]}, item, 422, "invalid_input", "another"),
        ({"meal_id": NOWHERE}, item, 404, "meal_plan_meal_not_found", "No such meal"),
        # An item of another plan is not this plan's.
        (
            {"meal_id": lunch},
            meal(other, 1, "Breakfast")["items"][0]["id"],
            404,
            "meal_plan_item_not_found",
            "No such item",
        ),
        ({"meal_id": lunch, "position": 2}, item, 422, "invalid_input", "from 0 to 1"),
        ({"meal_id": lunch, "position": -1}, item, 422, "invalid_input", "position"),
        ({"position": 0}, item, 422, "invalid_input", "meal_id"),
        ({"meal_id": "lunch"}, item, 422, "invalid_input", "meal_id"),
    ]
    for body, item_id, status, code, words in cases:
        r = await move(client, owner, plan["id"], item_id, **body)
        assert r.status_code == status, (body, r.text)
        assert r.json()["code"] == code and words in r.text, (body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    r = await move(client, owner, plan["id"], item, meal_id=meal(full, 1, "Snacks")["id"])
    assert r.status_code == 422  # another plan's, whatever its size
    r = await move(
        client, owner, full["id"], meal(full, 1, "Snacks")["items"][0]["id"], meal_id=NOWHERE
    )
    assert r.status_code == 404
    assert await table_snapshot(organization_id=owner.organization_id) == before

    # A meal holds 30 items at most: a full one takes no more (its own items still move).
    grown = await make_plan(
        client,
        owner,
        name="Growing",
        days=[day_of(("Snacks", [food(EGG, 10)] * 30), ("Supper", [food(CHICKEN, 100)]))],
    )
    snacks, supper = meal(grown, 1, "Snacks"), meal(grown, 1, "Supper")
    r = await move(client, owner, grown["id"], supper["items"][0]["id"], meal_id=snacks["id"])
    assert r.status_code == 422 and "30 items" in r.text
    r = await move(
        client, owner, grown["id"], snacks["items"][29]["id"], meal_id=snacks["id"], position=0
    )
    assert (
        r.status_code == 200
        and meal(r.json(), 1, "Snacks")["items"][0]["id"] == (snacks["items"][29]["id"])
    )


async def test_another_organization_gets_404_for_plan_item_and_meal(client):
    mine = await make_owner(client)
    theirs = await make_owner(client)
    plan = await two_days(client, mine)
    foreign = await two_days(client, theirs)
    item = meal(plan, 1, "Breakfast")["items"][0]["id"]
    foreign_item = meal(foreign, 1, "Breakfast")["items"][0]["id"]
    foreign_meal = meal(foreign, 1, "Lunch")["id"]
    before = await table_snapshot(organization_id=theirs.organization_id)
    # Their plan, with their own ids.
    r = await move(client, mine, foreign["id"], foreign_item, meal_id=foreign_meal)
    assert r.status_code == 404 and r.json()["code"] == "meal_plan_not_found"
    # My plan, their item.
    r = await move(client, mine, plan["id"], foreign_item, meal_id=meal(plan, 1, "Lunch")["id"])
    assert r.status_code == 404 and r.json()["code"] == "meal_plan_item_not_found"
    # My plan and item, their meal: not found, never "another plan's".
    r = await move(client, mine, plan["id"], item, meal_id=foreign_meal)
    assert r.status_code == 404 and r.json()["code"] == "meal_plan_meal_not_found"
    assert await table_snapshot(organization_id=theirs.organization_id) == before


async def test_who_may_move_items(client, outbox):
    w = await make_client_world(client, outbox)
    template = await two_days(client, w.trainer)
    plan = (await assign(client, w.trainer, template["id"], w.client_id)).json()
    item = meal(plan, 1, "Breakfast")["items"][0]["id"]
    lunch, breakfast = meal(plan, 1, "Lunch")["id"], meal(plan, 1, "Breakfast")["id"]
    expected = {
        "client_self": 403,  # the client reads their plan, never changes it
        "client_other": 404,
        "trainer_other": 404,
        "front_desk": 404,  # no client nutrition at all
        "trainer_own": 200,
        "admin": 200,
        "owner": 200,
    }
    there = [lunch, breakfast]
    for actor, status in expected.items():
        headers = w.actors()[actor]
        if status == 200:
            there.reverse()  # back and forth
        r = await move(client, headers, plan["id"], item, meal_id=there[0], position=0)
        assert r.status_code == status, (actor, r.text)
        if actor == "client_self":
            assert r.json()["code"] == "meal_plan_read_only"
    # Trainers move items in their own templates, not in the organization's.
    house = await two_days(client, w.owner, name="House", organization_template=True)
    house_item = meal(house, 1, "Breakfast")["items"][0]["id"]
    house_lunch = meal(house, 1, "Lunch")["id"]
    r = await move(client, w.trainer, house["id"], house_item, meal_id=house_lunch)
    assert r.status_code == 403
    r = await move(client, w.admin, house["id"], house_item, meal_id=house_lunch)
    assert r.status_code == 200
    # An archived plan is kept as it was.
    await client.delete(f"{API}/{template['id']}", headers=w.trainer.headers)
    t_item = meal(template, 1, "Breakfast")["items"][0]["id"]
    r = await move(
        client, w.trainer, template["id"], t_item, meal_id=meal(template, 1, "Lunch")["id"]
    )
    assert r.status_code == 409 and r.json()["code"] == "meal_plan_archived"
