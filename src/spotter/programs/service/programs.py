"""Programs: assignment (a deep copy of a template), progress, the week's workouts and
completion-driven (dynamic) progression."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import InvalidInput, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.programs import present, progression
from spotter.programs.errors import (
    ProgramNotActive,
    ProgramNotFound,
    TemplateArchived,
    WorkoutNotFound,
)
from spotter.programs.models import Plan, Program, WorkoutCompletion
from spotter.programs.schemas import (
    AssignIn,
    Mode,
    ProgramStatus,
    ProgramUpdate,
    ProgramWeekOut,
    _weekday,
)
from spotter.programs.service.templates import (
    SNAPSHOT,
    clone,
    exercise_names,
    full_tree,
    get_template,
)

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def visible_programs(principal: Principal) -> sa.Select[Any]:
    """The one row rule for programs: those of the clients the caller may see (the clients
    row rule: a trainer's own clients, a client only themself)."""
    client_ids = clients.visible_clients(principal).with_only_columns(Client.id)
    return sa.select(Program).where(Program.client_id.in_(client_ids))


def _with_phases() -> Any:
    return selectinload(Program.plan).selectinload(Plan.phases)


def _with_tree() -> Any:
    return selectinload(Program.plan).options(full_tree())


def _client_training_days(client: Client) -> list[int] | None:
    """The client's preferred training days, when their profile has them."""
    raw = getattr(client, "training_days", None) or getattr(client, "preferred_training_days", None)
    if not raw:
        return None
    days = set()
    for value in raw:
        try:
            day = int(_weekday(value))
        except (TypeError, ValueError):
            continue
        if 1 <= day <= 7:
            days.add(day)
    return sorted(days) or None


async def assign(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, data: AssignIn
) -> Program:
    template = await get_template(session, principal=principal, template_id=template_id)
    if template.archived:
        raise TemplateArchived("This template is archived; unarchive or copy it to assign it")
    if not template.phases:
        raise InvalidInput("This template has no phases yet; add one before assigning it")
    client = await clients.get_client(session, principal=principal, client_id=data.client_id)
    days = data.training_days or _client_training_days(client)
    if not days:
        raise field_error(
            "training_days", "give training_days: the client has no preferred training days"
        )
    snapshot = clone(template, kind=SNAPSHOT, name=template.name, owner_id=None)
    session.add(snapshot)
    await session.flush()
    program = Program(
        client_id=client.id,
        template_id=template.id,
        plan_id=snapshot.id,
        name=data.name or template.name,
        mode=data.mode,
        status=ProgramStatus.ACTIVE,
        start_on=data.start_on,
        training_days=days,
        assigned_by_id=principal.user_id,
    )
    session.add(program)
    await session.flush()
    return await get_program(session, principal=principal, program_id=program.id)


async def list_client_programs(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID, params: PageParams
) -> tuple[list[Program], str | None]:
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    stmt = visible_programs(principal).where(Program.client_id == client.id).options(_with_phases())
    return await paginate(session, stmt, keys=[Program.id], params=params)


async def get_program(
    session: AsyncSession, *, principal: Principal, program_id: uuid.UUID, tree: bool = False
) -> Program:
    stmt = visible_programs(principal).where(Program.id == program_id)
    program = await session.scalar(stmt.options(_with_tree() if tree else _with_phases()))
    if program is None:
        raise ProgramNotFound()
    return program


async def client_program(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID, program_id: uuid.UUID
) -> Program:
    """One of this client's programs (a program of another client is not found)."""
    program = await get_program(session, principal=principal, program_id=program_id)
    if program.client_id != client_id:
        raise ProgramNotFound()
    return program


def _phase_weeks(program: Program) -> list[int]:
    return [ph.weeks for ph in program.plan.phases]


def _check_position(program: Program, phase: int, week: int) -> None:
    weeks = _phase_weeks(program)
    problem = progression.valid_position(phase, week, weeks)
    if problem:
        raise field_error("current_week" if 1 <= phase <= len(weeks) else "current_phase", problem)


async def update_program(
    session: AsyncSession, *, principal: Principal, program_id: uuid.UUID, data: ProgramUpdate
) -> Program:
    """The trainer moves a program (any mode) to a phase and week, changes its status or
    its training days."""
    program = await get_program(session, principal=principal, program_id=program_id)
    phase = data.current_phase or program.current_phase
    week = data.current_week or (1 if data.current_phase else program.current_week)
    if data.current_phase is not None or data.current_week is not None:
        _check_position(program, phase, week)
        program.current_phase, program.current_week = phase, week
    if data.training_days is not None:
        program.training_days = data.training_days
    if data.status is not None and data.status != program.status:
        program.status = data.status
        program.completed_on = utcnow().date() if data.status == ProgramStatus.COMPLETED else None
    await session.flush()
    return program


async def step_program(
    session: AsyncSession, *, principal: Principal, program_id: uuid.UUID, forward: bool
) -> Program:
    """Move the program one week on (the next phase's week 1 after a phase's last week) or
    back; a 422 at the first week going back, or at the last week going on (complete the
    program instead)."""
    program = await get_program(session, principal=principal, program_id=program_id)
    here = progression.Position(program.current_phase, program.current_week)
    weeks = _phase_weeks(program)
    if forward:
        there = progression.after_week(here, weeks)
        if there.completed:
            raise field_error("current_week", "this is the last week: complete the program")
    else:
        before = progression.before_week(here, weeks)
        if before is None:
            raise field_error("current_week", "this is the program's first week")
        there = before
    program.current_phase, program.current_week = there.phase, there.week
    await session.flush()
    return program


async def _completed_workouts(
    session: AsyncSession, *, program_id: uuid.UUID, phase: int, week: int
) -> set[uuid.UUID]:
    """Ids of the program's workouts completed in this phase and week."""
    rows = await session.scalars(
        sa.select(WorkoutCompletion.workout_id).where(
            WorkoutCompletion.program_id == program_id,
            WorkoutCompletion.phase == phase,
            WorkoutCompletion.week == week,
        )
    )
    return set(rows.all())


async def program_week(
    session: AsyncSession,
    *,
    principal: Principal,
    program_id: uuid.UUID,
    phase: int | None = None,
    week: int | None = None,
) -> ProgramWeekOut:
    """The program's workouts as they apply to a week (default: the current one), with
    progression applied and whether each was completed that week."""
    program = await get_program(session, principal=principal, program_id=program_id, tree=True)
    phase = phase or program.current_phase
    week = week or (1 if phase != program.current_phase else program.current_week)
    problem = progression.valid_position(phase, week, _phase_weeks(program))
    if problem:
        raise field_error("week", problem)
    current = program.plan.phases[phase - 1]
    done = await _completed_workouts(session, program_id=program.id, phase=phase, week=week)
    names = await exercise_names(session, current)
    return ProgramWeekOut(
        program_id=program.id,
        phase=phase,
        week=week,
        phase_name=current.name,
        workouts=[
            present.workout(w, names, week=week, completed=w.id in done) for w in current.workouts
        ],
    )


async def record_workout_completed(
    session: AsyncSession,
    *,
    program_id: uuid.UUID,
    program_workout_id: uuid.UUID,
    completed_on: date,
) -> Program:
    """Record that the client did one of the current phase's workouts this week; a
    DYNAMIC_PROGRESSIVE program advances once every workout of the week is done.

    Called by the training log (any caller's row rule is checked before); idempotent per
    (workout, phase, week)."""
    program = await session.scalar(
        sa.select(Program).where(Program.id == program_id).options(_with_tree())
    )
    if program is None:
        raise ProgramNotFound()
    if program.status != ProgramStatus.ACTIVE:
        raise ProgramNotActive(f"This program is {program.status}")
    workout_phase = {w.id: i + 1 for i, ph in enumerate(program.plan.phases) for w in ph.workouts}
    if program_workout_id not in workout_phase:
        raise WorkoutNotFound("No such workout in this program")
    if workout_phase[program_workout_id] != program.current_phase:
        raise InvalidInput(
            f"This workout belongs to phase {workout_phase[program_workout_id]}; "
            f"the program is in phase {program.current_phase}"
        )
    phase, week = program.current_phase, program.current_week
    done = await _completed_workouts(session, program_id=program.id, phase=phase, week=week)
    if program_workout_id not in done:
        session.add(
            WorkoutCompletion(
                program_id=program.id,
                workout_id=program_workout_id,
                phase=phase,
                week=week,
                completed_on=completed_on,
            )
        )
        done.add(program_workout_id)
    if program.mode == Mode.DYNAMIC_PROGRESSIVE:
        phase_workouts = [w.id for w in program.plan.phases[phase - 1].workouts]
        if progression.week_done(phase_workouts, done):
            moved = progression.after_week(progression.Position(phase, week), _phase_weeks(program))
            program.current_phase, program.current_week = moved.phase, moved.week
            if moved.completed:
                program.status = ProgramStatus.COMPLETED
                program.completed_on = completed_on
    await session.flush()
    return program


async def complete_workout(
    session: AsyncSession,
    *,
    principal: Principal,
    program_id: uuid.UUID,
    workout_id: uuid.UUID,
    completed_on: date | None,
) -> Program:
    program = await get_program(session, principal=principal, program_id=program_id)
    return await record_workout_completed(
        session,
        program_id=program.id,
        program_workout_id=workout_id,
        completed_on=completed_on or utcnow().date(),
    )
