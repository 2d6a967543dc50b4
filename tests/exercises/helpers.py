"""Builders for exercise tests (through the public API)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.builders import Account

API = "/api/v1"


def custom_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Landmine Press",
        "category": "strength",
        "level": "intermediate",
        "mechanic": "compound",
        "force": "push",
        "equipment": "barbell",
        "primary_muscles": ["shoulders"],
        "secondary_muscles": ["triceps", "chest"],
        "video_url": "https://video.example.com/landmine.mp4",
        "cues": ["Brace", "Press up and in"],
        "notes": "Shoulder-friendly pressing",
    }
    body.update(fields)
    return body


async def make_custom(client: httpx.AsyncClient, who: Account, **fields: Any) -> dict[str, Any]:
    r = await client.post(f"{API}/exercises", headers=who.headers, json=custom_body(**fields))
    assert r.status_code == 201, r.text
    return r.json()


async def search(client: httpx.AsyncClient, who: Account, **params: Any) -> list[dict[str, Any]]:
    r = await client.get(f"{API}/exercises", headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def shared_id(client: httpx.AsyncClient, who: Account, name: str) -> str:
    for item in await search(client, who, q=name, source="shared", limit=5):
        if item["name"] == name:
            return item["id"]
    raise AssertionError(f"no shared exercise named {name!r}")


async def walk(client: httpx.AsyncClient, who: Account, path: str, **params: Any) -> list[dict]:
    """Every item of a paginated list, following next_cursor."""
    items: list[dict] = []
    cursor = None
    for _ in range(200):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{API}{path}", headers=who.headers, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("pagination did not end")
