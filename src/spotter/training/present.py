"""ORM rows to response schemas (exercise names come from one batch lookup)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from spotter.core.units import KG_PER_LB
from spotter.exercises.index import Entry
from spotter.training.formulas import RECORD_LABELS, Bests
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import (
    DashboardOut,
    ExerciseOut,
    LiftOut,
    Point,
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


def log_state(
    w: LoggedWorkout,
    entries: Sequence[LoggedExercise],
    sets: Sequence[LoggedSet],
    records: Sequence[PersonalRecord],
    names: Names,
    bests: Mapping[uuid.UUID, Bests],
) -> dict[str, Any]:
    """What the logging page starts from (JSON): the workout, its exercises with their
    targets and sets, and each exercise's current bests (records can then be spotted on
    the device while it is offline)."""
    detail = workout(w, entries, sets, records, names)
    out = detail.model_dump(mode="json", include={"id", "name", "status", "performed_on"})
    out["started_at"] = w.started_at.isoformat()
    out["notes"] = w.notes or ""
    out["entries"] = []
    for e, shown in zip(entries, detail.entries, strict=True):
        best = bests.get(e.exercise_id) or Bests()
        item = shown.model_dump(
            mode="json",
            include={
                "id",
                "exercise_id",
                "exercise_name",
                "swapped_from_name",
                "group_label",
                "rest_seconds",
                "target",
                "sets",
            },
        )
        item["bests"] = {
            "load": best.load,
            "e1rm": best.e1rm,
            "volume": best.volume,
            "frontier": best.frontier,
        }
        out["entries"].append(item)
    return out


def _in(unit: str, kg: float) -> float:
    return round(kg / float(KG_PER_LB), 1) if unit == "lb" else round(kg, 1)


def _points(points: Sequence[Point], unit: str) -> list[dict[str, Any]]:
    return [{"x": p.on.isoformat(), "y": _in(unit, p.value)} for p in points]


def chart_data(d: DashboardOut, unit: str) -> dict[str, Any]:
    """The dashboard's data as its charts draw it, loads in the viewer's unit."""
    return {
        "client_id": str(d.client_id),
        "unit": unit,
        "from": d.from_on.isoformat(),
        "to": d.to_on.isoformat(),
        "bucket": d.bucket,
        "lift_bucket": d.lift_bucket,
        "lifts": [
            {
                "id": str(lift.exercise_id),
                "name": lift.name,
                "points": _points(lift.points, unit),
                "plateau": bool(lift.plateau and lift.plateau.plateaued),
            }
            for lift in d.lifts
        ],
        "volume": {
            "labels": [b.isoformat() for b in d.volume.buckets],
            "muscles": [{"name": m.name, "sets": m.sets} for m in d.volume.muscles],
            "tonnage": [_in(unit, v) for v in d.volume.tonnage_kg],
        },
        "adherence": {
            "labels": [b.isoformat() for b in d.adherence.buckets],
            "scheduled": d.adherence.scheduled,
            "completed": d.adherence.completed,
            "extra": d.adherence.extra,
        },
    }


def lift_chart(lift: LiftOut, unit: str) -> dict[str, Any]:
    return {
        "unit": unit,
        "from": lift.from_on.isoformat(),
        "to": lift.to_on.isoformat(),
        "bucket": lift.bucket,
        "e1rm": _points(lift.e1rm, unit),
        "max_load": _points(lift.max_load, unit),
    }
