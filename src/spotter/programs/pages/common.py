"""What the program pages share: permission aliases, choices for the forms, reading a
template for the builder and the two ways a builder action answers (a redirect for a
structure change, the re-rendered fragment for an HTMX edit)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import AppError
from spotter.identity.dependencies import Principal
from spotter.programs import present, service
from spotter.programs.errors import WorkoutNotFound
from spotter.programs.schemas import (
    Level,
    PrescriptionOut,
    SetType,
    TemplateOut,
    WorkoutOut,
)
from spotter.web import FORM_ERRORS, field_messages, page_require, redirect

TemplatesRead = Annotated[Principal, page_require("templates:read")]
TemplatesWrite = Annotated[Principal, page_require("templates:write")]
ProgramsWrite = Annotated[Principal, page_require("programs:write")]
Search = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
Direction = Annotated[str, Query(pattern="^(up|down)$")]
PAGE_SIZE = 20
LEVELS = [level.value for level in Level]
SET_TYPES = [(s.value, s.value.replace("_", "-").capitalize()) for s in SetType]
LOAD_KINDS = [("load_kg", "kg"), ("percent_1rm", "%1RM"), ("rpe", "RPE"), ("rir", "RIR")]
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def swapped(ids: list[uuid.UUID], item: uuid.UUID, to: str) -> list[uuid.UUID]:
    """``ids`` with ``item`` moved one place up or down (unchanged at either end)."""
    order = list(ids)
    i = order.index(item)
    j = i - 1 if to == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


async def read_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> TemplateOut:
    return present.template(
        *await service.read_template(session, principal=principal, template_id=template_id)
    )


def find_workout(template: TemplateOut, workout_id: uuid.UUID) -> WorkoutOut:
    for phase in template.phases:
        for w in phase.workouts:
            if w.id == workout_id:
                return w
    raise WorkoutNotFound()


def find_rx(template: TemplateOut, rx_id: uuid.UUID) -> tuple[WorkoutOut, PrescriptionOut]:
    for phase in template.phases:
        for w in phase.workouts:
            for rx in w.prescriptions:
                if rx.id == rx_id:
                    return w, rx
    raise WorkoutNotFound("No such prescription in this template")


def builder_context(principal: Principal, template: TemplateOut) -> dict[str, Any]:
    editable = principal.can("templates:manage") or (
        template.owner_id is not None and str(template.owner_id) == str(principal.user_id)
    )
    return {
        "t": template,
        "editable": editable and not template.archived,
        "set_types": SET_TYPES,
        "load_kinds": LOAD_KINDS,
        "levels": LEVELS,
        "weekday_names": WEEKDAY_NAMES,
        "rx_errors": {},
    }


async def structure_change(
    request: Request,
    session: AsyncSession,
    template_id: uuid.UUID,
    action: Callable[[], Awaitable[Any]],
    message: str,
    anchor: str = "",
) -> Response:
    """A structure change: redirect back to the builder, or show the refusal there."""
    try:
        async with session.begin_nested():
            result = await action()
    except FORM_ERRORS as exc:
        if isinstance(exc, AppError) and exc.status >= 500:
            raise
        fields, general = field_messages(exc)
        text = general if not fields else " ".join(fields.values())
        return redirect(request, f"/programs/{template_id}", text or "Not saved.", "error")
    target = anchor or (f"#workout-{result}" if isinstance(result, uuid.UUID) else "")
    return redirect(request, f"/programs/{template_id}{target}", message)
