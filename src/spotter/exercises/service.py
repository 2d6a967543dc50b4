"""The exercise library as an organization sees it: the shared library with its overrides
applied, plus its own (custom) exercises.

Reads of the shared library come from the process-wide index (``index.Library``, built
once); each request loads only the organization's own rows: one query for its custom
exercises with their muscles, one for its overrides. Other domains use ``get_exercise`` and
``exercises_by_ids`` (a batch, to avoid N+1 when showing a program).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.exercises import index
from spotter.exercises.dataset import vocab_key
from spotter.exercises.errors import ExerciseNotFound, NotASharedExercise, SharedExerciseReadOnly
from spotter.exercises.index import Category, Entry, Filters, Library, Query, Term
from spotter.exercises.models import (
    CustomExercise,
    CustomExerciseMuscle,
    Equipment,
    Exercise,
    ExerciseCategory,
    ExerciseMuscle,
    ExerciseOverride,
    Muscle,
)
from spotter.exercises.schemas import CustomExerciseIn, OverrideIn

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

_library: Library | None = None


# --- the shared library ----------------------------------------------------------------------


async def library(session: AsyncSession) -> Library:
    """The shared library index of this process, built on first use (all global tables)."""
    global _library
    if _library is None:
        _library = await _build_library(session)
    return _library


def forget_library() -> None:
    """Drop the index (after loading a new dataset in a running process; tests)."""
    global _library
    _library = None


async def _build_library(session: AsyncSession) -> Library:
    c = ExerciseCategory
    by_id = {
        r.id: r
        for r in await session.execute(
            sa.select(c.id, c.slug, c.name, c.parent_id, c.position).order_by(c.position, c.slug)
        )
    }
    categories = [
        Category(
            id=r.id,
            slug=r.slug,
            name=r.name,
            parent=by_id[r.parent_id].slug if r.parent_id else None,
            position=r.position,
        )
        for r in by_id.values()
    ]
    muscles = [
        Term(id=r.id, slug=r.slug, name=r.name, region=r.region)
        for r in await session.execute(
            sa.select(Muscle.id, Muscle.slug, Muscle.name, Muscle.region).order_by(Muscle.slug)
        )
    ]
    equipment = [
        Term(id=r.id, slug=r.slug, name=r.name)
        for r in await session.execute(
            sa.select(Equipment.id, Equipment.slug, Equipment.name).order_by(Equipment.name)
        )
    ]
    muscle_slug = {m.id: m.slug for m in muscles}
    primary: dict[uuid.UUID, list[str]] = {}
    secondary: dict[uuid.UUID, list[str]] = {}
    em = ExerciseMuscle
    for r in await session.execute(sa.select(em.exercise_id, em.muscle_id, em.is_primary)):
        (primary if r.is_primary else secondary).setdefault(r.exercise_id, []).append(
            muscle_slug[r.muscle_id]
        )
    category_slug = {cat.id: cat.slug for cat in categories}
    equipment_slug = {e.id: e.slug for e in equipment}
    e = Exercise
    rows = await session.execute(
        sa.select(e.id, e.slug, e.name, e.category_id, e.level, e.mechanic, e.force, e.equipment_id)
    )
    entries = [
        Entry.make(
            id=r.id,
            source="shared",
            slug=r.slug,
            name=r.name,
            category=category_slug[r.category_id],
            level=r.level,
            mechanic=r.mechanic,
            force=r.force,
            equipment=equipment_slug[r.equipment_id] if r.equipment_id else None,
            primary_muscles=tuple(sorted(primary.get(r.id, ()))),
            secondary_muscles=tuple(sorted(secondary.get(r.id, ()))),
        )
        for r in rows
    ]
    return Library(categories=categories, muscles=muscles, equipment=equipment, entries=entries)


def _resolve(field: str, kind: str, values: Iterable[str], known: Sequence[str]) -> list[str]:
    """Vocabulary values to slugs, leniently ("Lower back" is lower_back); unknown values
    are a 422 that lists the allowed ones."""
    by_key = {vocab_key(slug): slug for slug in known}
    found, unknown = [], []
    for value in values:
        slug = by_key.get(vocab_key(value))
        if slug is None:
            unknown.append(value)
        elif slug not in found:
            found.append(slug)
    if unknown:
        names = ", ".join(repr(v) for v in unknown)
        raise field_error(field, f"unknown {kind} {names}; allowed: {', '.join(known)}")
    return found


# --- the organization's own rows -------------------------------------------------------------


def _custom_entry(lib: Library, row: CustomExercise) -> Entry:
    primary = sorted(lib.muscle_by_id[m.muscle_id].slug for m in row.muscles if m.is_primary)
    secondary = sorted(lib.muscle_by_id[m.muscle_id].slug for m in row.muscles if not m.is_primary)
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
        primary_muscles=tuple(primary),
        secondary_muscles=tuple(secondary),
        video_url=row.video_url,
        cues=tuple(row.cues or ()),
        notes=row.notes,
        archived=row.archived_at is not None,
    )


def _merged(shared: Entry, override: ExerciseOverride) -> Entry:
    values = {
        "video_url": override.video_url,
        "cues": tuple(override.cues or ()),
        "notes": override.notes,
        "overridden": True,
    }
    if override.name and override.name != shared.name:
        return shared.renamed(override.name, shared_name=shared.name, **values)
    return replace(shared, **values)  # type: ignore[arg-type]


async def _own_entries(
    session: AsyncSession, lib: Library, *, archived: bool
) -> tuple[list[Entry], set[uuid.UUID]]:
    """The organization's custom exercises and overridden shared ones (two queries), and
    the ids of the shared entries those overrides replace."""
    stmt = sa.select(CustomExercise).options(joinedload(CustomExercise.muscles))
    if not archived:
        stmt = stmt.where(CustomExercise.archived_at.is_(None))
    customs = (await session.scalars(stmt)).unique().all()
    overrides = (await session.scalars(sa.select(ExerciseOverride))).all()
    own = [_custom_entry(lib, c) for c in customs]
    hidden = set()
    for o in overrides:
        shared = lib.by_id.get(o.exercise_id)
        if shared is not None:
            own.append(_merged(shared, o))
            hidden.add(shared.id)
    return own, hidden


async def _custom_row(session: AsyncSession, exercise_id: uuid.UUID) -> CustomExercise | None:
    return await session.scalar(
        sa.select(CustomExercise)
        .options(selectinload(CustomExercise.muscles))
        .where(CustomExercise.id == exercise_id)
    )


async def _override_row(session: AsyncSession, exercise_id: uuid.UUID) -> ExerciseOverride | None:
    return await session.scalar(
        sa.select(ExerciseOverride).where(ExerciseOverride.exercise_id == exercise_id)
    )


# --- reading ---------------------------------------------------------------------------------


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
    for slug in _resolve("category", "category", categories, list(lib.category_by_slug)):
        wanted_categories |= lib.descendants(slug)
    filters = Filters(
        muscles=frozenset(_resolve("muscle", "muscle", muscles, list(lib.muscle_by_slug))),
        include_secondary=include_secondary,
        equipment=frozenset(
            _resolve("equipment", "equipment", equipment, list(lib.equipment_by_slug))
        ),
        categories=frozenset(wanted_categories),
        levels=frozenset(levels),
        mechanics=frozenset(mechanics),
        forces=frozenset(forces),
        sources=frozenset(sources),
        include_archived=include_archived,
    )
    query = Query(q, lib) if q else None
    own, hidden = await _own_entries(session, lib, archived=include_archived)
    items, last = lib.search(
        query=query, filters=filters, own=own, hidden=hidden, after=after, limit=params.limit
    )
    return items, index.encode_cursor(last) if last else None


async def get_exercise(session: AsyncSession, *, exercise_id: uuid.UUID) -> Entry:
    """A shared exercise (with the organization's override applied) or one of its own
    (archived ones included); anything else is a 404."""
    lib = await library(session)
    shared = lib.by_id.get(exercise_id)
    if shared is not None:
        override = await _override_row(session, exercise_id)
        return _merged(shared, override) if override else shared
    row = await _custom_row(session, exercise_id)
    if row is None:
        raise ExerciseNotFound()
    return _custom_entry(lib, row)


async def exercises_by_ids(
    session: AsyncSession, *, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Entry]:
    """Many exercises at once (two queries at most); unknown ids are left out."""
    lib = await library(session)
    wanted = set(ids)
    found = {i: lib.by_id[i] for i in wanted if i in lib.by_id}
    if found:
        overrides = await session.scalars(
            sa.select(ExerciseOverride).where(ExerciseOverride.exercise_id.in_(found))
        )
        for o in overrides:
            found[o.exercise_id] = _merged(found[o.exercise_id], o)
    rest = wanted - set(found)
    if rest:
        customs = await session.scalars(
            sa.select(CustomExercise)
            .options(selectinload(CustomExercise.muscles))
            .where(CustomExercise.id.in_(rest))
        )
        found.update((c.id, _custom_entry(lib, c)) for c in customs)
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
            _resolve("equipment", "equipment", equipment, list(lib.equipment_by_slug))
        )
    source = await get_exercise(session, exercise_id=exercise_id)
    own, hidden = await _own_entries(session, lib, archived=False)
    items, last = lib.substitutes(
        source, own=own, hidden=hidden, equipment=usable, after=after, limit=params.limit
    )
    return items, index.encode_cursor(last) if last else None


async def categories(session: AsyncSession) -> list[Category]:
    return (await library(session)).categories


async def muscles(session: AsyncSession) -> list[Term]:
    return (await library(session)).muscles


async def equipment(session: AsyncSession) -> list[Term]:
    return (await library(session)).equipment


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refs:
    category_id: uuid.UUID
    equipment_id: uuid.UUID | None
    muscles: dict[uuid.UUID, bool]  # muscle id -> is primary


def _vocabulary_ids(lib: Library, data: CustomExerciseIn) -> _Refs:
    [category] = _resolve("category", "category", [data.category], list(lib.category_by_slug))
    equipment_id = None
    if data.equipment is not None:
        [slug] = _resolve("equipment", "equipment", [data.equipment], list(lib.equipment_by_slug))
        equipment_id = lib.equipment_by_slug[slug].id
    known = list(lib.muscle_by_slug)
    primary = _resolve("primary_muscles", "muscle", data.primary_muscles, known)
    secondary = _resolve("secondary_muscles", "muscle", data.secondary_muscles, known)
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
    return _custom_entry(lib, row)


async def _writable_custom(session: AsyncSession, exercise_id: uuid.UUID) -> CustomExercise:
    lib = await library(session)
    if exercise_id in lib.by_id:
        raise SharedExerciseReadOnly()
    row = await _custom_row(session, exercise_id)
    if row is None:
        raise ExerciseNotFound()
    return row


async def update_custom(
    session: AsyncSession, *, exercise_id: uuid.UUID, data: CustomExerciseIn
) -> Entry:
    lib = await library(session)
    row = await _writable_custom(session, exercise_id)
    _apply(row, data, _vocabulary_ids(lib, data))
    await session.flush()
    return _custom_entry(lib, row)


async def archive_custom(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Custom exercises are archived, not deleted: programs that use them keep working."""
    row = await _writable_custom(session, exercise_id)
    if row.archived_at is None:
        row.archived_at = utcnow()
        await session.flush()


async def _shared_for_override(session: AsyncSession, exercise_id: uuid.UUID) -> Entry:
    lib = await library(session)
    shared = lib.by_id.get(exercise_id)
    if shared is None:
        if await _custom_row(session, exercise_id) is not None:
            raise NotASharedExercise()
        raise ExerciseNotFound()
    return shared


async def put_override(session: AsyncSession, *, exercise_id: uuid.UUID, data: OverrideIn) -> Entry:
    shared = await _shared_for_override(session, exercise_id)
    row = await _override_row(session, exercise_id)
    if row is None:
        row = ExerciseOverride(exercise_id=exercise_id)
        session.add(row)
    row.name = data.name if data.name and data.name != shared.name else None
    row.video_url = data.video_url
    row.cues = list(data.cues)
    row.notes = data.notes or None
    await session.flush()
    return _merged(shared, row)


async def delete_override(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Restore the shared exercise as it is in the library (idempotent)."""
    await _shared_for_override(session, exercise_id)
    row = await _override_row(session, exercise_id)
    if row is not None:
        await session.delete(row)
        await session.flush()
