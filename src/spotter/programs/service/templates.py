"""Templates: the row rule, CRUD of the whole tree, copy and reorder."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, selectinload

from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role
from spotter.exercises import service as exercises
from spotter.programs.errors import (
    BadOrder,
    PhaseNotFound,
    PrescriptionNotFound,
    TemplateNotFound,
    TemplateReadOnly,
    UnknownExercise,
    WorkoutNotFound,
)
from spotter.programs.models import Phase, Plan, Prescription, Workout
from spotter.programs.schemas import (
    Order,
    PhaseFields,
    PhaseIn,
    PrescriptionIn,
    TemplateCopy,
    TemplateCreate,
    TemplateFields,
    WorkoutFields,
    WorkoutIn,
)

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

TEMPLATE = "template"
SNAPSHOT = "snapshot"
MANAGE = "templates:manage"

_Child = TypeVar("_Child", Phase, Workout, Prescription)


def template_rule(principal: Principal) -> list[sa.ColumnElement[bool]]:
    """The one row rule for templates: trainers see their personal templates and the
    shared library; owners, admins, front desk and API keys see all of the organization's;
    clients see none. Program snapshots are never templates."""
    rule: list[sa.ColumnElement[bool]] = [Plan.kind == TEMPLATE]
    if principal.role == Role.TRAINER:
        rule.append(sa.or_(Plan.owner_id == principal.user_id, Plan.owner_id.is_(None)))
    elif principal.role == Role.CLIENT:
        rule.append(sa.false())
    return rule


def full_tree() -> Any:
    """Loader options for a plan with every phase, workout and prescription: one query
    per level, whatever the size."""
    return (
        selectinload(Plan.phases).selectinload(Phase.workouts).selectinload(Workout.prescriptions)
    )


def check_editable(principal: Principal, plan: Plan) -> None:
    if principal.can(MANAGE):
        return
    if plan.owner_id is None or plan.owner_id != principal.user_id:
        raise TemplateReadOnly()


async def list_templates(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    q: str | None = None,
    shared: bool | None = None,
    include_archived: bool = False,
) -> tuple[list[Plan], str | None, dict[uuid.UUID, int]]:
    stmt = sa.select(Plan).where(*template_rule(principal))
    if not include_archived:
        stmt = stmt.where(Plan.archived.is_(False))
    if shared is not None:
        stmt = stmt.where(Plan.owner_id.is_(None) if shared else Plan.owner_id.is_not(None))
    if q:
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(sa.func.lower(Plan.name).like(f"%{escaped}%", escape="\\"))
    items, cursor = await paginate(session, stmt, keys=[Plan.name, Plan.id], params=params)
    return items, cursor, await durations(session, [p.id for p in items])


async def durations(session: AsyncSession, plan_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not plan_ids:
        return {}
    rows = await session.execute(
        sa.select(Phase.plan_id, sa.func.sum(Phase.weeks))
        .where(Phase.plan_id.in_(plan_ids))
        .group_by(Phase.plan_id)
    )
    return {plan_id: int(total or 0) for plan_id, total in rows.all()}


async def get_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, full: bool = True
) -> Plan:
    stmt = sa.select(Plan).where(Plan.id == template_id, *template_rule(principal))
    if full:
        stmt = stmt.options(full_tree())
    plan = await session.scalar(stmt)
    if plan is None:
        raise TemplateNotFound()
    return plan


def _prescriptions_of(obj: Any) -> Iterable[Prescription]:
    if isinstance(obj, list | tuple):
        for item in obj:
            yield from _prescriptions_of(item)
    elif isinstance(obj, Plan):
        yield from _prescriptions_of(obj.phases)
    elif isinstance(obj, Phase):
        yield from _prescriptions_of(obj.workouts)
    elif isinstance(obj, Workout):
        yield from obj.prescriptions
    elif isinstance(obj, Prescription):
        yield obj


async def read_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID
) -> tuple[Plan, dict[uuid.UUID, str]]:
    return await named(
        session, await get_template(session, principal=principal, template_id=template_id)
    )


async def exercise_names(session: AsyncSession, obj: Any) -> dict[uuid.UUID, str]:
    """Names of every exercise in a loaded tree (one batch, no N+1)."""
    ids = {rx.exercise_id for rx in _prescriptions_of(obj)}
    if not ids:
        return {}
    found = await exercises.exercises_by_ids(session, ids=ids)
    return {i: e.name for i, e in found.items()}


_T = TypeVar("_T")


async def named(session: AsyncSession, obj: _T) -> tuple[_T, dict[uuid.UUID, str]]:
    return obj, await exercise_names(session, obj)


async def _check_exercises(session: AsyncSession, prescriptions: Iterable[PrescriptionIn]) -> None:
    wanted = {rx.exercise_id for rx in prescriptions}
    if not wanted:
        return
    found = await exercises.exercises_by_ids(session, ids=wanted)
    missing = sorted(str(i) for i in wanted - set(found))
    if missing:
        raise UnknownExercise(
            f"No such exercise in your library: {', '.join(missing)}",
            errors=[{"field": "exercise_id", "message": f"unknown exercise {m}"} for m in missing],
        )


def _new_prescription(data: PrescriptionIn, position: int) -> Prescription:
    return Prescription(position=position, **data.columns())


def _new_workout(data: WorkoutIn, position: int) -> Workout:
    workout = Workout(position=position, name=data.name, notes=data.notes)
    workout.prescriptions = [_new_prescription(rx, i) for i, rx in enumerate(data.prescriptions)]
    return workout


def _new_phase(data: PhaseIn, position: int) -> Phase:
    phase = Phase(position=position, name=data.name, weeks=data.weeks, focus=data.focus)
    phase.workouts = [_new_workout(w, i) for i, w in enumerate(data.workouts)]
    return phase


def _all_prescriptions(phases: Iterable[PhaseIn]) -> list[PrescriptionIn]:
    return [rx for ph in phases for w in ph.workouts for rx in w.prescriptions]


def _owner_for(principal: Principal, shared: bool) -> uuid.UUID | None:
    if shared:
        if not principal.can(MANAGE):
            raise TemplateReadOnly("Only owners and admins add templates to the shared library")
        return None
    if principal.user_id is None:
        raise field_error("shared", "an API key can only create shared templates (shared: true)")
    return principal.user_id


async def create_template(
    session: AsyncSession, *, principal: Principal, data: TemplateCreate
) -> tuple[Plan, dict[uuid.UUID, str]]:
    owner_id = _owner_for(principal, data.shared)
    await _check_exercises(session, _all_prescriptions(data.phases))
    plan = Plan(
        kind=TEMPLATE,
        name=data.name,
        goal=data.goal,
        level=data.level,
        description=data.description,
        owner_id=owner_id,
    )
    plan.phases = [_new_phase(ph, i) for i, ph in enumerate(data.phases)]
    session.add(plan)
    await session.flush()
    return await named(
        session, await get_template(session, principal=principal, template_id=plan.id)
    )


async def update_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, data: TemplateFields
) -> tuple[Plan, dict[uuid.UUID, str]]:
    plan = await get_template(session, principal=principal, template_id=template_id, full=False)
    check_editable(principal, plan)
    plan.name, plan.goal, plan.level, plan.description = (
        data.name,
        data.goal,
        data.level,
        data.description,
    )
    await session.flush()
    return await named(
        session, await get_template(session, principal=principal, template_id=plan.id)
    )


async def archive_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID
) -> None:
    plan = await get_template(session, principal=principal, template_id=template_id, full=False)
    check_editable(principal, plan)
    plan.archived = True
    await session.flush()


def clone(source: Plan, *, kind: str, name: str, owner_id: uuid.UUID | None) -> Plan:
    """A deep, transient copy of a fully loaded plan."""
    plan = Plan(
        kind=kind,
        name=name,
        goal=source.goal,
        level=source.level,
        description=source.description,
        owner_id=owner_id,
        source_id=source.id,
    )
    columns = [c.key for c in sa.inspect(Prescription).column_attrs]
    skip = {"id", "workout_id", "organization_id"}
    plan.phases = []
    for ph in source.phases:
        phase = Phase(position=ph.position, name=ph.name, weeks=ph.weeks, focus=ph.focus)
        phase.workouts = []
        for w in ph.workouts:
            workout = Workout(position=w.position, name=w.name, notes=w.notes)
            workout.prescriptions = [
                Prescription(**{k: getattr(rx, k) for k in columns if k not in skip})
                for rx in w.prescriptions
            ]
            phase.workouts.append(workout)
        plan.phases.append(phase)
    return plan


async def copy_template(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, data: TemplateCopy
) -> tuple[Plan, dict[uuid.UUID, str]]:
    source = await get_template(session, principal=principal, template_id=template_id)
    owner_id = _owner_for(principal, data.shared)
    plan = clone(
        source, kind=TEMPLATE, name=data.name or f"{source.name} (copy)", owner_id=owner_id
    )
    session.add(plan)
    await session.flush()
    return await named(
        session, await get_template(session, principal=principal, template_id=plan.id)
    )


# --- nested parts ------------------------------------------------------------------------------


async def _touch(plan: Plan) -> None:
    plan.updated_at = utcnow()


async def _editable_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> Plan:
    plan = await get_template(session, principal=principal, template_id=template_id, full=False)
    check_editable(principal, plan)
    return plan


async def get_phase(
    session: AsyncSession, *, principal: Principal, phase_id: uuid.UUID, edit: bool = True
) -> Phase:
    phase = await session.scalar(
        sa.select(Phase)
        .join(Phase.plan)
        .options(contains_eager(Phase.plan))
        .where(Phase.id == phase_id, *template_rule(principal))
    )
    if phase is None:
        raise PhaseNotFound()
    if edit:
        check_editable(principal, phase.plan)
    return phase


async def get_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, edit: bool = True
) -> Workout:
    workout = await session.scalar(
        sa.select(Workout)
        .join(Workout.phase)
        .join(Phase.plan)
        .options(contains_eager(Workout.phase).contains_eager(Phase.plan))
        .where(Workout.id == workout_id, *template_rule(principal))
    )
    if workout is None:
        raise WorkoutNotFound()
    if edit:
        check_editable(principal, workout.phase.plan)
    return workout


async def editable_workout(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, workout_id: uuid.UUID
) -> Workout:
    """A workout of this template that the caller may edit (one query, no tree)."""
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    if workout.phase.plan_id != template_id:
        raise WorkoutNotFound()
    return workout


async def get_prescription(
    session: AsyncSession, *, principal: Principal, prescription_id: uuid.UUID
) -> Prescription:
    rx = await session.scalar(
        sa.select(Prescription)
        .join(Prescription.workout)
        .join(Workout.phase)
        .join(Phase.plan)
        .options(
            contains_eager(Prescription.workout)
            .contains_eager(Workout.phase)
            .contains_eager(Phase.plan)
        )
        .where(Prescription.id == prescription_id, *template_rule(principal))
    )
    if rx is None:
        raise PrescriptionNotFound()
    check_editable(principal, rx.workout.phase.plan)
    return rx


async def _next_position(session: AsyncSession, column: Any, parent_id: uuid.UUID) -> int:
    model = column.class_
    top = await session.scalar(sa.select(sa.func.max(model.position)).where(column == parent_id))
    return 0 if top is None else int(top) + 1


async def add_phase(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, data: PhaseIn
) -> tuple[Phase, dict[uuid.UUID, str]]:
    plan = await _editable_template(session, principal, template_id)
    await _check_exercises(session, _all_prescriptions([data]))
    phase = _new_phase(data, await _next_position(session, Phase.plan_id, plan.id))
    phase.plan_id = plan.id
    session.add(phase)
    await _touch(plan)
    await session.flush()
    return await named(session, await _phase_tree(session, phase.id))


async def _phase_tree(session: AsyncSession, phase_id: uuid.UUID) -> Phase:
    phase = await session.scalar(
        sa.select(Phase)
        .where(Phase.id == phase_id)
        .options(selectinload(Phase.workouts).selectinload(Workout.prescriptions))
        .execution_options(populate_existing=True)
    )
    assert phase is not None
    return phase


async def _workout_tree(session: AsyncSession, workout_id: uuid.UUID) -> Workout:
    workout = await session.scalar(
        sa.select(Workout)
        .where(Workout.id == workout_id)
        .options(selectinload(Workout.prescriptions))
        .execution_options(populate_existing=True)
    )
    assert workout is not None
    return workout


async def update_phase(
    session: AsyncSession, *, principal: Principal, phase_id: uuid.UUID, data: PhaseFields
) -> tuple[Phase, dict[uuid.UUID, str]]:
    phase = await get_phase(session, principal=principal, phase_id=phase_id)
    phase.name, phase.weeks, phase.focus = data.name, data.weeks, data.focus
    await _touch(phase.plan)
    await session.flush()
    return await named(session, await _phase_tree(session, phase.id))


async def delete_phase(session: AsyncSession, *, principal: Principal, phase_id: uuid.UUID) -> None:
    phase = await get_phase(session, principal=principal, phase_id=phase_id)
    await _touch(phase.plan)
    await session.delete(phase)
    await session.flush()


def _reorder(children: Sequence[_Child], order: Order) -> list[_Child]:
    by_id = {c.id: c for c in children}
    if len(order.ids) != len(set(order.ids)) or set(order.ids) != set(by_id):
        raise BadOrder(
            f"The order must list each of the {len(by_id)} item(s) exactly once",
            errors=[{"field": "ids", "message": "must be every item's id, each once"}],
        )
    for position, child_id in enumerate(order.ids):
        by_id[child_id].position = position
    return [by_id[i] for i in order.ids]


async def reorder_phases(
    session: AsyncSession, *, principal: Principal, template_id: uuid.UUID, order: Order
) -> tuple[list[Phase], dict[uuid.UUID, str]]:
    plan = await _editable_template(session, principal, template_id)
    phases = (
        await session.scalars(
            sa.select(Phase)
            .where(Phase.plan_id == plan.id)
            .options(selectinload(Phase.workouts).selectinload(Workout.prescriptions))
        )
    ).all()
    ordered = _reorder(phases, order)
    await _touch(plan)
    await session.flush()
    return await named(session, ordered)


async def add_workout(
    session: AsyncSession, *, principal: Principal, phase_id: uuid.UUID, data: WorkoutIn
) -> tuple[Workout, dict[uuid.UUID, str]]:
    phase = await get_phase(session, principal=principal, phase_id=phase_id)
    await _check_exercises(session, data.prescriptions)
    workout = _new_workout(data, await _next_position(session, Workout.phase_id, phase.id))
    workout.phase_id = phase.id
    session.add(workout)
    await _touch(phase.plan)
    await session.flush()
    return await named(session, await _workout_tree(session, workout.id))


async def update_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, data: WorkoutFields
) -> tuple[Workout, dict[uuid.UUID, str]]:
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    workout.name, workout.notes = data.name, data.notes
    await _touch(workout.phase.plan)
    await session.flush()
    return await named(session, await _workout_tree(session, workout.id))


async def delete_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID
) -> None:
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    await _touch(workout.phase.plan)
    await session.delete(workout)
    await session.flush()


async def reorder_workouts(
    session: AsyncSession, *, principal: Principal, phase_id: uuid.UUID, order: Order
) -> tuple[list[Workout], dict[uuid.UUID, str]]:
    phase = await get_phase(session, principal=principal, phase_id=phase_id)
    workouts = (
        await session.scalars(
            sa.select(Workout)
            .where(Workout.phase_id == phase.id)
            .options(selectinload(Workout.prescriptions))
        )
    ).all()
    ordered = _reorder(workouts, order)
    await _touch(phase.plan)
    await session.flush()
    return await named(session, ordered)


async def duplicate_workout(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID
) -> tuple[Workout, dict[uuid.UUID, str]]:
    """A copy of the workout (with its prescriptions) at the end of the same phase."""
    source = await get_workout(session, principal=principal, workout_id=workout_id)
    source = await _workout_tree(session, source.id)
    columns = [c.key for c in sa.inspect(Prescription).column_attrs]
    skip = {"id", "workout_id", "organization_id"}
    copy = Workout(
        phase_id=source.phase_id,
        position=await _next_position(session, Workout.phase_id, source.phase_id),
        name=f"{source.name} (copy)"[:120],
        notes=source.notes,
    )
    copy.prescriptions = [
        Prescription(**{k: getattr(rx, k) for k in columns if k not in skip})
        for rx in source.prescriptions
    ]
    session.add(copy)
    await session.flush()
    return await named(session, await _workout_tree(session, copy.id))


async def add_prescription(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, data: PrescriptionIn
) -> tuple[Prescription, dict[uuid.UUID, str]]:
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    await _check_exercises(session, [data])
    rx = _new_prescription(data, await _next_position(session, Prescription.workout_id, workout.id))
    rx.workout_id = workout.id
    session.add(rx)
    await _touch(workout.phase.plan)
    await session.flush()
    return await named(session, rx)


async def update_prescription(
    session: AsyncSession,
    *,
    principal: Principal,
    prescription_id: uuid.UUID,
    data: PrescriptionIn,
) -> tuple[Prescription, dict[uuid.UUID, str]]:
    rx = await get_prescription(session, principal=principal, prescription_id=prescription_id)
    await _check_exercises(session, [data])
    for key, value in data.columns().items():
        setattr(rx, key, value)
    await _touch(rx.workout.phase.plan)
    await session.flush()
    return await named(session, rx)


async def delete_prescription(
    session: AsyncSession, *, principal: Principal, prescription_id: uuid.UUID
) -> None:
    rx = await get_prescription(session, principal=principal, prescription_id=prescription_id)
    await _touch(rx.workout.phase.plan)
    await session.delete(rx)
    await session.flush()


async def reorder_prescriptions(
    session: AsyncSession, *, principal: Principal, workout_id: uuid.UUID, order: Order
) -> tuple[list[Prescription], dict[uuid.UUID, str]]:
    workout = await get_workout(session, principal=principal, workout_id=workout_id)
    prescriptions = (
        await session.scalars(sa.select(Prescription).where(Prescription.workout_id == workout.id))
    ).all()
    ordered = _reorder(prescriptions, order)
    await _touch(workout.phase.plan)
    await session.flush()
    return await named(session, ordered)
