"""Derived data kept up to date on write: per-exercise days and personal records.

Logging a new set (the hot path) reads the exercise's records (its current bests), adds
the set to its day row in one upsert (on PostgreSQL in the very statement that inserts the
set: ``sets``) and stores the records it sets. Any other change (a
corrected or deleted set, a set dated before the exercise's latest record, a moved or
discarded workout) recomputes the day rows it touches and replays the exercise's record
history from its sets, so records stay exactly what a chronological replay gives.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import dialect_insert, new_id
from spotter.core.tenancy import current_organization
from spotter.training import formulas
from spotter.training.models import ExerciseDay, LoggedSet, PersonalRecord

_COUNTS = sa.and_(LoggedSet.status == "completed", LoggedSet.set_type != "warm_up")


def _day_totals() -> tuple[Any, ...]:
    """A day row's numbers from its sets: count, reps, tonnage, heaviest load (of sets
    with reps), best e1RM, best set volume."""
    s = LoggedSet
    return (
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(s.reps), 0),
        sa.func.coalesce(sa.func.sum(s.volume_kg), 0.0),
        sa.func.max(sa.case((s.reps > 0, s.load_kg))),
        sa.func.max(s.e1rm_kg),
        sa.func.max(s.volume_kg),
    )


def lift_of(s: LoggedSet) -> formulas.Lift:
    return formulas.Lift(s.load_kg, s.reps, s.e1rm_kg, s.volume_kg)


def _day_values(day: date) -> dict[str, date]:
    return {"week_on": formulas.monday(day), "month_on": formulas.month_start(day)}


async def bests_for(
    session: AsyncSession, client_id: uuid.UUID, exercise_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, formulas.Bests]:
    """Current bests of some of a client's exercises, from their records (one query)."""
    r = PersonalRecord
    rows = await session.execute(
        sa.select(r.exercise_id, r.kind, r.value, r.load_kg, r.reps).where(
            r.client_id == client_id, r.exercise_id.in_(set(exercise_ids))
        )
    )
    grouped: dict[uuid.UUID, list[tuple[str, float, float | None, int | None]]] = {}
    for exercise_id, kind, value, load, reps in rows:
        grouped.setdefault(exercise_id, []).append((kind, value, load, reps))
    return {e: formulas.Bests.from_records(found) for e, found in grouped.items()}


def _record_row(s: LoggedSet, record: formulas.Record) -> PersonalRecord:
    return PersonalRecord(
        client_id=s.client_id,
        exercise_id=s.exercise_id,
        set_id=s.id,
        logged_workout_id=s.logged_workout_id,
        kind=record.kind,
        value=record.value,
        previous_value=record.previous,
        load_kg=record.load_kg,
        reps=record.reps,
        achieved_on=s.performed_on,
    )


_R = PersonalRecord
# What a new set is checked against: a client's records for one lift, one row each.
RECORD_COLUMNS = (_R.kind, _R.value, _R.load_kg, _R.reps, _R.achieved_on)


def new_records(s: LoggedSet, records: Sequence[Any]) -> list[PersonalRecord] | None:
    """The records a new set sets, from the client's records for its exercise
    (``RECORD_COLUMNS``, read with the workout); None when a record is dated after the set:
    it was logged after the fact, and the history from it on must be replayed
    (``refresh``), since later sets may no longer beat what they beat."""
    if any(achieved_on > s.performed_on for *_, achieved_on in records):
        return None
    bests = formulas.Bests.from_records((k, v, kg, n) for k, v, kg, n, _ in records)
    return [_record_row(s, record) for record in bests.check(lift_of(s))]


def _greater(column: Any, value: Any) -> Any:
    """The larger of a day's best so far and a new set's (None is no value, on both
    sides; GREATEST does that on PostgreSQL only)."""
    return sa.case(
        (value.is_(None), column),
        (sa.or_(column.is_(None), column < value), value),
        else_=column,
    )


