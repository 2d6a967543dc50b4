"""Logged workouts: the row rule, starting (from a program workout or free-style), the
exercises of a session (add, swap, remove), notes, completion and discarding."""

from __future__ import annotations

import functools
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import InvalidInput, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role
from spotter.exercises import service as exercises
from spotter.exercises.index import Entry
from spotter.programs import service as programs
from spotter.programs.errors import ProgramNotActive, WorkoutNotFound
from spotter.training.errors import (
    ExerciseHasSets,
    IdTaken,
    LoggedExerciseNotFound,
    LoggedWorkoutNotFound,
    WorkoutDiscarded,
)
from spotter.training.models import LoggedExercise, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import (
    ExerciseAdd,
    WorkoutComplete,
    WorkoutStart,
    WorkoutStatus,
    WorkoutUpdate,
)
from spotter.training.service import derived

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MAX_DURATION_SECONDS = 86_400
# %1RM targets become a load rounded to what a gym can load on a bar.
LOAD_STEP_KG = 2.5


def visible_workouts(principal: Principal) -> sa.Select[Any]:
    """The one row rule for the training log: the workouts of the clients the caller may
    see (the clients row rule: a trainer's own clients, a client only themself)."""
    client_ids = clients.visible_clients(principal).with_only_columns(Client.id)
    return sa.select(LoggedWorkout).where(LoggedWorkout.client_id.in_(client_ids))


@functools.cache
def _visible_to(role: Role | None) -> sa.Select[Any]:
    """``visible_workouts`` for a caller with ``role``, the caller bound as ``:viewer``:
    built once per role, for the statements below that are built once too."""
    return sa.select(LoggedWorkout).where(
        LoggedWorkout.client_id.in_(clients.visible_client_ids(role))
    )


@functools.cache
def _workout_statement(role: Role | None) -> Any:
    """One visible workout (``:workout``): every workout page and write starts with it."""
    return _visible_to(role).where(LoggedWorkout.id == sa.bindparam("workout", type_=sa.Uuid()))


async def get_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID
) -> LoggedWorkout:
    workout = await session.scalar(
        _workout_statement(principal.role), {"viewer": principal.user_id, "workout": workout_id}
    )
    if workout is None:
        raise LoggedWorkoutNotFound()
    return workout


async def writable_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID
) -> LoggedWorkout:
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    if workout.status == WorkoutStatus.DISCARDED:
        raise WorkoutDiscarded()
    return workout


def touch(workout: LoggedWorkout) -> None:
    """Mark the client's log as changed (see ``cache``): every write goes through a workout."""
    workout.updated_at = utcnow()


async def client_for_log(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID | None
) -> Client:
    """The client a workout is logged for: the one named (row rule), or the caller."""
    if client_id is not None:
        return await clients.get_client(session, principal=principal, client_id=client_id)
    if principal.role == Role.CLIENT and principal.user_id is not None:
        own = await clients.own_client(session, user_id=principal.user_id)
        if own is not None:
            return own
    raise field_error("client_id", "say whose workout this is (client_id)")


async def insert_with_ids(session: AsyncSession, *rows: Any) -> None:
    """Add rows whose ids the caller chose: an id already used anywhere is a 409."""
    try:
        async with session.begin_nested():
            session.add_all(rows)
    except IntegrityError as exc:
        raise IdTaken() from exc


def _round_load(kg: float) -> float:
    return round(round(kg / LOAD_STEP_KG) * LOAD_STEP_KG, 2)


