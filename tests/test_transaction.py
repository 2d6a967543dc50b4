"""The framework owns the transaction: one per request, committed before the response is
sent (so a failing commit is an error response, never a 200 for data that was not saved),
rolled back on error, and jobs enqueued during the request are sent only after the commit.

Each test mounts throwaway routes on a fresh ``create_app()``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from spotter.core import jobs
from spotter.core.db import Database, DbSession, db, make_engine
from spotter.core.errors import Conflict
from spotter.identity.models import User
from spotter.orgs.models import Organization
from tests.builders import unique_email
from tests.conftest import TEST_DATABASE_URL

EVENTS: list[str] = []


@jobs.job("tests.transaction.record", retries=0)
async def record(*, note: str) -> None:
    EVENTS.append(f"job:{note}")


@pytest.fixture
async def tapp() -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    from spotter.main import create_app

    app = create_app()
    EVENTS.clear()

    def track_commits(session: DbSession) -> None:
        event.listen(session.sync_session, "after_commit", lambda _s: EVENTS.append("commit"))
        event.listen(session.sync_session, "after_rollback", lambda _s: EVENTS.append("rollback"))

    @app.post("/api/v1/_test/ok")
    async def ok(session: DbSession, email: str) -> dict[str, str]:
        track_commits(session)
        session.add(User(email=email, full_name="Saved", password_hash=None))
        jobs.enqueue(session, record, note="ok")
        EVENTS.append("handler")
        return {"status": "saved"}

    @app.post("/api/v1/_test/commit-fails")
    async def commit_fails(session: DbSession, email: str, slug: str) -> dict[str, str]:
        track_commits(session)
        session.add(User(email=email, full_name="Never Saved", password_hash=None))
        # Same slug as an existing organization: the unique constraint only fails when the
        # framework flushes at commit, after this handler has returned its 200 body.
        session.add(Organization(name="Duplicate", slug=slug))
        jobs.enqueue(session, record, note="commit-fails")
        return {"status": "saved"}

    @app.post("/api/v1/_test/refuses")
    async def refuses(session: DbSession, email: str, keep: bool = False) -> dict[str, str]:
        track_commits(session)
        session.add(User(email=email, full_name="Refused", password_hash=None))
        await session.flush()
        jobs.enqueue(session, record, note="refused")
        error = Conflict("refused on purpose")
        error.keep_changes = keep
        raise error

    @app.post("/api/v1/_test/crashes")
    async def crashes(session: DbSession, email: str) -> dict[str, str]:
        track_commits(session)
        session.add(User(email=email, full_name="Crashed", password_hash=None))
        await session.flush()
        jobs.enqueue(session, record, note="crashed")
        raise RuntimeError("a bug")

    @app.get("/api/v1/_test/writes-on-get")
    async def writes_on_get(session: DbSession, email: str) -> dict[str, str]:
        session.add(User(email=email, full_name="Written On GET", password_hash=None))
        await session.flush()
        return {"status": "saved"}

    @app.get("/api/v1/_test/updates-on-get")
    async def updates_on_get(session: DbSession) -> dict[str, str]:
        await session.execute(sa.update(User).values(full_name="Renamed By A GET"))
        return {"status": "saved"}

    @app.get("/api/v1/_test/reads")
    async def reads(session: DbSession) -> dict[str, Any]:
        jobs.enqueue(session, record, note="read")
        return {"users": await session.scalar(sa.select(sa.func.count()).select_from(User))}

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield app, c


async def _user_exists(email: str) -> bool:
    async with db.session(platform=True) as s:
        return (
            await s.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == email))
            == 1
        )


async def test_commit_happens_before_the_response_and_jobs_after_it(tapp):
    _, c = tapp
    email = unique_email("ok")
    r = await c.post("/api/v1/_test/ok", params={"email": email})
    assert r.status_code == 200 and r.json() == {"status": "saved"}
    assert await _user_exists(email)
    # The handler ran, then the commit, then (and only then) the job.
    assert EVENTS == ["handler", "commit", "job:ok"]


async def test_a_failing_commit_is_an_error_response_not_a_200(tapp):
    _, c = tapp
    slug = f"taken-{uuid.uuid4().hex[:8]}"
    async with db.session(platform=True) as s:
        s.add(Organization(name="Taken", slug=slug))
    email = unique_email("lost")
    r = await c.post("/api/v1/_test/commit-fails", params={"email": email, "slug": slug})
    assert r.status_code >= 500, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "internal_error"
    assert "saved" not in r.text
    assert r.headers["x-request-id"]
    # Nothing of the request was kept, and its job was never sent.
    assert not await _user_exists(email)
    assert "commit" not in EVENTS and not any(e.startswith("job:") for e in EVENTS)


async def test_a_refused_request_rolls_back_and_drops_its_jobs(tapp):
    _, c = tapp
    email = unique_email("refused")
    r = await c.post("/api/v1/_test/refuses", params={"email": email})
    assert r.status_code == 409 and r.json()["detail"] == "refused on purpose"
    assert not await _user_exists(email)
    assert EVENTS == ["rollback"]


async def test_an_error_marked_keep_changes_commits_but_sends_no_jobs(tapp):
    _, c = tapp
    email = unique_email("kept")
    r = await c.post("/api/v1/_test/refuses", params={"email": email, "keep": True})
    assert r.status_code == 409
    assert await _user_exists(email)
    assert EVENTS == ["commit"]


async def test_an_unexpected_error_rolls_back_and_drops_its_jobs(tapp):
    _, c = tapp
    email = unique_email("crash")
    r = await c.post("/api/v1/_test/crashes", params={"email": email})
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert "a bug" not in r.text  # internals are logged, not shown
    assert r.headers["x-request-id"] == r.json()["request_id"]
    assert not await _user_exists(email)
    assert EVENTS == ["rollback"]


async def test_real_route_whose_commit_fails_answers_an_error(tapp, monkeypatch):
    """The same guarantee through a real route: registration whose commit is made to fail."""
    _, c = tapp
    from sqlalchemy.ext.asyncio import AsyncSession

    real_commit = AsyncSession.commit

    async def failing_commit(self: AsyncSession) -> None:
        if self.info.get("fail_commit", True):
            raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))
        await real_commit(self)

    monkeypatch.setattr(AsyncSession, "commit", failing_commit)
    email = unique_email("register")
    r = await c.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": "correct-horse-battery",
            "full_name": "Rae Register",
            "organization_name": "Commit Fails Gym",
        },
    )
    monkeypatch.undo()
    assert r.status_code == 500, r.text
    assert "access_token" not in r.text
    assert not await _user_exists(email)


async def test_a_get_reads_and_still_sends_its_jobs(tapp):
    _, c = tapp
    r = await c.get("/api/v1/_test/reads")
    assert r.status_code == 200 and r.json()["users"] >= 0
    assert EVENTS == ["job:read"]


@pytest.mark.parametrize("path", ["writes-on-get", "updates-on-get"])
async def test_a_get_that_writes_is_an_error_and_writes_nothing(tapp, path):
    """GET, HEAD and OPTIONS run read-only (no transaction on PostgreSQL, no write lock on
    SQLite): a handler that writes anyway is a bug, refused loudly."""
    _, c = tapp
    email = unique_email("get-write")
    r = await c.get(f"/api/v1/_test/{path}", params={"email": email})
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert not await _user_exists(email)
    async with db.session(platform=True) as s:
        renamed = sa.select(sa.func.count()).where(User.full_name == "Renamed By A GET")
        assert await s.scalar(renamed) == 0


async def test_read_only_units_of_work_take_no_transaction_or_lock(tmp_path):
    """Outside the rolled-back test transaction: a read-only unit of work on PostgreSQL
    runs in autocommit (no BEGIN/COMMIT round trips), and on SQLite a deferred BEGIN, so a
    reader never waits for the one writer."""
    if TEST_DATABASE_URL.startswith("postgresql"):
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'locks.db'}"
    fresh = Database()
    fresh._engine = make_engine(url)
    statements: list[str] = []
    event.listen(
        fresh.engine.sync_engine,
        "before_cursor_execute",
        lambda *a: statements.append(a[2].split()[0].upper()),
    )
    begins: list[str] = []
    event.listen(fresh.engine.sync_engine, "begin", lambda conn: begins.append("begin"))
    try:
        if fresh.engine.dialect.name == "sqlite":
            async with fresh.engine.begin() as conn:
                await conn.execute(sa.text("CREATE TABLE IF NOT EXISTS t (x int)"))
            statements.clear()
            # Another connection holds the write lock; the reader is not blocked by it.
            async with fresh.engine.connect() as writer:
                await writer.execute(sa.text("INSERT INTO t VALUES (1)"))
                async with fresh.session(read_only=True) as s:
                    assert await s.scalar(sa.text("SELECT count(*) FROM t")) == 0
                await writer.rollback()
            assert "BEGIN" in statements  # the reader's deferred BEGIN, not BEGIN IMMEDIATE
        else:
            async with fresh.session(read_only=True) as s:
                assert await s.scalar(sa.text("SELECT 1")) == 1
                connection = await s.connection()
                raw = await connection.get_raw_connection()
                assert raw.driver_connection.is_in_transaction() is False
            async with fresh.session() as s:
                await s.scalar(sa.text("SELECT 1"))
                connection = await s.connection()
                raw = await connection.get_raw_connection()
                assert raw.driver_connection.is_in_transaction() is True
    finally:
        await fresh.dispose()