_D = cast(sa.Table, ExerciseDay.__table__)
_DAY_KEY = (_D.c.client_id, _D.c.exercise_id, _D.c.performed_on)


@functools.cache
def day_upsert(dialect: str, *, only_if: Any = None) -> Any:
    """Count a new set in its day row: the row is created with the set's numbers, or, when
    it exists, the set is added to it, in one statement, so two devices logging at the
    same moment both count (a read-modify-write would lose one). The parameters are
    ``day_params``'s. ``only_if`` makes it an INSERT .. SELECT that writes nothing unless the
    condition holds (PostgreSQL, inside a statement that inserts the set: see ``sets``)."""
    insert = dialect_insert(dialect)
    if only_if is None:  # the values come from the parameters, named after the columns
        stmt = insert(_D)
    else:
        values = [sa.bindparam(f"day_{c.name}", type_=c.type) for c in _D.c]
        stmt = insert(_D).from_select(list(_D.c), sa.select(*values).where(only_if))
    new = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=list(_DAY_KEY),
        set_={
            _D.c.sets: _D.c.sets + 1,
            _D.c.reps: _D.c.reps + new.reps,
            _D.c.tonnage_kg: _D.c.tonnage_kg + new.tonnage_kg,
            _D.c.max_load_kg: _greater(_D.c.max_load_kg, new.max_load_kg),
            _D.c.best_e1rm_kg: _greater(_D.c.best_e1rm_kg, new.best_e1rm_kg),
            _D.c.best_set_volume_kg: _greater(_D.c.best_set_volume_kg, new.best_set_volume_kg),
        },
    )


def day_params(s: LoggedSet) -> dict[str, Any]:
    """A new day row holding just this set (``day_upsert`` adds it to an existing one)."""
    load = s.load_kg if s.reps else None
    return {
        "id": new_id(),
        "organization_id": s.organization_id,
        "client_id": s.client_id,
        "exercise_id": s.exercise_id,
        "performed_on": s.performed_on,
        **_day_values(s.performed_on),
        "sets": 1,
        "reps": s.reps or 0,
        "tonnage_kg": s.volume_kg or 0.0,
        "max_load_kg": load or None,
        "best_e1rm_kg": s.e1rm_kg,
        "best_set_volume_kg": s.volume_kg,
    }


async def refresh(
    session: AsyncSession, client_id: uuid.UUID, touched: Iterable[tuple[uuid.UUID, date]]
) -> None:
    """Recompute the days touched ((exercise, day) pairs) and the record history of their
    exercises, after anything but a plain new set."""
    touched = set(touched)
    await session.flush()
    for exercise_id, day in sorted(touched):
        await _recompute_day(session, client_id, exercise_id, day)
    for exercise_id in sorted({e for e, _ in touched}):
        await rebuild_records(session, client_id, [exercise_id])


async def _recompute_day(
    session: AsyncSession, client_id: uuid.UUID, exercise_id: uuid.UUID, day: date
) -> None:
    s = LoggedSet
    totals = (
        await session.execute(
            sa.select(*_day_totals()).where(
                s.client_id == client_id,
                s.exercise_id == exercise_id,
                s.performed_on == day,
                _COUNTS,
            )
        )
    ).one()
    row = await session.scalar(
        sa.select(ExerciseDay).where(
            ExerciseDay.client_id == client_id,
            ExerciseDay.exercise_id == exercise_id,
            ExerciseDay.performed_on == day,
        )
    )
    if not totals[0]:
        if row is not None:
            await session.delete(row)
        return
    if row is None:
        row = ExerciseDay(
            client_id=client_id, exercise_id=exercise_id, performed_on=day, **_day_values(day)
        )
        session.add(row)
    row.sets, row.reps, row.tonnage_kg = int(totals[0]), int(totals[1]), float(totals[2])
    row.max_load_kg, row.best_e1rm_kg, row.best_set_volume_kg = totals[3], totals[4], totals[5]


