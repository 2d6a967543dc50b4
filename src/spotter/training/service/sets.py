"""Sets, written by id so a device can send the same set twice (a retry, a sync after
being offline) and it is stored once.

``put_set`` decides deliberately what a repeated id means:

* no set with that id: it is created (and checked for records);
* the same content again: nothing changes, and the answer is the stored set with the
  records it set (so a device whose first answer was lost still celebrates them);
* other content: it replaces the set (a correction), unless the writer says which
  ``expected_revision`` it last saw and the set has changed since: then 409
  ``set_changed`` with the current set, and nothing is written;
* an id used by a set of another workout (or anything of another organization): 409
  ``id_taken``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import field_error
from spotter.exercises import service as exercises
from spotter.exercises.index import Entry
from spotter.training import formulas
from spotter.training.errors import IdTaken, SetChanged
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import SetIn, SetOut
from spotter.training.service import derived
from spotter.training.service.workouts import insert_with_ids, touch, writable_workout

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

_CONTENT = (
    "set_type",
    "status",
    "reps",
    "load_kg",
    "rpe",
    "rir",
    "duration_seconds",
    "distance_m",
    "notes",
    "performed_at",
)


@dataclass
class SetWrite:
    set: LoggedSet
    created: bool
    changed: bool
    records: list[PersonalRecord]
    names: dict[uuid.UUID, Entry] = field(default_factory=dict)


def _apply(s: LoggedSet, data: SetIn) -> None:
    for name in _CONTENT:
        setattr(s, name, getattr(data, name))
    s.e1rm_kg = formulas.e1rm(s.load_kg, s.reps, rir=s.rir, rpe=s.rpe)
    s.volume_kg = formulas.set_volume(s.load_kg, s.reps)


def _same(s: LoggedSet, data: SetIn, entry_id: uuid.UUID) -> bool:
    content = data.content()
    return (
        s.logged_exercise_id == entry_id
        and (data.position is None or data.position == s.position)
        and all(getattr(s, name) == content[name] for name in _CONTENT)
    )


async def _entry(
    session: AsyncSession, workout: LoggedWorkout, entry_id: uuid.UUID
) -> LoggedExercise:
    entry = await session.scalar(
        sa.select(LoggedExercise).where(
            LoggedExercise.id == entry_id, LoggedExercise.logged_workout_id == workout.id
        )
    )
    if entry is None:
        raise field_error("logged_exercise_id", "no such exercise in this workout")
    return entry


async def _next_position(session: AsyncSession, entry_id: uuid.UUID) -> int:
    last = await session.scalar(
        sa.select(sa.func.max(LoggedSet.position)).where(LoggedSet.logged_exercise_id == entry_id)
    )
    return 1 if last is None else last + 1


async def put_set(
    session: AsyncSession,
    *,
    principal: Principal,
    workout_id: uuid.UUID,
    set_id: uuid.UUID,
    data: SetIn,
) -> SetWrite:
    """The set, whether it was created or changed, and the records it sets (with the
    exercise's library entry, to name them). See the module notes."""
    result = await _put(
        session, principal=principal, workout_id=workout_id, set_id=set_id, data=data
    )
    if result.records:
        result.names = await exercises.exercises_by_ids(session, ids={result.set.exercise_id})
    return result


async def _put(
    session: AsyncSession,
    *,
    principal: Principal,
    workout_id: uuid.UUID,
    set_id: uuid.UUID,
    data: SetIn,
) -> SetWrite:
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    problem = data.problem()
    if problem:
        raise field_error("reps", problem)
    existing = await session.get(LoggedSet, set_id)
    if existing is not None and existing.logged_workout_id != workout.id:
        raise IdTaken("This set id belongs to another workout; generate a new one")
    if existing is None:
        entry = await _entry(session, workout, data.logged_exercise_id)
        s = LoggedSet(
            id=set_id,
            logged_workout_id=workout.id,
            logged_exercise_id=entry.id,
            client_id=workout.client_id,
            exercise_id=entry.exercise_id,
            performed_on=workout.performed_on,
            position=data.position or await _next_position(session, entry.id),
        )
        _apply(s, data)
        await insert_with_ids(session, s)
        touch(workout)
        return SetWrite(s, True, True, await derived.on_new_set(session, s))
    if data.expected_revision is not None and data.expected_revision != existing.revision:
        raise SetChanged(current=_current(existing))
    if _same(existing, data, data.logged_exercise_id):
        return SetWrite(
            existing, False, False, await derived.records_of_sets(session, [existing.id])
        )
    touched = {(existing.exercise_id, existing.performed_on)}
    if data.logged_exercise_id != existing.logged_exercise_id:
        entry = await _entry(session, workout, data.logged_exercise_id)
        existing.logged_exercise_id, existing.exercise_id = entry.id, entry.exercise_id
        touched.add((entry.exercise_id, existing.performed_on))
    if data.position is not None:
        existing.position = data.position
    _apply(existing, data)
    existing.revision += 1
    touch(workout)
    await derived.refresh(session, workout.client_id, touched)
    return SetWrite(existing, False, True, await derived.records_of_sets(session, [existing.id]))


def _current(s: LoggedSet) -> dict[str, Any]:
    return SetOut.model_validate(s).model_dump(mode="json")


async def delete_set(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, set_id: uuid.UUID
) -> None:
    """Delete a set; deleting one that is not there (any more) is not an error, so a
    device may send the same delete twice."""
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    s = await session.scalar(
        sa.select(LoggedSet).where(
            LoggedSet.id == set_id, LoggedSet.logged_workout_id == workout.id
        )
    )
    if s is None:
        return
    touched = {(s.exercise_id, s.performed_on)}
    await session.delete(s)
    touch(workout)
    await derived.refresh(session, workout.client_id, touched)
