"""Builders for training-log tests (through the public API)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from spotter.exercises.dataset import library_id
from tests.builders import Account

API = "/api/v1"
SQUAT = str(library_id("exercise", "Barbell_Squat"))
BENCH = str(library_id("exercise", "Barbell_Bench_Press_-_Medium_Grip"))
DEADLIFT = str(library_id("exercise", "Barbell_Deadlift"))
PULLUP = str(library_id("exercise", "Pullups"))
PLANK = str(library_id("exercise", "Plank"))


def headers(who: Account | dict[str, str]) -> dict[str, str]:
    return who if isinstance(who, dict) else who.headers


async def start(
    client: httpx.AsyncClient, who: Account | dict[str, str], client_id: str | None, **fields: Any
) -> dict[str, Any]:
    body = {"client_id": client_id, **fields} if client_id else fields
    r = await client.post(f"{API}/workouts", headers=headers(who), json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def add_exercise(
    client: httpx.AsyncClient, who: Account | dict[str, str], workout_id: str, exercise_id: str
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/workouts/{workout_id}/exercises",
        headers=headers(who),
        json={"exercise_id": exercise_id},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def put_set(
    client: httpx.AsyncClient,
    who: Account | dict[str, str],
    workout_id: str,
    entry_id: str,
    *,
    set_id: str | None = None,
    expect: int | tuple[int, ...] = (200, 201),
    **fields: Any,
) -> dict[str, Any]:
    set_id = set_id or str(uuid.uuid4())
    body = {"logged_exercise_id": entry_id, **fields}
    r = await client.put(
        f"{API}/workouts/{workout_id}/sets/{set_id}", headers=headers(who), json=body
    )
    expected = (expect,) if isinstance(expect, int) else expect
    assert r.status_code in expected, r.text
    return r.json()


async def complete(
    client: httpx.AsyncClient, who: Account | dict[str, str], workout_id: str, **fields: Any
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/workouts/{workout_id}/complete", headers=headers(who), json=fields or None
    )
    assert r.status_code == 200, r.text
    return r.json()


async def quick_workout(
    client: httpx.AsyncClient,
    who: Account | dict[str, str],
    client_id: str,
    sets: list[tuple[float, int]],
    *,
    exercise_id: str = SQUAT,
    performed_on: str | None = None,
    finish: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A free-style workout of one exercise with (load, reps) sets; the set answers."""
    fields = {"performed_on": performed_on} if performed_on else {}
    workout = await start(client, who, client_id, **fields)
    entry = await add_exercise(client, who, workout["id"], exercise_id)
    answers = [
        await put_set(client, who, workout["id"], entry["id"], load_kg=kg, reps=n) for kg, n in sets
    ]
    if finish:
        await complete(client, who, workout["id"], session_rpe=8)
    return workout, answers