async def _program_entries(
    session: AsyncSession, *, principal: Principal, client: Client, data: WorkoutStart
) -> tuple[str, int, int, list[LoggedExercise]]:
    """(name, phase, week, exercises) of a program workout as it applies this week."""
    assert data.program_id is not None and data.program_workout_id is not None
    program = await programs.get_program(session, principal=principal, program_id=data.program_id)
    if program.client_id != client.id:
        raise field_error("program_id", "this program belongs to another client")
    if program.status != "active":
        raise ProgramNotActive(f"This program is {program.status}")
    week = await programs.program_week(session, principal=principal, program_id=program.id)
    workout = next((w for w in week.workouts if w.id == data.program_workout_id), None)
    if workout is None:
        raise field_error(
            "program_workout_id",
            f"not one of the workouts of the program's current phase ({week.phase_name})",
        )
    maxes = await clients.latest_values(session, client.id)
    entries = []
    for i, rx in enumerate(workout.prescriptions):
        target: dict[str, Any] = rx.model_dump(
            include={
                "sets",
                "reps_min",
                "reps_max",
                "load_kg",
                "percent_1rm",
                "rpe",
                "rir",
                "tempo",
                "duration_seconds",
                "distance_m",
                "set_type",
                "notes",
            },
            mode="json",
        )
        one_rm = maxes.get(f"1rm:{rx.exercise_id}")
        if rx.percent_1rm is not None and one_rm:
            target["load_kg"] = _round_load(one_rm * rx.percent_1rm / 100)
            target["load_from_1rm_kg"] = one_rm
        entries.append(
            LoggedExercise(
                position=i,
                exercise_id=rx.exercise_id,
                prescription_id=rx.id,
                group_label=rx.group_label,
                rest_seconds=rx.rest_seconds,
                target=target,
            )
        )
    return data.name or workout.name, week.phase, week.week, entries


async def start_workout(
    session: AsyncSession, *, principal: Principal, data: WorkoutStart
) -> tuple[LoggedWorkout, bool]:
    """(the workout, whether it was created). Starting again with the same ``id``
    answers the workout already started."""
    if data.id is not None:
        existing = await session.scalar(
            visible_workouts(principal).where(LoggedWorkout.id == data.id)
        )
        if existing is not None:
            return existing, False
    client = await client_for_log(session, principal=principal, client_id=data.client_id)
    performed_on = data.performed_on or programs.client_today(client)
    workout = LoggedWorkout(
        client_id=client.id,
        name=data.name or f"{performed_on:%A} workout",
        status=WorkoutStatus.IN_PROGRESS,
        performed_on=performed_on,
        started_at=data.started_at or utcnow(),
        notes=data.notes,
        logged_by_id=principal.user_id,
    )
    if data.id is not None:
        workout.id = data.id
    entries: list[LoggedExercise] = []
    if data.program_id is not None:
        workout.name, workout.phase, workout.week, entries = await _program_entries(
            session, principal=principal, client=client, data=data
        )
        workout.program_id, workout.program_workout_id = data.program_id, data.program_workout_id
    await insert_with_ids(session, workout)
    for entry in entries:
        entry.logged_workout_id = workout.id
    session.add_all(entries)
    await session.flush()
    return workout, True


async def list_history(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    params: PageParams,
    status: WorkoutStatus | None = None,
) -> tuple[list[LoggedWorkout], str | None]:
    """A client's workouts, newest first (discarded ones only when asked for)."""
    return await paginate(
        session,
        _history_statement(principal.role, status is not None),
        keys=[LoggedWorkout.performed_on, LoggedWorkout.id],
        params=params,
        descending=True,
        values={
            "viewer": principal.user_id,
            "client": client.id,
            "status": status or WorkoutStatus.DISCARDED,
        },
    )


@functools.cache
def _history_statement(role: Role | None, with_status: bool) -> Any:
    """A client's workouts under the row rule (``:viewer``, ``:client``), of ``:status``
    or, without one, all but the discarded: built once per role and shape, so
    ``paginate`` keeps its paged form too."""
    w = LoggedWorkout
    status = sa.bindparam("status", type_=w.status.type)
    return _visible_to(role).where(
        w.client_id == sa.bindparam("client", type_=sa.Uuid()),
        w.status == status if with_status else w.status != status,
    )


