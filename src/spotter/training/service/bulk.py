"""Workouts, their exercises and sets built in memory and written in bulk: imports, the
demo and the benchmarks write thousands of sets at once. The caller then rebuilds the
client's derived data (``derived.rebuild_client``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import new_id, utcnow
from spotter.training import formulas
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout

CHUNK = 500


@dataclass
class BulkLog:
    organization_id: uuid.UUID
    workouts: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)

    def workout(
        self,
        *,
        client_id: uuid.UUID,
        name: str,
        performed_on: date,
        started_at: datetime,
        duration_seconds: int | None,
        id: uuid.UUID | None = None,
        **fields: Any,
    ) -> uuid.UUID:
        """A completed workout (``fields``: source, notes, session_rpe, program ...)."""
        workout_id = id or new_id()
        self.workouts.append(
            {
                "id": workout_id,
                "organization_id": self.organization_id,
                "client_id": client_id,
                "name": name,
                "status": "completed",
                "source": "app",
                "performed_on": performed_on,
                "started_at": started_at,
                "completed_at": started_at + timedelta(seconds=duration_seconds or 0),
                "duration_seconds": duration_seconds,
                "created_at": started_at,
                "updated_at": utcnow(),
                **fields,
            }
        )
        return workout_id

    def exercise(
        self, *, workout_id: uuid.UUID, exercise_id: uuid.UUID, position: int, **fields: Any
    ) -> uuid.UUID:
        entry_id = new_id()
        self.entries.append(
            {
                "id": entry_id,
                "organization_id": self.organization_id,
                "logged_workout_id": workout_id,
                "position": position,
                "exercise_id": exercise_id,
                **fields,
            }
        )
        return entry_id

    def set(
        self,
        *,
        workout_id: uuid.UUID,
        entry_id: uuid.UUID,
        client_id: uuid.UUID,
        exercise_id: uuid.UUID,
        performed_on: date,
        position: int,
        reps: int | None,
        load_kg: float | None,
        done_at: datetime | None = None,
        **fields: Any,
    ) -> None:
        """A completed set (``fields``: set_type, rpe, duration_seconds, distance_m,
        notes); its estimated 1RM and volume are derived here, as on every write."""
        rpe = fields.get("rpe")
        now = done_at or utcnow()
        self.sets.append(
            {
                "id": new_id(),
                "organization_id": self.organization_id,
                "logged_workout_id": workout_id,
                "logged_exercise_id": entry_id,
                "client_id": client_id,
                "exercise_id": exercise_id,
                "performed_on": performed_on,
                "position": position,
                "set_type": "working",
                "status": "completed",
                "reps": reps,
                "load_kg": load_kg,
                "e1rm_kg": formulas.e1rm(load_kg, reps, rpe=rpe),
                "volume_kg": formulas.set_volume(load_kg, reps),
                "revision": 1,
                "created_at": now,
                "updated_at": now,
                **fields,
            }
        )

    async def write(self, session: AsyncSession) -> int:
        """Insert everything (in chunks); returns the number of sets written."""
        for model, values in (
            (LoggedWorkout, self.workouts),
            (LoggedExercise, self.entries),
            (LoggedSet, self.sets),
        ):
            for start in range(0, len(values), CHUNK):
                await session.execute(sa.insert(model), values[start : start + CHUNK])
        return len(self.sets)
