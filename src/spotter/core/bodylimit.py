"""Refuses request bodies over ``max_body_bytes`` with 413, whether or not the client
declared a Content-Length (chunked bodies are counted as they arrive).

Routes that take file uploads say so with ``accept_uploads(path_template, ...)``; their
bodies may be up to ``max_upload_bytes`` instead. The decision is made from the path alone,
before routing, so an oversized upload is still refused before a byte of it is read."""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spotter.core.errors import PROBLEM, problem_body

_UPLOAD_PATHS: list[re.Pattern[str]] = []


def accept_uploads(*path_templates: str) -> None:
    """Let these routes (full path templates, e.g. ``/api/v1/clients/{client_id}/photos``)
    take bodies up to ``max_upload_bytes``. Call it next to the routes' definitions."""
    for template in path_templates:
        parts = re.split(r"(\{[^}/]+\})", template)
        pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts if p)
        _UPLOAD_PATHS.append(re.compile(pattern))


def takes_uploads(path: str) -> bool:
    return any(p.fullmatch(path) for p in _UPLOAD_PATHS)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = max(max_bytes, upload_bytes or max_bytes)

    async def _reject(self, scope: Scope, send: Send, limit: int) -> None:
        body = problem_body(
            413,
            "payload_too_large",
            "The request body is too large",
            f"Request bodies are limited to {limit} bytes.",
            None,
            instance=scope.get("path"),
            # Set by RequestContextMiddleware, which wraps this one.
            request_id=scope.get("state", {}).get("request_id"),
        )
        raw = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM.encode()),
                    (b"content-length", str(len(raw)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if takes_uploads(scope.get("path", "")) else self.max_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await self._reject(scope, send, limit)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(scope, send, limit)


class _TooLarge(HTTPException):
    """Raised from ``receive`` once a body without a declared length passes the limit.

    An ``HTTPException`` on purpose: FastAPI turns any other error raised while it reads
    the body into "400 There was an error parsing the body", but lets HTTP exceptions
    through to the handlers in ``core.errors`` (which render 413 problem+json).
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"Request bodies are limited to {max_bytes} bytes.")
