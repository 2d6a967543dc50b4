"""The shipped dataset and its idempotent loader (run by the data migration)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

import spotter
from spotter.exercises import service
from spotter.exercises.dataset import (
    CATEGORIES,
    EQUIPMENT,
    EXPECTED_ROWS,
    MUSCLES,
    library_id,
    load_library,
    read_dataset,
)
from spotter.exercises.models import (
    Equipment,
    Exercise,
    ExerciseCategory,
    ExerciseMuscle,
    Muscle,
)


def test_shipped_json_has_873_exercises():
    path = Path(spotter.__file__).parent / "data" / "exercises.json"
    rows = json.loads(path.read_text())
    assert len(rows) == EXPECTED_ROWS == 873 == len({r["id"] for r in rows})
    assert rows == read_dataset()
    assert all(len(r["primary_muscles"]) >= 1 for r in rows)


async def _counts(session) -> dict[str, int]:
    out = {}
    for model in (Exercise, ExerciseMuscle, ExerciseCategory, Muscle, Equipment):
        out[model.__tablename__] = await session.scalar(
            sa.select(sa.func.count()).select_from(model)
        )
    return out


async def test_migration_loaded_the_library(session):
    counts = await _counts(session)
    assert counts["exercises"] == 873
    assert counts["exercise_categories"] == len(CATEGORIES) == 9
    assert counts["muscles"] == len(MUSCLES) == 17
    assert counts["equipment"] == len(EQUIPMENT) == 12
    rows = read_dataset()
    # Nine rows also list their primary muscle as secondary: primary wins, one row each.
    assert (
        counts["exercise_muscles"]
        == sum(len(set(r["primary_muscles"]) | set(r["secondary_muscles"])) for r in rows)
        == 2574
    )
    squat = await session.scalar(sa.select(Exercise).where(Exercise.slug == "Barbell_Squat"))
    assert squat.id == library_id("exercise", "Barbell_Squat")  # the same everywhere
    assert squat.id.version == 7


async def test_loader_is_idempotent(session):
    before = await _counts(session)
    first = await session.run_sync(lambda s: load_library(s.connection()))
    second = await session.run_sync(lambda s: load_library(s.connection()))
    assert first.changed == 0 and second.changed == 0  # the migration already loaded it
    assert await _counts(session) == before
    assert before["exercises"] == 873


async def test_loader_updates_what_changed_and_nothing_else(session):
    rows = read_dataset()
    changed = [dict(r) for r in rows]
    changed[0] = {**changed[0], "name": "Renamed Sit-Up", "secondary_muscles": ["glutes"]}
    report = await session.run_sync(lambda s: load_library(s.connection(), changed))
    assert (report.inserted, report.updated, report.deleted) == (1, 1, 0)
    name = await session.scalar(sa.select(Exercise.name).where(Exercise.slug == rows[0]["id"]))
    assert name == "Renamed Sit-Up"
    report = await session.run_sync(lambda s: load_library(s.connection(), rows))
    assert (report.inserted, report.updated, report.deleted) == (0, 1, 1)
    assert (await _counts(session))["exercises"] == 873


async def test_loader_refuses_unknown_vocabulary(session):
    import pytest

    bad = [{**read_dataset()[0], "category": "yoga"}]
    with pytest.raises(ValueError, match="yoga"):
        await session.run_sync(lambda s: load_library(s.connection(), bad))


async def test_index_matches_the_database(session):
    service.forget_library()
    lib = await service.library(session)
    assert len(lib.entries) == 873
    assert len(lib.muscles) == 17 and len(lib.equipment) == 12
    assert lib.descendants("strength") == {
        "strength",
        "powerlifting",
        "olympic_weightlifting",
        "strongman",
    }
    assert await service.library(session) is lib  # built once per process
