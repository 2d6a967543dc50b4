"""Derived data kept up to date on write: per-exercise days and personal records.

Logging a new set (the hot path) updates its day row and checks it against the current
bests in a few statements. Any other change (a corrected or deleted set, a set dated
before the exercise's latest day, a moved or discarded workout) recomputes the day rows
it touches and replays the exercise's record history from its sets, so records stay
exactly what a chronological replay gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import new_id
from spotter.core.tenancy import current_organization
from spotter.training import formulas
from spotter.training.models import ExerciseDay, LoggedSet, PersonalRecord

_COUNTS = sa.and_(LoggedSet.status == "completed", LoggedSet.set_type != "warm_up")


def lift_of(s: LoggedSet) -> formulas.Lift:
    return formulas.Lift(s.load_kg, s.reps, s.e1rm_kg, s.volume_kg)


def _day_values(day: date) -> dict[str, date]:
    return {"week_on": formulas.monday(day), "month_on": formulas.month_start(day)}


async def _bests(
    session: AsyncSession, client_id: uuid.UUID, exercise_id: uuid.UUID
) -> formulas.Bests:
    return (await bests_for(session, client_id, [exercise_id])).get(exercise_id, formulas.Bests())


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


async def on_new_set(session: AsyncSession, s: LoggedSet) -> list[PersonalRecord]:
    """A set was just added: update its day and records; returns the records it set."""
    if not formulas.counts(s.set_type, s.status):
        return []
    days = (
        await session.scalars(
            sa.select(ExerciseDay)
            .where(
                ExerciseDay.client_id == s.client_id,
                ExerciseDay.exercise_id == s.exercise_id,
                ExerciseDay.performed_on >= s.performed_on,
            )
            .order_by(ExerciseDay.performed_on.desc())
            .limit(2)
        )
    ).all()
    if any(d.performed_on > s.performed_on for d in days):  # logged after the fact
        await refresh(session, s.client_id, [(s.exercise_id, s.performed_on)])
        return await records_of_sets(session, [s.id])
    day = days[0] if days else None
    if day is None:
        day = ExerciseDay(
            client_id=s.client_id,
            exercise_id=s.exercise_id,
            performed_on=s.performed_on,
            **_day_values(s.performed_on),
        )
        session.add(day)
    day.sets = (day.sets or 0) + 1
    day.reps = (day.reps or 0) + (s.reps or 0)
    day.tonnage_kg = (day.tonnage_kg or 0.0) + (s.volume_kg or 0.0)
    day.max_load_kg = _max(day.max_load_kg, s.load_kg if s.reps else None)
    day.best_e1rm_kg = _max(day.best_e1rm_kg, s.e1rm_kg)
    day.best_set_volume_kg = _max(day.best_set_volume_kg, s.volume_kg)
    bests = await _bests(session, s.client_id, s.exercise_id)
    rows = [_record_row(s, r) for r in bests.check(lift_of(s))]
    session.add_all(rows)
    await session.flush()
    return [r for r in rows if r.previous_value is not None]


def _max(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b or None
    if b is None:
        return a
    return max(a, b)


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
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(s.reps), 0),
                sa.func.coalesce(sa.func.sum(s.volume_kg), 0.0),
                sa.func.max(sa.case((s.reps > 0, s.load_kg))),
                sa.func.max(s.e1rm_kg),
                sa.func.max(s.volume_kg),
            ).where(
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
        sa.select(
            s.exercise_id,
            s.performed_on,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(s.reps), 0),
            sa.func.coalesce(sa.func.sum(s.volume_kg), 0.0),
            sa.func.max(sa.case((s.reps > 0, s.load_kg))),
            sa.func.max(s.e1rm_kg),
            sa.func.max(s.volume_kg),
        )
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
