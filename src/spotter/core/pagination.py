"""Keyset (cursor) pagination: stable under inserts, O(limit) per page at any depth.

The cursor is an opaque, URL-safe encoding of the sort key of the last row returned.
"""

from __future__ import annotations

import base64
import json
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Query, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from spotter.core.errors import field_error

MAX_LIMIT = 100


class PageParams:
    def __init__(
        self,
        cursor: Annotated[str | None, Query(max_length=500, description="From next_cursor")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 25,
    ) -> None:
        self.cursor = cursor
        self.limit = limit


async def page_params(
    cursor: Annotated[str | None, Query(max_length=500, description="From next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 25,
) -> PageParams:
    # A function, not the class itself: FastAPI runs a class (a sync callable) in a thread.
    return PageParams(cursor=cursor, limit=limit)


# The list parameters of a route: ``params: Pages``.
Pages = Annotated[PageParams, Depends(page_params)]


def _encode(values: Sequence[Any]) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, uuid.UUID):
            return {"u": str(v)}
        if isinstance(v, datetime):
            return {"t": v.isoformat()}
        if isinstance(v, date):
            return {"d": v.isoformat()}
        return v

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_INVALID = "invalid cursor: use next_cursor from a previous page"


def _python_type(key: InstrumentedAttribute[Any]) -> type | None:
    column_type = key.type
    column_type = getattr(column_type, "impl", column_type)  # TypeDecorator -> its impl
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def _decode(cursor: str, keys: Sequence[InstrumentedAttribute[Any]]) -> list[Any]:
    """The sort-key values in ``cursor``. A cursor is client input: anything that is not
    exactly one value of each key's type is refused (422), never passed to the database."""

    def typed(v: Any) -> Any:
        if isinstance(v, dict) and "u" in v:
            return uuid.UUID(v["u"])
        if isinstance(v, dict) and "t" in v:
            return datetime.fromisoformat(v["t"])
        if isinstance(v, dict) and "d" in v:
            return date.fromisoformat(v["d"])
        return v

    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        if not isinstance(decoded, list):
            raise TypeError("cursor is not a list")
        values = [typed(v) for v in decoded]
    except Exception as exc:  # any malformed cursor, whatever the decoder raised
        raise field_error("cursor", _INVALID) from exc
    if len(values) != len(keys):
        raise field_error("cursor", _INVALID)
    for value, key in zip(values, keys, strict=True):
        expected = _python_type(key)
        if value is None or expected is None:
            continue
        if isinstance(value, bool) or not isinstance(value, expected):
            raise field_error("cursor", _INVALID)
        if expected is date and isinstance(value, datetime):
            raise field_error("cursor", _INVALID)
        if isinstance(value, datetime) and value.tzinfo is None:
            raise field_error("cursor", _INVALID)
    return values


@dataclass(frozen=True)
class _Paged:
    stmt: sa.Select[Any]
    single: bool  # one entity selected: rows are the entities


# A statement's paged forms, kept while the statement lives: a statement built once per
# shape (with bound parameters) is paged once, and keeps its memoized SQL cache key.
_paged: weakref.WeakKeyDictionary[sa.Select[Any], dict[tuple[Any, ...], _Paged]] = (
    weakref.WeakKeyDictionary()
)


def _paged_form(
    stmt: sa.Select[Any], keys: Sequence[InstrumentedAttribute[Any]], descending: bool, after: bool
) -> _Paged:
    forms = _paged.setdefault(stmt, {})
    # Mapped attributes live as long as their classes, so their ids are stable keys.
    shape = (tuple(id(k) for k in keys), descending, after)
    found = forms.get(shape)
    if found is None:
        paged = stmt
        if after:
            current = sa.tuple_(*keys)
            bound = sa.tuple_(
                *[sa.bindparam(f"page_after_{i}", type_=k.type) for i, k in enumerate(keys)]
            )
            paged = paged.where(current < bound if descending else current > bound)
        order = [k.desc() for k in keys] if descending else list(keys)
        paged = paged.order_by(*order).limit(sa.bindparam("page_limit", type_=sa.Integer()))
        found = forms[shape] = _Paged(paged, len(paged.column_descriptions) == 1)
    return found


def _key_values(row: Any, single: bool, keys: Sequence[InstrumentedAttribute[Any]]) -> list[Any]:
    if single:
        return [getattr(row, k.key) for k in keys]
    mapping = row._mapping
    if all(k.key in mapping for k in keys):  # rows of columns
        return [mapping[k.key] for k in keys]
    return [getattr(row[0], k.key) for k in keys]  # an entity first, then columns


async def paginate(
    session: AsyncSession,
    stmt: sa.Select[Any],
    *,
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    descending: bool = False,
    values: dict[str, Any] | None = None,
) -> tuple[list[Any], str | None]:
    """Rows of ``stmt`` (with its bound parameters' ``values``) ordered by ``keys`` (the
    last key must be unique), ascending or, with ``descending``, newest first: the
    entities when ``stmt`` selects one, else rows that carry the keys as columns or whose
    first item is an entity that does."""
    paged = _paged_form(stmt, keys, descending, bool(params.cursor))
    bound = {**(values or {}), "page_limit": params.limit + 1}
    if params.cursor:
        for i, value in enumerate(_decode(params.cursor, keys)):
            bound[f"page_after_{i}"] = value
    result = await session.execute(paged.stmt, bound)
    rows: list[Any] = list(result.scalars().all() if paged.single else result.all())
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        next_cursor = _encode(_key_values(rows[-1], paged.single, keys))
    return rows, next_cursor


# --- cursors for rankings computed in Python (searches) ------------------------------------


def encode_sort_key(key: tuple[Any, ...]) -> str:
    """A cursor for a sort key of plain values (ints and strings)."""
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_sort_key(cursor: str | None, shape: tuple[type, ...]) -> tuple[Any, ...] | None:
    """The sort key in ``cursor``, which must be exactly one value of each type in
    ``shape`` (else a 422); None for no cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        ok = (
            isinstance(values, list)
            and len(values) == len(shape)
            and all(type(v) is t for v, t in zip(values, shape, strict=True))
        )
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise field_error("cursor", _INVALID)
    return tuple(values)


def rendered_page(items: Sequence[bytes], next_cursor: str | None) -> Response:
    """A ``Page`` response from items already rendered as JSON objects, for a hot list whose
    items are immutable values rendered once (FastAPI would validate and encode every item
    again on each request). The same body FastAPI writes for the ``Page`` model."""
    body = b'{"items":[%s],"next_cursor":%s}' % (b",".join(items), json.dumps(next_cursor).encode())
    return Response(body, media_type="application/json")


def model_page(items: Sequence[BaseModel], next_cursor: str | None) -> Response:
    """A ``Page`` response from output models, each encoded once: FastAPI would validate the
    page against its response model, then encode it (for a hot list, a fifth of its time)."""
    return rendered_page([m.__pydantic_serializer__.to_json(m) for m in items], next_cursor)
