"""The builder's structure: the template's details, phases and workouts (training days).

Adding, renaming and removing are plain forms that redirect back to the builder."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from spotter.core.db import DbSession, utcnow
from spotter.programs import service
from spotter.programs.pages.common import (
    Direction,
    TemplatesRead,
    TemplatesWrite,
    builder_context,
    find_phase,
    is_htmx,
    phase_of,
    read_template,
    router,
    structure_change,
    swapped,
)
from spotter.programs.pages.prescriptions import rx_action
from spotter.programs.schemas import (
    Order,
    PhaseFields,
    PhaseIn,
    TemplateFields,
    WorkoutFields,
    WorkoutIn,
)
from spotter.web import blank_to_none, read_form, redirect, render


@router.get("/programs/{template_id}")
async def builder_page(
    request: Request, session: DbSession, principal: TemplatesRead, template_id: uuid.UUID
) -> Response:
    template = await read_template(session, principal, template_id)
    context = builder_context(principal, template)
    context["can_assign"] = principal.can("programs:write") and not template.archived
    context["assign_form"] = {"start_on": utcnow().date().isoformat(), "mode": "STATIC"}
    form = {"name": template.name, "goal": template.goal or "", "level": template.level or ""}
    return render(request, "programs/builder.html", {**context, "form": form})


@router.post("/programs/{template_id}")
async def update_template(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, "goal", "level", "description")

    async def action() -> None:
        await service.update_template(
            session,
            principal=principal,
            template_id=template_id,
            data=TemplateFields.model_validate(data),
        )

    return await structure_change(request, session, template_id, action, "Template saved.")


@router.post("/programs/{template_id}/archive")
async def archive_template(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    await service.archive_template(session, principal=principal, template_id=template_id)
    return redirect(request, "/programs", "Template archived.")


# --- phases --------------------------------------------------------------------------------------


@router.post("/programs/{template_id}/phases")
async def add_phase(
    request: Request, session: DbSession, principal: TemplatesWrite, template_id: uuid.UUID
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = PhaseIn.model_validate(
            {
                "name": form.get("name") or "New phase",
                "weeks": form.get("weeks") or 4,
                "focus": form.get("focus") or None,
                "workouts": [{"name": "Day 1"}],
            }
        )
        await service.add_phase(session, principal=principal, template_id=template_id, data=data)

    return await structure_change(request, session, template_id, action, "Phase added.")


@router.post("/programs/{template_id}/phases/{phase_id}")
async def update_phase(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        data = PhaseFields.model_validate(blank_to_none(form, "focus"))
        await service.update_phase(session, principal=principal, phase_id=phase_id, data=data)

    return await structure_change(
        request, session, template_id, action, "Phase saved.", f"#phase-{phase_id}"
    )


@router.post("/programs/{template_id}/phases/{phase_id}/move")
async def move_phase(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
    to: Direction = "up",
) -> Response:
    """One place earlier or later in the program; over HTMX the phases come back."""
    template = await read_template(session, principal, template_id)
    find_phase(template, phase_id)  # a phase of another template is not found
    ids = swapped([ph.id for ph in template.phases], phase_id, to)

    async def action() -> None:
        await service.reorder_phases(
            session, principal=principal, template_id=template_id, order=Order(ids=ids)
        )

    async def phases() -> Response:
        moved = await read_template(session, principal, template_id)
        context = builder_context(principal, moved, {"id": str(phase_id), "to": to})
        return render(request, "programs/_phases.html", context)

    return await structure_change(
        request, session, template_id, action, "Phase moved.", f"#phase-{phase_id}", fragment=phases
    )


@router.post("/programs/{template_id}/phases/{phase_id}/delete")
async def delete_phase(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    async def action() -> None:
        await service.delete_phase(session, principal=principal, phase_id=phase_id)

    return await structure_change(request, session, template_id, action, "Phase removed.")


# --- workouts (training days) -------------------------------------------------------------------


@router.post("/programs/{template_id}/phases/{phase_id}/workouts")
async def add_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    phase_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> uuid.UUID:
        data = WorkoutIn.model_validate({"name": form.get("name") or "New day"})
        workout, _ = await service.add_workout(
            session, principal=principal, phase_id=phase_id, data=data
        )
        return workout.id

    return await structure_change(request, session, template_id, action, "Day added.")


@router.post("/programs/{template_id}/workouts/{workout_id}")
async def update_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> uuid.UUID:
        data = WorkoutFields.model_validate(blank_to_none(form, "notes"))
        await service.update_workout(session, principal=principal, workout_id=workout_id, data=data)
        return workout_id

    if is_htmx(request):
        return await rx_action(request, session, principal, template_id, workout_id, action)
    return await structure_change(request, session, template_id, action, "Day renamed.")


@router.post("/programs/{template_id}/workouts/{workout_id}/move")
async def move_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
    to: Direction = "up",
) -> Response:
    """One place earlier or later in its phase's week; over HTMX the phase comes back."""
    template = await read_template(session, principal, template_id)
    phase = phase_of(template, workout_id)
    ids = swapped([w.id for w in phase.workouts], workout_id, to)

    async def action() -> None:
        await service.reorder_workouts(
            session, principal=principal, phase_id=phase.id, order=Order(ids=ids)
        )

    async def phase_section() -> Response:
        moved = await read_template(session, principal, template_id)
        position = [ph.id for ph in moved.phases].index(phase.id)
        context = builder_context(principal, moved, {"id": str(workout_id), "to": to})
        context |= {
            "ph": moved.phases[position],
            "ph_first": position == 0,
            "ph_last": position == len(moved.phases) - 1,
        }
        return render(request, "programs/_phase.html", context)

    return await structure_change(
        request,
        session,
        template_id,
        action,
        "Day moved.",
        f"#workout-{workout_id}",
        fragment=phase_section,
    )


@router.post("/programs/{template_id}/workouts/{workout_id}/delete")
async def delete_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    async def action() -> None:
        await service.delete_workout(session, principal=principal, workout_id=workout_id)

    return await structure_change(request, session, template_id, action, "Day removed.")


@router.post("/programs/{template_id}/workouts/{workout_id}/duplicate")
async def duplicate_workout(
    request: Request,
    session: DbSession,
    principal: TemplatesWrite,
    template_id: uuid.UUID,
    workout_id: uuid.UUID,
) -> Response:
    async def action() -> uuid.UUID:
        copy, _ = await service.duplicate_workout(
            session, principal=principal, workout_id=workout_id
        )
        return copy.id

    return await structure_change(request, session, template_id, action, "Day duplicated.")
