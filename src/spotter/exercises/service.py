"""The exercise library as an organization sees it: the shared library with its overrides
applied, plus its own (custom) exercises.

Reads of the shared library come from the process-wide index (``index.Library``, built
once); each request loads only the organization's own rows: one query for its custom
exercises with their muscles, one for its overrides. Other domains use ``get_exercise`` and
``exercises_by_ids`` (a batch, to avoid N+1 when showing a program).
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.core.db import new_id, utcnow
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams
from spotter.core.tenancy import current_organization
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
    ExerciseLibraryVersion,
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


def _custom_entry(
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


def _merged(shared: Entry, override: Any) -> Entry:
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


OWN_CACHE_SIZE = 1024
_own_cache: OrderedDict[uuid.UUID, tuple[uuid.UUID, tuple[Entry, ...], frozenset[uuid.UUID]]] = (
    OrderedDict()
)


async def _own_entries(
    session: AsyncSession, lib: Library
) -> tuple[tuple[Entry, ...], frozenset[uuid.UUID]]:
    """The organization's own entries, from this process's cache when its library version
    is unchanged (one indexed row read), else from the database. Entries loaded after the
    version was read are at least as new as it, so a cached version never hides a change;
    a version written by a transaction that rolls back is never seen again."""
    org_id = current_organization(session)
    version = await session.scalar(sa.select(ExerciseLibraryVersion.version))
    if org_id is None or version is None:
        return (), frozenset()  # never had custom exercises or overrides
    cached = _own_cache.get(org_id)
    if cached is not None and cached[0] == version:
        _own_cache.move_to_end(org_id)
        return cached[1], cached[2]
    own, hidden = await _load_own_entries(session, lib)
    _own_cache[org_id] = (version, own, hidden)
    _own_cache.move_to_end(org_id)
    while len(_own_cache) > OWN_CACHE_SIZE:
        _own_cache.popitem(last=False)
    return own, hidden


async def _library_changed(session: AsyncSession) -> None:
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
    own = [_custom_entry(lib, row, muscles.get(row.id, ())) for row in customs]
    hidden = set()
    for override in overrides:
        shared = lib.by_id.get(override.exercise_id)
        if shared is not None:
            own.append(_merged(shared, override))
            hidden.add(shared.id)
    return tuple(own), frozenset(hidden)


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
    own, hidden = await _own_entries(session, lib)
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
    own, hidden = await _own_entries(session, lib)
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
    await _library_changed(session)
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
    row.updated_at = utcnow()  # also when only the muscles changed
    await session.flush()
    await _library_changed(session)
    return _custom_entry(lib, row)


async def archive_custom(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Custom exercises are archived, not deleted: programs that use them keep working."""
    row = await _writable_custom(session, exercise_id)
    if row.archived_at is None:
        row.archived_at = utcnow()
        await session.flush()
        await _library_changed(session)


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
    await _library_changed(session)
    return _merged(shared, row)


async def delete_override(session: AsyncSession, *, exercise_id: uuid.UUID) -> None:
    """Restore the shared exercise as it is in the library (idempotent)."""
    await _shared_for_override(session, exercise_id)
    row = await _override_row(session, exercise_id)
    if row is not None:
        await session.delete(row)
        await session.flush()
        await _library_changed(session)
