"""Goals and their progress.

Progress comes from the latest data the platform holds for the goal's measure. Each kind
of data contributes a *source*: an async function that returns the client's latest values
by measure key (``body_weight``, ``body_fat``, ``1rm:<exercise id>``, ...), each value
alone or with the day it was measured. Assessments are one source; the training log
registers its own (estimated 1RMs from logged sets) with ``@value_source``, and
``latest_values`` keeps, for each measure, the most recently measured value.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.errors import GoalNotFound
from spotter.clients.models import Assessment, Client, Goal
from spotter.clients.schemas import GOAL_UNITS, GoalIn, GoalOut, GoalType, TargetKind
from spotter.clients.service.assessments import check_exercises
from spotter.core.errors import field_error
from spotter.core.units import KG_PER_LB

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

Latest = dict[str, float]
# A source's value, alone or with the day it was measured.
Dated = tuple[date, float]
Found = Mapping[str, float | Dated]
Source = Callable[[AsyncSession, uuid.UUID], Awaitable[Found]]
SOURCES: list[Source] = []


def value_source(fn: Source) -> Source:
    """Register a source of latest values (see ``latest_values`` for which wins)."""
    SOURCES.append(fn)
    return fn


@value_source
async def _from_assessments(session: AsyncSession, client_id: uuid.UUID) -> Found:
    rows = await session.execute(
        sa.select(
            Assessment.assessed_on,
            Assessment.body_weight_kg,
            Assessment.body_fat_pct,
            Assessment.one_rep_maxes,
        )
        .where(Assessment.client_id == client_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(200)
    )
    out: dict[str, Dated] = {}
    for on, weight, fat, maxes in rows.all():
        if weight is not None:
            out.setdefault("body_weight", (on, weight))
        if fat is not None:
            out.setdefault("body_fat", (on, fat))
        for m in maxes or []:
            out.setdefault(f"1rm:{m['exercise_id']}", (on, m["kg"]))
    return out


async def latest_values(session: AsyncSession, client_id: uuid.UUID) -> Latest:
    """Each measure's latest value over every source: of two dated values the more recent
    one (a tested 1RM from yesterday over an estimate from last week), otherwise the
    source registered later."""
    merged: dict[str, float | Dated] = {}
    for source in SOURCES:
        for key, found in (await source(session, client_id)).items():
            kept = merged.get(key)
            if isinstance(found, tuple) and isinstance(kept, tuple) and found[0] < kept[0]:
                continue
            merged[key] = found
    return {k: v[1] if isinstance(v, tuple) else v for k, v in merged.items()}


def measure_key(goal: Goal) -> str | None:
    if goal.type == GoalType.BODY_WEIGHT:
        return "body_weight"
    if goal.type == GoalType.BODY_FAT:
        return "body_fat"
    if goal.type == GoalType.STRENGTH_LIFT:
        return f"1rm:{goal.exercise_id}"
    return None  # performance, habit, custom: progress is recorded by hand (current_value)


def latest_value(goal: Goal, latest: Latest) -> float | None:
    """The goal's current value: measured data when there is any, else the manual value."""
    key = measure_key(goal)
    if key is not None and key in latest:
        return latest[key]
    return goal.current_value


def target_absolute(goal: Goal) -> float | None:
    if goal.target_kind == TargetKind.RELATIVE:
        return None if goal.start_value is None else goal.start_value + goal.target_value
    return goal.target_value


def progress(start: float | None, target: float | None, current: float | None) -> float | None:
    """Percent of the way from start to target (0-100; works for losses and gains)."""
    if start is None or target is None or current is None or target == start:
        return None
    pct = (current - start) / (target - start) * 100
    return round(min(100.0, max(0.0, pct)), 1)


def goal_out(goal: Goal, latest: Latest) -> GoalOut:
    out = GoalOut.model_validate(goal)
    out.current_value = latest_value(goal, latest)
    out.target_absolute = target_absolute(goal)
    out.progress_percent = progress(goal.start_value, out.target_absolute, out.current_value)
    return out


def _metric(value: float | None, unit: str | None) -> float | None:
    if value is None or unit != "lb":
        return value
    return round(float(Decimal(str(value)) * KG_PER_LB), 2)


async def _title(session: AsyncSession, data: GoalIn) -> str:
    if data.title:
        return data.title
    if data.exercise_id is not None:
        from spotter.exercises import service as exercises

        found = await exercises.exercises_by_ids(session, ids=[data.exercise_id])
        name = found[data.exercise_id].name
        return f"{name} 1RM"
    return data.type.value.replace("_", " ").capitalize()


async def _apply(session: AsyncSession, goal: Goal, data: GoalIn, latest: Latest) -> None:
    if data.exercise_id is not None:
        await check_exercises(session, [data.exercise_id], "exercise_id")
    stored_unit = GOAL_UNITS.get(data.type)
    goal.type = data.type
    goal.title = await _title(session, data)
    goal.exercise_id = data.exercise_id
    goal.target_kind = data.target_kind
    goal.unit = stored_unit or data.unit
    goal.target_value = _metric(data.target_value, data.unit) or 0.0
    goal.current_value = _metric(data.current_value, data.unit)
    goal.deadline_on = data.deadline_on
    goal.status = data.status
    start = _metric(data.start_value, data.unit)
    if start is None:
        key = measure_key(goal)
        start = latest.get(key) if key else None
    goal.start_value = start
    if goal.target_kind == TargetKind.ABSOLUTE and start is not None and start == goal.target_value:
        raise field_error("target_value", "the latest value already equals the target")


async def list_goals(session: AsyncSession, *, client: Client) -> list[GoalOut]:
    rows = await session.scalars(
        sa.select(Goal).where(Goal.client_id == client.id).order_by(Goal.id)
    )
    latest = await latest_values(session, client.id)
    return [goal_out(g, latest) for g in rows]


async def _row(session: AsyncSession, client: Client, goal_id: uuid.UUID) -> Goal:
    goal = await session.scalar(
        sa.select(Goal).where(Goal.id == goal_id, Goal.client_id == client.id)
    )
    if goal is None:
        raise GoalNotFound()
    return goal


async def get_goal(session: AsyncSession, *, client: Client, goal_id: uuid.UUID) -> GoalOut:
    goal = await _row(session, client, goal_id)
    return goal_out(goal, await latest_values(session, client.id))


async def create_goal(
    session: AsyncSession, *, principal: Principal, client: Client, data: GoalIn
) -> GoalOut:
    latest = await latest_values(session, client.id)
    goal = Goal(client_id=client.id)
    await _apply(session, goal, data, latest)
    session.add(goal)
    await session.flush()
    return goal_out(goal, latest)


async def update_goal(
    session: AsyncSession, *, client: Client, goal_id: uuid.UUID, data: GoalIn
) -> GoalOut:
    goal = await _row(session, client, goal_id)
    latest = await latest_values(session, client.id)
    await _apply(session, goal, data, latest)
    await session.flush()
    return goal_out(goal, latest)


async def delete_goal(session: AsyncSession, *, client: Client, goal_id: uuid.UUID) -> None:
    await session.delete(await _row(session, client, goal_id))
    await session.flush()
