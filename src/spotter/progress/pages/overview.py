from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.progress import service
from spotter.progress.pages.common import ProgressUser, header, router, the_client
from spotter.progress.schemas import ChartRange
from spotter.web import redirect, render


@router.get("/progress")
async def progress_home(request: Request, session: DbSession, principal: ProgressUser) -> Response:
    """A client's own progress; staff start from this week's check-ins."""
    if principal.can("progress:read"):
        return redirect(request, "/progress/checkins")
    own = await clients.own_client(session, user_id=principal.require_user().id)
    if own is None:
        return render(request, "progress/no_record.html")
    return redirect(request, f"/progress/clients/{own.id}")


@router.get("/progress/clients/{client_id}")
async def overview(
    request: Request, session: DbSession, principal: ProgressUser, client_id: uuid.UUID
) -> Response:
    client = await the_client(session, principal, client_id)
    latest = await service.latest(session, principal=principal, client=client)
    goals = [g for g in await clients.list_goals(session, client=client) if g.status == "active"]
    photos, _ = await service.list_photos(session, client=client, params=PageParams(limit=3))
    form = await service.effective_form(session, client=client)
    context = {
        **header(principal, client, "overview"),
        "latest": latest,
        "goals": goals,
        "photos": photos,
        "form": {"measured_on": service.client_today(client, principal.organization.timezone)},
        "ask_weight": form.ask_weight,
    }
    return render(request, "progress/overview.html", context)


@router.get("/progress/clients/{client_id}/charts/body")
async def body_chart(
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    range: ChartRange = ChartRange.WEEKS_12,
) -> Response:
    """The body charts' data for the page (the API's, read with the page's cookie)."""
    client = await the_client(session, principal, client_id)
    chart = await service.body_chart(session, principal=principal, client=client, range=range)
    return JSONResponse(chart.model_dump(mode="json"), headers={"Cache-Control": "no-store"})


@router.get("/progress/clients/{client_id}/goals/{goal_id}/forecast")
async def goal_forecast(
    request: Request,
    session: DbSession,
    principal: ProgressUser,
    client_id: uuid.UUID,
    goal_id: uuid.UUID,
) -> Response:
    """HTML fragment under a goal: when the trend gets there, or that it does not."""
    client = await the_client(session, principal, client_id)
    found = await service.goal_forecast(
        session, principal=principal, client=client, goal_id=goal_id
    )
    return render(request, "progress/_forecast.html", {"f": found})
