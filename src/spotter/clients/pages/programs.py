"""A client's programs on their page (``programs:write``): move a STATIC program a week on
or back or to a phase and week, pause, resume or complete it, and reschedule one of its
workouts to another day. Over HTMX each answers the program's card re-rendered (a message
in it, or the refusal next to the field); without JavaScript a redirect, or the tab again
with the messages."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.pages.common import WEEKDAY_NAMES, router
from spotter.clients.pages.record import client_context, program_cards
from spotter.core.db import DbSession
from spotter.core.errors import AppError, field_error
from spotter.identity.dependencies import Principal
from spotter.programs import service as programs
from spotter.programs.models import Program
from spotter.programs.schemas import MoveIn, ProgramStatus, ProgramUpdate
from spotter.web import FORM_ERRORS, field_messages, page_require, read_form, redirect, render

ProgramsWrite = Annotated[Principal, page_require("programs:write")]
RENAME = {"current_phase": "phase", "current_week": "week"}
STATUS_MESSAGES = {
    ProgramStatus.ACTIVE: "{name} is running again.",
    ProgramStatus.PAUSED: "{name} is paused: it takes no workouts and does not advance "
    "until you resume it.",
    ProgramStatus.COMPLETED: "{name} is complete.",
    ProgramStatus.CANCELLED: "{name} was cancelled.",
}


@dataclass(frozen=True)
class Card:
    """Which program card an action is about, and the week it shows."""

    client_id: uuid.UUID
    program_id: uuid.UUID
    week: date | None


async def _card_of(
    client_id: uuid.UUID,
    program_id: uuid.UUID,
    week: Annotated[date | None, Query(description="The week the card shows")] = None,
) -> Card:
    return Card(client_id, program_id, week)


CardOf = Annotated[Card, Depends(_card_of)]
Action = Callable[[Program], Awaitable[str]]


async def _render_card(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    card: Card,
    status: int = 200,
    **extra: Any,
) -> Response:
    client = await clients.get_client(session, principal=principal, client_id=card.client_id)
    program = await programs.client_program(
        session, principal=principal, client_id=client.id, program_id=card.program_id
    )
    [shown] = await program_cards(session, principal, client, [program], card.week)
    shown.update({"errors": {}, "notice": None, **extra})
    context = {"card": shown, "client": client, "weekday_names": WEEKDAY_NAMES}
    return render(request, "clients/_program.html", context, status_code=status)


async def card_action(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    card: Card,
    action: Action,
    *,
    target: str = "",
    form: dict[str, Any] | None = None,
) -> Response:
    """Run ``action`` on the client's program (it returns the message to show) inside a
    savepoint and answer; a refusal is shown in the form named ``target`` with what was
    typed (``form``)."""
    try:
        async with session.begin_nested():
            program = await programs.client_program(
                session, principal=principal, client_id=card.client_id, program_id=card.program_id
            )
            message = await action(program)
    except FORM_ERRORS as exc:
        if isinstance(exc, AppError) and (exc.status in (403, 404) or exc.status >= 500):
            raise
        fields, general = field_messages(exc, rename=RENAME)
        errors = {"fields": fields, "general": general, "target": target, "form": form or {}}
        status = 422 if not isinstance(exc, AppError) else exc.status
        if request.headers.get("hx-request"):
            return await _render_card(request, session, principal, card, status, errors=errors)
        context = await client_context(
            session, principal, card.client_id, "programs", week=card.week
        )
        context["card_errors"] = {str(card.program_id): errors}
        return render(request, "clients/detail.html", context, status_code=status)
    if request.headers.get("hx-request"):
        return await _render_card(request, session, principal, card, notice=message)
    shown = f"&week={card.week.isoformat()}" if card.week else ""
    url = f"/clients/{card.client_id}?tab=programs{shown}#program-{card.program_id}"
    return redirect(request, url, message)


def _moved(program: Program) -> str:
    return f"{program.name}: now phase {program.current_phase}, week {program.current_week}."


@router.post("/clients/{client_id}/programs/{program_id}/week")
async def step_week(
    request: Request, session: DbSession, principal: ProgramsWrite, card: CardOf
) -> Response:
    """``step=on`` or ``step=back``: one week on or back (across phases)."""
    form = await read_form(request)

    async def action(program: Program) -> str:
        step = form.get("step")
        if step not in ("on", "back"):
            raise field_error("step", "Choose the next or the previous week.")
        return _moved(
            await programs.step_program(
                session, principal=principal, program_id=program.id, forward=step == "on"
            )
        )

    return await card_action(request, session, principal, card, action)


@router.post("/clients/{client_id}/programs/{program_id}/position")
async def jump(
    request: Request, session: DbSession, principal: ProgramsWrite, card: CardOf
) -> Response:
    """Jump to a phase and a week of it."""
    form = await read_form(request)

    async def action(program: Program) -> str:
        data = ProgramUpdate.model_validate(
            {"current_phase": form.get("phase") or None, "current_week": form.get("week") or None}
        )
        if data.current_phase is None or data.current_week is None:
            raise field_error("week", "Choose a phase and a week.")
        return _moved(
            await programs.update_program(
                session, principal=principal, program_id=program.id, data=data
            )
        )

    return await card_action(
        request, session, principal, card, action, target="position", form=form
    )


@router.post("/clients/{client_id}/programs/{program_id}/status")
async def change_status(
    request: Request, session: DbSession, principal: ProgramsWrite, card: CardOf
) -> Response:
    """Pause, resume, complete or reopen."""
    form = await read_form(request)

    async def action(program: Program) -> str:
        data = ProgramUpdate.model_validate({"status": form.get("status") or None})
        if data.status is None:
            raise field_error("status", "Choose what to do with the program.")
        await programs.update_program(
            session, principal=principal, program_id=program.id, data=data
        )
        return STATUS_MESSAGES[data.status].format(name=program.name)

    return await card_action(request, session, principal, card, action)


@router.post("/clients/{client_id}/programs/{program_id}/schedule/{scheduled_id}")
async def reschedule(
    request: Request,
    session: DbSession,
    principal: ProgramsWrite,
    card: CardOf,
    scheduled_id: uuid.UUID,
) -> Response:
    """Move one scheduled workout to another day (the rest of the calendar stays)."""
    form = await read_form(request)

    async def action(program: Program) -> str:
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
        request, session, principal, card, action, target=str(scheduled_id), form=form
    )
