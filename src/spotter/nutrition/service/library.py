"""The shared food database of this process: built once from the global tables (8,789
foods, 15,438 portions, 25 groups; about half a second), then read from memory. It only
changes through a migration, i.e. a deploy and a restart."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import field_error
from spotter.nutrition import dataset
from spotter.nutrition import traits as rules
from spotter.nutrition.food import USDA, FoodView
from spotter.nutrition.index import SharedFoods
from spotter.nutrition.models import Food, FoodGroup, FoodPortion
from spotter.nutrition.nutrients import NUTRIENTS, Amounts
from spotter.nutrition.units import Portion

_shared: SharedFoods | None = None
_lock = asyncio.Lock()


async def shared_foods(session: AsyncSession) -> SharedFoods:
    global _shared
    if _shared is None:
        async with _lock:
            if _shared is None:
                _shared = await _build(session)
    return _shared


def forget_shared_foods() -> None:
    """Drop the index (after loading a new dataset in a running process; tests)."""
    global _shared
    _shared = None


async def _build(session: AsyncSession) -> SharedFoods:
    groups = (
        await session.execute(
            sa.select(FoodGroup.id, FoodGroup.slug, FoodGroup.name).order_by(FoodGroup.position)
        )
    ).all()
    slug_of = {g.id: g.slug for g in groups}
    portions: dict[uuid.UUID, list[Portion]] = {}
    p = FoodPortion
    rows = await session.execute(
        sa.select(p.id, p.food_id, p.amount, p.description, p.gram_weight).order_by(
            p.food_id, p.seq
        )
    )
    for r in rows:
        portions.setdefault(r.food_id, []).append(
            Portion(r.id, r.amount, r.description, r.gram_weight)
        )
    foods = []
    columns = [getattr(Food, c) for c in ("id", "ndb_no", "name", "food_group_id", *NUTRIENTS)]
    for row in await session.execute(sa.select(*columns)):
        group = slug_of[row.food_group_id]
        foods.append(
            FoodView(
                id=row.id,
                source=USDA,
                name=row.name,
                group=group,
                per_100g=Amounts.of_row(row),
                portions=tuple(portions.get(row.id, ())),
                traits=frozenset(t.value for t in rules.derive(row.name, group)),
                ndb_no=row.ndb_no,
            )
        )
    return SharedFoods.build([(g.slug, g.name) for g in groups], foods)


def group_slugs(library: SharedFoods, values: list[str], field: str = "group") -> frozenset[str]:
    """Food group slugs, checked against the vocabulary (a 422 lists the allowed ones)."""
    known = library.group_names
    unknown = [v for v in values if v not in known]
    if unknown:
        raise field_error(
            field,
            f"unknown food group {', '.join(map(repr, unknown))}; use one of {', '.join(known)}",
        )
    return frozenset(values)


def group_id(library: SharedFoods, slug: str | None) -> uuid.UUID | None:
    """The id of a food group slug (ids derive from slugs); unknown slugs are a 422."""
    if slug is None:
        return None
    group_slugs(library, [slug], "food_group")
    return dataset.group_id(slug)


def group_slug(library: SharedFoods, group_id: uuid.UUID | None) -> str | None:
    return None if group_id is None else library.group_slugs.get(group_id)
