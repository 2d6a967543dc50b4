"""Reading the library as an organization sees it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.core.kept import Kept
from spotter.core.pagination import PageParams
from spotter.core.tenancy import current_organization
from spotter.exercises import index
from spotter.exercises.errors import ExerciseNotFound
from spotter.exercises.index import Category, Entry, Filters, Term
from spotter.exercises.models import CustomExercise, ExerciseOverride
from spotter.exercises.service.library import library, resolve
from spotter.exercises.service.own import (
    custom_entry,
    custom_row,
    merged,
    override_row,
    own_library,
)
from spotter.exercises.text import Query


async def search(
    session: AsyncSession,
    *,
    params: PageParams,
    q: str | None = None,
    muscles: Sequence[str] = (),
    include_secondary: bool = False,
    equipment: Sequence[str] = (),
    categories: Sequence[str] = (),
    levels: Sequence[str] = (),
    mechanics: Sequence[str] = (),
    forces: Sequence[str] = (),
    sources: Sequence[str] = (),
    include_archived: bool = False,
) -> tuple[list[Entry], str | None]:
    lib = await library(session)
    after = index.decode_cursor(params.cursor, index.SEARCH_KEY)
    wanted_categories: set[str] = set()
    for slug in resolve("category", "category", categories, list(lib.category_by_slug)):
        wanted_categories |= lib.descendants(slug)
    filters = Filters(
        muscles=frozenset(resolve("muscle", "muscle", muscles, list(lib.muscle_by_slug))),
        include_secondary=include_secondary,
        equipment=frozenset(
            resolve("equipment", "equipment", equipment, list(lib.equipment_by_slug))
        ),
        categories=frozenset(wanted_categories),
        levels=frozenset(levels),
        mechanics=frozenset(mechanics),
        forces=frozenset(forces),
        sources=frozenset(sources),
        include_archived=include_archived,
    )
    own = await own_library(session, lib)
    # The shared library never changes at run time and the organization's part is versioned,
    # so a page of results is a pure function of this key: typeahead repeats are cheap.
    key = (current_organization(session), own.version, q, filters, after, params.limit)
    found = _search_cache.get(key)
    if found is None:
        query = Query(q, lib) if q else None
        found = _search_cache.put(
            key,
            lib.search(
                query=query,
                filters=filters,
                own=own.entries,
                hidden=own.hidden,
                after=after,
                limit=params.limit,
            ),
        )
    items, last = found
    return list(items), index.encode_cursor(last) if last else None


SEARCH_CACHE_SIZE = 4096
_search_cache: Kept[tuple[Any, ...], tuple[list[Entry], index.SortKey | None]] = Kept(
    SEARCH_CACHE_SIZE
)


async def get_exercise(session: AsyncSession, *, exercise_id: uuid.UUID) -> Entry:
    """A shared exercise (with the organization's override applied) or one of its own
    (archived ones included); anything else is a 404."""
    lib = await library(session)
    shared = lib.by_id.get(exercise_id)
    if shared is not None:
        override = await override_row(session, exercise_id)
        return merged(shared, override) if override else shared
    row = await custom_row(session, exercise_id)
    if row is None:
        raise ExerciseNotFound()
    return custom_entry(lib, row)


# Built once: the dashboard and every workout page name their exercises through it.
_OVERRIDES = sa.select(ExerciseOverride).where(
    ExerciseOverride.exercise_id.in_(sa.bindparam("ids", expanding=True))
)


async def exercises_by_ids(
    session: AsyncSession, *, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Entry]:
    """Many exercises at once (two queries at most); unknown ids are left out."""
    lib = await library(session)
    wanted = set(ids)
    found = {i: lib.by_id[i] for i in wanted if i in lib.by_id}
    if found:
        overrides = await session.scalars(_OVERRIDES, {"ids": list(found)})
        for o in overrides:
            found[o.exercise_id] = merged(found[o.exercise_id], o)
    rest = wanted - set(found)
    if rest:
        customs = await session.scalars(
            sa.select(CustomExercise)
            .options(selectinload(CustomExercise.muscles))
            .where(CustomExercise.id.in_(rest))
        )
        found.update((c.id, custom_entry(lib, c)) for c in customs)
    return found


async def substitutions(
    session: AsyncSession,
    *,
    exercise_id: uuid.UUID,
    params: PageParams,
    equipment: Sequence[str] | None = None,
) -> tuple[list[Entry], str | None]:
    lib = await library(session)
    after = index.decode_cursor(params.cursor, index.SUBSTITUTE_KEY)
    usable = None
    if equipment is not None:
        usable = frozenset(
            resolve("equipment", "equipment", equipment, list(lib.equipment_by_slug))
        )
    source = await get_exercise(session, exercise_id=exercise_id)
    own = await own_library(session, lib)
    items, last = lib.substitutes(
        source,
        own=own.entries,
        hidden=own.hidden,
        equipment=usable,
        after=after,
        limit=params.limit,
    )
    return items, index.encode_cursor(last) if last else None


async def categories(session: AsyncSession) -> list[Category]:
    return (await library(session)).categories


async def muscles(session: AsyncSession) -> list[Term]:
    return (await library(session)).muscles


async def equipment(session: AsyncSession) -> list[Term]:
    return (await library(session)).equipment
