"""The organization's own rows: custom exercises and overrides, as search entries.

Each process keeps them in memory per organization under the organization's library
version (``ExerciseLibraryVersion``), which every write in ``service.writes`` changes in
the same transaction: a search reads that one row and reloads the entries (three queries)
only when it changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.core.db import new_id, utcnow
from spotter.core.kept import Kept
from spotter.core.tenancy import current_organization
from spotter.exercises.index import Entry, Library
from spotter.exercises.models import (
    CustomExercise,
    CustomExerciseMuscle,
    ExerciseLibraryVersion,
    ExerciseOverride,
)


def custom_entry(
    lib: Library, row: Any, links: Iterable[tuple[uuid.UUID, bool]] | None = None
) -> Entry:
    """An Entry from a custom exercise: an ORM object with its ``muscles`` loaded, or a row
    of its columns plus ``links`` (muscle id, is primary)."""
    if links is None:
        links = [(m.muscle_id, m.is_primary) for m in row.muscles]
    primary: list[str] = []
    secondary: list[str] = []
    for muscle_id, is_primary in links:
        (primary if is_primary else secondary).append(lib.muscle_by_id[muscle_id].slug)
    return Entry.make(
        id=row.id,
        source="custom",
        slug=None,
        name=row.name,
        category=lib.category_by_id[row.category_id].slug,
        level=row.level,
        mechanic=row.mechanic,
        force=row.force,
        equipment=lib.equipment_by_id[row.equipment_id].slug if row.equipment_id else None,
        primary_muscles=tuple(sorted(primary)),
        secondary_muscles=tuple(sorted(secondary)),
        video_url=row.video_url,
        cues=tuple(row.cues or ()),
        notes=row.notes,
        archived=row.archived_at is not None,
    )


def merged(shared: Entry, override: Any) -> Entry:
    """The shared entry with an override (ORM object or row) applied."""
    values = {
        "video_url": override.video_url,
        "cues": tuple(override.cues or ()),
        "notes": override.notes,
        "overridden": True,
    }
    if override.name and override.name != shared.name:
        return shared.renamed(override.name, shared_name=shared.name, **values)
    return replace(shared, **values)  # type: ignore[arg-type]


_CUSTOM_COLUMNS = (
    CustomExercise.id,
    CustomExercise.name,
    CustomExercise.category_id,
    CustomExercise.level,
    CustomExercise.mechanic,
    CustomExercise.force,
    CustomExercise.equipment_id,
    CustomExercise.video_url,
    CustomExercise.cues,
    CustomExercise.notes,
    CustomExercise.archived_at,
)


@dataclass(frozen=True)
class OwnLibrary:
    """An organization's own entries (custom exercises, and shared ones with its override
    merged in), the shared ids those overrides hide, and the library version they are of
    (None: the organization never had any)."""

    version: uuid.UUID | None
    entries: tuple[Entry, ...] = ()
    hidden: frozenset[uuid.UUID] = frozenset()


OWN_CACHE_SIZE = 1024
_own_cache: Kept[uuid.UUID, OwnLibrary] = Kept(OWN_CACHE_SIZE)


async def own_library(session: AsyncSession, lib: Library) -> OwnLibrary:
    """The organization's own library, from this process's cache when its library version
    is unchanged (one indexed row read), else from the database. Entries loaded after the
    version was read are at least as new as it, so a cached version never hides a change;
    a version written by a transaction that rolls back is never seen again."""
    org_id = current_organization(session)
    version = await session.scalar(sa.select(ExerciseLibraryVersion.version))
    if org_id is None or version is None:
        return OwnLibrary(version=None)  # never had custom exercises or overrides
    cached = _own_cache.get(org_id)
    if cached is not None and cached.version == version:
        return cached
    entries, hidden = await _load_own_entries(session, lib)
    return _own_cache.put(org_id, OwnLibrary(version, entries, hidden))


async def library_changed(session: AsyncSession) -> None:
    """Give the organization's library a new version (every write here calls it)."""
    stamp = new_id()
    changed = await session.execute(
        sa.update(ExerciseLibraryVersion).values(version=stamp, updated_at=utcnow())
    )
    if getattr(changed, "rowcount", 0):
        return
    try:
        async with session.begin_nested():
            session.add(ExerciseLibraryVersion(version=stamp))
    except IntegrityError:  # a concurrent first write created it: take it over
        await session.execute(sa.update(ExerciseLibraryVersion).values(version=stamp))


async def _load_own_entries(
    session: AsyncSession, lib: Library
) -> tuple[tuple[Entry, ...], frozenset[uuid.UUID]]:
    """The organization's custom exercises (archived ones included) and overridden shared
    ones, and the ids of the shared entries those overrides replace. Three queries of
    columns, not ORM objects (cheaper to build); ORM statements, so tenancy applies."""
    link = CustomExerciseMuscle
    customs = (await session.execute(sa.select(*_CUSTOM_COLUMNS))).all()
    links = sa.select(link.custom_exercise_id, link.muscle_id, link.is_primary)
    muscles: dict[uuid.UUID, list[tuple[uuid.UUID, bool]]] = {}
    for exercise_id, muscle_id, is_primary in await session.execute(links):
        muscles.setdefault(exercise_id, []).append((muscle_id, is_primary))
    o = ExerciseOverride
    overrides = await session.execute(
        sa.select(o.exercise_id, o.name, o.video_url, o.cues, o.notes)
    )
    own = [custom_entry(lib, row, muscles.get(row.id, ())) for row in customs]
    hidden = set()
    for override in overrides:
        shared = lib.by_id.get(override.exercise_id)
        if shared is not None:
            own.append(merged(shared, override))
            hidden.add(shared.id)
    return tuple(own), frozenset(hidden)


async def custom_row(session: AsyncSession, exercise_id: uuid.UUID) -> CustomExercise | None:
    return await session.scalar(
        sa.select(CustomExercise)
        .options(selectinload(CustomExercise.muscles))
        .where(CustomExercise.id == exercise_id)
    )


async def override_row(session: AsyncSession, exercise_id: uuid.UUID) -> ExerciseOverride | None:
    return await session.scalar(
        sa.select(ExerciseOverride).where(ExerciseOverride.exercise_id == exercise_id)
    )
