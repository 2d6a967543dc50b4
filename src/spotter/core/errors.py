"""Errors: ``AppError`` subclasses carry a status and a stable ``code``; they are rendered
once, here, as RFC 9457 ``application/problem+json`` (or an HTML page for the web app).
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger("spotter.errors")
PROBLEM = "application/problem+json"


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"
    # Commit the request's changes even though it answers with this error.
    keep_changes: bool = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers
        self.extra = extra


class NotFound(AppError):
    status, code, title = 404, "not_found", "Not found"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "You do not have permission to do this"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class InvalidInput(AppError):
    status, code, title = 422, "invalid_input", "The request contains invalid data"


class TooManyRequests(AppError):
    status, code, title = 429, "rate_limited", "Too many requests"


class ServiceUnavailable(AppError):
    status, code, title = 503, "service_busy", "The service is busy"


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload_too_large", "The request body is too large"


def field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[{"field": field, "message": message}])


def problem_body(
    status: int, code: str, title: str, detail: str, request: Request | None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://spotter.dev/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path in {"/healthz", "/readyz", "/metrics"}:
        return False
    # Page routes (marked by web.csrf_protect) answer with pages, HTMX requests included.
    if getattr(request.state, "html_errors", False):
        return True
    return "text/html" in request.headers.get("accept", "")


def render(request: Request, exc: AppError) -> Response:
    if _wants_html(request):
        from spotter.web import render_error_page

        return render_error_page(request, exc)
    body = problem_body(
        exc.status, exc.code, exc.title, exc.detail, request, errors=exc.errors, **exc.extra
    )
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM, headers=exc.headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        message = err.get("msg", "invalid value")
        if err.get("type") == "extra_forbidden":
            message = "unknown field"
        elif err.get("type") == "json_invalid":
            message = "malformed JSON: " + str(err.get("ctx", {}).get("error", "")).strip()
        out.append({"field": ".".join(loc) or None, "message": message, "type": err.get("type")})
    return out


_STATUS_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("payload_too_large", "The request body is too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        if exc.status >= 500:
            log.error("app_error", code=exc.code, detail=exc.detail)
        return render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = _validation_errors(exc)
        malformed = any(e["type"] == "json_invalid" for e in errors)
        err = InvalidInput(
            errors[0]["message"] if malformed else "The request contains invalid data",
            errors=errors,
        )
        if malformed:
            err.status, err.code, err.title = 400, "malformed_json", "Malformed JSON"
        return render(request, err)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = _STATUS_CODES.get(exc.status_code, ("http_error", "HTTP error"))
        err = AppError(
            str(exc.detail) if exc.detail else title,
            headers=dict(exc.headers) if exc.headers else None,
        )
        err.status, err.code, err.title = exc.status_code, code, title
        return render(request, err)


def _database_busy(exc: Exception) -> bool:
    """SQLite's single writer lock was not free within busy_timeout."""
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def unexpected_error_response(request: Request, exc: Exception) -> Response:
    """An exception no handler claimed, rendered once (called by the request middleware)."""
    if _database_busy(exc):
        log.warning("database_busy")
        busy = ServiceUnavailable(
            "The database is busy right now. Try again in a moment.",
            headers={"Retry-After": "1"},
        )
        return render(request, busy)
    log.exception("unhandled_error", error_type=type(exc).__name__)
    err = AppError("Something went wrong on our side. It has been logged.")
    err.status, err.code, err.title = 500, "internal_error", "Internal server error"
    return render(request, err)
