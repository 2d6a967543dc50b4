"""Server-rendered web app plumbing: templates, CSRF, flash messages, error pages.

CSRF uses a signed double-submit cookie: every HTML response carries ``spotter_csrf``; every
unsafe form POST (or HTMX request, via the ``X-CSRF-Token`` header set in base.html) must
echo it. The session cookie is also ``SameSite=Lax`` and ``HttpOnly``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

import spotter
from spotter.config import get_settings
from spotter.core.errors import AppError
from spotter.core.security import constant_equals, new_token, sign

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSRF_COOKIE = "spotter_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FLASH_COOKIE = "spotter_flash"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["version"] = spotter.__version__


class CsrfFailed(AppError):
    status, code, title = 403, "csrf_failed", "Your form expired; reload the page and try again"


def _csrf_value() -> str:
    token = new_token(18)
    return f"{token}.{sign(token, 'csrf')}"


def _csrf_valid(value: str | None) -> bool:
    if not value or "." not in value:
        return False
    token, _, mac = value.partition(".")
    return constant_equals(mac, sign(token, "csrf"))


def csrf_token(request: Request) -> str:
    """The token for this page's forms, creating the cookie value if needed."""
    current = getattr(request.state, "csrf", None)
    if current:
        return current
    cookie = request.cookies.get(CSRF_COOKIE)
    request.state.csrf = cookie if _csrf_valid(cookie) else _csrf_value()
    return request.state.csrf


async def csrf_protect(request: Request) -> None:
    """Router dependency for every web route: unsafe methods must echo the cookie."""
    if request.method not in UNSAFE:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (_csrf_valid(cookie) and sent and constant_equals(sent, cookie or "")):
        raise CsrfFailed()


def _finish(request: Request, response: Response) -> Response:
    token = getattr(request.state, "csrf", None)
    if token and token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax",
                            secure=get_settings().base_url.startswith("https"), path="/")
    if getattr(request.state, "flash_consumed", False):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def flash(response: Response, message: str, kind: str = "success") -> Response:
    response.set_cookie(FLASH_COOKIE, json.dumps({"m": message[:300], "k": kind}),
                        max_age=60, httponly=True, samesite="lax", path="/")
    return response


def _take_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    request.state.flash_consumed = True
    try:
        data = json.loads(raw)
        return {"message": str(data["m"]), "kind": str(data.get("k", "success"))}
    except (ValueError, KeyError, TypeError):
        return None


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    ctx = {
        "request": request,
        "csrf_token": csrf_token(request),
        "principal": getattr(request.state, "principal", None),
        "flash": _take_flash(request),
        "dev": not get_settings().is_production,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    return _finish(request, response)  # type: ignore[return-value]


def redirect(request: Request, url: str, message: str | None = None) -> Response:
    """After a form post: 303 (or HX-Redirect for HTMX requests)."""
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message)
    return _finish(request, response)


def render_error_page(request: Request, exc: AppError) -> Response:
    if exc.status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    response = render(request, "error.html", {"error": exc}, status_code=exc.status)
    if exc.headers:
        response.headers.update(exc.headers)
    return response
