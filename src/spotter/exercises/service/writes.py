"""Custom exercises (create, replace, archive) and overrides of shared ones. Every change
gives the organization's library a new version (``own.library_changed``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.exercises.errors import ExerciseNotFound, NotASharedExercise, SharedExerciseReadOnly
from spotter.exercises.index import Entry, Library
from spotter.exercises.models import CustomExercise, CustomExerciseMuscle, ExerciseOverride
from spotter.exercises.schemas import CustomExerciseIn, OverrideIn
from spotter.exercises.service.library import library, resolve
from spotter.exercises.service.own import (
    custom_entry,
    custom_row,
    library_changed,
    merged,
    override_row,
)

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


@dataclass(frozen=True)
class _Refs:
    category_id: uuid.UUID
    equipment_id: uuid.UUID | None
    muscles: dict[uuid.UUID, bool]  # muscle id -> is primary


def _vocabulary_ids(lib: Library, data: CustomExerciseIn) -> _Refs:
    [category] = resolve("category", "category", [data.category], list(lib.category_by_slug))
    equipment_id = None
    if data.equipment is not None:
        [slug] = resolve("equipment", "equipment", [data.equipment], list(lib.equipment_by_slug))
        equipment_id = lib.equipment_by_slug[slug].id
    known = list(lib.muscle_by_slug)
    primary = resolve("primary_muscles", "muscle", data.primary_muscles, known)
    secondary = resolve("secondary_muscles", "muscle", data.secondary_muscles, known)
    if set(primary) & set(secondary):  # the same muscle spelled two ways
        raise field_error("secondary_muscles", "a muscle is either primary or secondary")
    muscles = {lib.muscle_by_slug[m].id: True for m in primary}
    muscles |= {lib.muscle_by_slug[m].id: False for m in secondary}
    return _Refs(lib.category_by_slug[category].id, equipment_id, muscles)


def _apply(row: CustomExercise, data: CustomExerciseIn, refs: _Refs) -> None:
    row.name = data.name
    row.category_id = refs.category_id
    row.equipment_id = refs.equipment_id
    row.level = data.level
    row.mechanic = data.mechanic
    row.force = data.force
    row.video_url = data.video_url
    row.cues = list(data.cues)
    row.notes = data.notes or None
    wanted = refs.muscles
    # Keep the rows that stay (a delete and a re-insert of the same muscle in one flush
    # would meet the unique constraint), update, add and drop the others.
    keep = []
    for link in row.muscles:
        if link.muscle_id in wanted:
            link.is_primary = wanted[link.muscle_id]
            keep.append(link)
    have = {link.muscle_id for link in keep}
    keep += [
        CustomExerciseMuscle(muscle_id=m, is_primary=p) for m, p in wanted.items() if m not in have
    ]
    row.muscles = keep


async def create_custom(
    session: AsyncSession, *, principal: Principal, data: CustomExerciseIn
) -> Entry:
    lib = await library(session)
    row = CustomExercise(created_by_id=principal.user_id, muscles=[])
    _apply(row, data, _vocabulary_ids(lib, data))
    session.add(row)
    await session.flush()
    await library_changed(session)
    return custom_entry(lib, row)


async def _writable_custom(session: AsyncSession, exercise_id: uuid.UUID) -> CustomExercise:
    lib = await library(session)
    if exercise_id in lib.by_id:
        raise SharedExerciseReadOnly()
    row = await custom_row(session, exercise_id)
    if row is None:
        raise ExerciseNotFound()
    return row


async def update_custom(
    session: AsyncSession, *, exercise_id: uuid.UUID, data: CustomExerciseIn
) -> Entry:
    lib = await library(session)
    row = await _writable_custom(session, exercise_id)
    _apply(row, data, _vocabulary_ids(lib, data))
    row.updated_at = utcnow()  # also when only the muscles changed
    await session.flush()
    await library_changed(session)
    return custom_entry(lib, row)


async def archive_custom(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Custom exercises are archived, not deleted: programs that use them keep working."""
    row = await _writable_custom(session, exercise_id)
    if row.archived_at is None:
        row.archived_at = utcnow()
        await session.flush()
        await library_changed(session)


async def _shared_for_override(session: AsyncSession, exercise_id: uuid.UUID) -> Entry:
    lib = await library(session)
    shared = lib.by_id.get(exercise_id)
    if shared is None:
        if await custom_row(session, exercise_id) is not None:
            raise NotASharedExercise()
        raise ExerciseNotFound()
    return shared


async def put_override(session: AsyncSession, *, exercise_id: uuid.UUID, data: OverrideIn) -> Entry:
    shared = await _shared_for_override(session, exercise_id)
    row = await override_row(session, exercise_id)
    if row is None:
        row = ExerciseOverride(exercise_id=exercise_id)
        session.add(row)
    row.name = data.name if data.name and data.name != shared.name else None
    row.video_url = data.video_url
    row.cues = list(data.cues)
    row.notes = data.notes or None
    await session.flush()
    await library_changed(session)
    return merged(shared, row)


async def delete_override(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Restore the shared exercise as it is in the library (idempotent)."""
    await _shared_for_override(session, exercise_id)
    row = await override_row(session, exercise_id)
    if row is not None:
        await session.delete(row)
        await session.flush()
        await library_changed(session)
