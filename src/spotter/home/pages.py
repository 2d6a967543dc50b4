"""The front door: ``/`` sends people to their home; staff get the trainer home, clients
the client home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from spotter.clients import service as clients
from spotter.clients.pages import client_list
from spotter.core.db import DbSession
from spotter.core.permissions import INVITABLE, Role
from spotter.orgs import service as orgs
from spotter.web import MaybePageUser, PageUser, redirect, render

router = APIRouter()
STATUSES = ("active", "lead", "paused", "archived")


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
        return render(request, "home/client.html", {"client": client, "trainer": trainer})

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
