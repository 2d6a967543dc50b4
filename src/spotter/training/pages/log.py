"""Logging a workout: the client's start page, the logging page (works offline) and the
background requests its script sends, one per change, safe to replay.

The logging page is served from ``/train/...`` and so is its service worker
(``/train/sw.js``), whose scope is therefore ``/train/``: it keeps the page shell and
the assets for when the gym has no signal. The sets themselves wait in IndexedDB
(``static/training/log.js``) until they can be sent; the endpoints below take the API's
schemas and are idempotent, so a replay never makes a duplicate."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

import spotter
from spotter.clients import service as clients
from spotter.core.db import DbSession
from spotter.core.pagination import PageParams
from spotter.exercises import service as exercises
from spotter.exercises.schemas import ExerciseOut as LibraryExerciseOut
from spotter.home.pages import client_training
from spotter.programs import service as programs
from spotter.training import present, service
from spotter.training.pages.common import (
    TrainingLog,
    json_answers,
    json_response,
    router,
    units_for,
)
from spotter.training.schemas import (
    ExerciseAdd,
    ExerciseSwap,
    SetIn,
    WorkoutComplete,
    WorkoutStart,
    WorkoutStatus,
)
from spotter.web import (
    FORM_ERRORS,
    MaybePageUser,
    blank_to_none,
    field_messages,
    read_form,
    redirect,
    render,
)

SERVICE_WORKER = Path(__file__).resolve().parent.parent.parent / "static" / "training" / "sw.js"
JSON = [Depends(json_answers)]
Search = Annotated[str, Query(max_length=100)]


@router.get("/train")
async def train_page(request: Request, session: DbSession, principal: TrainingLog) -> Response:
    """A client's training: today's workout to start, one in progress to resume, a
    free-style workout, the last ones done."""
    if principal.is_staff:
        return redirect(request, "/clients")
    client = await clients.own_client(session, user_id=principal.require_user().id)
    context: dict[str, Any] = {"client": client, "open": [], "recent": []}
    if client is not None:
        today = programs.client_today(client)
        context.update(await client_training(session, principal, client, today), today=today)
        context["units"] = units_for(principal, client)
        context["open"], _ = await service.list_history(
            session,
            principal=principal,
            client=client,
            params=PageParams(limit=5),
            status=WorkoutStatus.IN_PROGRESS,
        )
        recent, _ = await service.list_history(
            session,
            principal=principal,
            client=client,
            params=PageParams(limit=5),
            status=WorkoutStatus.COMPLETED,
        )
        counts = await service.history_counts(session, [w.id for w in recent])
        context["recent"] = [present.summary(w, counts[w.id]) for w in recent]
    return render(request, "training/start.html", context)


@router.post("/train/start")
async def start_workout(request: Request, session: DbSession, principal: TrainingLog) -> Response:
    """Start (or, with the same id, resume) a workout and open the logging page."""
    form = blank_to_none(
        await read_form(request), "id", "client_id", "program_id", "program_workout_id", "name"
    )
    back = str(form.pop("back", "") or "/train")
    try:
        async with session.begin_nested():
            data = WorkoutStart.model_validate(form)
            workout, _ = await service.start_workout(session, principal=principal, data=data)
    except FORM_ERRORS as exc:
        fields, general = field_messages(exc)
        message = general or " ".join(fields.values()) or "This workout could not be started."
        return redirect(request, back if back.startswith("/") else "/train", message, "error")
    return redirect(request, f"/train/{workout.id}")


@router.get("/train/sw.js")
async def service_worker() -> Response:
    """The service worker, from /train/ so that its scope covers the logging pages; its
    cache is named after the version, so a deploy replaces the cached shell."""
    text = SERVICE_WORKER.read_text().replace("__VERSION__", spotter.__version__)
    return Response(
        text,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/train/"},
    )


@router.get("/train/offline")
async def offline_page(request: Request, principal: MaybePageUser) -> Response:
    """Shown (from the service worker's cache) for a page never opened while online."""
    return render(request, "training/offline.html")


@router.get("/train/exercise-search", dependencies=JSON)
async def exercise_search(session: DbSession, principal: TrainingLog, q: Search = "") -> Response:
    items, _ = await exercises.search(session, params=PageParams(limit=8), q=q or None)
    return json_response(
        [LibraryExerciseOut.model_validate(e).model_dump(mode="json") for e in items]
    )


@router.get("/train/{logged_workout_id}")
async def log_page(
    request: Request, session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID
) -> Response:
    workout = await service.get_workout(session, principal=principal, workout_id=logged_workout_id)
    if workout.status == WorkoutStatus.DISCARDED:
        return redirect(request, "/train", "That workout was discarded.", "error")
    found = await service.detail(session, workout)
    client = await clients.get_client(session, principal=principal, client_id=workout.client_id)
    bests = await service.bests_for(session, client.id, [e.exercise_id for e in found[1]])
    units = units_for(principal, client)
    return render(
        request,
        "training/log.html",
        {
            "workout": workout,
            "client": client,
            "units": units,
            "state": present.log_state(*found, bests),
            "mine": principal.user_id == client.user_id,
        },
    )


# --- the logging page's background requests (JSON) -----------------------------------------
# POSTs (the pages' method), each after ``LogWorkout`` has checked the workout is the
# caller's: another organization's is a 404 whatever the body.


async def _log_workout(
    session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID
) -> uuid.UUID:
    await service.get_workout(session, principal=principal, workout_id=logged_workout_id)
    return logged_workout_id


LogWorkout = Annotated[uuid.UUID, Depends(_log_workout)]


@router.post("/train/{logged_workout_id}/sets/{set_id}", dependencies=JSON)
async def put_set(
    session: DbSession,
    principal: TrainingLog,
    workout_id: LogWorkout,
    set_id: uuid.UUID,
    data: SetIn,
) -> Response:
    """Log or replace a set by its id (the API's PUT)."""
    result = await service.put_set(
        session, principal=principal, workout_id=workout_id, set_id=set_id, data=data
    )
    body = present.set_write(result).model_dump(mode="json")
    return json_response(body, 201 if result.created else 200)


@router.post("/train/{logged_workout_id}/sets/{set_id}/delete", dependencies=JSON)
async def delete_set(
    session: DbSession, principal: TrainingLog, workout_id: LogWorkout, set_id: uuid.UUID
) -> Response:
    await service.delete_set(session, principal=principal, workout_id=workout_id, set_id=set_id)
    return Response(status_code=204)


@router.post("/train/{logged_workout_id}/exercises", dependencies=JSON)
async def add_exercise(
    session: DbSession, principal: TrainingLog, workout_id: LogWorkout, data: ExerciseAdd
) -> Response:
    entry, created = await service.add_exercise(
        session, principal=principal, workout_id=workout_id, data=data
    )
    body = present.entry(*await service.entry_detail(session, entry)).model_dump(mode="json")
    return json_response(body, 201 if created else 200)


@router.post("/train/{logged_workout_id}/exercises/{logged_exercise_id}/swap", dependencies=JSON)
async def swap_exercise(
    session: DbSession,
    principal: TrainingLog,
    workout_id: LogWorkout,
    logged_exercise_id: uuid.UUID,
    data: ExerciseSwap,
) -> Response:
    entry = await service.swap_exercise(
        session,
        principal=principal,
        workout_id=workout_id,
        entry_id=logged_exercise_id,
        exercise_id=data.exercise_id,
    )
    body = present.entry(*await service.entry_detail(session, entry)).model_dump(mode="json")
    return json_response(body)


@router.get(
    "/train/{logged_workout_id}/exercises/{logged_exercise_id}/substitutes", dependencies=JSON
)
async def substitutes(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    logged_exercise_id: uuid.UUID,
) -> Response:
    items, _ = await service.substitutes(
        session,
        principal=principal,
        workout_id=logged_workout_id,
        entry_id=logged_exercise_id,
        params=PageParams(limit=8),
    )
    return json_response(
        [LibraryExerciseOut.model_validate(e).model_dump(mode="json") for e in items]
    )


@router.post("/train/{logged_workout_id}/complete", dependencies=JSON)
async def complete_workout(
    session: DbSession, principal: TrainingLog, workout_id: LogWorkout, data: WorkoutComplete
) -> Response:
    workout, counted, note = await service.complete_workout(
        session, principal=principal, workout_id=workout_id, data=data
    )
    summary = present.summary(workout).model_dump(mode="json")
    return json_response({"workout": summary, "program_counted": counted, "program_note": note})


@router.post("/train/{logged_workout_id}/discard")
async def discard_workout(
    request: Request, session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID
) -> Response:
    workout = await service.discard_workout(
        session, principal=principal, workout_id=logged_workout_id
    )
    client = await clients.get_client(session, principal=principal, client_id=workout.client_id)
    target = "/train" if principal.user_id == client.user_id else f"/clients/{client.id}/workouts"
    return redirect(request, target, "Workout discarded.")
