"""Unclaimed exceptions are answered once, as problem+json, by the request middleware."""

from __future__ import annotations

import sqlite3

import httpx
import structlog
from sqlalchemy.exc import OperationalError


async def _client_with(route):
    from spotter.main import create_app

    app = create_app()
    app.get("/api/v1/_test/boom")(route)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=True),
        base_url="http://testserver",
    )


async def test_unexpected_error_is_a_500_problem_logged_once():
    async def boom() -> None:
        raise RuntimeError("kaboom")

    async with await _client_with(boom) as client:  # create_app configures logging first
        with structlog.testing.capture_logs() as logs:
            r = await client.get("/api/v1/_test/boom")  # raise_app_exceptions: nothing escapes
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "internal_error" and "kaboom" not in r.text
    assert r.headers["x-request-id"] == r.json()["request_id"]
    assert [e["event"] for e in logs].count("unhandled_error") == 1


async def test_sqlite_lock_timeout_is_a_503_with_retry_after():
    async def busy() -> None:
        raise OperationalError("UPDATE users", {}, sqlite3.OperationalError("database is locked"))

    async with await _client_with(busy) as client:
        r = await client.get("/api/v1/_test/boom")
    assert r.status_code == 503
    assert r.json()["code"] == "service_busy"
    assert r.headers["retry-after"] == "1"
