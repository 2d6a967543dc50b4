"""Statement counts: the nutrition reads cost the same number of queries whatever the size
of the data (no N+1), and a food search is one statement besides authentication and the
catalogue versions it is kept under."""

from __future__ import annotations

from datetime import date
from typing import Any

from spotter.nutrition.service.search import _answers as kept_answers
from tests.builders import make_client, make_client_world, make_owner
from tests.nutrition.helpers import EGG, EGG_LARGE, log, make_food, make_recipe, set_target
from tests.progress.test_queries import count

API = "/api/v1"


async def test_a_search_is_one_statement_whatever_the_number_of_custom_foods(client, engine):
    small, large = await make_owner(client), await make_owner(client)
    await make_food(client, small, "Chicken stew")
    for n in range(25):
        await make_food(client, large, f"Chicken stew {n}", brand=f"Brand {n}")
    counts = {}
    for name, actor in (("small", small), ("large", large)):

        def call(a: Any = actor) -> Any:
            kept_answers.clear()  # a search asked for the first time
            return client.get(f"{API}/foods", headers=a.headers, params={"q": "chiken stew"})

        counts[name] = await count(engine, call)
    assert counts["small"] == counts["large"], counts
    # The catalogue versions, then the custom foods (every tier and spelling in one
    # statement), between the SAVEPOINT and RELEASE that stand in for the tests'
    # transaction; authentication is the lookup the worker kept from the warm-up request
    # (tests/test_auth_cache.py). Asked again, the versions alone
    # (tests/nutrition/test_search_kept.py).
    assert counts["small"] == 4, counts


async def test_a_head_that_comes_up_short_goes_on_in_the_same_statement(client, engine):
    """Whole words of the shared vocabulary that few custom foods have together: the head
    of the driver's rows cannot fill the page, and the full join follows in the same
    statement (not a second round trip)."""
    owner = await make_owner(client)
    for n in range(30):
        await make_food(client, owner, f"Chicken soup {n}")
    await make_food(client, owner, "Chicken rice bowl")

    asked = iter(("chicken rice", "rice chicken"))  # the warm-up's, then one not asked

    def call() -> Any:
        kept_answers.clear()
        return client.get(f"{API}/foods", headers=owner.headers, params={"q": next(asked)})

    assert await count(engine, call) == 4  # as test_a_search_is_one_statement_... counts


async def test_recipes_cost_the_same_for_one_and_many_nested(client, engine):
    """A page of recipes costs a few statements per level of nesting, not per recipe."""
    counts = []
    for bowls in (1, 6):
        owner = await make_owner(client)
        for n in range(bowls):
            base = await make_recipe(client, owner, f"Base {n}")
            food = await make_food(client, owner, f"Sauce {n}")
            await make_recipe(
                client,
                owner,
                f"Bowl {n}",
                ingredients=[
                    {"recipe_id": base["id"], "quantity": 1},
                    {"food_id": food["id"], "quantity": 30, "unit": "g"},
                ],
            )
        counts.append(
            await count(engine, lambda a=owner: client.get(f"{API}/recipes", headers=a.headers))
        )
    assert counts[0] == counts[1], counts


async def test_a_diary_day_and_the_adherence_overview_do_not_grow(client, outbox, engine):
    counts: dict[str, list[int]] = {}
    today = date.today().isoformat()
    for extra in (0, 6):
        w = await make_client_world(client, outbox)
        for i in range(extra):
            made = await make_client(
                client, w.owner, full_name=f"Extra {i}", trainer_id=w.trainer.user_id
            )
            await set_target(client, w.trainer, made["id"], effective_on="2026-01-01")
            await log(client, w.trainer, made["id"], eaten_on=today, quick={"energy_kcal": 500})
        await set_target(client, w.trainer, w.client_id, effective_on="2026-01-01")
        for _ in range(1 + extra * 3):
            await log(
                client,
                w.trainer,
                w.client_id,
                eaten_on=today,
                food_id=EGG,
                quantity=1,
                unit=EGG_LARGE,
            )
        h = w.trainer.headers
        calls = {
            "day": lambda h=h, c=w.client_id: client.get(
                f"{API}/clients/{c}/diary", headers=h, params={"on": today}
            ),
            "adherence": lambda h=h: client.get(f"{API}/nutrition/adherence", headers=h),
        }
        for name, call in calls.items():  # generating last: it replaces the items
            counts.setdefault(name, []).append(await count(engine, call))
    for name, (a, b) in counts.items():
        assert a == b, (name, counts)


