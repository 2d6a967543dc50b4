"""The programs API: templates (phases, workouts, prescriptions), programs assigned to
clients, their weeks, progression and schedule."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query

from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.routing import Router
from spotter.core.schemas import Page
from spotter.programs import present, service
from spotter.programs.dependencies import (
    ProgramsLog,
    ProgramsRead,
    ProgramsWrite,
    TemplatesRead,
    TemplatesWrite,
)
from spotter.programs.schemas import (
    AssignIn,
    CompleteIn,
    MoveIn,
    Order,
    PhaseFields,
    PhaseIn,
    PhaseOut,
    PrescriptionIn,
    PrescriptionOut,
    ProgramOut,
    ProgramUpdate,
    ProgramWeekOut,
    ScheduledWorkout,
    TemplateCopy,
    TemplateCreate,
    TemplateFields,
    TemplateOut,
    TemplateSummary,
    WorkoutFields,
    WorkoutIn,
    WorkoutOut,
)

router = Router(tags=["programs"])

# --- templates ---------------------------------------------------------------------------------


@router.get("/templates", response_model=Page[TemplateSummary])
async def list_templates(
    session: DbSession,
    principal: TemplatesRead,
    params: Pages,
    q: Annotated[str | None, Query(max_length=100, description="Name contains")] = None,
    shared: Annotated[bool | None, Query(description="Only shared (or only personal)")] = None,
    include_archived: bool = False,
) -> Page[TemplateSummary]:
    items, cursor, weeks = await service.list_templates(
        session,
        principal=principal,
        params=params,
        q=q,
        shared=shared,
        include_archived=include_archived,
    )
    return Page(items=[present.summary(p, weeks.get(p.id, 0)) for p in items], next_cursor=cursor)


@router.post("/templates", response_model=TemplateOut, status_code=201)
async def create_template(
    session: DbSession, principal: TemplatesWrite, data: TemplateCreate
) -> TemplateOut:
    """A personal template, or a shared one (`shared: true`, owners and admins), optionally
    with its phases, workouts and prescriptions in one go."""
    return present.template(*await service.create_template(session, principal=principal, data=data))


@router.get("/templates/{template_id}", response_model=TemplateOut)
async def get_template(
    session: DbSession, principal: TemplatesRead, template_id: uuid.UUID
) -> TemplateOut:
    return present.template(
        *await service.read_template(session, principal=principal, template_id=template_id)
    )


@router.put("/templates/{template_id}", response_model=TemplateOut)
async def update_template(
    session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID, data: TemplateFields
) -> TemplateOut:
    return present.template(
        *await service.update_template(
            session, principal=principal, template_id=template_id, data=data
        )
    )


@router.delete("/templates/{template_id}", status_code=204)
async def archive_template(
    session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> None:
    """Archive: hidden from the library list; programs made from it are untouched."""
    await service.archive_template(session, principal=principal, template_id=template_id)


@router.post("/templates/{template_id}/copy", response_model=TemplateOut, status_code=201)
async def copy_template(
    session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID, data: TemplateCopy
) -> TemplateOut:
    """A personal (or, for owners/admins, shared) copy to customise."""
    return present.template(
        *await service.copy_template(
            session, principal=principal, template_id=template_id, data=data
        )
    )


# --- phases, workouts, prescriptions ---------------------------------------------------------


@router.post("/templates/{template_id}/phases", response_model=PhaseOut, status_code=201)
async def add_phase(
    session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID, data: PhaseIn
) -> PhaseOut:
    return present.phase(
        *await service.add_phase(session, principal=principal, template_id=template_id, data=data)
    )


@router.put("/templates/{template_id}/phases/order", response_model=list[PhaseOut])
async def reorder_phases(
    session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID, data: Order
) -> list[PhaseOut]:
    phases, names = await service.reorder_phases(
        session, principal=principal, template_id=template_id, order=data
    )
    return [present.phase(p, names) for p in phases]


@router.put("/phases/{phase_id}", response_model=PhaseOut)
async def update_phase(
    session: DbSession, principal: TemplatesWrite, phase_id: uuid.UUID, data: PhaseFields
) -> PhaseOut:
    return present.phase(
        *await service.update_phase(session, principal=principal, phase_id=phase_id, data=data)
    )


@router.delete("/phases/{phase_id}", status_code=204)
async def delete_phase(session: DbSession, principal: TemplatesWrite, phase_id: uuid.UUID) -> None:
    await service.delete_phase(session, principal=principal, phase_id=phase_id)


@router.post("/phases/{phase_id}/workouts", response_model=WorkoutOut, status_code=201)
async def add_workout(
    session: DbSession, principal: TemplatesWrite, phase_id: uuid.UUID, data: WorkoutIn
) -> WorkoutOut:
    return present.workout(
        *await service.add_workout(session, principal=principal, phase_id=phase_id, data=data)
    )


@router.put("/phases/{phase_id}/workouts/order", response_model=list[WorkoutOut])
async def reorder_workouts(
    session: DbSession, principal: TemplatesWrite, phase_id: uuid.UUID, data: Order
) -> list[WorkoutOut]:
    workouts, names = await service.reorder_workouts(
        session, principal=principal, phase_id=phase_id, order=data
    )
    return [present.workout(w, names) for w in workouts]


@router.put("/workouts/{workout_id}", response_model=WorkoutOut)
async def update_workout(
    session: DbSession, principal: TemplatesWrite, workout_id: uuid.UUID, data: WorkoutFields
) -> WorkoutOut:
    return present.workout(
        *await service.update_workout(
            session, principal=principal, workout_id=workout_id, data=data
        )
    )


@router.delete("/workouts/{workout_id}", status_code=204)
async def delete_workout(
    session: DbSession, principal: TemplatesWrite, workout_id: uuid.UUID
) -> None:
    await service.delete_workout(session, principal=principal, workout_id=workout_id)


@router.post("/workouts/{workout_id}/duplicate", response_model=WorkoutOut, status_code=201)
async def duplicate_workout(
    session: DbSession, principal: TemplatesWrite, workout_id: uuid.UUID
) -> WorkoutOut:
    """A copy of the workout and its prescriptions, at the end of the same phase."""
    return present.workout(
        *await service.duplicate_workout(session, principal=principal, workout_id=workout_id)
    )


@router.post(
    "/workouts/{workout_id}/prescriptions", response_model=PrescriptionOut, status_code=201
)
async def add_prescription(
    session: DbSession, principal: TemplatesWrite, workout_id: uuid.UUID, data: PrescriptionIn
) -> PrescriptionOut:
    return present.prescription(
        *await service.add_prescription(
            session, principal=principal, workout_id=workout_id, data=data
        )
    )


@router.put("/workouts/{workout_id}/prescriptions/order", response_model=list[PrescriptionOut])
async def reorder_prescriptions(
    session: DbSession, principal: TemplatesWrite, workout_id: uuid.UUID, data: Order
) -> list[PrescriptionOut]:
    items, names = await service.reorder_prescriptions(
        session, principal=principal, workout_id=workout_id, order=data
    )
    kinds = present.group_kinds(items)
    return [present.prescription(rx, names, kinds) for rx in items]


@router.put("/prescriptions/{prescription_id}", response_model=PrescriptionOut)
async def update_prescription(
    session: DbSession,
    principal: TemplatesWrite,
    prescription_id: uuid.UUID,
    data: PrescriptionIn,
) -> PrescriptionOut:
    return present.prescription(
        *await service.update_prescription(
            session, principal=principal, prescription_id=prescription_id, data=data
        )
    )


@router.delete("/prescriptions/{prescription_id}", status_code=204)
async def delete_prescription(
    session: DbSession, principal: TemplatesWrite, prescription_id: uuid.UUID
) -> None:
    await service.delete_prescription(session, principal=principal, prescription_id=prescription_id)


# --- programs ------------------------------------------------------------------------------------


@router.post("/templates/{template_id}/assign", response_model=ProgramOut, status_code=201)
async def assign_template(
    session: DbSession, principal: ProgramsWrite, template_id: uuid.UUID, data: AssignIn
) -> ProgramOut:
    """Assign to one of your clients: the program gets its own copy of the template."""
    return present.program(
        await service.assign(session, principal=principal, template_id=template_id, data=data)
    )


@router.get("/clients/{client_id}/programs", response_model=Page[ProgramOut])
async def list_client_programs(
    session: DbSession,
    principal: ProgramsRead,
    client_id: uuid.UUID,
    params: Pages,
) -> Page[ProgramOut]:
    items, cursor = await service.list_client_programs(
        session, principal=principal, client_id=client_id, params=params
    )
    return Page(items=[present.program(p) for p in items], next_cursor=cursor)


@router.get("/programs/{program_id}", response_model=ProgramOut)
async def get_program(
    session: DbSession, principal: ProgramsRead, program_id: uuid.UUID
) -> ProgramOut:
    return present.program(
        await service.get_program(session, principal=principal, program_id=program_id)
    )


@router.put("/programs/{program_id}", response_model=ProgramOut)
async def update_program(
    session: DbSession, principal: ProgramsWrite, program_id: uuid.UUID, data: ProgramUpdate
) -> ProgramOut:
    """Move the program to a phase and week (how STATIC programs progress), change its
    status or training days."""
    return present.program(
        await service.update_program(session, principal=principal, program_id=program_id, data=data)
    )


@router.get("/programs/{program_id}/workouts", response_model=ProgramWeekOut)
async def program_workouts(
    session: DbSession,
    principal: ProgramsRead,
    program_id: uuid.UUID,
    phase: Annotated[int | None, Query(ge=1, description="Default: the current phase")] = None,
    week: Annotated[int | None, Query(ge=1, description="Default: the current week")] = None,
) -> ProgramWeekOut:
    """The workouts of a week with progression applied (any past or future week can be
    shown: the values are computed, never overwritten)."""
    return await service.program_week(
        session, principal=principal, program_id=program_id, phase=phase, week=week
    )


@router.post("/programs/{program_id}/workouts/{workout_id}/complete", response_model=ProgramOut)
async def complete_workout(
    session: DbSession,
    principal: ProgramsLog,
    program_id: uuid.UUID,
    workout_id: uuid.UUID,
    data: CompleteIn | None = None,
) -> ProgramOut:
    """Mark one of the current phase's workouts done this week; a DYNAMIC_PROGRESSIVE
    program advances when the week's workouts are all done."""
    return present.program(
        await service.complete_workout(
            session,
            principal=principal,
            program_id=program_id,
            workout_id=workout_id,
            completed_on=data.completed_on if data else None,
        )
    )


@router.get("/programs/{program_id}/schedule", response_model=list[ScheduledWorkout])
async def program_schedule(
    session: DbSession,
    principal: ProgramsRead,
    program_id: uuid.UUID,
    from_: Annotated[date | None, Query(alias="from", description="Default: the start")] = None,
    to: Annotated[date | None, Query(description="Default: 4 weeks from 'from'")] = None,
) -> list[ScheduledWorkout]:
    return await service.schedule(
        session, principal=principal, program_id=program_id, from_on=from_, to_on=to
    )


@router.put("/programs/{program_id}/schedule/{scheduled_id}", response_model=ScheduledWorkout)
async def move_scheduled_workout(
    session: DbSession,
    principal: ProgramsWrite,
    program_id: uuid.UUID,
    scheduled_id: uuid.UUID,
    data: MoveIn,
) -> ScheduledWorkout:
    return await service.move(
        session, principal=principal, program_id=program_id, scheduled_id=scheduled_id, to=data.date
    )
