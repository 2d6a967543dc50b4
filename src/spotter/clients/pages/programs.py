"""A client's programs on their page (``programs:write``): move a STATIC program a week on
or back or to a phase and week, pause, resume or complete it, and reschedule one of its
workouts to another day. Over HTMX each answers the program's card re-rendered (a message
in it, or the refusal next to the field); without JavaScript a redirect, or the tab again
with the messages."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.pages.common import WEEKDAY_NAMES
from spotter.clients.pages.record import client_context, program_cards
from spotter.core.db import DbSession
from spotter.core.errors import AppError, field_error
from spotter.identity.dependencies import Principal
from spotter.programs import service as programs
from spotter.programs.schemas import MoveIn, ProgramStatus, ProgramUpdate
from spotter.web import FORM_ERRORS, field_messages, page_require, read_form, redirect, render

router = APIRouter()
ProgramsWrite = Annotated[Principal, page_require("programs:write")]
Week = Annotated[date | None, Query(description="The week the card shows")]
RENAME = {"current_phase": "phase", "current_week": "week"}
STATUS_MESSAGES = {
    ProgramStatus.ACTIVE: "{name} is running again.",
    ProgramStatus.PAUSED: "{name} is paused: nothing is scheduled or advanced until you resume it.",
    ProgramStatus.COMPLETED: "{name} is complete.",
    ProgramStatus.CANCELLED: "{name} was cancelled.",
}


async def _card(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: date | None,
    status: int = 200,
    *,
    errors: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Response:
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    program = await programs.client_program(
        session, principal=principal, client_id=client.id, program_id=program_id
    )
    [card] = await program_cards(session, principal, client, [program], week)
    card.update(errors=errors or {}, notice=notice)
    context = {"card": card, "client": client, "weekday_names": WEEKDAY_NAMES}
    return render(request, "clients/_program.html", context, status_code=status)


async def card_action(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: date | None,
    action: Callable[[], Awaitable[str]],
    *,
    target: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    """Run ``action`` (which returns the message to show) in a savepoint and answer; a
    refusal is shown in the form named ``target`` with what was typed (``form``)."""
    try:
        async with session.begin_nested():
            message = await action()
    except FORM_ERRORS as exc:
        if isinstance(exc, AppError) and exc.status >= 500:
            raise
        fields, general = field_messages(exc, rename=RENAME)
        errors = {"fields": fields, "general": general, "target": target, "form": form or {}}
        status = 422 if not isinstance(exc, AppError) else exc.status
        if request.headers.get("hx-request"):
            return await _card(
                request, session, principal, client_id, program_id, week, status, errors=errors
            )
        context = await client_context(session, principal, client_id, "programs", week=week)
        context["card_errors"] = {str(program_id): errors}
        return render(request, "clients/detail.html", context, status_code=status)
    if request.headers.get("hx-request"):
        return await _card(request, session, principal, client_id, program_id, week, notice=message)
    shown = f"&week={week.isoformat()}" if week else ""
    url = f"/clients/{client_id}?tab=programs{shown}#program-{program_id}"
    return redirect(request, url, message)


@router.post("/clients/{client_id}/programs/{program_id}/week")
async def step_week(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: Week = None,
) -> Response:
    """``step=on`` or ``step=back``: one week on or back (across phases)."""
    form = await read_form(request)

    async def action() -> str:
        step = form.get("step")
        if step not in ("on", "back"):
            raise field_error("step", "Choose the next or the previous week.")
        program = await programs.client_program(
            session, principal=principal, client_id=client_id, program_id=program_id
        )
        moved = await programs.step_program(
            session, principal=principal, program_id=program.id, forward=step == "on"
        )
        return f"{moved.name}: now phase {moved.current_phase}, week {moved.current_week}."

    return await card_action(request, session, principal, client_id, program_id, week, action)


@router.post("/clients/{client_id}/programs/{program_id}/position")
async def jump(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: Week = None,
) -> Response:
    """Jump to a phase and a week of it."""
    form = await read_form(request)

    async def action() -> str:
        program = await programs.client_program(
            session, principal=principal, client_id=client_id, program_id=program_id
        )
        data = ProgramUpdate.model_validate(
            {"current_phase": form.get("phase") or None, "current_week": form.get("week") or None}
        )
        if data.current_phase is None or data.current_week is None:
            raise field_error("week", "Choose a phase and a week.")
        moved = await programs.update_program(
            session, principal=principal, program_id=program.id, data=data
        )
        return f"{moved.name}: now phase {moved.current_phase}, week {moved.current_week}."

    return await card_action(
        request,
        session,
        principal,
        client_id,
        program_id,
        week,
        action,
        target="position",
        form=form,
    )


@router.post("/clients/{client_id}/programs/{program_id}/status")
async def change_status(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: Week = None,
) -> Response:
    """Pause, resume, complete or reopen."""
    form = await read_form(request)

    async def action() -> str:
        program = await programs.client_program(
            session, principal=principal, client_id=client_id, program_id=program_id
        )
        data = ProgramUpdate.model_validate({"status": form.get("status") or None})
        if data.status is None:
            raise field_error("status", "Choose what to do with the program.")
        moved = await programs.update_program(
            session, principal=principal, program_id=program.id, data=data
        )
        return STATUS_MESSAGES[data.status].format(name=moved.name)

    return await card_action(request, session, principal, client_id, program_id, week, action)


@router.post("/clients/{client_id}/programs/{program_id}/schedule/{scheduled_id}")
async def reschedule(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    scheduled_id: uuid.UUID,
    week: Week = None,
) -> Response:
    """Move one scheduled workout to another day (the rest of the calendar stays)."""
    form = await read_form(request)

    async def action() -> str:
        program = await programs.client_program(
            session, principal=principal, client_id=client_id, program_id=program_id
        )
        data = MoveIn.model_validate({"date": form["date"]} if form.get("date") else {})
        moved = await programs.move(
            session,
            principal=principal,
            program_id=program.id,
            scheduled_id=scheduled_id,
            to=data.date,
        )
        return f"{moved.workout_name} moved to {moved.date:%A %-d %B}."

    return await card_action(
        request,
        session,
        principal,
        client_id,
        program_id,
        week,
        action,
        target=str(scheduled_id),
        form=form,
    )
