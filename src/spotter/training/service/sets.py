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
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.core.db import dialect_insert, utcnow
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
    w, e = LoggedWorkout, LoggedExercise
    return (
        sa.select(
            w.id,
            w.client_id,
            w.performed_on,
            w.status,
            e.id,
            e.exercise_id,
            *derived.RECORD_COLUMNS,
        )
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


class _Target(NamedTuple):
    """Where a set goes: its workout and the workout's exercise (columns, not entities:
    loading objects costs more than this write's statements)."""

    workout_id: uuid.UUID
    client_id: uuid.UUID
    performed_on: date
    entry_id: uuid.UUID
    exercise_id: uuid.UUID


async def _workout_and_entry(
    session: AsyncSession, principal: Principal, workout_id: uuid.UUID, entry_id: uuid.UUID
) -> tuple[_Target, list[Any]]:
    """The caller's workout (row rule), one of its exercises and the client's records for
    that exercise, in one query."""
    params = {"viewer": principal.user_id, "workout": workout_id, "entry": entry_id}
    rows = (await session.execute(_workout_and_entry_query(principal.role), params)).all()
    if not rows:
        raise LoggedWorkoutNotFound()
    workout, client, day, status, entry, exercise = rows[0][:6]
    if status == WorkoutStatus.DISCARDED:
        raise WorkoutDiscarded()
    if entry is None:
        raise field_error("logged_exercise_id", "no such exercise in this workout")
    records = [tuple(row[6:]) for row in rows if row.kind is not None]
    return _Target(workout, client, day, entry, exercise), records


_SETS = cast(sa.Table, LoggedSet.__table__)
_WORKOUTS = cast(sa.Table, LoggedWorkout.__table__)
# Marks the workout changed (``workouts.touch``, what kept dashboards check) without
# loading it into the unit of work.
_TOUCH = (
    sa.update(_WORKOUTS)
    .where(
        _WORKOUTS.c.id == sa.bindparam("set_logged_workout_id"),
        _WORKOUTS.c.organization_id == sa.bindparam("set_organization_id"),
    )
    .values(updated_at=sa.bindparam("touched_at"))
)


@functools.cache
def _new_set_statement(dialect: str) -> Any:
    """INSERT .. ON CONFLICT (id) DO NOTHING, built once per dialect; it returns a row
    only when the set was new. On PostgreSQL the same statement also marks the workout
    changed and counts the set in its day row, in data-modifying CTEs that write only
    when the set was inserted: the whole write is one round trip. SQLite has no such
    CTEs: there, ``_insert`` runs those two after it."""
    insert = dialect_insert(dialect)
    if dialect != "postgresql":  # the values come from the parameters, named as the columns
        return insert(_SETS).on_conflict_do_nothing(index_elements=["id"]).returning(_SETS.c.id)
    new = (
        insert(_SETS)
        .values({c: sa.bindparam(f"set_{c.name}", type_=c.type) for c in _SETS.c})
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(_SETS.c.id)
        .cte("new_set")
    )
    inserted = sa.exists(sa.select(new.c.id))
    touched = _TOUCH.where(inserted).returning(_WORKOUTS.c.id).cte("touched")
    only_if = sa.and_(sa.bindparam("counts", type_=sa.Boolean), inserted)
    counted = derived.day_upsert(dialect, only_if=only_if).returning(sa.literal(1)).cte("counted")
    return sa.select(new.c.id).add_cte(touched, counted)


def _new_set(
    session: AsyncSession, target: _Target, set_id: uuid.UUID, position: int, data: SetIn
) -> LoggedSet:
    """The set as it will be stored, outside the unit of work (``_insert`` writes it). Its
    values go straight into the instance's dict, as the ORM loads a row: the constructor's
    attribute events were 3% of a new set's CPU in process."""
    now = utcnow()
    values = dict(
        {name: getattr(data, name) for name in _CONTENT},
        id=set_id,
        organization_id=current_organization(session),
        created_at=now,
        updated_at=now,
        logged_workout_id=target.workout_id,
        logged_exercise_id=target.entry_id,
        client_id=target.client_id,
        exercise_id=target.exercise_id,
        performed_on=target.performed_on,
        position=position,
        e1rm_kg=formulas.e1rm(data.load_kg, data.reps, rir=data.rir, rpe=data.rpe),
        volume_kg=formulas.set_volume(data.load_kg, data.reps),
        revision=1,
    )
    new: LoggedSet = sa.inspect(LoggedSet).class_manager.new_instance()
    new.__dict__.update(values)
    return new


def _touch_params(session: AsyncSession, workout_id: uuid.UUID) -> dict[str, Any]:
    return {
        "set_logged_workout_id": workout_id,
        "set_organization_id": current_organization(session),
        "touched_at": utcnow(),
    }


async def _insert(session: AsyncSession, s: LoggedSet, *, count: bool) -> bool:
    """Insert the set unless its id exists (anywhere: then False), mark its workout
    changed and, when ``count``, add it to its day row."""
    values = {c.name: getattr(s, c.key) for c in _SETS.c}
    touch = _touch_params(session, s.logged_workout_id)
    day = derived.day_params(s)
    dialect = session.get_bind().dialect.name
    stmt = _new_set_statement(dialect)
    if dialect == "postgresql":
        params = {f"set_{k}": v for k, v in values.items()} | touch | {"counts": count}
        params |= {f"day_{k}": v for k, v in day.items()}
        return (await session.execute(stmt, params)).first() is not None
    if (await session.execute(stmt, values)).first() is None:
        return False
    await session.execute(_TOUCH, touch)
    if count:
        await session.execute(derived.day_upsert(dialect), day)
    return True


async def _position(session: AsyncSession, entry_id: uuid.UUID, data: SetIn) -> int:
    """The set's number: the one sent, else after the exercise's last set."""
    if data.position is not None:
        return data.position
    last = await session.scalar(
        sa.select(sa.func.max(LoggedSet.position)).where(LoggedSet.logged_exercise_id == entry_id)
    )
    return (last or 0) + 1


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
    target, records = await _workout_and_entry(
        session, principal, workout_id, data.logged_exercise_id
    )
    problem = data.problem()
    if problem:
        raise field_error("reps", problem)
    position = await _position(session, target.entry_id, data)
    s = _new_set(session, target, set_id, position, data)
    counts = formulas.counts(s.set_type, s.status)
    found = derived.new_records(s, records) if counts else []
    if await _insert(session, s, count=counts and found is not None):
        return SetWrite(s, True, True, await _store_records(session, s, found))
    existing = await session.get(LoggedSet, set_id)
    if existing is None or existing.logged_workout_id != target.workout_id:
        raise IdTaken("This set id is already used; generate a new one")
    if data.expected_revision is not None and data.expected_revision != existing.revision:
        raise SetChanged(current=_current(existing))
    if _same(existing, data, target.entry_id):
        return SetWrite(
            existing, False, False, await derived.records_of_sets(session, [existing.id])
        )
    touched = {
        (existing.exercise_id, existing.performed_on),
        (target.exercise_id, existing.performed_on),
    }
    existing.logged_exercise_id, existing.exercise_id = target.entry_id, target.exercise_id
    if data.position is not None:
        existing.position = data.position
    _apply(existing, data)
    existing.revision += 1
    await session.execute(_TOUCH, _touch_params(session, target.workout_id))
    await derived.refresh(session, target.client_id, touched)
    return SetWrite(existing, False, True, await derived.records_of_sets(session, [existing.id]))


async def _store_records(
    session: AsyncSession, s: LoggedSet, found: list[PersonalRecord] | None
) -> list[PersonalRecord]:
    """Store the records a new set sets, or replay its exercise's history when a record
    was dated after it (``derived.new_records``); returns those to celebrate."""
    if found is None:
        await derived.refresh(session, s.client_id, [(s.exercise_id, s.performed_on)])
        return await derived.records_of_sets(session, [s.id])
    if found:
        session.add_all(found)
        await session.flush()
    return [f for f in found if f.previous_value is not None]


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
