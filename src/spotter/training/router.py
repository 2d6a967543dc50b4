"""The training log API: workouts (start, read, complete, discard), their exercises and
sets (written by id, safe to replay), history, records, the progress dashboard's data,
CSV export and import.

``/workouts/{logged_workout_id}`` names a logged workout; the program builder's
``/workouts/{workout_id}`` (PUT, DELETE) names a template's workout, another kind of
object whose ids never name a logged one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response

from spotter.clients.dependencies import client_for
from spotter.clients.models import Client
from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.routing import Router
from spotter.core.schemas import Page
from spotter.exercises.schemas import ExerciseOut as LibraryExerciseOut
from spotter.training import present, service
from spotter.training.dependencies import TrainingLog, TrainingRead
from spotter.training.schemas import (
    CompleteOut,
    DashboardOut,
    ExerciseAdd,
    ExerciseOut,
    ExerciseSwap,
    ImportReport,
    LiftOut,
    Range,
    RecordOut,
    SetIn,
    SetOut,
    SetWriteOut,
    WorkoutComplete,
    WorkoutImport,
    WorkoutOut,
    WorkoutStart,
    WorkoutStatus,
    WorkoutSummary,
    WorkoutUpdate,
)

router = Router(tags=["training"])
ReadableClient = Annotated[Client, client_for("training:read")]
LoggableClient = Annotated[Client, client_for("training:log")]
Lifts = Annotated[list[uuid.UUID], Query(max_length=8, description="Lifts to draw")]


async def _workout_out(
    session: DbSession, workout_id: uuid.UUID, principal: TrainingRead
) -> WorkoutOut:
    workout = await service.get_workout(session, principal=principal, workout_id=workout_id)
    return present.workout(*await service.detail(session, workout))


@router.post("/workouts", response_model=WorkoutOut, status_code=201)
async def start_workout(
    session: DbSession, principal: TrainingLog, data: WorkoutStart, response: Response
) -> WorkoutOut:
    """From a program workout (its prescriptions for the program's current week, with
    progression applied, become each exercise's target) or free-style. Sending the same
    ``id`` again answers the workout already started (200)."""
    workout, created = await service.start_workout(session, principal=principal, data=data)
    if not created:
        response.status_code = 200
    return present.workout(*await service.detail(session, workout))


@router.get("/workouts/{logged_workout_id}", response_model=WorkoutOut)
async def get_workout(
    session: DbSession, principal: TrainingRead, logged_workout_id: uuid.UUID
) -> WorkoutOut:
    """A logged workout with every exercise, set and the records set in it."""
    return await _workout_out(session, logged_workout_id, principal)


@router.patch("/workouts/{logged_workout_id}", response_model=WorkoutOut)
async def update_workout(
    session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID, data: WorkoutUpdate
) -> WorkoutOut:
    """Name, notes, start time or day (the sets move with it)."""
    workout = await service.update_workout(
        session, principal=principal, workout_id=logged_workout_id, data=data
    )
    return present.workout(*await service.detail(session, workout))


@router.post("/workouts/{logged_workout_id}/complete", response_model=CompleteOut)
async def complete_workout(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    data: WorkoutComplete | None = None,
) -> CompleteOut:
    """Finish with session RPE and duration. The first completion of a program workout
    counts it in the program (a DYNAMIC_PROGRESSIVE program advances once the week's
    workouts are all done); completing again corrects RPE, duration and notes."""
    workout, counted, note = await service.complete_workout(
        session, principal=principal, workout_id=logged_workout_id, data=data or WorkoutComplete()
    )
    return CompleteOut(
        workout=present.workout(*await service.detail(session, workout)),
        program_counted=counted,
        program_note=note,
    )


@router.post("/workouts/{logged_workout_id}/discard", response_model=WorkoutSummary)
async def discard_workout(
    session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID
) -> WorkoutSummary:
    """Throw the workout away: its sets are deleted and leave records and volume."""
    workout = await service.discard_workout(
        session, principal=principal, workout_id=logged_workout_id
    )
    return present.summary(workout)


@router.post("/workouts/{logged_workout_id}/exercises", response_model=ExerciseOut, status_code=201)
async def add_exercise(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    data: ExerciseAdd,
    response: Response,
) -> ExerciseOut:
    """Add an exercise mid-session (the same ``id`` again answers it: 200)."""
    entry, created = await service.add_exercise(
        session, principal=principal, workout_id=logged_workout_id, data=data
    )
    if not created:
        response.status_code = 200
    return present.entry(*await service.entry_detail(session, entry))


@router.post(
    "/workouts/{logged_workout_id}/exercises/{logged_exercise_id}/swap",
    response_model=ExerciseOut,
)
async def swap_exercise(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    logged_exercise_id: uuid.UUID,
    data: ExerciseSwap,
) -> ExerciseOut:
    """Do a substitute instead, for this session only (the program is not changed)."""
    entry = await service.swap_exercise(
        session,
        principal=principal,
        workout_id=logged_workout_id,
        entry_id=logged_exercise_id,
        exercise_id=data.exercise_id,
    )
    return present.entry(*await service.entry_detail(session, entry))


@router.get(
    "/workouts/{logged_workout_id}/exercises/{logged_exercise_id}/substitutes",
    response_model=Page[LibraryExerciseOut],
)
async def substitutes(
    session: DbSession,
    principal: TrainingRead,
    logged_workout_id: uuid.UUID,
    logged_exercise_id: uuid.UUID,
    params: Pages,
) -> Page[LibraryExerciseOut]:
    """Alternatives to the prescribed exercise that the client's equipment allows."""
    items, cursor = await service.substitutes(
        session,
        principal=principal,
        workout_id=logged_workout_id,
        entry_id=logged_exercise_id,
        params=params,
    )
    return Page(items=[LibraryExerciseOut.model_validate(e) for e in items], next_cursor=cursor)


@router.delete("/workouts/{logged_workout_id}/exercises/{logged_exercise_id}", status_code=204)
async def remove_exercise(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    logged_exercise_id: uuid.UUID,
) -> Response:
    await service.remove_exercise(
        session, principal=principal, workout_id=logged_workout_id, entry_id=logged_exercise_id
    )
    return Response(status_code=204)


@router.put(
    "/workouts/{logged_workout_id}/sets/{set_id}", response_model=SetWriteOut, status_code=201
)
async def put_set(
    session: DbSession,
    principal: TrainingLog,
    logged_workout_id: uuid.UUID,
    set_id: uuid.UUID,
    data: SetIn,
    response: Response,
) -> SetWriteOut:
    """Log a set under an id you generate (201), or send it again (200, stored once).
    Different content replaces it, unless ``expected_revision`` is given and the set has
    changed since (409 ``set_changed``). The answer lists the records the set sets."""
    result = await service.put_set(
        session, principal=principal, workout_id=logged_workout_id, set_id=set_id, data=data
    )
    if not result.created:
        response.status_code = 200
    return present.set_write(result)


@router.delete("/workouts/{logged_workout_id}/sets/{set_id}", status_code=204)
async def delete_set(
    session: DbSession, principal: TrainingLog, logged_workout_id: uuid.UUID, set_id: uuid.UUID
) -> Response:
    """Delete a set (a set already gone is fine: 204 again)."""
    await service.delete_set(
        session, principal=principal, workout_id=logged_workout_id, set_id=set_id
    )
    return Response(status_code=204)


# --- per client ----------------------------------------------------------------------------


@router.get("/clients/{client_id}/workout-history", response_model=Page[WorkoutSummary])
async def workout_history(
    session: DbSession,
    principal: TrainingRead,
    client: ReadableClient,
    params: Pages,
    status: WorkoutStatus | None = None,
) -> Page[WorkoutSummary]:
    """The client's workouts, newest first (discarded ones only with ``status``)."""
    items, cursor = await service.list_history(
        session, principal=principal, client=client, params=params, status=status
    )
    counts = await service.history_counts(session, [w.id for w in items])
    return Page(items=[present.summary(w, counts[w.id]) for w in items], next_cursor=cursor)


@router.get("/clients/{client_id}/personal-records", response_model=Page[RecordOut])
async def personal_records(
    session: DbSession,
    client: ReadableClient,
    params: Pages,
    exercise_id: uuid.UUID | None = None,
) -> Page[RecordOut]:
    """Records as they were set, newest first (first-time baselines are left out)."""
    items, cursor, names = await service.records_page(
        session, client=client, params=params, exercise_id=exercise_id
    )
    return Page(items=[present.record(r, names) for r in items], next_cursor=cursor)


@router.get("/clients/{client_id}/training-dashboard", response_model=DashboardOut)
async def training_dashboard(
    session: DbSession,
    client: ReadableClient,
    range: Range = Range.WEEKS_12,
    lifts: Lifts = [],  # noqa: B006 (FastAPI copies the default)
) -> DashboardOut:
    """The progress dashboard's data: estimated 1RM per lift, weekly (monthly beyond two
    years) volume per muscle, adherence to the program schedule, streaks and recent
    records. Only what the charts draw: long ranges come bucketed."""
    out, _ = await service.dashboard(session, client=client, range_=range, lifts=lifts)
    return out


@router.get("/clients/{client_id}/lifts/{exercise_id}", response_model=LiftOut)
async def lift_history(
    session: DbSession, client: ReadableClient, exercise_id: uuid.UUID, range: Range = Range.ALL
) -> LiftOut:
    """One lift: its estimated 1RM and heaviest load over time, bests, plateau, records."""
    return await service.lift(session, client=client, exercise_id=exercise_id, range_=range)


@router.get("/clients/{client_id}/lifts/{exercise_id}/sets", response_model=Page[SetOut])
async def lift_sets(
    session: DbSession, client: ReadableClient, exercise_id: uuid.UUID, params: Pages
) -> Page[SetOut]:
    """Every set of one lift, newest first."""
    items, cursor = await service.lift_sets(
        session, client=client, exercise_id=exercise_id, params=params
    )
    return Page(items=[SetOut.model_validate(s) for s in items], next_cursor=cursor)


@router.get("/clients/{client_id}/workout-history.csv", response_class=Response)
async def export_history(session: DbSession, client: ReadableClient) -> Response:
    """The client's workout history as CSV, one row per set (kg and metres)."""
    text = await service.export_csv(session, client=client)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{service.export_name(client)}"'},
    )


@router.post("/clients/{client_id}/workout-imports", response_model=ImportReport)
async def import_history(
    session: DbSession, principal: TrainingLog, client: LoggableClient, data: WorkoutImport
) -> ImportReport:
    """Import a workout history exported from Strong or Hevy. With ``dry_run`` (the
    default) nothing is stored: the report is the preview (exercise matches, names
    matching nothing, skipped rows and why). Importing again skips the workouts already
    imported."""
    return await service.import_csv(session, principal=principal, client=client, data=data)
