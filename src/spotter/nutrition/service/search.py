"""Food search: the shared foods from the in-process index, custom foods from their terms
in the database, merged by one sort key (see ``nutrition.index`` for the ranking).

Custom foods are found with ``custom_food_terms``: each query word must equal a term of the
food (its stems and their 3+ letter prefixes are stored), so a tier is one indexed query:

    tier 0  driver term = the longest query word, whole; every other word has a whole term
    tier 1  every word has some term, not all of them whole

The driver's index (organization, term, name length, food id) returns rows already in
ranking order, so a page reads about ``limit`` index entries and a probe per other word;
the query stops at the page. It is plain B-tree work on SQLite and PostgreSQL alike (no
``pg_trgm``, which a managed database may not allow). Typos and matches inside words are
for the shared foods (tiers 2 and 3), except that a query word no shared or custom name
has is also tried as its correction from the shared vocabulary.

Without a query, the list is the caller's custom foods (newest first), then the shared
foods by name.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from spotter.core.errors import field_error
from spotter.core.pagination import PageParams, decode_sort_key, encode_sort_key
from spotter.nutrition import dataset
from spotter.nutrition.food import FoodView
from spotter.nutrition.index import ORDINARY, SEARCH_KEY, SharedFoods, SortKey
from spotter.nutrition.models import CustomFood, CustomFoodTerm
from spotter.nutrition.service import access
from spotter.nutrition.service.custom import custom_view
from spotter.nutrition.service.library import group_slugs, shared_foods
from spotter.nutrition.text import query_words

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

BROWSE_KEY = (int, str)
SOURCES = ("usda", "custom")


@dataclass(frozen=True)
class Scope:
    """Whose custom foods a search includes: the organization's, and one client's."""

    client_id: uuid.UUID | None
    custom: bool = True
    shared: bool = True


async def search_scope(
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID | None,
    sources: Sequence[str],
) -> Scope:
    if client_id is not None:
        await access.client_for_read(session, principal, client_id)
    else:
        client_id = await access.own_client_id(session, principal)
    wanted = set(sources) or set(SOURCES)
    return Scope(client_id=client_id, custom="custom" in wanted, shared="usda" in wanted)


def _scope(
    t: type[CustomFoodTerm] | type[CustomFood], client_id: uuid.UUID | None
) -> sa.ColumnElement[bool]:
    if client_id is None:
        return t.client_id.is_(None)
    return sa.or_(t.client_id.is_(None), t.client_id == client_id)


async def _custom_tier(
    session: AsyncSession,
    *,
    tier: int,
    words: Sequence[str],
    scope: Scope,
    group_ids: list[uuid.UUID] | None,
    after: SortKey | None,
    limit: int,
) -> list[tuple[SortKey, CustomFood]]:
    """One page of custom foods of one tier (with their portions), in ranking order, with
    their keys: one query for the terms and the foods, one for the portions."""
    order = sorted(range(len(words)), key=lambda i: (-len(words[i]), i))
    driver_word, others = words[order[0]], [words[i] for i in order[1:]]
    d = aliased(CustomFoodTerm)
    stmt = (
        sa.select(CustomFood, d.name_len)
        .join(d, d.custom_food_id == CustomFood.id)
        .where(d.term == driver_word, _scope(d, scope.client_id))
        .options(selectinload(CustomFood.portions))
    )
    whole_all: list[Any] = [d.whole]
    for word in others:
        p = aliased(CustomFoodTerm)
        stmt = stmt.join(p, sa.and_(p.custom_food_id == d.custom_food_id, p.term == word))
        whole_all.append(p.whole)
    both = sa.and_(*whole_all)
    stmt = stmt.where(both if tier == 0 else sa.not_(both))
    if group_ids is not None:
        stmt = stmt.where(CustomFood.food_group_id.in_(group_ids))
    if after is not None and after[0] == tier:
        if after[1] > ORDINARY:
            return []
        if after[1] == ORDINARY:
            bound = sa.tuple_(d.name_len, d.custom_food_id) > sa.tuple_(
                sa.literal(after[2]), sa.literal(_cursor_uuid(after[3]))
            )
            stmt = stmt.where(bound)
    rows = await session.execute(stmt.order_by(d.name_len, d.custom_food_id).limit(limit))
    return [((tier, ORDINARY, length, str(food.id)), food) for food, length in rows]


async def _custom_matches(
    session: AsyncSession,
    words: Sequence[str],
    scope: Scope,
    group_ids: list[uuid.UUID] | None,
    after: SortKey | None,
    limit: int,
) -> list[tuple[SortKey, CustomFood]]:
    found: list[tuple[SortKey, CustomFood]] = []
    for tier in (0, 1):
        if after is not None and after[0] > tier:
            continue
        found += await _custom_tier(
            session,
            tier=tier,
            words=words,
            scope=scope,
            group_ids=group_ids,
            after=after,
            limit=limit - len(found),
        )
        if len(found) >= limit:
            break
    return found


def _corrected(library: SharedFoods, words: tuple[str, ...]) -> tuple[str, ...]:
    """Query words the shared vocabulary does not know, replaced by their closest known
    whole word when there is one (so "chiken" also finds a custom "Chicken wrap")."""
    out = []
    for q in words:
        if library.knows(q) or len(q) < 4:
            out.append(q)
            continue
        out.append(library.correction(q) or q)
    return tuple(out)


async def search(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    q: str | None,
    groups: Sequence[str] = (),
    sources: Sequence[str] = (),
    client_id: uuid.UUID | None = None,
) -> tuple[list[FoodView], str | None]:
    library = await shared_foods(session)
    wanted = group_slugs(library, list(groups)) if groups else None
    scope = await search_scope(session, principal, client_id, sources)
    words = query_words(q or "")
    if not words:
        return await _browse(session, library, principal, params, scope, wanted)
    after = decode_sort_key(params.cursor, SEARCH_KEY)
    limit = params.limit + 1
    ranked: list[tuple[SortKey, FoodView]] = []
    if scope.shared:
        ranked += library.search(words, groups=wanted, after=after, limit=limit)
    if scope.custom:
        group_ids = [dataset.group_id(g) for g in wanted] if wanted is not None else None
        custom = await _custom_matches(session, words, scope, group_ids, after, limit)
        fixed = _corrected(library, words)
        if len(custom) < limit and fixed != words:
            seen = {food.id for _, food in custom}
            extra = await _custom_matches(session, fixed, scope, group_ids, after, limit)
            custom += [(k, food) for k, food in extra if food.id not in seen]
        ranked += [(key, custom_view(library, food)) for key, food in custom]
    ranked.sort(key=lambda pair: pair[0])
    page = ranked[:limit]
    items = [food for _, food in page]
    if len(items) > params.limit:
        return items[: params.limit], encode_sort_key(page[params.limit - 1][0])
    return items, None


async def _browse(
    session: AsyncSession,
    library: SharedFoods,
    principal: Principal,
    params: PageParams,
    scope: Scope,
    groups: frozenset[str] | None,
) -> tuple[list[FoodView], str | None]:
    """Custom foods newest first (segment 0, keyed by id), then shared foods by name
    (segment 1, keyed by position)."""
    after = decode_sort_key(params.cursor, BROWSE_KEY)
    limit = params.limit + 1
    keyed: list[tuple[tuple[int, str], FoodView]] = []
    if scope.custom and (after is None or after[0] == 0):
        stmt = (
            sa.select(CustomFood)
            .where(_scope(CustomFood, scope.client_id), CustomFood.archived_at.is_(None))
            .options(selectinload(CustomFood.portions))
            .order_by(CustomFood.id.desc())
            .limit(limit)
        )
        if groups is not None:
            stmt = stmt.where(CustomFood.food_group_id.in_([dataset.group_id(g) for g in groups]))
        if after is not None:
            stmt = stmt.where(CustomFood.id < _cursor_uuid(after[1]))
        rows = (await session.scalars(stmt)).all()
        keyed += [((0, str(row.id)), custom_view(library, row)) for row in rows]
    if scope.shared and len(keyed) < limit:
        start = _cursor_int(after[1]) if after is not None and after[0] == 1 else None
        for position, food in library.browse(groups=groups, after=start, limit=limit - len(keyed)):
            keyed.append(((1, str(position)), food))
    items = [v for _, v in keyed]
    if len(items) > params.limit:
        return items[: params.limit], encode_sort_key(keyed[params.limit - 1][0])
    return items, None


def _cursor_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise field_error("cursor", "invalid cursor: use next_cursor from a previous page") from exc


def _cursor_int(value: str) -> int:
    if not value.isdigit():
        raise field_error("cursor", "invalid cursor: use next_cursor from a previous page")
    return int(value)
