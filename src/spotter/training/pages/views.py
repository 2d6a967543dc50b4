"""Reading the log: a workout with every set, a client's history (with CSV export and
import), the progress dashboard and one lift's history.

The pages live under ``/clients/{client_id}/...`` (the client row rule applies, so a
client opens their own record's); history also exists without the prefix for the
signed-in client (``/history``). ``/progress`` is the progress domain's (body data); this
dashboard is the client's *training* progress at ``/clients/{client_id}/progress``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.identity.dependencies import Principal
from spotter.training import present, service
from spotter.training.pages.common import (
    PageClient,
    TrainingLog,
    TrainingRead,
    client_base,
    router,
    units_for,
)
from spotter.training.schemas import Range, WorkoutImport
from spotter.web import FORM_ERRORS, redirect, render, render_form

Cursor = Annotated[str, Query(max_length=500)]
HISTORY_PAGE = 20
RANGES = {
    Range.WEEKS_4: "4 weeks",
    Range.WEEKS_12: "12 weeks",
    Range.YEAR: "1 year",
    Range.ALL: "All",
}


@router.get("/workouts/{logged_workout_id}")
async def workout_page(
    request: Request, session: DbSession, principal: TrainingRead, logged_workout_id: uuid.UUID
) -> Response:
    """One workout with every exercise and set, and the records set in it."""
    workout = await service.get_workout(session, principal=principal, workout_id=logged_workout_id)
    detail = present.workout(*await service.detail(session, workout))
    client = await clients.get_client(session, principal=principal, client_id=workout.client_id)
    mine = principal.user_id == client.user_id
    return render(
        request,
        "training/workout.html",
        {
            "w": detail,
            "client": client,
            "units": units_for(principal, client),
            "base": "" if mine else f"/clients/{client.id}",
            "mine": mine,
            "record_sets": {r.set_id: r for r in detail.new_records},
            "can_log": principal.can("training:log"),
        },
    )


async def _history(
    session: DbSession, principal: Principal, client: Client, cursor: str
) -> dict[str, Any]:
    items, next_cursor = await service.list_history(
        session,
        principal=principal,
        client=client,
        params=PageParams(cursor=cursor or None, limit=HISTORY_PAGE),
    )
    counts = await service.history_counts(session, [w.id for w in items])
    return {
        "workouts": [present.summary(w, counts[w.id]) for w in items],
        "next_cursor": next_cursor,
    }


@router.get("/history")
@router.get("/clients/{client_id}/workouts")
async def history_page(
    request: Request,
    session: DbSession,
    principal: TrainingRead,
    client: PageClient,
    cursor: Cursor = "",
) -> Response:
    """Every workout, newest first ("Load more" fetches the next rows)."""
    context = await _history(session, principal, client, cursor)
    context.update(
        client=client,
        base=client_base(request, client),
        units=units_for(principal, client),
        can_log=principal.can("training:log"),
        appending=bool(cursor),
    )
    if cursor and request.headers.get("hx-request"):
        return render(request, "training/_history_rows.html", context)
    return render(request, "training/history.html", context)


@router.get("/history.csv")
@router.get("/clients/{client_id}/workouts.csv")
async def export_page(session: DbSession, principal: TrainingRead, client: PageClient) -> Response:
    text = await service.export_csv(session, client=client)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{service.export_name(client)}"'},
    )


@router.get("/history/import")
@router.get("/clients/{client_id}/workouts/import")
async def import_page(request: Request, principal: TrainingLog, client: PageClient) -> Response:
    return render(
        request,
        "training/import.html",
        {"client": client, "base": client_base(request, client), "form": {"format": "auto"}},
    )


@router.post("/history/import")
@router.post("/clients/{client_id}/workouts/import")
async def import_upload(
    request: Request, session: DbSession, principal: TrainingLog, client: PageClient
) -> Response:
    """Step 1 (a file): the preview. Step 2 (``confirm``, the same text back with names
    mapped): the import, then the history with a report."""
    form = await request.form()
    upload = form.get("file")
    text = str(form.get("csv") or "")
    if upload is not None and not isinstance(upload, str):
        text = (await upload.read()).decode("utf-8-sig", errors="replace")
    mapping = {
        str(k)[len("map:") :]: str(v)
        for k, v in form.multi_items()
        if str(k).startswith("map:") and v and str(v) != "create"
    }
    create = [str(k)[len("map:") :] for k, v in form.multi_items() if str(v) == "create"]
    values = {
        "format": str(form.get("format") or "auto"),
        "csv": text,
        "weight_unit": str(form.get("weight_unit") or "") or None,
        "mapping": mapping,
        "create": create,
        "dry_run": form.get("confirm") is None,
    }
    base = client_base(request, client)
    context: dict[str, Any] = {"client": client, "base": base}
    try:
        async with session.begin_nested():
            data = WorkoutImport.model_validate(values)
            report = await service.import_csv(
                session, principal=principal, client=client, data=data
            )
    except FORM_ERRORS as exc:
        shown = {k: v for k, v in values.items() if k != "csv"}
        return render_form(request, "training/import.html", exc, form=shown, context=context)
    if data.dry_run:
        return render(
            request,
            "training/import_preview.html",
            {
                **context,
                "report": report,
                "csv": text,
                "values": values,
                "can_create": principal.can("exercises:write"),
            },
        )
    skipped = f"; {report.skipped_total} rows skipped" if report.skipped_total else ""
    message = (
        f"Imported {report.new_workouts} workouts ({report.imported_sets} sets)"
        f"{skipped}; {report.already_imported} were already there."
    )
    return redirect(request, f"{base}/workouts" if base else "/history", message)


@router.get("/clients/{client_id}/progress")
async def progress_page(
    request: Request,
    session: DbSession,
    principal: TrainingRead,
    client: PageClient,
    range: Range = Range.WEEKS_12,
    lift: Annotated[list[uuid.UUID], Query(max_length=8)] = [],  # noqa: B006
) -> Response:
    """The training progress dashboard: 1RM per lift, weekly volume, adherence and
    streaks, with the progress domain's body charts (body weight, composition) for those
    who may see them."""
    mine = principal.user_id is not None and principal.user_id == client.user_id
    data, _ = await service.dashboard(session, client=client, range_=range, lifts=lift)
    units = units_for(principal, client)
    goals = [g for g in await clients.list_goals(session, client=client) if g.status == "active"]
    return render(
        request,
        "training/progress.html",
        {
            "client": client,
            "d": data,
            "units": units,
            "chart": present.chart_data(data, units.weight),
            "ranges": RANGES,
            "range": range,
            "base": "" if mine else client_base(request, client),
            "goals": goals,
            "body_charts": principal.can("progress:read") or principal.can("progress:self"),
        },
    )


@router.get("/clients/{client_id}/progress/lifts/{exercise_id}")
async def lift_page(
    request: Request,
    session: DbSession,
    principal: TrainingRead,
    client: PageClient,
    exercise_id: uuid.UUID,
    range: Range = Range.ALL,
    cursor: Cursor = "",
) -> Response:
    """One lift: its 1RM and heaviest load over time, records, and every set by day (for
    the client too: their own record is theirs to open)."""
    mine = principal.user_id is not None and principal.user_id == client.user_id
    base = "" if mine else client_base(request, client)
    units = units_for(principal, client)
    sets, next_cursor = await service.lift_sets(
        session,
        client=client,
        exercise_id=exercise_id,
        params=PageParams(cursor=cursor or None, limit=HISTORY_PAGE * 2),
    )
    context: dict[str, Any] = {
        "client": client,
        "base": base,
        "units": units,
        "sets": sets,
        "next_cursor": next_cursor,
        "exercise_id": exercise_id,
        "range": range,
    }
    if cursor and request.headers.get("hx-request"):
        return render(request, "training/_lift_sets.html", context)
    data = await service.lift(session, client=client, exercise_id=exercise_id, range_=range)
    return render(
        request,
        "training/lift.html",
        {
            **context,
            "lift": data,
            "ranges": RANGES,
            "chart": present.lift_chart(data, units.weight),
        },
    )
