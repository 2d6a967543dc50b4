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

The custom-food part of an answer (a search's matches, a browse's newest foods) is kept in
process under the versions of the catalogues it reads (``CustomFoodCatalog``: the
organization's own foods, and the client's), which every write to them changes in the same
transaction: a repeated search reads those versions (one small statement) instead of the
terms.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from spotter.core.errors import field_error
from spotter.core.kept import Kept
from spotter.core.pagination import PageParams, decode_sort_key, encode_sort_key
from spotter.core.tenancy import current_organization
from spotter.nutrition import dataset
from spotter.nutrition.food import FoodView
from spotter.nutrition.index import ORDINARY, SEARCH_KEY, SharedFoods, SortKey
from spotter.nutrition.models import (
    CustomFood,
    CustomFoodCatalog,
    CustomFoodPortion,
    CustomFoodTerm,
)
from spotter.nutrition.service import access
from spotter.nutrition.service.custom import custom_view
from spotter.nutrition.service.library import group_slugs, shared_foods
from spotter.nutrition.text import query_words
from spotter.nutrition.units import Portion

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


# Custom food search runs as Core statements on the session's connection, built once per
# shape with bound parameters: building the equivalent ORM statement (aliases, the tenancy
# criteria on each of them) cost several times the query itself. Core statements skip the
# tenancy hook, so every one below binds the organization itself (``org``);
# tests/nutrition/test_search.py checks that another organization's foods never appear.
_terms = CustomFoodTerm.__table__
_foods = CustomFood.__table__
_portions = CustomFoodPortion.__table__
_catalogs = CustomFoodCatalog.__table__


def _version_of(owner: str) -> Any:
    """The version of the catalogue whose owner is the parameter ``owner`` (NULL: none)."""
    c = _catalogs
    return (
        sa.select(c.c.version)
        .where(c.c.organization_id == sa.bindparam("org"), c.c.owner_id == sa.bindparam(owner))
        .scalar_subquery()
    )


# The organization's own foods' version (its owner id is the organization's) and the
# client's (NULL when there is none, or no client): one row, one round trip.
_VERSIONS = sa.select(_version_of("org"), _version_of("client"))

# Custom-food answers by (organization, its version, client, the client's version, and
# what was asked); see ``_kept``. An answer holds the views of up to a page of foods, about
# 100 KB when no other answer shows them (first-time searches over 100,000 products), so
# the bound is what a worker may spend on them: about 50 MB at worst.
ANSWERS_KEPT = 512
# And at most this long: a writer that does not give versions (a worker of the release
# before them, during a rolling deploy; a hand-made change) cannot leave an answer stale
# for longer.
ANSWER_SECONDS = 600.0
Found = tuple[tuple[Any, FoodView], ...]
_answers: Kept[tuple[Any, ...], tuple[float, Found]] = Kept(ANSWERS_KEPT)


async def _kept(
    conn: AsyncConnection,
    org: uuid.UUID,
    client_id: uuid.UUID | None,
    asked: tuple[Any, ...],
    compute: Callable[[], Awaitable[Sequence[tuple[Any, FoodView]]]],
) -> Found:
    """The custom-food answer to ``asked`` (what, beyond whose foods, decides it), kept
    under the versions of the catalogues it reads. The versions are read first and the
    answer computed after, so a kept answer is never older than the versions it is kept
    under (at worst newer: a write committed in between shows up under the old versions,
    which no later read returns). Versions are never reused, so no other state of the
    foods can have them."""
    org_version, client_version = (
        await conn.execute(_VERSIONS, {"org": org, "client": client_id})
    ).one()
    key = (org, org_version, client_id, client_version, *asked)
    now = time.monotonic()
    kept = _answers.get(key)
    if kept is None or kept[0] <= now:
        kept = _answers.put(key, (now + ANSWER_SECONDS, tuple(await compute())))
    return kept[1]


_PORTIONS = (
    sa.select(
        _portions.c.custom_food_id,
        _portions.c.id,
        _portions.c.amount,
        _portions.c.description,
        _portions.c.gram_weight,
    )
    .where(
        _portions.c.organization_id == sa.bindparam("org"),
        _portions.c.custom_food_id.in_(sa.bindparam("ids", expanding=True)),
    )
    .order_by(_portions.c.custom_food_id, _portions.c.position)
)


