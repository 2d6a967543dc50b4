"""Observability: request ids, Prometheus metrics by route template, health probes, JSON
logs with request/organization/user and no secrets, and OTLP trace export to a collector
on loopback."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import structlog
from prometheus_client.parser import text_string_to_metric_families

from spotter.config import Settings, get_settings
from spotter.core.observability import configure_logging
from tests.builders import PASSWORD, make_client, make_owner

HEX_ID = r"^[0-9a-f]{32}$"


# --- request ids ---------------------------------------------------------------------------


async def test_every_response_has_a_request_id(client):
    owner = await make_owner(client)
    limit = get_settings().max_body_bytes
    responses = [
        await client.get("/healthz"),
        await client.get("/api/v1/me", headers=owner.headers),  # 200
        await client.get("/api/v1/me"),  # 401
        await client.get("/api/v1/nowhere"),  # 404
        await client.post("/api/v1/clients", headers=owner.headers, json={"x": 1}),  # 422
        await client.post(
            "/api/v1/clients", headers=owner.headers, content=b"x" * (limit + 1)
        ),  # 413 from the body limit
        await client.get("/api/openapi.json"),
    ]
    ids = [r.headers.get("x-request-id") for r in responses]
    assert all(ids), [(r.request.url.path, r.status_code) for r in responses]
    assert len(set(ids)) == len(ids)
    for r in responses:
        if r.headers["content-type"] == "application/problem+json":
            assert r.json()["request_id"] == r.headers["x-request-id"]


async def test_incoming_request_id_is_echoed_when_safe(client):
    r = await client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.19_x-2"})
    assert r.headers["x-request-id"] == "lb-7f3a.19_x-2"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "a" * 65,
        "id with spaces",
        "../../etc/passwd",
        "x'; DROP TABLE users; --",
        "ünïcode",
        "",
    ],
)
async def test_malicious_request_id_is_replaced(client, hostile):
    r = await client.get("/api/v1/nowhere", headers={"X-Request-ID": hostile.encode()})
    assert r.headers["x-request-id"] != hostile
    assert r.headers["x-request-id"] == r.json()["request_id"]
    assert len(r.headers["x-request-id"]) == 32 and int(r.headers["x-request-id"], 16) >= 0


# --- metrics -------------------------------------------------------------------------------


def _samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


async def test_metrics_count_requests_by_route_template(client):
    owner = await make_owner(client)
    known = await make_client(client, owner)
    missing = str(uuid.uuid4())
    before = _samples((await client.get("/metrics")).text, "spotter_http_requests_total")

    assert (
        await client.get(f"/api/v1/clients/{known['id']}", headers=owner.headers)
    ).status_code == 200
    assert (
        await client.get(f"/api/v1/clients/{missing}", headers=owner.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/clients/{missing}", headers=owner.headers)
    ).status_code == 404
    await client.get(f"/no/such/page/{missing}")

    r = await client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    after = _samples(r.text, "spotter_http_requests_total")

    def grew(route: str, status: str) -> float:
        key = (("method", "GET"), ("route", route), ("status", status))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("/api/v1/clients/{client_id}", "200") == 1
    assert grew("/api/v1/clients/{client_id}", "404") == 2
    assert grew("unmatched", "404") >= 1
    assert known["id"] not in r.text and missing not in r.text  # bounded label values
    assert all(dict(labels)["route"].startswith(("/", "unmatched")) for labels in after)
    latency = _samples(r.text, "spotter_http_request_duration_seconds_count")
    assert latency[(("method", "GET"), ("route", "/api/v1/clients/{client_id}"))] >= 3


async def test_route_templates_for_every_api_route_are_absolute(app, client):
    # Every documented route is labelled with its full path, including its router prefix.
    for path, operations in app.openapi()["paths"].items():
        concrete = path.replace("{", "").replace("}", "")
        method = next(m for m in operations if m in ("get", "post", "put", "patch", "delete"))
        await client.request(method.upper(), concrete)  # unauthenticated: a 4xx, still routed
    text = (await client.get("/metrics")).text
    routes = {dict(labels)["route"] for labels in _samples(text, "spotter_http_requests_total")}
    templated = {p for p in app.openapi()["paths"] if "{" in p}
    assert templated <= routes
    # No API route is labelled without its prefix (web pages have their own real paths).
    from fastapi.routing import iter_route_contexts

    all_paths = {c.path for c in iter_route_contexts(app.routes)}
    unprefixed = {p.removeprefix("/api/v1") for p in app.openapi()["paths"]} - all_paths
    assert not unprefixed & routes


# --- health --------------------------------------------------------------------------------


async def test_healthz_and_readyz(client):
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "ok"}


async def test_readyz_says_why_it_is_not_ready(client, monkeypatch):
    from sqlalchemy.ext.asyncio import create_async_engine

    from spotter.core import db as db_module

    unreachable = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    monkeypatch.setattr(db_module.Database, "engine", property(lambda self: unreachable))
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["status"] == "unavailable" and r.json()["database"]
    assert (await client.get("/healthz")).status_code == 200  # the process is alive
    await unreachable.dispose()


# --- logs ----------------------------------------------------------------------------------


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The app's own logging configuration in JSON mode, written to a buffer."""
    buffer = io.StringIO()
    configure_logging(Settings(log_json=True, log_level="INFO"))
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=buffer))
    try:
        yield buffer
    finally:
        configure_logging(get_settings())


def _lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


