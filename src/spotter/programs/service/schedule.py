"""Scheduling: a program's workouts laid onto calendar dates.

The plan is walked in order (phase by phase, week by week, workout by workout) and each
workout takes the next training day from the program's start. Each occurrence has a
stable id derived from (program, phase, week, workout); moving one to another day stores
an override for that id, so the rest of the calendar never shifts.
"""

from __future__ import annotations

import functools
import uuid
import zoneinfo
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.programs.errors import ScheduledWorkoutNotFound
from spotter.programs.models import Phase, Program, ScheduleOverride, Workout, WorkoutCompletion
from spotter.programs.schemas import ScheduledWorkout
from spotter.programs.service.programs import get_program

if TYPE_CHECKING:
    from spotter.clients.models import Client
    from spotter.identity.dependencies import Principal

MAX_RANGE_DAYS = 366


def client_today(client: Client) -> date:
    """Today where the client trains (their profile's time zone; UTC without one)."""
    try:
        zone = zoneinfo.ZoneInfo(client.timezone) if client.timezone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = None
    now = utcnow()
    return (now.astimezone(zone) if zone else now).date()


def week_of(day: date) -> tuple[date, date]:
    """The Monday and Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def training_dates(start_on: date, training_days: Sequence[int]) -> Iterator[date]:
    """Every date from ``start_on`` on whose ISO weekday is a training day (pure)."""
    days = set(training_days)
    if not days:
        return
    day = start_on
    while True:
        if day.isoweekday() in days:
            yield day
        day += timedelta(days=1)


@functools.lru_cache(maxsize=16_384)  # a schedule is laid out on every dashboard and page
def scheduled_id(program_id: uuid.UUID, phase: int, week: int, workout_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(program_id, f"{phase}:{week}:{workout_id}")


class Layout(NamedTuple):
    """What laying a program out reads: its phases in order, each as (weeks, its
    workouts in order as (id, name))."""

    program_id: uuid.UUID
    start_on: date
    training_days: Sequence[int]
    phases: list[tuple[int, list[tuple[uuid.UUID, str]]]]


def _layout(program: Program) -> Layout:
    phases = [(p.weeks, [(w.id, w.name) for w in p.workouts]) for p in program.plan.phases]
    return Layout(program.id, program.start_on, program.training_days, phases)


async def _items(session: AsyncSession, program: Program) -> list[ScheduledWorkout]:
    params = {"programs": [program.id]}
    overrides, completions = await _overrides_and_completions(session, _BY_PROGRAMS, params)
    return _lay_out(_layout(program), overrides, _done(completions))


# (program, phase, week, workout, the day it was done)
Completion = tuple[uuid.UUID, int, int, uuid.UUID, date]


async def _overrides_and_completions(
    session: AsyncSession, statement: Any, params: dict[str, Any]
) -> tuple[dict[uuid.UUID, date], list[Completion]]:
    """Moved occurrences (scheduled id -> date) and the completions of some programs,
    oldest first, from one query (``_BY_PROGRAMS`` or ``_BY_CLIENT``)."""
    overrides: dict[uuid.UUID, date] = {}
    completions: list[Completion] = []
    for program, phase, week, item, on in await session.execute(statement, params):
        if program is None:  # an override: its scheduled id and date
            overrides[item] = on
        else:
            completions.append((program, phase, week, item, on))
    return overrides, completions


def _done(completions: Sequence[Completion]) -> set[tuple[uuid.UUID, int, int, uuid.UUID]]:
    return {(program, phase, week, workout) for program, phase, week, workout, _ in completions}


def _lay_out(
    layout: Layout,
    overrides: dict[uuid.UUID, date],
    done: set[tuple[uuid.UUID, int, int, uuid.UUID]],
) -> list[ScheduledWorkout]:
    """The program's workouts on their dates."""
    dates = training_dates(layout.start_on, layout.training_days)
    program_id = layout.program_id
    items = []
    for number, (weeks, workouts) in enumerate(layout.phases, start=1):
        for week in range(1, weeks + 1):
            for workout_id, name in workouts:
                planned = next(dates)
                item_id = scheduled_id(program_id, number, week, workout_id)
                moved_to = overrides.get(item_id)
                items.append(
                    ScheduledWorkout(
                        id=item_id,
                        date=moved_to or planned,
                        planned_date=planned,
                        moved=moved_to is not None and moved_to != planned,
                        phase=number,
                        week=week,
                        workout_id=workout_id,
                        workout_name=name,
                        completed=(program_id, number, week, workout_id) in done,
                    )
                )
    return items


# Built once (building them cost more than running them).
def _overrides_and_completions_of(programs: Any) -> Any:
    """Rows (program, phase, week, workout, day) of the programs' completions, oldest
    first, after rows (None, None, None, scheduled id, day) of their moved occurrences:
    two reads in one round trip."""
    c, o = WorkoutCompletion, ScheduleOverride
    overrides = sa.select(
        sa.cast(sa.null(), sa.Uuid()).label("program_id"),
        sa.cast(sa.null(), sa.Integer()).label("phase"),
        sa.cast(sa.null(), sa.Integer()).label("week"),
        o.scheduled_id.label("item_id"),
        o.scheduled_on.label("on"),
    ).where(o.program_id.in_(programs))
    completions = sa.select(c.program_id, c.phase, c.week, c.workout_id, c.completed_on).where(
        c.program_id.in_(programs)
    )
    both = sa.union_all(overrides, completions).subquery()
    return sa.select(*both.c).order_by(both.c.program_id.is_not(None), both.c.on)