BOTH_TIERS = -1  # a branch that ranks tiers 0 and 1 together (queries of several words)


def _driver(d: Any, n: int, client: bool, groups: bool) -> list[Any]:
    """Branch ``n``'s driver rows: the organization's terms equal to its longest word, of
    the organization's foods (and the client's), in the groups asked for."""
    scope: sa.ColumnElement[bool] = d.c.client_id.is_(None)
    if client:
        scope = sa.or_(scope, d.c.client_id == sa.bindparam("client"))
    conditions = [
        d.c.organization_id == sa.bindparam("org"),
        d.c.term == sa.bindparam(f"b{n}w0"),
        scope,
    ]
    if groups:
        in_groups = sa.select(_foods.c.id).where(
            _foods.c.organization_id == sa.bindparam("org"),
            _foods.c.food_group_id.in_(sa.bindparam("groups", expanding=True)),
        )
        conditions.append(d.c.custom_food_id.in_(in_groups))
    return conditions


def _ranked(n: int, tier: int, words: int, client: bool, groups: bool, keyset: bool) -> Any:
    """Branch ``n`` of a search: the page of one tier (or ``BOTH_TIERS``) for one spelling
    of the query, cut on the terms alone. Parameters are ``b{n}w0`` (the driver, the
    longest word), ``b{n}w1``.., and ``b{n}len``/``b{n}id`` (and ``b{n}tier`` for both
    tiers) for the keyset.

    One word: a branch per tier, each reading the driver's index range in ranking order
    and stopping at the page. Several words: PostgreSQL joins the words' index ranges
    whole (a hash join: it cannot know how many foods have them all), so one branch
    computes each food's tier and reads those ranges once instead of once per tier."""
    d = _terms.alias(f"d{n}")
    joined: Any = d
    whole_all: list[Any] = [d.c.whole]
    for w in range(1, words):
        p = _terms.alias(f"d{n}p{w}")
        joined = joined.join(
            p,
            sa.and_(
                p.c.custom_food_id == d.c.custom_food_id,
                p.c.term == sa.bindparam(f"b{n}w{w}"),
                p.c.organization_id == sa.bindparam("org"),
            ),
        )
        whole_all.append(p.c.whole)
    every = sa.and_(*whole_all)
    conditions = _driver(d, n, client, groups)
    rank: Any
    if tier == BOTH_TIERS:
        rank = sa.case((every, 0), else_=1)
    else:
        rank = sa.literal(tier, sa.Integer())
        conditions.append(every if tier == 0 else sa.not_(every))
    page = (
        sa.select(d.c.custom_food_id, d.c.name_len, rank.label("tier"))
        .select_from(joined)
        .where(*conditions)
    )
    after = sa.tuple_(sa.bindparam(f"b{n}len"), sa.bindparam(f"b{n}id", type_=sa.Uuid()))
    if tier == BOTH_TIERS:
        if keyset:
            page = page.where(
                sa.tuple_(rank, d.c.name_len, d.c.custom_food_id)
                > sa.tuple_(sa.bindparam(f"b{n}tier", type_=sa.Integer()), *after.clauses)
            )
        ranked = page.order_by(rank, d.c.name_len, d.c.custom_food_id)
    else:
        if keyset:
            page = page.where(sa.tuple_(d.c.name_len, d.c.custom_food_id) > after)
        ranked = page.order_by(d.c.name_len, d.c.custom_food_id)
    return sa.select(ranked.limit(sa.bindparam("limit")).subquery(f"b{n}"))


@functools.lru_cache(maxsize=512)
def _search_statement(
    branches: tuple[tuple[int, int, bool], ...], client: bool, groups: bool
) -> Any:
    """One statement for every branch (tier x spelling) of a search: their pages joined
    to the foods and their portions, in ranking order. One round trip."""
    parts = [
        _ranked(n, tier, words, client, groups, keyset)
        for n, (tier, words, keyset) in enumerate(branches)
    ]
    return _with_foods(parts[0] if len(parts) == 1 else sa.union_all(*parts))


# The first page of a query of several words drawn from the shared vocabulary starts with
# ``HEAD_FACTOR`` x its length of the driver's whole-word rows in ranking order, each other
# word looked up by (food, term): where tier 0 is dense ("protein bar": 26 of the first 162
# of 6,166 "protein" foods), that fills the page in 0.5 ms where joining the words' whole
# ranges took 3 ms. Where it does not, the same statement goes on to join them.
HEAD_FACTOR = 10