async def test_logs_are_json_with_request_organization_and_user(client, json_logs):
    owner = await make_owner(client)
    json_logs.truncate(0)
    json_logs.seek(0)
    r = await client.get("/api/v1/clients", headers=owner.headers)
    assert r.status_code == 200
    lines = _lines(json_logs)  # every line parses as JSON
    (entry,) = [
        e for e in lines if e.get("event") == "request" and e.get("route") == "/api/v1/clients"
    ]
    assert entry["request_id"] == r.headers["x-request-id"]
    assert entry["organization_id"] == owner.organization_id
    assert entry["user_id"] == owner.user_id
    assert entry["status"] == 200 and entry["method"] == "GET" and entry["level"] == "info"
    assert entry["timestamp"].endswith("Z") or "+00:00" in entry["timestamp"]


async def test_request_context_does_not_leak_between_requests(client, json_logs):
    owner = await make_owner(client)
    await client.get("/api/v1/clients", headers=owner.headers)
    json_logs.truncate(0)
    json_logs.seek(0)
    await client.get("/api/v1/nowhere")
    (entry,) = [e for e in _lines(json_logs) if e.get("event") == "request"]
    assert "organization_id" not in entry and "user_id" not in entry


def test_secrets_passed_as_log_keys_are_redacted(json_logs):
    log = structlog.get_logger("tests")
    log.info(
        "careless",
        password="hunter2-secret",
        new_password="p4ss-secret",
        access_token="tok-secret",
        refresh_token="ref-secret",
        api_key="spk_secret",
        authorization="Bearer jwt-secret",
        cookie="session-secret",
        otp="123456",
        medical_history="asthma-secret",
        injuries="knee-secret",
        nested={"password": "deep-secret", "items": [{"token": "list-secret"}]},
        email="kept@example.com",
    )
    text = json_logs.getvalue()
    assert "secret" not in text and "123456" not in text and "asthma" not in text
    (entry,) = _lines(json_logs)
    assert entry["password"] == "[redacted]" and entry["api_key"] == "[redacted]"
    assert entry["nested"]["password"] == "[redacted]"
    assert entry["email"] == "kept@example.com" and entry["event"] == "careless"


async def test_no_password_or_token_reaches_the_logs_during_auth(client, json_logs):
    owner = await make_owner(client)
    await client.post("/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD})
    await client.post("/api/v1/auth/login", json={"email": owner.email, "password": "wrong-pw"})
    await client.post("/api/v1/auth/refresh", json={"refresh_token": owner.refresh_token})
    await client.post("/api/v1/clients", headers=owner.headers, content=b"{not json")
    text = json_logs.getvalue()
    for secret in (PASSWORD, "wrong-pw", owner.refresh_token, owner.access_token):
        assert secret not in text
    assert _lines(json_logs)


# --- traces --------------------------------------------------------------------------------


class _Collector(ThreadingHTTPServer):
    received: list[tuple[str, str, bytes]]


class _OtlpHandler(BaseHTTPRequestHandler):
    server: _Collector

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[_Collector]:
    server = _Collector(("127.0.0.1", 0), _OtlpHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tracing(monkeypatch) -> Iterator[None]:
    """Lets a test configure tracing, then puts OpenTelemetry's process-global tracer
    provider back to unset (as OpenTelemetry's own test helpers do), so no later test runs
    with tracing on."""
    from opentelemetry import trace
    from opentelemetry.util._once import Once

    from spotter.core import observability

    yield
    if observability._tracer is not None:
        observability._tracer.span_processor.shutdown()
    observability._tracer = None
    trace._TRACER_PROVIDER = None  # type: ignore[attr-defined]
    trace._TRACER_PROVIDER_SET_ONCE = Once()  # type: ignore[attr-defined]


def test_settings_accept_the_endpoint_by_field_name_and_by_env(monkeypatch):
    assert Settings(otel_endpoint="http://127.0.0.1:4318").otel_endpoint == "http://127.0.0.1:4318"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert Settings().otel_endpoint == "http://collector:4318"
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT")
    assert Settings().otel_endpoint is None  # off unless configured: no hidden network


async def test_traces_are_exported_over_otlp_with_the_route_template(
    app, client, collector, tracing
):
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )

    from spotter.core import observability

    observability.configure_tracing(
        Settings(otel_endpoint=f"http://127.0.0.1:{collector.server_address[1]}")
    )
    assert observability._tracer is not None
    r = await client.get(f"/api/v1/clients/{uuid.uuid4()}")
    status, request_id = str(r.status_code), r.headers["x-request-id"]
    assert status == "401"
    assert await asyncio.to_thread(observability._tracer.span_processor.force_flush, 10_000)

    assert collector.received, "nothing was exported"
    spans = []
    for path, content_type, body in collector.received:
        assert path == "/v1/traces" and content_type == "application/x-protobuf"
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for resource_spans in export.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    attributes = {a.key: a.value for a in span.attributes}
                    spans.append((resource, span, attributes))
    ours = [
        (res, span, attrs)
        for res, span, attrs in spans
        if "spotter.request_id" in attrs and attrs["spotter.request_id"].string_value == request_id
    ]
    assert len(ours) == 1, [s.name for _, s, _ in spans]
    servers = [s for _, s, _ in spans if s.kind == s.SPAN_KIND_SERVER]
    assert len(servers) == 1, "one server span per request, not one per layer"
    resource, span, attributes = ours[0]
    assert resource["service.name"] == "spotter"
    assert span.name == "GET /api/v1/clients/{client_id}"
    assert attributes["http.route"].string_value == "/api/v1/clients/{client_id}"
    assert attributes["http.response.status_code"].int_value == 401
    assert span.kind == span.SPAN_KIND_SERVER
