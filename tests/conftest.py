"""Test harness.

* The database is SQLite by default, or ``SPOTTER_TEST_DATABASE_URL`` (PostgreSQL in CI);
  each pytest-xdist worker gets its own database, built by the real migrations.
* Every test runs inside one outer transaction that is rolled back afterwards; the app's
  own commits become SAVEPOINT releases (``join_transaction_mode="create_savepoint"``).
* Jobs run eagerly after commit, email goes to a per-run outbox folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_TMP = Path(tempfile.mkdtemp(prefix=f"spotter-test-{_WORKER}-"))
os.environ.update(
    SPOTTER_ENV="test",
    SPOTTER_DATA_DIR=str(_TMP),
    SPOTTER_JOBS_BACKEND="eager",
    SPOTTER_SECRET_KEY="test-secret-key-not-for-production-use-0123456789",
    SPOTTER_AUTH__ARGON2_TIME_COST="1",
    SPOTTER_AUTH__ARGON2_MEMORY_KIB="8192",
    SPOTTER_BASE_URL="http://testserver",
    SPOTTER_LOG_LEVEL="WARNING",
    # Tests check what a generated meal plan holds, not how fast: no time limit can bite.
    SPOTTER_MEAL_PLAN_SECONDS="30",
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.pop("SPOTTER_REDIS_URL", None)
if os.environ.get("SPOTTER_TEST_REDIS_URL"):
    # One Redis database per xdist worker, so parallel workers never share rate-limit counters.
    # The URL's own database number (0 counts as 1) is the first worker's, so two runs on one
    # Redis can be kept apart: SPOTTER_TEST_REDIS_URL=redis://127.0.0.1:6379/8.
    _base = os.environ["SPOTTER_TEST_REDIS_URL"].rstrip("/")
    _first = 1
    if _base.rsplit("/", 1)[-1].isdigit():
        _base, _number = _base.rsplit("/", 1)
        _first = max(1, int(_number))
    _offset = int(_WORKER.removeprefix("gw") or 0) if _WORKER.startswith("gw") else 0
    os.environ["SPOTTER_REDIS_URL"] = f"{_base}/{_first + _offset}"

from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402
import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from spotter.config import get_settings  # noqa: E402
from spotter.core import migrate, ratelimit  # noqa: E402
from spotter.core.db import db, make_engine  # noqa: E402


def _database_url() -> str:
    base = os.environ.get("SPOTTER_TEST_DATABASE_URL")
    if not base:
        return f"sqlite+aiosqlite:///{_TMP / 'test.db'}"
    url = sa.engine.make_url(base)
    # Unique per run and worker, so two runs on one server never drop each other's database.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    name = f"{url.database}_{run}_{_WORKER}"
    return url.set(database=name).render_as_string(hide_password=False)


def _pg_admin(url: str, *statements: str) -> None:
    """Run statements on the configured (maintenance) database next to the worker's one."""
    import asyncio

    import asyncpg

    parsed = sa.engine.make_url(url)

    async def go() -> None:
        conn = await asyncpg.connect(
            host=parsed.host,
            port=parsed.port or 5432,
            user=parsed.username,
            password=parsed.password,
            database=os.environ["SPOTTER_TEST_DATABASE_URL"].rsplit("/", 1)[1],
        )
        try:
            for statement in statements:
                await conn.execute(statement.format(name=parsed.database))
        finally:
            await conn.close()

    asyncio.run(go())


TEST_DATABASE_URL = _database_url()
os.environ["SPOTTER_DATABASE_URL"] = TEST_DATABASE_URL
get_settings.cache_clear()


def pytest_sessionstart(session: pytest.Session) -> None:
    if TEST_DATABASE_URL.startswith("postgresql"):
        _pg_admin(
            TEST_DATABASE_URL,
            'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            'CREATE DATABASE "{name}"',
        )
    migrate.upgrade(url=TEST_DATABASE_URL)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if TEST_DATABASE_URL.startswith("postgresql"):
        import asyncio

        from spotter.core.db import db as app_db

        asyncio.run(app_db.dispose())
        _pg_admin(TEST_DATABASE_URL, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_report_header(config: pytest.Config) -> str:
    kind = "PostgreSQL" if TEST_DATABASE_URL.startswith("postgresql") else "SQLite"
    redis = os.environ.get("SPOTTER_REDIS_URL") or "off (in-memory limits)"
    return f"spotter: database {kind}, redis {redis}"


@pytest.fixture(scope="session")
async def engine():
    engine = make_engine(TEST_DATABASE_URL)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
async def transaction(engine) -> AsyncIterator[None]:
    """Every test in one rolled-back transaction; the app's commits become savepoints."""
    async with engine.connect() as conn:
        outer = await conn.begin()
        db.use(
            async_sessionmaker(
                bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
        )
        ratelimit.reset_limiter()
        try:
            yield
        finally:
            db.use(None)
            if outer.is_active:
                await outer.rollback()
    if os.environ.get("SPOTTER_REDIS_URL"):
        import redis.asyncio as aioredis

        client = aioredis.from_url(os.environ["SPOTTER_REDIS_URL"])
        await client.flushdb()  # this worker's own database: rate-limit counters start at zero
        await client.aclose()


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    """A session on the test transaction, for builders and assertions."""
    async with db.session(platform=True) as s:
        yield s


@pytest.fixture(scope="session")
def app():
    from spotter.main import create_app

    return create_app()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def outbox() -> Path:
    return get_settings().outbox_dir
