"""Builders for program tests (through the public API)."""

from __future__ import annotations

from typing import Any

import httpx

from spotter.exercises.dataset import library_id
from tests.builders import Account

API = "/api/v1"
SQUAT = str(library_id("exercise", "Barbell_Squat"))
BENCH = str(library_id("exercise", "Barbell_Bench_Press_-_Medium_Grip"))
PULLUP = str(library_id("exercise", "Pullups"))
PLANK = str(library_id("exercise", "Plank"))


def rx(exercise_id: str = SQUAT, **fields: Any) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "sets": 3, "reps": 5, "load_kg": 100, **fields}


def template_body(**fields: Any) -> dict[str, Any]:
    """Two phases (3 and 2 weeks); phase 1 has two workouts, one with a superset."""
    body: dict[str, Any] = {
        "name": "Strength Base",
        "goal": "strength",
        "level": "intermediate",
        "phases": [
            {
                "name": "Accumulation",
                "weeks": 3,
                "focus": "volume",
                "workouts": [
                    {
                        "name": "Day A",
                        "prescriptions": [
                            rx(
                                SQUAT,
                                reps=None,
                                reps_min=5,
                                reps_max=7,
                                load_kg=100,
                                progression={"kind": "double_progression", "increment_kg": 5},
                            ),
                            rx(BENCH, group_label="A", tempo="3-1-1-0", rest_seconds=90),
                            rx(PULLUP, group_label="A", load_kg=None, rir=2),
                        ],
                    },
                    {
                        "name": "Day B",
                        "prescriptions": [
                            rx(
                                BENCH,
                                load_kg=60,
                                progression={"kind": "linear_load", "increment_kg": 2.5},
                            ),
                            rx(PLANK, reps=None, load_kg=None, duration_seconds=60),
                        ],
                    },
                ],
            },
            {
                "name": "Intensification",
                "weeks": 2,
                "workouts": [
                    {
                        "name": "Heavy",
                        "prescriptions": [
                            rx(
                                SQUAT,
                                load_kg=None,
                                percent_1rm=80,
                                progression={"kind": "percentage_steps", "steps": [80, 85]},
                            )
                        ],
                    }
                ],
            },
        ],
    }
    body.update(fields)
    return body


async def make_template(client: httpx.AsyncClient, who: Account, **fields: Any) -> dict[str, Any]:
    r = await client.post(f"{API}/templates", headers=who.headers, json=template_body(**fields))
    assert r.status_code == 201, r.text
    return r.json()


async def assign(
    client: httpx.AsyncClient,
    who: Account,
    template_id: str,
    client_id: str,
    *,
    mode: str = "DYNAMIC_PROGRESSIVE",
    start_on: str = "2026-01-05",  # a Monday
    training_days: list[Any] | None = None,
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/templates/{template_id}/assign",
        headers=who.headers,
        json={
            "client_id": client_id,
            "mode": mode,
            "start_on": start_on,
            "training_days": training_days or ["mon", "thu"],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()
