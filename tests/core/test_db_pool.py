"""The PostgreSQL pool survives connections the server dropped (restart, idle timeout):
an idle connection is pinged and replaced; a busy one fails once and the pool starts over."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from spotter.core import db as dbmod
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="PostgreSQL pool behaviour"
)


@pytest.fixture
async def pool_engine():
    engine = dbmod.make_engine(TEST_DATABASE_URL, pool_size=1, max_overflow=0)
    yield engine
    await engine.dispose()


async def _backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(sa.text("SELECT pg_backend_pid()")))


async def _terminate(engine, pid: int) -> None:
    # From a connection of its own, outside the pool under test.
    other = dbmod.make_engine(TEST_DATABASE_URL, poolclass=sa.pool.NullPool)
    try:
        async with other.connect() as conn:
            assert await conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def test_a_connection_in_steady_use_is_not_pinged(pool_engine):
    pings: list[float | None] = []
    first = await _backend_pid(pool_engine)
    original = dbmod._ping_if_idle

    def counting(dbapi_conn, record, proxy):
        returned = record.info.get("returned_at")
        original(dbapi_conn, record, proxy)
        pings.append(returned)

    pool = pool_engine.sync_engine.pool
    sa.event.remove(pool, "checkout", dbmod._ping_if_idle)
    sa.event.listen(pool, "checkout", counting)
    assert await _backend_pid(pool_engine) == first  # the same pooled connection, reused
    # The hook ran on the second checkout and saw a connection returned moments ago.
    assert len(pings) == 1 and pings[0] is not None


async def test_an_idle_dropped_connection_is_replaced_before_use(pool_engine, monkeypatch):
    pid = await _backend_pid(pool_engine)
    await _terminate(pool_engine, pid)
    monkeypatch.setattr(dbmod, "IDLE_PING_SECONDS", 0.0)  # it has now been idle long enough
    assert await _backend_pid(pool_engine) != pid  # pinged, found dead, replaced: no error


async def test_a_busy_dropped_connection_fails_once_then_the_pool_reconnects(pool_engine):
    pid = await _backend_pid(pool_engine)
    await _terminate(pool_engine, pid)
    with pytest.raises(sa.exc.DBAPIError) as failed:
        await _backend_pid(pool_engine)
    assert failed.value.connection_invalidated
    assert await _backend_pid(pool_engine) != pid
