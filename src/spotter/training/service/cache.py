"""Progress data computed once and kept in this process while the client's log is
unchanged.

The dashboard reads a dozen grouped queries; it is read far more often than the log
changes. Every change to a client's log touches one of their workouts (``updated_at``),
so the newest ``updated_at`` and the number of workouts (an index-only read) say whether a
kept answer is still right; every process checks against the database, so several
workers never serve each other's stale data. What the log does not see (a program moved,
a profile edited, an exercise renamed) shows within ``TTL_SECONDS``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Hashable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.kept import Kept
from spotter.core.tenancy import current_organization
from spotter.training.models import LoggedWorkout

TTL_SECONDS = 60.0
# Rows drawn from the log alone (no names, no calendar) are right while their stamp holds.
HISTORY_TTL_SECONDS = 3600.0
MAX_ENTRIES = 512
_kept: Kept[Hashable, tuple[Any, float, Any]] = Kept(MAX_ENTRIES)


_STAMP = sa.select(sa.func.max(LoggedWorkout.updated_at), sa.func.count()).where(
    LoggedWorkout.client_id == sa.bindparam("client", type_=sa.Uuid())
)  # built once: it runs before every dashboard


_STAMP_BEFORE = _STAMP.where(LoggedWorkout.performed_on < sa.bindparam("before", type_=sa.Date()))


async def stamp(
    session: AsyncSession, client_id: uuid.UUID, *, before: date | None = None
) -> tuple[Any, ...]:
    """The client's log's stamp, or (``before``) that of their workouts done before that
    day: it holds while no set on those days changes, whatever is logged since (a workout
    moved in or out of them changes their count)."""
    if before is None:
        return tuple((await session.execute(_STAMP, {"client": client_id})).one())
    found = await session.execute(_STAMP_BEFORE, {"client": client_id, "before": before})
    return tuple(found.one())


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


def forget() -> None:
    """Drop everything (tests)."""
    _kept.clear()
