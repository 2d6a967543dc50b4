"""Builders and known values for the nutrition tests."""

from __future__ import annotations

from typing import Any

import httpx

from spotter.nutrition.dataset import food_id, portion_id
from tests.builders import Account

EGG = str(food_id("01123"))  # Egg, whole, raw, fresh
CHICKEN = str(food_id("05062"))  # Chicken breast, skinless, boneless, meat only, raw
RICE = str(food_id("20045"))  # Rice, white, long-grain, regular, enriched, cooked
OIL = str(food_id("04053"))  # Oil, olive, salad or cooking
OATS = str(food_id("20038"))  # Oats
MILK = str(food_id("01077"))  # Milk, whole, 3.25% milkfat
EGG_LARGE = str(portion_id("01123", 1))  # "1 large" = 50 g
RICE_CUP = str(portion_id("20045", 1))


async def make_food(
    client: httpx.AsyncClient, actor: Account, name: str = "House granola", **fields: Any
) -> dict[str, Any]:
    body = {
        "name": name,
        "energy_kcal": 450,
        "protein_g": 10,
        "fat_g": 18,
        "carbohydrate_g": 60,
        **fields,
    }
    r = await client.post("/api/v1/foods", headers=actor.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def search(
    client: httpx.AsyncClient, actor: Account, q: str, **params: Any
) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/foods", headers=actor.headers, params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


HONEY = str(food_id("19296"))  # Honey: 1 tbsp = 21 g
OIL_TBSP = str(portion_id("04053", 1))  # "1 tablespoon" = 13.5 g


async def make_recipe(
    client: httpx.AsyncClient, actor: Account, name: str = "Egg fried rice", **fields: Any
) -> dict[str, Any]:
    body = {
        "name": name,
        "servings": 2,
        "ingredients": [
            {"food_id": EGG, "quantity": 2, "unit": EGG_LARGE},
            {"food_id": RICE, "quantity": 2, "unit": "cup"},
            {"food_id": OIL, "quantity": 1, "unit": "tbsp"},
        ],
        **fields,
    }
    r = await client.post("/api/v1/recipes", headers=actor.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def set_target(
    client: httpx.AsyncClient, actor: Account, client_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"energy_kcal": 2000, "protein_g": 150, "fat_g": 70, "carbohydrate_g": 190, **fields}
    r = await client.post(
        f"/api/v1/clients/{client_id}/nutrition/targets", headers=actor.headers, json=body
    )
    assert r.status_code == 201, r.text
    return r.json()


async def log(
    client: httpx.AsyncClient, actor: Account, client_id: str, **fields: Any
) -> dict[str, Any]:
    r = await client.post(
        f"/api/v1/clients/{client_id}/diary",
        headers=actor.headers,
        json={"meal": "Lunch", **fields},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def day(client: httpx.AsyncClient, actor: Account, client_id: str, on: str) -> dict[str, Any]:
    r = await client.get(
        f"/api/v1/clients/{client_id}/diary", headers=actor.headers, params={"on": on}
    )
    assert r.status_code == 200, r.text
    return r.json()


def png(size: tuple[int, int] = (320, 240), color: str = "orange") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()
