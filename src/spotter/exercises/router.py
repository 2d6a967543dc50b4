"""The exercise library API: search, custom exercises, overrides, substitutions and the
vocabularies (categories, muscles, equipment)."""

from __future__ import annotations

import functools
import uuid
from typing import Annotated

from fastapi import Query, Response

from spotter.core.db import DbSession
from spotter.core.pagination import Pages, rendered_page
from spotter.core.routing import Router
from spotter.core.schemas import Page
from spotter.exercises import service
from spotter.exercises.dependencies import ExercisesRead, ExercisesWrite, Search
from spotter.exercises.index import Entry
from spotter.exercises.schemas import (
    CategoryOut,
    CustomExerciseIn,
    EquipmentOut,
    ExerciseOut,
    MuscleOut,
    OverrideIn,
)

router = Router(tags=["exercises"])


@router.get("/exercises", response_model=Page[ExerciseOut])
async def search_exercises(
    session: DbSession,
    principal: ExercisesRead,
    params: Pages,
    search: Search,
) -> Response:
    """The library as your organization sees it, best matches first when `q` is given,
    otherwise by name."""
    items, cursor = await service.search(
        session,
        params=params,
        q=search.q,
        muscles=search.muscles,
        include_secondary=search.include_secondary,
        equipment=search.equipment,
        categories=search.categories,
        levels=search.levels,
        mechanics=search.mechanics,
        forces=search.forces,
        sources=search.sources,
        include_archived=search.include_archived,
    )
    return rendered_page([_rendered(e) for e in items], cursor)


@functools.lru_cache(maxsize=8192)
def _rendered(entry: Entry) -> bytes:
    """An entry as JSON. Entries are immutable values (an edit makes a new one), so equal
    entries render alike and the typeahead's repeats skip validation and encoding."""
    return ExerciseOut.model_validate(entry).model_dump_json().encode()


@router.post("/exercises", response_model=ExerciseOut, status_code=201)
async def create_exercise(
    session: DbSession, principal: ExercisesWrite, data: CustomExerciseIn
) -> ExerciseOut:
    return ExerciseOut.model_validate(
        await service.create_custom(session, principal=principal, data=data)
    )


@router.get("/exercises/{exercise_id}", response_model=ExerciseOut)
async def get_exercise(
    session: DbSession, principal: ExercisesRead, exercise_id: uuid.UUID
) -> ExerciseOut:
    return ExerciseOut.model_validate(await service.get_exercise(session, exercise_id=exercise_id))


@router.put("/exercises/{exercise_id}", response_model=ExerciseOut)
async def update_exercise(
    session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID, data: CustomExerciseIn
) -> ExerciseOut:
    """Replace one of your own exercises (shared ones: use the override)."""
    return ExerciseOut.model_validate(
        await service.update_custom(session, exercise_id=exercise_id, data=data)
    )


@router.delete("/exercises/{exercise_id}", status_code=204)
async def archive_exercise(
    session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    """Archive one of your own exercises; programs that use it keep it."""
    await service.archive_custom(session, exercise_id=exercise_id)
    return Response(status_code=204)


@router.put("/exercises/{exercise_id}/override", response_model=ExerciseOut)
async def put_override(
    session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID, data: OverrideIn
) -> ExerciseOut:
    """Your organization's name, demo video, cues and notes for a shared exercise."""
    return ExerciseOut.model_validate(
        await service.put_override(session, exercise_id=exercise_id, data=data)
    )


@router.delete("/exercises/{exercise_id}/override", status_code=204)
async def delete_override(
    session: DbSession, principal: ExercisesWrite, exercise_id: uuid.UUID
) -> Response:
    """Go back to the shared exercise as the library has it."""
    await service.delete_override(session, exercise_id=exercise_id)
    return Response(status_code=204)


@router.get("/exercises/{exercise_id}/substitutions", response_model=Page[ExerciseOut])
async def substitutions(
    session: DbSession,
    principal: ExercisesRead,
    exercise_id: uuid.UUID,
    params: Pages,
    equipment: Annotated[
        list[str] | None,
        Query(description="Equipment available (bodyweight exercises always qualify)"),
    ] = None,
) -> Response:
    """Alternatives with the same primary muscles and mechanic, most shared muscles
    first."""
    items, cursor = await service.substitutions(
        session, exercise_id=exercise_id, params=params, equipment=equipment
    )
    return rendered_page([_rendered(e) for e in items], cursor)


@router.get("/exercise-categories", response_model=list[CategoryOut])
async def list_categories(session: DbSession, principal: ExercisesRead) -> list[CategoryOut]:
    return [CategoryOut.model_validate(c) for c in await service.categories(session)]


@router.get("/muscles", response_model=list[MuscleOut])
async def list_muscles(session: DbSession, principal: ExercisesRead) -> list[MuscleOut]:
    return [MuscleOut.model_validate(m) for m in await service.muscles(session)]


@router.get("/equipment", response_model=list[EquipmentOut])
async def list_equipment(session: DbSession, principal: ExercisesRead) -> list[EquipmentOut]:
    return [EquipmentOut.model_validate(e) for e in await service.equipment(session)]