# A workout's parts, built once (``:workout`` bound).
_WORKOUT_ID = sa.bindparam("workout", type_=sa.Uuid())
_ENTRIES = (
    sa.select(LoggedExercise)
    .where(LoggedExercise.logged_workout_id == _WORKOUT_ID)
    .order_by(LoggedExercise.position, LoggedExercise.id)
)
_SETS = (
    sa.select(LoggedSet)
    .where(LoggedSet.logged_workout_id == _WORKOUT_ID)
    .order_by(LoggedSet.position, LoggedSet.created_at, LoggedSet.id)
)
_RECORDS_SET = (
    sa.select(PersonalRecord)
    .where(
        PersonalRecord.logged_workout_id == _WORKOUT_ID, PersonalRecord.previous_value.is_not(None)
    )
    .order_by(PersonalRecord.id)
)


async def entries_of(session: AsyncSession, workout_id: uuid.UUID) -> list[LoggedExercise]:
    return list((await session.scalars(_ENTRIES, {"workout": workout_id})).all())


async def sets_of(session: AsyncSession, workout_id: uuid.UUID) -> list[LoggedSet]:
    return list((await session.scalars(_SETS, {"workout": workout_id})).all())


async def detail(
    session: AsyncSession, workout: LoggedWorkout
) -> tuple[
    LoggedWorkout,
    list[LoggedExercise],
    list[LoggedSet],
    list[PersonalRecord],
    dict[uuid.UUID, Entry],
]:
    """A workout with its exercises, sets, the records set in it and the exercises'
    library entries: five queries at most, whatever its size."""
    entries = await entries_of(session, workout.id)
    sets = await sets_of(session, workout.id)
    records = list((await session.scalars(_RECORDS_SET, {"workout": workout.id})).all())
    ids = {e.exercise_id for e in entries} | {
        e.swapped_from_id for e in entries if e.swapped_from_id
    }
    names = await exercises.exercises_by_ids(session, ids=ids)
    return workout, entries, sets, records, names


def _per_workout(value: Any, model: Any, *where: Any) -> Any:
    """``value`` over ``model``'s rows of the workout in the enclosing query."""
    return sa.select(value).where(model.logged_workout_id == LoggedWorkout.id, *where)


_WORKING = (LoggedSet.status == "completed", LoggedSet.set_type != "warm_up")
# Built once: one round trip for a page of history, a correlated count per column (each an
# index probe per workout), where three grouped statements were built on every page.
_HISTORY_COUNTS = sa.select(
    LoggedWorkout.id,
    _per_workout(sa.func.count(), LoggedExercise).scalar_subquery(),
    _per_workout(sa.func.count(), LoggedSet, *_WORKING).scalar_subquery(),
    _per_workout(sa.func.sum(LoggedSet.volume_kg), LoggedSet, *_WORKING).scalar_subquery(),
    _per_workout(
        sa.func.count(), PersonalRecord, PersonalRecord.previous_value.is_not(None)
    ).scalar_subquery(),
).where(LoggedWorkout.id.in_(sa.bindparam("ids", expanding=True)))


async def history_counts(
    session: AsyncSession, workout_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, float]]:
    """Exercises, working sets, tonnage and records of many workouts (one query)."""
    out: dict[uuid.UUID, dict[str, float]] = {i: {} for i in workout_ids}
    if not workout_ids:
        return out
    rows = await session.execute(_HISTORY_COUNTS, {"ids": workout_ids})
    for workout_id, entries, sets, kg, records in rows:
        out[workout_id] = {
            "exercises": entries,
            "sets": sets,
            "tonnage_kg": float(kg or 0),
            "records": records,
        }
    return out


async def update_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, data: WorkoutUpdate
) -> LoggedWorkout:
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    given = data.model_fields_set
    if "name" in given:
        if data.name is None:
            raise field_error("name", "a workout needs a name")
        workout.name = data.name
    if "notes" in given:
        workout.notes = data.notes
    if "started_at" in given and data.started_at is not None:
        workout.started_at = data.started_at
    if "performed_on" in given and data.performed_on is not None:
        await _move(session, workout, data.performed_on)
    await session.flush()
    return workout


