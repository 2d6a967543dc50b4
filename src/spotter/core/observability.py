"""Logs, request ids, metrics and traces.

* structlog writes JSON lines (console-friendly text in development) carrying the request
  id, organization and user bound per request. Sensitive keys are masked by a processor,
  so a password or token passed to a logger by mistake never reaches the output.
* ``RequestContextMiddleware`` (pure ASGI) assigns the request id, times the request,
  records Prometheus metrics by route *template* (bounded label values) and opens an
  OpenTelemetry server span when tracing is configured.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import time
from collections.abc import MutableMapping
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spotter.config import Settings

REQUESTS = Counter("spotter_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "spotter_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

SENSITIVE = re.compile(
    r"pass(word)?|token|secret|authorization|cookie|api[_-]?key|otp|health|medical|"
    r"condition|medication|injur",
    re.I,
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_tracer: Any = None


def _redact(value: Any) -> Any:
    """Masks sensitive keys at any depth (a dict or list passed to a logger by mistake)."""
    if isinstance(value, dict):
        return {
            k: "[redacted]" if isinstance(k, str) and SENSITIVE.search(k) else _redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def _mask(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if key == "event":
            continue
        event[key] = "[redacted]" if SENSITIVE.search(key) else _redact(event[key])
    return event


def configure_logging(settings: Settings) -> None:
    as_json = settings.log_json if settings.log_json is not None else settings.is_production
    level = logging.getLevelName(settings.log_level.upper())
    renderer: Any = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _mask,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def configure_tracing(settings: Settings) -> None:
    """OTLP/HTTP export when an endpoint is configured; otherwise tracing stays off."""
    global _tracer
    if not settings.otel_endpoint:
        _tracer = None
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    endpoint = settings.otel_endpoint.rstrip("/")
    if not endpoint.endswith("/v1/traces"):
        endpoint += "/v1/traces"
    provider = TracerProvider(resource=Resource.create({"service.name": "spotter"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    trace.set_tracer_provider(provider)
    _tracer = provider.get_tracer("spotter")


def shutdown_tracing() -> None:
    from opentelemetry import trace

    provider = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def _route_template(scope: Scope, root_path: str = "") -> str:
    """The matched route's template (``/api/v1/clients/{client_id}``), never the concrete path.

    FastAPI (0.13x+) includes routers lazily and puts the router's *own* route in
    ``scope["route"]``, whose path lacks the include prefix (``/clients/{client_id}``). The
    prefix is recovered from the request path: it is what precedes the route's own part.
    """
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        # A mounted app (``/static``) extends root_path instead of naming a route.
        mounted = scope.get("root_path", "")
        if mounted != root_path and mounted.startswith(root_path):
            return mounted[len(root_path) :] or "unmatched"
        return "unmatched"
    params = scope.get("path_params") or {}
    path = scope.get("path", "")
    try:
        own = template.format(**{k: str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return template
    if own == path or not path.endswith(own):
        return template
    # Path parameters that belong to the prefix are put back as {name}, never their values.
    prefix_values = {str(v): k for k, v in params.items() if "{" + k + "}" not in template}
    prefix = "/".join(
        "{" + prefix_values[part] + "}" if part in prefix_values else part
        for part in path[: len(path) - len(own)].split("/")
    )
    return prefix + template


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode("latin-1")
    return ""


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root_path = scope.get("root_path", "")
        incoming = _incoming_request_id(scope)
        request_id = incoming if _REQUEST_ID.match(incoming) else os.urandom(16).hex()
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        start = time.perf_counter()

        def annotate() -> None:
            # Before the response goes out (a span FastAPI opened ends with the response)
            # and again at the end for our own span; an ended span is left alone.
            if span is None or not span.is_recording():
                return
            route = _route_template(scope, root_path)
            span.update_name(f"{scope['method']} {route}")
            span.set_attribute("http.request.method", scope["method"])
            span.set_attribute("http.route", route)
            span.set_attribute("http.response.status_code", status)
            span.set_attribute("spotter.request_id", request_id)

        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
                annotate()
            await send(message)

        span_cm: Any = contextlib.nullcontext()
        if _tracer:
            from opentelemetry import trace

            current = trace.get_current_span()
            if current.is_recording():
                # FastAPI's native telemetry already opened this request's server span:
                # annotate it rather than export a second server span per request.
                span_cm = contextlib.nullcontext(current)
            else:
                span_cm = _tracer.start_as_current_span(
                    f"{scope['method']} {scope['path']}", kind=_server_kind()
                )
        with span_cm as span:
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception as exc:
                # Answered here, not by Starlette's outermost handler: that one re-raises, so
                # the server logged every error twice and dropped the keep-alive connection.
                if started:
                    raise
                from spotter.core.errors import unexpected_error_response

                response = unexpected_error_response(Request(scope), exc)
                await response(scope, receive, send_wrapper)
            finally:
                elapsed = time.perf_counter() - start
                route = _route_template(scope, root_path)
                method = scope["method"]
                REQUESTS.labels(method, route, str(status)).inc()
                LATENCY.labels(method, route).observe(elapsed)
                annotate()
                if route not in ("/healthz", "/readyz", "/metrics", "/static"):
                    structlog.get_logger("spotter.http").info(
                        "request",
                        method=method,
                        route=route,
                        status=status,
                        ms=round(elapsed * 1000, 1),
                    )


def _server_kind() -> Any:
    from opentelemetry.trace import SpanKind

    return SpanKind.SERVER


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
