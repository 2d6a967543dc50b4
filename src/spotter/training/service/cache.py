"""Progress data computed once and kept in this process while the client's log is
unchanged.

The dashboard reads a dozen grouped queries; it is read far more often than the log
changes. Every change to a client's log touches one of their workouts (``updated_at``),
so the newest ``updated_at`` and the number of workouts (an index-only read) say whether a
kept answer is still right; every process checks against the database, so several
workers never serve each other's stale data. What the log does not see (a program moved,
a profile edited, an exercise renamed) shows within ``TTL_SECONDS``.

A dashboard's reads of the past (its buckets before the current one, the completed
workouts before today) are kept apart, under the stamp of the workouts before that day:
logging today changes the whole log's stamp, not theirs, so the first dashboard after a set
reads the current bucket alone. They hold the log's rows and nothing else, so they live
``HISTORY_TTL_SECONDS``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.kept import Kept
from spotter.core.tenancy import current_organization
from spotter.training import formulas
from spotter.training.models import LoggedWorkout

TTL_SECONDS = 60.0
HISTORY_TTL_SECONDS = 3600.0  # the log's rows alone: right while their stamp holds
MAX_ENTRIES = 512
T = TypeVar("T")
_kept: Kept[Hashable, tuple[Any, float, Any]] = Kept(MAX_ENTRIES)


_W = LoggedWorkout


def _before(day: str) -> tuple[Any, Any]:
    done_before = _W.performed_on < sa.bindparam(day, type_=sa.Date())
    return sa.func.max(_W.updated_at).filter(done_before), sa.func.count().filter(done_before)


# Built once: it runs before every dashboard.
_STAMPS = sa.select(
    sa.func.max(_W.updated_at),
    sa.func.count(),
    *_before("day"),
    *_before("week"),
    *_before("month"),
).where(_W.client_id == sa.bindparam("client", type_=sa.Uuid()))


@dataclass(frozen=True)
class Stamps:
    """A client's log's stamp (``whole``), and (``before``) those of their workouts done
    before a day, this week's Monday and this month's first: such a stamp holds while no
    set on the days before changes, whatever is logged since (a workout moved in or out
    of them changes their count)."""

    whole: tuple[Any, ...]
    before: dict[date, tuple[Any, ...]]


async def stamps(session: AsyncSession, client_id: uuid.UUID, day: date) -> Stamps:
    """The stamps, in one statement: the whole log's, and those before ``day``, its
    week's Monday and its month's first."""
    days = {"day": day, "week": formulas.monday(day), "month": formulas.month_start(day)}
    row = (await session.execute(_STAMPS, {"client": client_id, **days})).one()
    before = {on: tuple(row[2 + 2 * i : 4 + 2 * i]) for i, on in enumerate(days.values())}
    return Stamps(tuple(row[:2]), before)


def key(session: AsyncSession, *parts: Hashable) -> tuple[Hashable, ...]:
    """Kept answers are per organization (ids are unique anyway; this keeps it obvious)."""
    return (current_organization(session), *parts)


def get(name: tuple[Hashable, ...], current: tuple[Any, ...]) -> Any | None:
    found = _kept.get(name)
    if found is None:
        return None
    kept_stamp, expires, value = found
    if kept_stamp != current or expires < time.monotonic():
        _kept.pop(name)
        return None
    return value


def put(
    name: tuple[Hashable, ...], current: tuple[Any, ...], value: Any, *, ttl: float = TTL_SECONDS
) -> None:
    _kept.put(name, (current, time.monotonic() + ttl, value))


async def kept_past(
    name: tuple[Hashable, ...], stamp: tuple[Any, ...], make: Callable[[], Awaitable[T]]
) -> T:
    """A read of the past: ``make()``'s value, kept under ``stamp`` (one of
    ``Stamps.before``) for ``HISTORY_TTL_SECONDS``."""
    found = get(name, stamp)
    if found is None:
        found = await make()
        put(name, stamp, found, ttl=HISTORY_TTL_SECONDS)
    return cast(T, found)


def forget() -> None:
    """Drop everything (tests)."""
    _kept.clear()
