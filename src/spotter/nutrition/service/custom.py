"""Custom foods: the organization's and its clients' own foods, their portions, and the
search terms kept in step with every write (``CustomFoodTerm``), as is the owner's catalogue
version that search keeps its answers under (``CustomFoodCatalog``). Shared USDA rows are
never modified: writing to one is a 409."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from spotter.core.db import dialect_insert, new_id, utcnow
from spotter.core.tenancy import current_organization
from spotter.nutrition import text
from spotter.nutrition import traits as rules
from spotter.nutrition.errors import ArchivedFood, BarcodeTaken, FoodNotFound, SharedFoodReadOnly
from spotter.nutrition.food import CLIENT, ORGANIZATION, FoodView
from spotter.nutrition.index import SharedFoods
from spotter.nutrition.models import (
    CustomFood,
    CustomFoodCatalog,
    CustomFoodPortion,
    CustomFoodTerm,
)
from spotter.nutrition.nutrients import NUTRIENTS, Amounts
from spotter.nutrition.schemas.foods import CustomFoodFields, CustomFoodIn
from spotter.nutrition.service import access
from spotter.nutrition.service.library import group_id, group_slug, shared_foods
from spotter.nutrition.units import Portion

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def custom_view(
    library: SharedFoods, row: Any, portions: Sequence[Portion] | None = None
) -> FoodView:
    """A custom food as a FoodView: an ORM row with its portions loaded, or a Core row of
    its columns and its ``portions``."""
    group = group_slug(library, row.food_group_id)
    stated = row.contains is not None
    derived = {t.value for t in rules.derive(row.name, group)}
    contains = frozenset(row.contains) if row.contains is not None else frozenset(derived)
    return FoodView(
        id=row.id,
        source=CLIENT if row.client_id else ORGANIZATION,
        name=row.name,
        brand=row.brand,
        group=group,
        per_100g=Amounts.of_row(row),
        portions=tuple(
            portions
            if portions is not None
            else (Portion(p.id, p.amount, p.description, p.gram_weight) for p in row.portions)
        ),
        traits=contains,
        traits_stated=stated,
        barcode=row.barcode,
        density_g_per_ml=row.density_g_per_ml,
        client_id=row.client_id,
        archived=row.archived_at is not None,
    )


def _with_portions() -> sa.Select[Any]:
    return sa.select(CustomFood).options(selectinload(CustomFood.portions))


async def visible_custom(
    session: AsyncSession, principal: Principal, ids: Iterable[uuid.UUID]
) -> list[CustomFood]:
    wanted = list(set(ids))
    if not wanted:
        return []
    stmt = _with_portions().where(
        CustomFood.id.in_(wanted), access.visible_scope(principal, CustomFood.client_id)
    )
    return list((await session.scalars(stmt)).all())


async def _writable(
    session: AsyncSession, principal: Principal, food_id: uuid.UUID, *, archived_ok: bool = False
) -> CustomFood:
    library = await shared_foods(session)
    if library.get(food_id) is not None:
        raise SharedFoodReadOnly()
    found = await visible_custom(session, principal, [food_id])
    if not found:
        raise FoodNotFound()
    row = found[0]
    await access.check_write(session, principal, row.client_id)
    if row.archived_at is not None and not archived_ok:
        raise ArchivedFood()
    return row


async def _check_barcode(session: AsyncSession, row: CustomFood) -> None:
    if row.barcode is None:
        return
    clash = await session.scalar(
        sa.select(CustomFood.id).where(
            CustomFood.barcode == row.barcode,
            CustomFood.archived_at.is_(None),
            CustomFood.id != row.id,
            CustomFood.client_id.is_(None)
            if row.client_id is None
            else CustomFood.client_id == row.client_id,
        )
    )
    if clash is not None:
        raise BarcodeTaken(
            f"{clash} already has barcode {row.barcode} here", existing_food_id=str(clash)
        )


def _apply(library: SharedFoods, row: CustomFood, data: CustomFoodFields) -> None:
    row.name = data.name
    row.brand = data.brand or None
    row.barcode = data.barcode
    row.food_group_id = group_id(library, data.food_group)
    row.density_g_per_ml = data.density_g_per_ml
    row.contains = None if data.contains is None else sorted({t.value for t in data.contains})
    factor = 100.0 / data.basis_g
    for name in NUTRIENTS:
        value = getattr(data, name)
        setattr(row, name, None if value is None else value * factor)
    # Keep the portions that stay (their ids may be units in recipes and diaries).
    have = {(p.description, p.amount): p for p in row.portions}
    kept = []
    for position, given in enumerate(data.portions):
        portion = have.pop((given.description, given.amount), None) or CustomFoodPortion(
            description=given.description, amount=given.amount
        )
        portion.gram_weight = given.gram_weight
        portion.position = position
        kept.append(portion)
    row.portions = kept
    row.updated_at = utcnow()


_CATALOGS = cast(sa.Table, CustomFoodCatalog.__table__)


@functools.cache
def _catalog_upsert(dialect: str) -> Any:
    """A new version for one owner's catalogue, the row created on its first change, in one
    statement (no read-then-write for two first writers to race on); the parameters are
    the columns."""
    insert = dialect_insert(dialect)
    stmt = insert(_CATALOGS)
    return stmt.on_conflict_do_update(
        index_elements=[_CATALOGS.c.organization_id, _CATALOGS.c.owner_id],
        set_={_CATALOGS.c.version: stmt.excluded.version},
    )


async def catalog_changed(session: AsyncSession, *, client_id: uuid.UUID | None) -> None:
    """Give the catalogue of the organization's own foods (``client_id`` None) or of one
    client's a new version, in the transaction that changes them: search keeps answers
    by these versions (``service.search``)."""
    org = current_organization(session)
    dialect = session.get_bind().dialect.name
    owner = client_id if client_id is not None else org
    values = {"id": new_id(), "organization_id": org, "owner_id": owner, "version": new_id()}
    await session.execute(_catalog_upsert(dialect), values)


async def _index(session: AsyncSession, row: CustomFood) -> None:
    """Rewrite the food's search terms (none while archived) and give its owner's catalogue
    a new version: every create, edit (portions too) and archive comes through here."""
    await catalog_changed(session, client_id=row.client_id)
    await session.execute(sa.delete(CustomFoodTerm).where(CustomFoodTerm.custom_food_id == row.id))
    if row.archived_at is not None:
        return
    org = current_organization(session)
    length = text.name_length(row.name)
    rows = [
        {
            "id": new_id(),
            "organization_id": org,
            "custom_food_id": row.id,
            "client_id": row.client_id,
            "term": term,
            "whole": whole,
            "name_len": length,
        }
        for term, whole in text.terms(row.name, row.brand).items()
    ]
    if rows:
        await session.execute(sa.insert(CustomFoodTerm), rows)


async def create_food(
    session: AsyncSession, *, principal: Principal, data: CustomFoodIn
) -> FoodView:
    library = await shared_foods(session)
    client_id = data.client_id or await access.own_client_id(session, principal)
    await access.check_write(session, principal, client_id)
    row = CustomFood(client_id=client_id, created_by_id=principal.user_id, portions=[])
    _apply(library, row, data)
    await _check_barcode(session, row)
    session.add(row)
    await session.flush()
    await _index(session, row)
    return custom_view(library, row)


async def update_food(
    session: AsyncSession, *, principal: Principal, food_id: uuid.UUID, data: CustomFoodFields
) -> FoodView:
    library = await shared_foods(session)
    row = await _writable(session, principal, food_id)
    _apply(library, row, data)
    await _check_barcode(session, row)
    await session.flush()
    await _index(session, row)
    return custom_view(library, row)


async def archive_food(session: AsyncSession, *, principal: Principal, food_id: uuid.UUID) -> None:
    """Archived, not deleted: recipes and diaries that use the food keep their numbers."""
    row = await _writable(session, principal, food_id, archived_ok=True)
    if row.archived_at is None:
        row.archived_at = utcnow()
        await session.flush()
        await _index(session, row)
