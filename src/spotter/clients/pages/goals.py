"""Goals and assessments on the client page."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import Response

from spotter.clients import service
from spotter.clients.pages.common import ClientsWrite, router
from spotter.clients.pages.record import submit
from spotter.clients.schemas import FMS_TESTS, AssessmentIn, GoalIn, GoalType
from spotter.core.db import DbSession
from spotter.core.errors import field_error
from spotter.web import blank_to_none, read_form


@router.post("/clients/{client_id}/goals")
async def add_goal(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(
        form, "title", "start_value", "target_value", "unit", "deadline_on", "current_value"
    )
    data.pop("exercise_name", None)  # the picker's display name, for showing it again
    lift = data.get("type") == GoalType.STRENGTH_LIFT
    # The picker keeps its value when another type is chosen: only a lift goal sends it.
    data["exercise_id"] = (data.get("exercise_id") or None) if lift else None

    async def action() -> None:
        if lift and data["exercise_id"] is None:
            raise field_error("exercise_id", "Choose the lift from the exercise library.")
        client = await service.get_client(session, principal=principal, client_id=client_id)
        await service.create_goal(
            session, principal=principal, client=client, data=GoalIn.model_validate(data)
        )

    return await submit(
        request, session, principal, client_id, "goals", form, action, "Goal added."
    )


@router.post("/clients/{client_id}/goals/{goal_id}/status")
async def goal_status(
    request: Request,
    session: DbSession,
    principal: ClientsWrite,
    client_id: uuid.UUID,
    goal_id: uuid.UUID,
) -> Response:
    form = await read_form(request)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        goal = await service.get_goal(session, client=client, goal_id=goal_id)
        fields = goal.model_dump(
            include={
                "type",
                "title",
                "exercise_id",
                "target_kind",
                "start_value",
                "target_value",
                "current_value",
                "unit",
                "deadline_on",
            }
        )
        if form.get("current_value"):
            fields["current_value"] = form["current_value"]
        if form.get("status"):
            fields["status"] = form["status"]
        await service.update_goal(
            session, client=client, goal_id=goal_id, data=GoalIn.model_validate(fields)
        )

    return await submit(
        request, session, principal, client_id, "goals", form, action, "Goal updated."
    )


ASSESSMENT_FIELDS = (
    "resting_hr",
    "bp_systolic",
    "bp_diastolic",
    "body_weight_kg",
    "body_fat_pct",
    "waist_cm",
    "hip_cm",
    "push_ups",
    "plank_seconds",
    "sit_reach_cm",
)


@router.post("/clients/{client_id}/assessments")
async def add_assessment(
    request: Request, session: DbSession, principal: ClientsWrite, client_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    data = blank_to_none(form, *ASSESSMENT_FIELDS, *FMS_TESTS, "notes")
    data["movement_screen"] = {t: data.pop(t) for t in FMS_TESTS if data.get(t) is not None}
    for t in FMS_TESTS:
        data.pop(t, None)

    async def action() -> None:
        client = await service.get_client(session, principal=principal, client_id=client_id)
        await service.create_assessment(
            session, principal=principal, client=client, data=AssessmentIn.model_validate(data)
        )

    return await submit(
        request,
        session,
        principal,
        client_id,
        "assessments",
        form,
        action,
        "Assessment recorded.",
        rename={"movement_screen": FMS_TESTS[0]},
    )