async def _move(session: AsyncSession, workout: LoggedWorkout, day: date) -> None:
    """Date the workout (and its sets) another day; the derived data follows."""
    if day == workout.performed_on:
        return
    before = workout.performed_on
    exercise_ids = set(
        (
            await session.scalars(
                sa.select(LoggedSet.exercise_id).where(LoggedSet.logged_workout_id == workout.id)
            )
        ).all()
    )
    workout.performed_on = day
    await session.execute(
        sa.update(LoggedSet)
        .where(LoggedSet.logged_workout_id == workout.id)
        .values(performed_on=day)
        .execution_options(synchronize_session="fetch")
    )
    touched = [(e, d) for e in exercise_ids for d in (before, day)]
    await derived.refresh(session, workout.client_id, touched)


async def complete_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, data: WorkoutComplete
) -> tuple[LoggedWorkout, bool, str | None]:
    """Finish the workout (again: corrects its session RPE, duration and notes). The
    first completion of a program workout calls the programs' completion hook, so a
    DYNAMIC_PROGRESSIVE program advances; returns (workout, counted, why not)."""
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    first = workout.status != WorkoutStatus.COMPLETED
    completed_at = data.completed_at or (workout.completed_at if not first else None) or utcnow()
    if completed_at < workout.started_at:
        raise field_error("completed_at", "the workout cannot end before it started")
    elapsed = int((completed_at - workout.started_at).total_seconds())
    workout.status = WorkoutStatus.COMPLETED
    workout.completed_at = completed_at
    workout.duration_seconds = data.duration_seconds or min(MAX_DURATION_SECONDS, max(1, elapsed))
    if data.session_rpe is not None or first:
        workout.session_rpe = data.session_rpe
    if "notes" in data.model_fields_set:
        workout.notes = data.notes
    counted, note = False, None
    if workout.program_id is not None and workout.program_workout_id is not None:
        if first:
            counted, note = await _count_in_program(session, workout)
        else:
            note = "already counted when the workout was first completed"
    await session.flush()
    return workout, counted, note


async def _count_in_program(
    session: AsyncSession, workout: LoggedWorkout
) -> tuple[bool, str | None]:
    assert workout.program_id is not None and workout.program_workout_id is not None
    try:
        async with session.begin_nested():
            await programs.record_workout_completed(
                session,
                program_id=workout.program_id,
                program_workout_id=workout.program_workout_id,
                completed_on=workout.performed_on,
            )
    except (ProgramNotActive, WorkoutNotFound, InvalidInput) as exc:
        # The program moved on (finished, cancelled, another phase): the log still stands.
        return False, exc.detail
    return True, None


async def discard_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID
) -> LoggedWorkout:
    """Throw a workout away: its sets are deleted (and leave the derived data); the
    workout stays, marked discarded, so a device still sending sets for it is told so.
    A program it counted for is not moved back."""
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    if workout.status == WorkoutStatus.DISCARDED:
        return workout
    touched = {
        (e, d)
        for e, d in (
            await session.execute(
                sa.select(LoggedSet.exercise_id, LoggedSet.performed_on).where(
                    LoggedSet.logged_workout_id == workout.id
                )
            )
        ).all()
    }
    await session.execute(
        sa.delete(LoggedSet)
        .where(LoggedSet.logged_workout_id == workout.id)
        .execution_options(synchronize_session="fetch")
    )
    workout.status = WorkoutStatus.DISCARDED
    await derived.refresh(session, workout.client_id, touched)
    return workout


# --- the exercises of a session ------------------------------------------------------------


async def get_entry(
    session: AsyncSession, workout: LoggedWorkout, entry_id: uuid.UUID
) -> LoggedExercise:
    entry = await session.scalar(
        sa.select(LoggedExercise).where(
            LoggedExercise.id == entry_id, LoggedExercise.logged_workout_id == workout.id
        )
    )
    if entry is None:
        raise LoggedExerciseNotFound()
    return entry


