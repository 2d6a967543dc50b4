"""Rate limits with the ``limits`` library: in memory by default, Redis when configured,
so several server processes share one budget."""

from __future__ import annotations

import time
from functools import lru_cache

from limits import parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from spotter.config import get_settings
from spotter.core.errors import TooManyRequests


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url
    storage: Storage
    if url:
        storage = storage_from_string(  # type: ignore[assignment]
            "async+" + url, implementation="redispy"
        )
    else:
        storage = MemoryStorage()
    return MovingWindowRateLimiter(storage)


def reset_limiter() -> None:
    _limiter.cache_clear()


async def hit(limit: str, *identifiers: str, message: str) -> None:
    """Count one attempt against ``limit`` (e.g. "10/minute"); 429 when it is spent."""
    item = parse(limit)
    limiter = _limiter()
    if not await limiter.hit(item, *identifiers):
        stats = await limiter.get_window_stats(item, *identifiers)
        retry = max(1, int(stats.reset_time - time.time()))
        raise TooManyRequests(
            message, headers={"Retry-After": str(retry)}, retry_after_seconds=retry
        )


async def clear(limit: str, *identifiers: str) -> None:
    await _limiter().clear(parse(limit), *identifiers)
