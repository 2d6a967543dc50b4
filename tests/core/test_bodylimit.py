"""The body limit: ordinary routes take ``max_body_bytes``, routes declared with
``accept_uploads`` take ``max_upload_bytes``; either way an oversized body is refused with
413 before it is read (declared length) or as soon as it passes the limit (chunked)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spotter.core.bodylimit import BodyLimitMiddleware, accept_uploads, takes_uploads
from spotter.core.errors import PROBLEM

accept_uploads("/test-uploads/{thing_id}/files")


def test_upload_templates_match_whole_paths_only():
    assert takes_uploads("/test-uploads/42/files")
    assert takes_uploads("/test-uploads/0192a-b/files")
    for path in (
        "/test-uploads/42/files/extra",
        "/test-uploads/files",
        "/test-uploads/a/b/files",
        "/x/test-uploads/42/files",
        "/api/v1/clients",
    ):
        assert not takes_uploads(path), path


async def _echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A stand-in app that reads the whole body and answers with its size."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = json.dumps({"size": size}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


class Call:
    """Runs one request through the middleware, counting how much of the body was read."""

    def __init__(self, path: str, chunks: int, chunk_size: int, declared: int | None) -> None:
        self.path, self.total, self.chunk_size, self.declared = path, chunks, chunk_size, declared
        self.pulled = 0
        self.sent: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        self.pulled += 1
        more = self.pulled < self.total
        return {"type": "http.request", "body": b"x" * self.chunk_size, "more_body": more}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    async def run(self, middleware: BodyLimitMiddleware) -> int:
        headers = [(b"content-type", b"application/octet-stream")]
        if self.declared is not None:
            headers.append((b"content-length", str(self.declared).encode()))
        scope = {"type": "http", "method": "POST", "path": self.path, "headers": headers}
        await middleware(scope, self.receive, self.send)
        return int(self.sent[0]["status"])

    def problem(self) -> dict[str, Any]:
        headers = dict(self.sent[0]["headers"])
        assert headers[b"content-type"] == PROBLEM.encode()
        return dict(json.loads(self.sent[1]["body"]))


@pytest.fixture
def middleware() -> BodyLimitMiddleware:
    return BodyLimitMiddleware(_echo, max_bytes=1000, upload_bytes=100_000)


GIB = 1024**3


async def test_a_declared_2_gb_upload_is_refused_without_reading_it(middleware):
    call = Call("/test-uploads/1/files", chunks=32_768, chunk_size=65_536, declared=2 * GIB)
    assert await call.run(middleware) == 413
    assert call.pulled == 0
    problem = call.problem()
    assert problem["code"] == "payload_too_large" and "100000 bytes" in problem["detail"]


async def test_an_undeclared_2_gb_upload_stops_at_the_limit(middleware):
    call = Call("/test-uploads/1/files", chunks=32_768, chunk_size=65_536, declared=None)
    assert await call.run(middleware) == 413
    assert call.pulled == 2  # 128 KiB read of 2 GiB: the first chunk past 100,000 bytes
    assert call.problem()["code"] == "payload_too_large"


async def test_an_upload_route_takes_more_than_the_ordinary_limit(middleware):
    for declared in (50_000, None):
        call = Call("/test-uploads/1/files", chunks=50, chunk_size=1_000, declared=declared)
        assert await call.run(middleware) == 200
        assert json.loads(call.sent[1]["body"]) == {"size": 50_000}


async def test_other_routes_keep_the_ordinary_limit(middleware):
    for declared in (50_000, None):
        call = Call("/api/v1/clients", chunks=50, chunk_size=1_000, declared=declared)
        assert await call.run(middleware) == 413
        assert "1000 bytes" in call.problem()["detail"]
        assert call.pulled <= 2


async def test_a_malformed_length_is_refused(middleware):
    call = Call("/test-uploads/1/files", chunks=1, chunk_size=10, declared=None)
    scope = {
        "type": "http",
        "method": "POST",
        "path": call.path,
        "headers": [(b"content-length", b"lots")],
    }
    await middleware(scope, call.receive, call.send)
    assert call.sent[0]["status"] == 413 and call.pulled == 0


def test_the_upload_limit_is_never_below_the_ordinary_one():
    assert BodyLimitMiddleware(_echo, max_bytes=1000, upload_bytes=10).upload_bytes == 1000
    assert BodyLimitMiddleware(_echo, max_bytes=1000).upload_bytes == 1000
