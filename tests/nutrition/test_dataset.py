"""The shipped USDA data: counts, values pinned to rows of the CSV, unknown kept unknown,
idempotent loading."""

from __future__ import annotations

import sqlalchemy as sa

from spotter.nutrition.dataset import (
    EXPECTED_FOODS,
    EXPECTED_PORTIONS,
    food_id,
    load_foods,
    read_foods,
    read_portions,
)
from spotter.nutrition.models import Food, FoodGroup, FoodPortion
from tests.builders import make_owner
from tests.nutrition.helpers import CHICKEN, EGG, RICE


async def test_counts(session):
    assert await session.scalar(sa.select(sa.func.count()).select_from(Food)) == EXPECTED_FOODS
    portions = await session.scalar(sa.select(sa.func.count()).select_from(FoodPortion))
    assert portions == EXPECTED_PORTIONS == 15438
    assert await session.scalar(sa.select(sa.func.count()).select_from(FoodGroup)) == 25
    assert len(read_foods()) == EXPECTED_FOODS and len(read_portions()) == EXPECTED_PORTIONS


async def test_blank_cells_are_unknown_not_zero(session):
    # SR28 leaves fibre blank for 594 foods, sugars for 1,832, sodium for 83.
    nulls = {
        column: await session.scalar(
            sa.select(sa.func.count()).select_from(Food).where(getattr(Food, column).is_(None))
        )
        for column in ("energy_kcal", "fiber_g", "sugars_g", "sodium_mg")
    }
    assert nulls == {"energy_kcal": 0, "fiber_g": 594, "sugars_g": 1832, "sodium_mg": 83}


async def test_loading_again_changes_nothing(session):
    conn = await session.connection()
    report = await conn.run_sync(lambda c: load_foods(c))
    assert report.changed == 0


async def test_values_match_the_usda_rows(client):
    owner = await make_owner(client)
    expected = {
        # ndb: (kcal, protein, fat, carbohydrate, fibre, sugars, sodium) from foods.csv
        EGG: (143, 12.56, 9.51, 0.72, 0, 0.37, 142),
        CHICKEN: (120, 22.5, 2.62, 0, 0, 0, 45),
        RICE: (130, 2.69, 0.28, 28.17, 0.4, 0.05, 1),
    }
    for food, values in expected.items():
        r = await client.get(f"/api/v1/foods/{food}", headers=owner.headers)
        assert r.status_code == 200, r.text
        per = r.json()["per_100g"]
        got = tuple(
            per[n]
            for n in (
                "energy_kcal",
                "protein_g",
                "fat_g",
                "carbohydrate_g",
                "fiber_g",
                "sugars_g",
                "sodium_mg",
            )
        )
        assert got == values


async def test_unknown_reaches_the_api_as_null(client):
    owner = await make_owner(client)
    row = next(r for r in read_foods() if r["fiber_g"] == "" and r["sugars_g"] == "")
    r = await client.get(f"/api/v1/foods/{food_id(row['ndb_no'])}", headers=owner.headers)
    per = r.json()["per_100g"]
    assert per["fiber_g"] is None and per["sugars_g"] is None
    assert per["energy_kcal"] == float(row["energy_kcal"])


async def test_portions_and_units_of_a_food(client):
    owner = await make_owner(client)
    egg = (await client.get(f"/api/v1/foods/{EGG}", headers=owner.headers)).json()
    assert egg["ndb_no"] == "01123" and egg["food_group"]["slug"] == "dairy_egg"
    labels = [p["label"] for p in egg["portions"]]
    assert labels[:2] == ["1 large", "1 extra large"]
    units = {u["unit"]: u for u in egg["units"]}
    assert units["piece"]["grams"] == 44  # medium
    assert units["cup"]["grams"] == 243  # "1 cup (4.86 large eggs)"
    assert egg["allergens"] == ["egg"] and "vegetarian" in egg["diets"]
    assert "vegan" not in egg["diets"] and "keto" in egg["diets"]
