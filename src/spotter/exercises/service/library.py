"""The shared library of this process: built once from the global tables, then read from
memory (it only changes through a migration, i.e. a deploy and a restart)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import field_error
from spotter.exercises.dataset import vocab_key
from spotter.exercises.index import Category, Entry, Library, Term
from spotter.exercises.models import (
    Equipment,
    Exercise,
    ExerciseCategory,
    ExerciseMuscle,
    Muscle,
)

_library: Library | None = None


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


def resolve(field: str, kind: str, values: Iterable[str], known: Sequence[str]) -> list[str]:
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
