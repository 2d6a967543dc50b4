"""The application factory.

Middleware, outermost first (the one place their order is decided):
1. RequestContextMiddleware: request id, access log, metrics, trace span — it sees every
   response, including the 413 below and unhandled errors.
2. BodyLimitMiddleware: refuses oversized bodies before anything parses them.
Then FastAPI's exception handlers (core.errors) render every error as problem+json/HTML.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

import spotter
from spotter import registry  # noqa: F401  (every model is mapped before the first query)
from spotter.api import install_api
from spotter.config import Settings, get_settings
from spotter.core import errors, jobs
from spotter.core.bodylimit import BodyLimitMiddleware
from spotter.core.db import db
from spotter.core.observability import (
    RequestContextMiddleware,
    configure_logging,
    configure_tracing,
    metrics_response,
    shutdown_tracing,
)

STATIC_DIR = Path(__file__).parent / "static"
YOUNG_COLLECTION_THRESHOLD = 20_000  # new container objects between young collections


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    jobs.runner.start_scheduler()
    # Everything built so far (modules, mappers, routes, the datasets) lives as long as the
    # process: moved out of the collector's sight, a full collection no longer walks it,
    # and requests stop paying for those pauses.
    gc.collect()
    gc.freeze()
    # A young collection every 700 new containers (the default) ran a dozen times in one
    # dashboard request (its rows are tuples) and promoted enough to force full ones:
    # 1.1-1.8 ms of a 10-14 ms request. At 20,000 a request's rows die young uncollected;
    # garbage cycles still go, a little later. (The middle generation waits for 20 young
    # collections, not 10: the setting the benchmarks measured.)
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, 20, 10)
    yield
    await jobs.runner.stop()
    await db.dispose()
    shutdown_tracing()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.is_production and not settings.secret_key:
        raise RuntimeError("SPOTTER_SECRET_KEY must be set in production")
    configure_logging(settings)
    configure_tracing(settings)

    app = FastAPI(
        title="Spotter API",
        version=spotter.__version__,
        description="The open platform for personal trainers, coaching businesses and gyms.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(RequestContextMiddleware)
    errors.install(app)

    # The probes first: routes match in order, and a probe should not walk every route.
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        try:
            # AUTOCOMMIT: a probe reads; it must not wait behind a writer for SQLite's lock.
            async with db.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # the answer is the point: not ready, and why
            return JSONResponse(
                {"status": "unavailable", "database": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    install_api(app)
    from spotter.pages import install_pages

    install_pages(app, settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    _document_security(app)

    return app


def _document_security(app: FastAPI) -> None:
    """Declare the auth schemes the resolver accepts, so /api/docs can 'Authorize'."""
    from typing import Any

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        schema["security"] = [{"bearer": []}, {"apiKey": []}, {}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