@functools.lru_cache(maxsize=64)
def _head_statement(words: int, client: bool, groups: bool) -> Any:
    """Tier 0 among the head of the driver's whole-word rows (parameters as ``_ranked``'s
    branch 0, and ``head``), and only when that comes up short of the page, the full
    branch for both tiers after it: one round trip either way (the second part's condition
    is evaluated once, before it runs). Scalar lookups, not a join, in the head: the
    planner would join the ranges whole."""
    d = _terms.alias("h0")
    head = (
        sa.select(d.c.custom_food_id, d.c.name_len)
        .where(*_driver(d, 0, client, groups), d.c.whole)
        .order_by(d.c.name_len, d.c.custom_food_id)
        .limit(sa.bindparam("head"))
        .subquery("head")
    )
    others = []
    for w in range(1, words):
        p = _terms.alias(f"h0p{w}")
        whole = (
            sa.select(p.c.whole)
            .where(
                p.c.custom_food_id == head.c.custom_food_id,
                p.c.term == sa.bindparam(f"b0w{w}"),
                p.c.organization_id == sa.bindparam("org"),
            )
            .scalar_subquery()
        )
        others.append(whole.is_(True))
    tier0 = (
        sa.select(head.c.custom_food_id, head.c.name_len, sa.literal(0, sa.Integer()).label("tier"))
        .where(*others)
        .order_by(head.c.name_len, head.c.custom_food_id)
        .limit(sa.bindparam("limit"))
        .cte("head_page")
    )
    short = sa.select(sa.func.count()).select_from(tier0).scalar_subquery() < sa.bindparam("limit")
    rest = _ranked(0, BOTH_TIERS, words, client, groups, keyset=False).where(short)
    return _with_foods(sa.union_all(sa.select(tier0), rest))


def _with_foods(pages: Any) -> Any:
    """Pages of (food id, name length, tier) joined to the foods and their portions, in
    ranking order."""
    found = pages.subquery("found")
    p = _portions
    return (
        sa.select(
            _foods,
            found.c.name_len,
            found.c.tier,
            p.c.id.label("portion_id"),
            p.c.amount.label("portion_amount"),
            p.c.description.label("portion_description"),
            p.c.gram_weight.label("portion_grams"),
        )
        .join(found, found.c.custom_food_id == _foods.c.id)
        .outerjoin(
            p,
            sa.and_(p.c.custom_food_id == _foods.c.id, p.c.organization_id == sa.bindparam("org")),
        )
        .where(_foods.c.organization_id == sa.bindparam("org"))
        .order_by(found.c.tier, found.c.name_len, _foods.c.id, p.c.position)
    )


async def _custom_matches(
    conn: AsyncConnection,
    org: uuid.UUID,
    library: SharedFoods,
    spellings: Sequence[tuple[str, ...]],
    scope: Scope,
    group_ids: list[uuid.UUID] | None,
    after: SortKey | None,
    limit: int,
) -> Found:
    """The first ``limit`` custom foods after ``after``, for every spelling of the query
    (as typed, and corrected), in tiers 0 and 1, as (sort key, view); kept (``_kept``)."""
    groups = frozenset(group_ids) if group_ids is not None else None
    asked = ("search", groups, tuple(spellings), after, limit)
    return await _kept(
        conn,
        org,
        scope.client_id,
        asked,
        lambda: _matched(conn, org, library, spellings, scope, group_ids, after, limit),
    )