_PROGRAMS: Any = sa.bindparam("programs", expanding=True)
_BY_PROGRAMS = _overrides_and_completions_of(_PROGRAMS)
# A client's calendar (every dashboard lays one out) reads columns, not objects: loading
# the programs with their plans, phases and workouts as entities cost twice this.
_CLIENT = sa.bindparam("client", type_=sa.Uuid())
_CLIENT_PLANS = (
    sa.select(
        Program.id,
        Program.status,
        Program.completed_on,
        Program.updated_at,
        Program.start_on,
        Program.training_days,
        Phase.id,
        Phase.weeks,
        Workout.id,
        Workout.name,
    )
    .join(Phase, Phase.plan_id == Program.plan_id)
    .outerjoin(Workout, Workout.phase_id == Phase.id)
    .where(Program.client_id == _CLIENT)
    .order_by(Program.id, Phase.position, Phase.id, Workout.position, Workout.id)
)
# Subqueries, not the ids as an expanding list: the list's SQL is rendered on each run.
_CLIENT_PROGRAMS = sa.select(Program.id).where(Program.client_id == _CLIENT)
_BY_CLIENT = _overrides_and_completions_of(_CLIENT_PROGRAMS)


class _Planned(NamedTuple):
    layout: Layout
    status: str
    completed_on: date | None
    updated_at: datetime


def _plans(rows: Sequence[Any]) -> list[_Planned]:
    """``_CLIENT_PLANS`` rows, one per (program, phase, workout), as a layout each."""
    out: list[_Planned] = []
    phase_id = None
    for program_id, status, completed_on, updated_at, start_on, days, ph, weeks, w, name in rows:
        if not out or out[-1].layout.program_id != program_id:
            layout = Layout(program_id, start_on, days, [])
            out.append(_Planned(layout, status, completed_on, updated_at))
            phase_id = None
        phases = out[-1].layout.phases
        if ph != phase_id:
            phases.append((weeks, []))
            phase_id = ph
        if w is not None:
            phases[-1][1].append((w, name))
    return out


async def client_schedule(
    session: AsyncSession, *, client_id: uuid.UUID, from_on: date, to_on: date
) -> list[ScheduledWorkout]:
    """Every scheduled workout of all of one client's programs between two dates, in a
    constant number of queries whatever the number of programs (the caller has checked
    the client's row rule). A completed program's schedule ends when it was completed, a
    cancelled or paused one's when it was stopped."""
    return (await client_calendar(session, client_id=client_id, from_on=from_on, to_on=to_on))[0]


async def client_calendar(
    session: AsyncSession, *, client_id: uuid.UUID, from_on: date, to_on: date
) -> tuple[list[ScheduledWorkout], list[tuple[uuid.UUID, date]]]:
    """``client_schedule``, and (program workout, day) for every time one of the client's
    program workouts was counted done between the dates (by the training log or marked by
    hand), oldest first: what adherence reads, in two queries."""
    programs = _plans((await session.execute(_CLIENT_PLANS, {"client": client_id})).all())
    if not programs:
        return [], []
    params = {"client": client_id}
    overrides, completions = await _overrides_and_completions(session, _BY_CLIENT, params)
    done = _done(completions)
    items = []
    for program in programs:
        end = to_on
        if program.status == "completed" and program.completed_on is not None:
            end = min(end, program.completed_on)
        elif program.status in ("cancelled", "paused"):
            end = min(end, program.updated_at.date())
        laid = _lay_out(program.layout, overrides, done)
        items += [i for i in laid if from_on <= i.date <= end]
    marked = [(workout, day) for *_, workout, day in completions if from_on <= day <= to_on]
    return sorted(items, key=lambda i: (i.date, i.planned_date)), marked


async def schedule(
    session: AsyncSession,
    *,
    principal: Principal,
    program_id: uuid.UUID,
    from_on: date | None,
    to_on: date | None,
) -> list[ScheduledWorkout]:
    program = await get_program(session, principal=principal, program_id=program_id, tree=True)
    start = from_on or program.start_on
    end = to_on or start + timedelta(days=27)
    if end < start:
        raise field_error("to", "'to' is before 'from'")
    if (end - start).days > MAX_RANGE_DAYS:
        raise field_error("to", f"ask for at most {MAX_RANGE_DAYS} days at once")
    items = [i for i in await _items(session, program) if start <= i.date <= end]
    return sorted(items, key=lambda i: (i.date, i.planned_date))


async def move(
    session: AsyncSession,
    *,
    principal: Principal,
    program_id: uuid.UUID,
    scheduled_id: uuid.UUID,
    to: date,
) -> ScheduledWorkout:
    program = await get_program(session, principal=principal, program_id=program_id, tree=True)
    found = next((i for i in await _items(session, program) if i.id == scheduled_id), None)
    if found is None:
        raise ScheduledWorkoutNotFound()
    if to < program.start_on:
        raise field_error("date", f"the program starts on {program.start_on.isoformat()}")
    override = await session.scalar(
        sa.select(ScheduleOverride).where(
            ScheduleOverride.program_id == program.id, ScheduleOverride.scheduled_id == scheduled_id
        )
    )
    if override is None:
        session.add(
            ScheduleOverride(program_id=program.id, scheduled_id=scheduled_id, scheduled_on=to)
        )
    else:
        override.scheduled_on = to
    await session.flush()
    return found.model_copy(update={"date": to, "moved": to != found.planned_date})