async def add_exercise(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, data: ExerciseAdd
) -> tuple[LoggedExercise, bool]:
    """Add an exercise mid-session; (entry, created). The same ``id`` again answers the
    entry already added."""
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    if data.id is not None:
        existing = await session.scalar(
            sa.select(LoggedExercise).where(
                LoggedExercise.id == data.id, LoggedExercise.logged_workout_id == workout.id
            )
        )
        if existing is not None:
            return existing, False
    await exercises.get_exercise(session, exercise_id=data.exercise_id)
    position = data.position
    if position is None:
        last = await session.scalar(
            sa.select(sa.func.max(LoggedExercise.position)).where(
                LoggedExercise.logged_workout_id == workout.id
            )
        )
        position = 0 if last is None else last + 1
    entry = LoggedExercise(
        logged_workout_id=workout.id,
        position=position,
        exercise_id=data.exercise_id,
        rest_seconds=data.rest_seconds,
        notes=data.notes,
    )
    if data.id is not None:
        entry.id = data.id
    await insert_with_ids(session, entry)
    touch(workout)
    await session.flush()
    return entry, True


async def entry_detail(
    session: AsyncSession, entry: LoggedExercise
) -> tuple[LoggedExercise, dict[uuid.UUID, Entry], list[LoggedSet]]:
    """One exercise of a session with its library entries and its sets."""
    ids = {entry.exercise_id} | ({entry.swapped_from_id} if entry.swapped_from_id else set())
    names = await exercises.exercises_by_ids(session, ids=ids)
    sets = await session.scalars(
        sa.select(LoggedSet)
        .where(LoggedSet.logged_exercise_id == entry.id)
        .order_by(LoggedSet.position, LoggedSet.id)
    )
    return entry, names, list(sets.all())


async def swap_exercise(
    session: AsyncSession,
    *,
    principal: Principal,
    workout_id: uuid.UUID,
    entry_id: uuid.UUID,
    exercise_id: uuid.UUID,
) -> LoggedExercise:
    """Do another exercise instead, for this session only (the program is untouched)."""
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    entry = await get_entry(session, workout, entry_id)
    if exercise_id == entry.exercise_id:
        return entry
    await exercises.get_exercise(session, exercise_id=exercise_id)
    logged = await session.scalar(
        sa.select(sa.func.count()).where(LoggedSet.logged_exercise_id == entry.id)
    )
    if logged:
        raise ExerciseHasSets(
            "Sets are already logged for this exercise; add the substitute as a new exercise"
        )
    if entry.swapped_from_id is None:
        entry.swapped_from_id = entry.exercise_id
    elif entry.swapped_from_id == exercise_id:  # swapped back to what was prescribed
        entry.swapped_from_id = None
    entry.exercise_id = exercise_id
    touch(workout)
    await session.flush()
    return entry


async def substitutes(
    session: AsyncSession,
    *,
    principal: Principal,
    workout_id: uuid.UUID,
    entry_id: uuid.UUID,
    params: PageParams,
) -> tuple[list[Entry], str | None]:
    """Alternatives to the exercise prescribed (or logged), usable with the client's
    equipment when their profile lists any."""
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    entry = await get_entry(session, workout, entry_id)
    client = await session.get(Client, workout.client_id)
    equipment = list(client.equipment) if client and client.equipment else None
    return await exercises.substitutions(
        session,
        exercise_id=entry.swapped_from_id or entry.exercise_id,
        params=params,
        equipment=equipment,
    )


async def remove_exercise(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, entry_id: uuid.UUID
) -> None:
    """Remove an exercise and its sets from the session."""
    workout = await writable_workout(session, principal=principal, workout_id=workout_id)
    entry = await get_entry(session, workout, entry_id)
    touched = {
        (entry.exercise_id, d)
        for d in (
            await session.scalars(
                sa.select(LoggedSet.performed_on).where(LoggedSet.logged_exercise_id == entry.id)
            )
        ).all()
    }
    await session.delete(entry)
    touch(workout)
    await session.flush()
    await derived.refresh(session, workout.client_id, touched)
