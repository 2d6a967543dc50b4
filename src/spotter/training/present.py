"""ORM rows to response schemas (exercise names come from one batch lookup)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from spotter.exercises.index import Entry
from spotter.training.formulas import RECORD_LABELS
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import (
    ExerciseOut,
    RecordOut,
    SetOut,
    SetWriteOut,
    WorkoutOut,
    WorkoutSummary,
)

if TYPE_CHECKING:
    from spotter.training.service.sets import SetWrite

Names = Mapping[uuid.UUID, Entry]


def record(r: PersonalRecord, names: Names | None = None) -> RecordOut:
    entry = (names or {}).get(r.exercise_id)
    return RecordOut(
        id=r.id,
        exercise_id=r.exercise_id,
        exercise_name=entry.name if entry else None,
        set_id=r.set_id,
        logged_workout_id=r.logged_workout_id,
        kind=r.kind,  # type: ignore[arg-type]
        label=RECORD_LABELS[r.kind],
        value=r.value,
        previous_value=r.previous_value,
        load_kg=r.load_kg,
        reps=r.reps,
        achieved_on=r.achieved_on,
    )


def entry(e: LoggedExercise, names: Names, sets: Sequence[LoggedSet]) -> ExerciseOut:
    out = ExerciseOut.model_validate(e)
    found = names.get(e.exercise_id)
    out.exercise_name = found.name if found else None
    out.primary_muscles = list(found.primary_muscles) if found else []
    if e.swapped_from_id is not None:
        original = names.get(e.swapped_from_id)
        out.swapped_from_name = original.name if original else None
    out.sets = [SetOut.model_validate(s) for s in sets]
    return out


def set_write(result: SetWrite) -> SetWriteOut:
    return SetWriteOut(
        set=SetOut.model_validate(result.set),
        created=result.created,
        changed=result.changed,
        records=[record(r, result.names) for r in result.records],
    )


def summary(w: LoggedWorkout, counts: Mapping[str, float] | None = None) -> WorkoutSummary:
    out = WorkoutSummary.model_validate(w)
    if counts:
        out.exercises = int(counts.get("exercises", 0))
        out.sets = int(counts.get("sets", 0))
        out.tonnage_kg = round(float(counts.get("tonnage_kg", 0.0)), 1)
        out.records = int(counts.get("records", 0))
    return out


def workout(
    w: LoggedWorkout,
    entries: Sequence[LoggedExercise],
    sets: Sequence[LoggedSet],
    records: Sequence[PersonalRecord],
    names: Names,
) -> WorkoutOut:
    by_entry: dict[uuid.UUID, list[LoggedSet]] = {}
    for s in sets:
        by_entry.setdefault(s.logged_exercise_id, []).append(s)
    counted = [s for s in sets if s.status == "completed" and s.set_type != "warm_up"]
    base = summary(
        w,
        {
            "exercises": len(entries),
            "sets": len(counted),
            "tonnage_kg": sum(s.volume_kg or 0.0 for s in counted),
            "records": len(records),
        },
    )
    return WorkoutOut(
        **base.model_dump(),
        entries=[entry(e, names, by_entry.get(e.id, [])) for e in entries],
        new_records=[record(r, names) for r in records],
    )