def _chronological() -> tuple[Any, ...]:
    s = LoggedSet
    return (
        s.exercise_id,
        s.performed_on,
        sa.func.coalesce(s.performed_at, s.created_at),
        s.position,
        s.id,
    )


async def rebuild_records(
    session: AsyncSession, client_id: uuid.UUID, exercise_ids: Sequence[uuid.UUID] | None = None
) -> None:
    """Replay the record history of some (default: all) of a client's exercises."""
    s = LoggedSet
    delete = sa.delete(PersonalRecord).where(PersonalRecord.client_id == client_id)
    select = sa.select(
        s.id,
        s.logged_workout_id,
        s.exercise_id,
        s.performed_on,
        s.load_kg,
        s.reps,
        s.e1rm_kg,
        s.volume_kg,
    ).where(s.client_id == client_id, _COUNTS)
    if exercise_ids is not None:
        delete = delete.where(PersonalRecord.exercise_id.in_(exercise_ids))
        select = select.where(s.exercise_id.in_(exercise_ids))
    await session.execute(delete)
    rows = (await session.execute(select.order_by(*_chronological()))).all()
    org = current_organization(session)
    values: list[dict[str, object]] = []
    bests: formulas.Bests | None = None
    current: uuid.UUID | None = None
    for row in rows:
        if row.exercise_id != current:
            current, bests = row.exercise_id, formulas.Bests()
        assert bests is not None
        lift = formulas.Lift(row.load_kg, row.reps, row.e1rm_kg, row.volume_kg)
        for record in bests.check(lift):
            values.append(
                {
                    "id": new_id(),
                    "organization_id": org,
                    "client_id": client_id,
                    "exercise_id": row.exercise_id,
                    "set_id": row.id,
                    "logged_workout_id": row.logged_workout_id,
                    "kind": record.kind,
                    "value": record.value,
                    "previous_value": record.previous,
                    "load_kg": record.load_kg,
                    "reps": record.reps,
                    "achieved_on": row.performed_on,
                }
            )
        bests.add(lift)
    for start in range(0, len(values), 1000):
        await session.execute(sa.insert(PersonalRecord), values[start : start + 1000])


async def rebuild_days(session: AsyncSession, client_id: uuid.UUID) -> None:
    """Recompute every day row of a client from their sets (after a bulk import)."""
    s = LoggedSet
    await session.execute(sa.delete(ExerciseDay).where(ExerciseDay.client_id == client_id))
    rows = await session.execute(
        sa.select(s.exercise_id, s.performed_on, *_day_totals())
        .where(s.client_id == client_id, _COUNTS)
        .group_by(s.exercise_id, s.performed_on)
    )
    org = current_organization(session)
    values = [
        {
            "id": new_id(),
            "organization_id": org,
            "client_id": client_id,
            "exercise_id": exercise_id,
            "performed_on": day,
            **_day_values(day),
            "sets": int(count),
            "reps": int(reps),
            "tonnage_kg": float(tonnage),
            "max_load_kg": max_load,
            "best_e1rm_kg": best_e1rm,
            "best_set_volume_kg": best_volume,
        }
        for exercise_id, day, count, reps, tonnage, max_load, best_e1rm, best_volume in rows
    ]
    for start in range(0, len(values), 1000):
        await session.execute(sa.insert(ExerciseDay), values[start : start + 1000])


async def rebuild_client(session: AsyncSession, client_id: uuid.UUID) -> None:
    await session.flush()
    await rebuild_days(session, client_id)
    await rebuild_records(session, client_id)


async def records_of_sets(
    session: AsyncSession, set_ids: Sequence[uuid.UUID], *, celebrated: bool = True
) -> list[PersonalRecord]:
    if not set_ids:
        return []
    stmt = sa.select(PersonalRecord).where(PersonalRecord.set_id.in_(set_ids))
    if celebrated:
        stmt = stmt.where(PersonalRecord.previous_value.is_not(None))
    return list((await session.scalars(stmt.order_by(PersonalRecord.id))).all())