async def _matched(
    conn: AsyncConnection,
    org: uuid.UUID,
    library: SharedFoods,
    spellings: Sequence[tuple[str, ...]],
    scope: Scope,
    group_ids: list[uuid.UUID] | None,
    after: SortKey | None,
    limit: int,
) -> list[tuple[SortKey, FoodView]]:
    """``_custom_matches`` computed: the head first (when it may fill the page), else one
    statement for every branch."""
    params: dict[str, Any] = {"org": org, "limit": limit, "client": scope.client_id}
    params["groups"] = group_ids
    client, groups = scope.client_id is not None, group_ids is not None
    if after is None and len(spellings) == 1 and _dense(library, spellings[0]):
        ordered = sorted(spellings[0], key=lambda w: -len(w))  # the driver first
        head = {f"b0w{w}": word for w, word in enumerate(ordered)}
        stmt = _head_statement(len(ordered), client, groups)
        params |= head | {"head": HEAD_FACTOR * limit}
        return (await _collected(conn, library, stmt, params))[:limit]
    branches: list[tuple[int, int, bool]] = []
    # Both tiers in one branch for several words, from the start or from within tier 0's
    # custom foods (the keyset is then (tier, length, id)); any other page goes by tier.
    both = after is None or (after[0] == 0 and after[1] == ORDINARY)
    for words in spellings:
        ordered = sorted(words, key=lambda w: -len(w))
        for tier in (BOTH_TIERS,) if len(words) > 1 and both else (0, 1):
            keyset = False
            if after is not None and tier == BOTH_TIERS:
                keyset = True
            elif after is not None:
                if after[0] > tier or (after[0] == tier and after[1] > ORDINARY):
                    continue  # this tier was shown in full already
                keyset = after[0] == tier and after[1] == ORDINARY
            n = len(branches)
            params.update({f"b{n}w{w}": word for w, word in enumerate(ordered)})
            if keyset:
                assert after is not None
                params.update({f"b{n}len": after[2], f"b{n}id": _cursor_uuid(after[3])})
                params[f"b{n}tier"] = after[0]
            branches.append((tier, len(words), keyset))
    if not branches:
        return []
    stmt = _search_statement(tuple(branches), client, groups)
    return (await _collected(conn, library, stmt, params))[:limit]


def _dense(library: SharedFoods, words: tuple[str, ...]) -> bool:
    """Whether a query is worth a head (``HEAD_FACTOR``): several words, each a whole word
    of the shared foods (a word still being typed is usually a prefix, and its tier 0
    empty)."""
    return len(words) >= 2 and all(library.knows(w) for w in words)


async def _collected(
    conn: AsyncConnection, library: SharedFoods, stmt: Any, params: dict[str, Any]
) -> list[tuple[SortKey, FoodView]]:
    """The foods of a search statement's rows, in ranking order."""
    # A row per (branch, food, portion): read by position (by name, each value was a
    # lookup, some 600 a search).
    foods: dict[uuid.UUID, tuple[SortKey, Any, dict[uuid.UUID, Portion]]] = {}
    for row in await conn.execute(stmt, params):
        food_id = row[_FOOD_ID]
        name_len, tier, portion_id, amount, description, grams = row[_FOOD_COLUMNS:]
        found = foods.get(food_id)
        if found is None:  # the best branch comes first
            key: SortKey = (tier, ORDINARY, name_len, str(food_id))
            found = foods[food_id] = (key, row, {})
        portions = found[2]  # by id, in order: another branch repeats them
        if portion_id is not None and portion_id not in portions:
            portions[portion_id] = Portion(portion_id, amount, description, grams)
    return sorted(
        (
            (key, _view(library, row, list(portions.values())))
            for key, row, portions in foods.values()
        ),
        key=lambda pair: pair[0],
    )


# Views of custom food rows, kept by the row's values and portions: equal values make an
# equal view (an edit changes them, so a kept view is never stale), and building one
# (traits derived from the name, nutrients) cost more than the query that found it.
VIEWS_KEPT = 5_000
_views: Kept[tuple[Any, ...], FoodView] = Kept(VIEWS_KEPT)
_FOOD_COLUMNS = len(_foods.c)  # a search row starts with the food's columns
_FOOD_ID = list(_foods.c.keys()).index("id")


def _view(library: SharedFoods, row: Any, portions: Sequence[Portion]) -> FoodView:
    key = (tuple(row[:_FOOD_COLUMNS]), tuple(portions))
    view = _views.get(key)
    return view if view is not None else _views.put(key, custom_view(library, row, portions))


