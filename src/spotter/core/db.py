"""Database: one async engine, UUIDv7 keys, UTC timestamps, and the request transaction.

The framework owns the transaction: ``get_db`` opens one session per request, commits it
once before the response is sent (the dependency is declared with ``scope="function"``),
rolls back on error, and only then hands enqueued jobs to the runner.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
import uuid6
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from spotter.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """A UUIDv7: time-ordered, so keyset pagination by id is creation order."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)


def utcnow() -> datetime:
    return datetime.now(UTC)


def dialect_insert(dialect: str) -> Any:
    """The dialect's own ``insert`` (``ON CONFLICT`` upserts), for PostgreSQL or SQLite."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class UTCDateTime(TypeDecorator[datetime]):
    """``timestamptz`` on PostgreSQL; on SQLite, stored as UTC and read back tz-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Spotter stores aware UTC timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: sa.Uuid(), dict[str, Any]: sa.JSON}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so SQLAlchemy emits BEGIN itself:
    # that makes SAVEPOINTs (used by the tests' rolled-back transactions) behave.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # health checks: one statement, no transaction
    # A read-only unit of work (a GET) reads one snapshot without the write lock (WAL lets
    # readers and the one writer run side by side); everything else queues for the lock.
    conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    settings = get_settings()
    url = url or settings.effective_database_url
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # IMMEDIATE: take the write lock up front. A deferred transaction that reads and then
        # writes fails at once with "database is locked" when another writer got in between
        # (busy_timeout cannot help an upgrade); queueing at BEGIN makes writers wait instead.
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    if "poolclass" not in kwargs:  # a queue pool, sized by the settings unless told otherwise
        sizes = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow}
        kwargs = sizes | kwargs
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine.pool, "checkin", _mark_returned)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle)
    return engine


# A pooled connection that sat unused this long is pinged before it is handed out, so a
# database restart or an idle timeout on the way becomes a reconnect, not a failed request.
# SQLAlchemy's own pool_pre_ping pings on every checkout: three round trips on asyncpg
# (BEGIN, ";", ROLLBACK), which cost a busy read endpoint a fifth of its time. A connection
# in steady use is not pinged; if the server went away under it, its first statement fails,
# SQLAlchemy invalidates the whole pool, and the next checkouts reconnect.
IDLE_PING_SECONDS = 10.0


def _mark_returned(_dbapi_conn: Any, record: Any) -> None:
    record.info["returned_at"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    returned = record.info.get("returned_at")
    if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
        return  # a new connection, or one in steady use
    try:
        dbapi_conn.ping()
    except Exception as exc:
        # The pool discards this connection and checks out (or opens) another.
        raise sa.exc.DisconnectionError("idle connection failed its ping") from exc


# --- read-only units of work -------------------------------------------------------------
#
# Safe requests (GET, HEAD, OPTIONS) only read, so they run without a transaction of their
# own on PostgreSQL (autocommit: no BEGIN and COMMIT round trips; under READ COMMITTED each
# statement sees a fresh snapshot either way) and in a deferred transaction on SQLite (no
# write lock). Their sessions refuse to write, so a GET that starts writing is a loud error
# in the tests, not a half-applied change in production.

READ_ONLY = "spotter_read_only"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlySessionError(RuntimeError):
    """A read-only unit of work (a GET request) tried to write."""


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySessionError("a read-only (GET) unit of work tried to write rows")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements(state: ORMExecuteState) -> None:
    if state.session.info.get(READ_ONLY) and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadOnlySessionError("a read-only (GET) unit of work ran a write statement")


class Database:
    """Holds the engine and session factories; tests swap them for a rolled-back one."""

    def __init__(self) -> None:
        self._engine: AsyncEngine | None = None
        self._factory: async_sessionmaker[AsyncSession] | None = None
        self._read_factory: async_sessionmaker[AsyncSession] | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            self._engine = make_engine()
        return self._engine

    @property
    def factory(self) -> async_sessionmaker[AsyncSession]:
        if self._factory is None:
            self._factory = async_sessionmaker(self.engine, expire_on_commit=False)
        return self._factory

    @property
    def read_factory(self) -> async_sessionmaker[AsyncSession]:
        """Sessions for read-only units of work (see READ_ONLY above)."""
        if self._read_factory is None:
            engine = self.engine
            if engine.dialect.name == "sqlite":
                bind = engine.execution_options(**{READ_ONLY: True})
            else:
                bind = engine.execution_options(isolation_level="AUTOCOMMIT")
            self._read_factory = async_sessionmaker(bind, expire_on_commit=False)
        return self._read_factory

    def use(self, factory: async_sessionmaker[AsyncSession] | None) -> None:
        self._factory = self._read_factory = factory

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        self._engine = None
        self._factory = self._read_factory = None

    @asynccontextmanager
    async def session(self, *, read_only: bool = False, **info: Any) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success (a read-only one has nothing to commit), rolls
        back on error, then hands the jobs it enqueued to the runner."""
        from spotter.core import jobs
        from spotter.core.errors import AppError

        factory = self.read_factory if read_only else self.factory
        session = factory(info={**info, READ_ONLY: read_only})
        try:
            yield session
            if not read_only:  # nothing to commit; close() below ends the read
                await session.commit()
        except AppError as exc:
            # Some refusals must leave a trace (a reused refresh token ends its family).
            await (session.commit() if exc.keep_changes else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise
        finally:
            pending = jobs.take_pending(session)
            await session.close()
        await jobs.dispatch(pending)


db = Database()


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with db.session(read_only=request.method in SAFE_METHODS) as session:
        yield session


# `scope="function"`: the commit happens before FastAPI sends the response, so a failing
# commit becomes an error response instead of a 200 for data that was never saved.
DbSession = Annotated[AsyncSession, Depends(get_db, scope="function")]