async def test_reading_a_seven_day_plan_does_not_grow_with_its_items(client, engine):
    """A plan's days, meals, items, custom foods, recipes, the client's profile and targets:
    the same statements for one item a meal as for many."""
    counts = []
    for per_meal in (1, 4):
        owner = await make_owner(client)
        person = await make_client(client, owner)
        await set_target(client, owner, person["id"], effective_on="2026-01-01")
        items = []
        for n in range(per_meal):
            food = await make_food(client, owner, f"Bar {per_meal}-{n}")
            recipe = await make_recipe(client, owner, f"Rice {per_meal}-{n}")
            items += [
                {"food_id": food["id"], "quantity": 40, "unit": "g"},
                {"recipe_id": recipe["id"]},
                {"food_id": EGG, "quantity": 1, "unit": EGG_LARGE},
            ]
        meals = [{"name": m, "items": items} for m in ("Breakfast", "Lunch", "Dinner")]
        body = {"name": "Week", "days": [{"meals": meals} for _ in range(7)]}
        r = await client.post(f"{API}/meal-plans", headers=owner.headers, json=body)
        assert r.status_code == 201, r.text
        assigned = await client.post(
            f"{API}/meal-plans/{r.json()['id']}/assign",
            headers=owner.headers,
            json={"client_id": person["id"], "starts_on": "2026-01-05"},
        )
        plan_id = assigned.json()["id"]
        counts.append(
            await count(
                engine,
                lambda a=owner, p=plan_id: client.get(f"{API}/meal-plans/{p}", headers=a.headers),
            )
        )
    assert counts[0] == counts[1], counts


async def test_a_shopping_list_costs_the_same_for_one_week_and_four(
    client, outbox, session, engine
):
    """Generating (and regenerating) a list, reading it and ticking an item cost the same
    statements for 1 day of a 1-day plan as for 28 days of a 7-day plan."""
    from sqlalchemy import event

    from tests.nutrition.shopping_helpers import items, make_plan

    def day(n: int, recipe: str, food: str) -> dict[str, list[tuple[str, str, float]]]:
        return {
            "Breakfast": [("food", EGG, 50 + n), ("custom", food, 30)],
            "Lunch": [("recipe", recipe, 1 + n / 10)],
        }

    counts: dict[str, list[int]] = {}
    for days, last in ((1, "2026-03-02"), (7, "2026-03-29")):
        w = await make_client_world(client, outbox)
        base = await make_recipe(client, w.trainer, "Base")
        food = await make_food(client, w.trainer, "House granola")
        bowl = await make_recipe(
            client,
            w.trainer,
            "Bowl",
            ingredients=[
                {"recipe_id": base["id"], "quantity": 1},
                {"food_id": food["id"], "quantity": 40, "unit": "g"},
            ],
        )
        await make_plan(
            session,
            organization_id=w.owner.organization_id,
            client_id=w.client_id,
            starts_on=date(2026, 3, 2),
            days=[day(n, bowl["id"], food["id"]) for n in range(days)],
        )
        h = w.client_self.headers
        body = {"starts_on": "2026-03-02", "ends_on": last}
        url = f"{API}/clients/{w.client_id}/shopping-lists"
        listed = (await client.post(url, headers=h, json=body)).json()
        tick = f"{API}/shopping-lists/{listed['id']}/items/{items(listed)[food['name']]['id']}"
        calls = {
            "read": lambda i=listed["id"], h=h: client.get(f"{API}/shopping-lists/{i}", headers=h),
            "tick": lambda t=tick, h=h: client.put(t, headers=h, json={"ticked": True}),
            "generate": lambda u=url, h=h, b=body: client.post(u, headers=h, json=b),
        }
        for name, call in calls.items():  # generating last: it replaces the items
            seen = {"n": 0}

            def listener(*_: Any, seen: dict[str, int] = seen) -> None:
                seen["n"] += 1

            assert (await call()).status_code in (200, 201)
            event.listen(engine.sync_engine, "before_cursor_execute", listener)
            try:
                r = await call()
            finally:
                event.remove(engine.sync_engine, "before_cursor_execute", listener)
            assert r.status_code in (200, 201), r.text
            counts.setdefault(name, []).append(seen["n"])
    for name, (small, large) in counts.items():
        assert small == large, (name, counts)
