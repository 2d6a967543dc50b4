"""The front door: ``/`` sends people to their home; staff get the trainer home, clients
the client home."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.clients.pages import client_list
from spotter.core.db import DbSession, utcnow
from spotter.core.pagination import PageParams
from spotter.core.permissions import INVITABLE, Role
from spotter.core.routing import Router
from spotter.identity.dependencies import Principal
from spotter.orgs import service as orgs
from spotter.programs import present as programs_present
from spotter.programs import service as programs
from spotter.web import MaybePageUser, PageUser, redirect, render

router = Router()
STATUSES = ("active", "lead", "paused", "archived")


async def client_training(
    session: AsyncSession, principal: Principal, client: Client, today: date
) -> dict[str, Any]:
    """The client's active program: this week's scheduled workouts (Monday to Sunday) and
    today's, each with its prescriptions as they apply that week; and their goals."""
    goals = [g for g in await clients.list_goals(session, client=client) if g.status == "active"]
    listed, _ = await programs.list_client_programs(
        session, principal=principal, client_id=client.id, params=PageParams(limit=50)
    )
    active = [p for p in listed if p.status == "active"]
    context: dict[str, Any] = {"goals": goals, "program": None, "week": [], "today_items": []}
    if not active:
        return context
    program = active[-1]
    monday = today - timedelta(days=today.weekday())
    items = await programs.schedule(
        session,
        principal=principal,
        program_id=program.id,
        from_on=monday,
        to_on=monday + timedelta(days=6),
    )
    workouts: dict[tuple[int, int], dict[Any, Any]] = {}
    for key in sorted({(i.phase, i.week) for i in items}):
        week = await programs.program_week(
            session, principal=principal, program_id=program.id, phase=key[0], week=key[1]
        )
        workouts[key] = {w.id: w for w in week.workouts}
    week_items: list[dict[str, Any]] = [
        {"item": i, "workout": workouts[(i.phase, i.week)].get(i.workout_id)} for i in items
    ]
    context.update(
        program=programs_present.program(program),
        week=week_items,
        today_items=[x for x in week_items if x["item"].date == today],
        next_item=next((x for x in week_items if x["item"].date > today), None),
    )
    return context


@router.get("/")
async def root(request: Request, principal: MaybePageUser) -> Response:
    return redirect(request, "/home" if principal else "/login")


@router.get("/home")
async def home(
    request: Request,
    session: DbSession,
    principal: PageUser,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    user = principal.require_user()
    if not principal.is_staff:
        client = await clients.own_client(session, user_id=user.id)
        trainer = None
        if client is not None and client.trainer_id is not None:
            trainer = await orgs.staff_user(session, user_id=client.trainer_id)
        today = programs.client_today(client) if client else utcnow().date()
        training = await client_training(session, principal, client, today) if client else {}
        return render(
            request,
            "home/client.html",
            {"client": client, "trainer": trainer, "today": today, **training},
        )

    counts = await clients.counts_by_status(session, principal=principal)
    listing = await client_list(session, principal, q=q)
    sent = await orgs.list_invitations(session, principal=principal, sent_by_me=True)
    return render(
        request,
        "home/trainer.html",
        {
            **listing,
            "counts": {status: counts.get(status, 0) for status in STATUSES},
            "total": sum(counts.values()),
            "invitations": sent,
            "can_invite_clients": Role.CLIENT in INVITABLE[principal.require_role()],
        },
    )