async def _custom_views(
    conn: AsyncConnection, org: uuid.UUID, library: SharedFoods, rows: Sequence[Any]
) -> list[FoodView]:
    """FoodViews of custom food rows, with their portions (one query)."""
    if not rows:
        return []
    found: dict[uuid.UUID, list[Portion]] = {}
    portion_rows = await conn.execute(_PORTIONS, {"org": org, "ids": [r.id for r in rows]})
    for r in portion_rows:
        found.setdefault(r.custom_food_id, []).append(
            Portion(r.id, r.amount, r.description, r.gram_weight)
        )
    return [_view(library, row, found.get(row.id, [])) for row in rows]


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
        return await _browse(session, library, params, scope, wanted)
    after = decode_sort_key(params.cursor, SEARCH_KEY)
    limit = params.limit + 1
    ranked: list[tuple[SortKey, FoodView]] = []
    if scope.shared:
        ranked += library.search(words, groups=wanted, after=after, limit=limit)
    org = current_organization(session)
    if scope.custom and org is not None:
        group_ids = [dataset.group_id(g) for g in wanted] if wanted is not None else None
        spellings = list(dict.fromkeys([words, _corrected(library, words)]))
        ranked += await _custom_matches(
            await session.connection(), org, library, spellings, scope, group_ids, after, limit
        )
    ranked.sort(key=lambda pair: pair[0])
    page = ranked[:limit]
    items = [food for _, food in page]
    if len(items) > params.limit:
        return items[: params.limit], encode_sort_key(page[params.limit - 1][0])
    return items, None


@functools.cache
def _browse_statement(client: bool, groups: bool, keyset: bool) -> Any:
    """The custom foods newest first, built once per shape (see ``_search_statement``)."""
    f = _foods
    scope: Any = f.c.client_id.is_(None)
    if client:
        scope = sa.or_(scope, f.c.client_id == sa.bindparam("client"))
    stmt = (
        sa.select(f)
        .where(f.c.organization_id == sa.bindparam("org"), scope, f.c.archived_at.is_(None))
        .order_by(f.c.id.desc())
        .limit(sa.bindparam("limit"))
    )
    if groups:
        stmt = stmt.where(f.c.food_group_id.in_(sa.bindparam("groups", expanding=True)))
    if keyset:
        stmt = stmt.where(f.c.id < sa.bindparam("before", type_=sa.Uuid()))
    return stmt


async def _browse(
    session: AsyncSession,
    library: SharedFoods,
    params: PageParams,
    scope: Scope,
    groups: frozenset[str] | None,
) -> tuple[list[FoodView], str | None]:
    """Custom foods newest first (segment 0, keyed by id), then shared foods by name
    (segment 1, keyed by position)."""
    after = decode_sort_key(params.cursor, BROWSE_KEY)
    limit = params.limit + 1
    keyed: list[tuple[tuple[int, str], FoodView]] = []
    org = current_organization(session)
    if scope.custom and org is not None and (after is None or after[0] == 0):
        before = _cursor_uuid(after[1]) if after is not None else None
        conn = await session.connection()
        keyed += await _kept(
            conn,
            org,
            scope.client_id,
            ("browse", groups, before, limit),
            lambda: _newest(conn, org, library, scope, groups, before, limit),
        )
    if scope.shared and len(keyed) < limit:
        start = _cursor_int(after[1]) if after is not None and after[0] == 1 else None
        for position, food in library.browse(groups=groups, after=start, limit=limit - len(keyed)):
            keyed.append(((1, str(position)), food))
    items = [v for _, v in keyed]
    if len(items) > params.limit:
        return items[: params.limit], encode_sort_key(keyed[params.limit - 1][0])
    return items, None


async def _newest(
    conn: AsyncConnection,
    org: uuid.UUID,
    library: SharedFoods,
    scope: Scope,
    groups: frozenset[str] | None,
    before: uuid.UUID | None,
    limit: int,
) -> list[tuple[tuple[int, str], FoodView]]:
    """The caller's first ``limit`` custom foods newest first (older than ``before``), keyed
    as browsing's segment 0."""
    values: dict[str, Any] = {"org": org, "client": scope.client_id, "limit": limit}
    if groups is not None:
        values["groups"] = [dataset.group_id(g) for g in groups]
    if before is not None:
        values["before"] = before
    stmt = _browse_statement(scope.client_id is not None, groups is not None, before is not None)
    rows = (await conn.execute(stmt, values)).all()
    views = await _custom_views(conn, org, library, rows)
    return [((0, str(view.id)), view) for view in views]


def _cursor_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise field_error("cursor", "invalid cursor: use next_cursor from a previous page") from exc


def _cursor_int(value: str) -> int:
    if not value.isdigit():
        raise field_error("cursor", "invalid cursor: use next_cursor from a previous page")
    return int(value)
