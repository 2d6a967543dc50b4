"""Refuses request bodies over ``max_body_bytes`` with 413, whether or not the client
declared a Content-Length (chunked bodies are counted as they arrive)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spotter.core.errors import PROBLEM, problem_body


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, scope: Scope, send: Send) -> None:
        body = problem_body(
            413,
            "payload_too_large",
            "The request body is too large",
            f"Request bodies are limited to {self.max_bytes} bytes.",
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
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._reject(scope, send)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
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
                await self._reject(scope, send)


class _TooLarge(HTTPException):
    """Raised from ``receive`` once a body without a declared length passes the limit.

    An ``HTTPException`` on purpose: FastAPI turns any other error raised while it reads
    the body into "400 There was an error parsing the body", but lets HTTP exceptions
    through to the handlers in ``core.errors`` (which render 413 problem+json).
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"Request bodies are limited to {max_bytes} bytes.")
