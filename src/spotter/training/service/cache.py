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
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.kept import Kept
from spotter.core.tenancy import current_organization
from spotter.training.models import LoggedWorkout

TTL_SECONDS = 60.0
MAX_ENTRIES = 512
_kept: Kept[Hashable, tuple[Any, float, Any]] = Kept(MAX_ENTRIES)


_STAMP = sa.select(sa.func.max(LoggedWorkout.updated_at), sa.func.count()).where(
    LoggedWorkout.client_id == sa.bindparam("client", type_=sa.Uuid())
)  # built once: it runs before every dashboard


async def stamp(session: AsyncSession, client_id: uuid.UUID) -> tuple[Any, ...]:
    return tuple((await session.execute(_STAMP, {"client": client_id})).one())


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


def put(name: tuple[Hashable, ...], current: tuple[Any, ...], value: Any) -> None:
    _kept.put(name, (current, time.monotonic() + TTL_SECONDS, value))


def forget() -> None:
    """Drop everything (tests)."""
    _kept.clear()
