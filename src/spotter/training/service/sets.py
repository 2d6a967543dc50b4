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

import functools
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.errors import field_error
from spotter.core.permissions import Role
from spotter.core.tenancy import current_organization
from spotter.exercises import service as exercises
from spotter.exercises.index import Entry
from spotter.training import formulas
from spotter.training.errors import IdTaken, LoggedWorkoutNotFound, SetChanged, WorkoutDiscarded
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import SetIn, SetOut, WorkoutStatus
from spotter.training.service import derived
from spotter.training.service.workouts import touch, writable_workout

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


@functools.cache
def _workout_and_entry_query(role: Role | None) -> Any:
    """Built once per role (every set write runs it): the workouts row rule, with the
    caller, the workout and the exercise as bound parameters; and the client's records
    for that exercise (one row each), which a new set is checked against."""
    r = PersonalRecord
    return (
        sa.select(LoggedWorkout, LoggedExercise, *derived.RECORD_COLUMNS)
        .outerjoin(
            LoggedExercise,
            sa.and_(
                LoggedExercise.logged_workout_id == LoggedWorkout.id,
                LoggedExercise.id == sa.bindparam("entry", type_=sa.Uuid()),
            ),
        )
        .outerjoin(
            r,
            sa.and_(
                r.client_id == LoggedWorkout.client_id, r.exercise_id == LoggedExercise.exercise_id
            ),
        )
        .where(
            LoggedWorkout.client_id.in_(clients.visible_client_ids(role)),
            LoggedWorkout.id == sa.bindparam("workout", type_=sa.Uuid()),
        )
    )


async def _workout_and_entry(
    session: AsyncSession, principal: Principal, workout_id: uuid.UUID, entry_id: uuid.UUID
) -> tuple[LoggedWorkout, LoggedExercise, list[Any]]:
    """The caller's workout (row rule), one of its exercises and the client's records for
    that exercise, in one query."""
    params = {"viewer": principal.user_id, "workout": workout_id, "entry": entry_id}
    rows = (await session.execute(_workout_and_entry_query(principal.role), params)).all()
    if not rows:
        raise LoggedWorkoutNotFound()
    workout, entry = rows[0][0], rows[0][1]
    if workout.status == WorkoutStatus.DISCARDED:
        raise WorkoutDiscarded()
    if entry is None:
        raise field_error("logged_exercise_id", "no such exercise in this workout")
    return workout, entry, [tuple(row[2:]) for row in rows if row.kind is not None]


async def _insert(
    session: AsyncSession,
    workout: LoggedWorkout,
    entry: LoggedExercise,
    set_id: uuid.UUID,
    data: SetIn,
) -> LoggedSet | None:
    """Insert the set unless its id exists (anywhere: then None), in one statement."""
    position = data.position
    if position is None:
        last = await session.scalar(
            sa.select(sa.func.max(LoggedSet.position)).where(
                LoggedSet.logged_exercise_id == entry.id
            )
        )
        position = (last or 0) + 1
    values = {name: getattr(data, name) for name in _CONTENT}
    values.update(
        id=set_id,
        organization_id=current_organization(session),
        logged_workout_id=workout.id,
        logged_exercise_id=entry.id,
        client_id=workout.client_id,
        exercise_id=entry.exercise_id,
        performed_on=workout.performed_on,
        position=position,
        e1rm_kg=formulas.e1rm(data.load_kg, data.reps, rir=data.rir, rpe=data.rpe),
        volume_kg=formulas.set_volume(data.load_kg, data.reps),
    )
    stmt = _insert_query(session.get_bind().dialect.name)
    return (await session.scalars(stmt, [values])).first()


@functools.cache
def _insert_query(dialect: str) -> Any:
    """INSERT .. ON CONFLICT (id) DO NOTHING RETURNING, built once per dialect. The values
    go as parameters (not .values()): the statement compiles once and the tenancy check
    reads the organization from the parameters."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(LoggedSet).on_conflict_do_nothing(index_elements=["id"]).returning(LoggedSet)


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
    result = await _put(session, principal, workout_id, set_id, data)
    if result.records:
        result.names = await exercises.exercises_by_ids(session, ids={result.set.exercise_id})
    return result


async def _put(
    session: AsyncSession,
    principal: Principal,
    workout_id: uuid.UUID,
    set_id: uuid.UUID,
    data: SetIn,
) -> SetWrite:
    workout, entry, records = await _workout_and_entry(
        session, principal, workout_id, data.logged_exercise_id
    )
    problem = data.problem()
    if problem:
        raise field_error("reps", problem)
    created = await _insert(session, workout, entry, set_id, data)
    if created is not None:
        touch(workout)
        return SetWrite(created, True, True, await derived.on_new_set(session, created, records))
    existing = await session.get(LoggedSet, set_id)
    if existing is None or existing.logged_workout_id != workout.id:
        raise IdTaken("This set id is already used; generate a new one")
    if data.expected_revision is not None and data.expected_revision != existing.revision:
        raise SetChanged(current=_current(existing))
    if _same(existing, data, entry.id):
        return SetWrite(
            existing, False, False, await derived.records_of_sets(session, [existing.id])
        )
    touched = {
        (existing.exercise_id, existing.performed_on),
        (entry.exercise_id, existing.performed_on),
    }
    existing.logged_exercise_id, existing.exercise_id = entry.id, entry.exercise_id
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
