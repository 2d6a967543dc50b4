"""Server-rendered web app plumbing: templates, CSRF, flash messages, error pages, the
signed-in person for pages, the session cookie and form errors.

CSRF uses a signed double-submit cookie: every HTML response carries ``spotter_csrf``; every
unsafe form POST (or HTMX request, via the ``X-CSRF-Token`` header set in base.html) must
echo it. The session cookie is also ``SameSite=Lax`` and ``HttpOnly``.

A form page follows one pattern::

    form = await read_form(request)
    try:
        async with session.begin_nested():          # a refused form changes nothing
            data = SomeIn.model_validate(form)
            result = await service.do_it(session, data=data)
    except FORM_ERRORS as exc:
        return render_form(request, "domain/page.html", exc, form=form)
    return redirect(request, "/somewhere", "Done.")

``render_form`` turns a pydantic ``ValidationError`` or an ``AppError`` (with its ``errors``)
into messages next to the fields, keeps what the person typed and answers 422 (or the
error's own status).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

import spotter
from spotter.config import get_settings
from spotter.core.db import DbSession
from spotter.core.errors import AppError, Forbidden, Unauthorized
from spotter.core.money import CURRENCIES
from spotter.core.permissions import STAFF_ROLES
from spotter.core.security import constant_equals, new_token, sign
from spotter.core.units import UnitSystem
from spotter.identity.dependencies import SESSION_COOKIE, Principal, get_optional_principal
from spotter.orgs import service as orgs
from spotter.orgs.errors import NoOrganization

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSRF_COOKIE = "spotter_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
FLASH_COOKIE = "spotter_flash"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
DEFAULT_PRIMARY = "#2563eb"
DEFAULT_ACCENT = "#f97316"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
ROLE_LABELS = {
    "owner": "Owner",
    "admin": "Admin",
    "trainer": "Trainer",
    "front_desk": "Front desk",
    "client": "Client",
}

_TZ_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@lru_cache
def timezone_choices() -> tuple[str, ...]:
    """IANA zones people pick from (no legacy aliases like ``US/Eastern``)."""
    names = [n for n in zoneinfo.available_timezones() if n.split("/")[0] in _TZ_REGIONS]
    return ("UTC", *sorted(names))


def currency_choices() -> list[str]:
    return sorted(CURRENCIES)


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(
    version=spotter.__version__,
    role_labels=ROLE_LABELS,
    timezones=timezone_choices,
    currencies=currency_choices,
    unit_systems=[u.value for u in UnitSystem],
)
templates.env.filters["role_label"] = lambda v: ROLE_LABELS.get(str(v), str(v))


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
    # Errors on page routes are pages too, whatever the Accept header (see core.errors).
    request.state.html_errors = True
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


def _secure() -> bool:
    return get_settings().base_url.startswith("https")


def _finish(request: Request, response: Response) -> Response:
    token = getattr(request.state, "csrf", None)
    if token and token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(
            CSRF_COOKIE, token, httponly=True, samesite="lax", secure=_secure(), path="/"
        )
    if getattr(request.state, "flash_consumed", False):
        response.delete_cookie(FLASH_COOKIE, path="/")
    # Links in emails carry tokens in their URL: never leak them to another site.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Pages are personal: never kept by a shared cache (secrets shown once use no-store).
    response.headers.setdefault("Cache-Control", "private, no-cache")
    return response


def flash(response: Response, message: str, kind: str = "success") -> Response:
    response.set_cookie(
        FLASH_COOKIE,
        json.dumps({"m": message[:300], "k": kind}),
        max_age=60,
        httponly=True,
        samesite="lax",
        path="/",
    )
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
        "shell": getattr(request.state, "shell", None),
        # HTMX fragments leave a pending message for the next full page.
        "flash": None if request.headers.get("hx-request") else _take_flash(request),
        "dev": not get_settings().is_production,
        "form": {},
        "errors": {},
        "form_error": None,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    return _finish(request, response)  # type: ignore[return-value]


def redirect(
    request: Request, url: str, message: str | None = None, kind: str = "success"
) -> Response:
    """After a form post: 303 (or HX-Redirect for HTMX requests)."""
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": url})
    else:
        response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message, kind)
    return _finish(request, response)


def safe_next(value: str | None, default: str = "/home") -> str:
    """Only a path on this site: never ``//host``, a scheme or a backslash trick."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if any(c in value for c in "\\\r\n\t") or len(value) > 2000:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def login_url(next_path: str | None) -> str:
    target = safe_next(next_path, "")
    return "/login?" + urlencode({"next": target}) if target and target != "/" else "/login"


def render_error_page(request: Request, exc: AppError) -> Response:
    if exc.status == 401:
        if request.headers.get("hx-request"):
            current = urlsplit(request.headers.get("hx-current-url", ""))
            target = current.path + (f"?{current.query}" if current.query else "")
            return Response(status_code=204, headers={"HX-Redirect": login_url(target)})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(
            login_url(target if request.method == "GET" else None), status_code=303
        )
    response = render(request, "error.html", {"error": exc}, status_code=exc.status)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


# --- the signed-in person on pages -----------------------------------------------------------


def readable_on(color: str) -> str:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    if not _COLOR.match(color):
        return "#ffffff"
    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast with white vs. with near-black (#111827, luminance ~0.0076).
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.0576) else "#111827"


@dataclass(frozen=True)
class OrgChoice:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Shell:
    """Plain values for the layout (navigation by role, branding, organization switcher).

    Copied out of the ORM objects when the person is resolved, so an error page can still
    draw the layout after the request's transaction was rolled back.
    """

    user_id: str
    user_name: str
    user_email: str
    role: str
    is_staff: bool
    permissions: frozenset[str]
    organization_id: str
    organization_name: str
    logo_url: str | None
    primary_color: str
    accent_color: str
    organizations: tuple[OrgChoice, ...]

    @property
    def on_primary(self) -> str:
        """Text colour readable on the brand colour (WCAG relative luminance)."""
        return readable_on(self.primary_color)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def first_name(self) -> str:
        return (self.user_name.split() or ["there"])[0]

    @property
    def initials(self) -> str:
        words = [w for w in self.user_name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "?"


async def _shell(session: DbSession, principal: Principal) -> Shell:
    user = principal.require_user()
    org = principal.organization
    choices = await orgs.memberships_of(session, user_id=user.id)
    return Shell(
        user_id=str(user.id),
        user_name=user.full_name,
        user_email=user.email,
        role=str(principal.role),
        is_staff=principal.role in STAFF_ROLES,
        permissions=principal.permissions,
        organization_id=str(org.id),
        organization_name=org.display_name or org.name,
        logo_url=org.logo_url or None,
        primary_color=org.primary_color
        if _COLOR.match(org.primary_color or "")
        else DEFAULT_PRIMARY,
        accent_color=org.accent_color if _COLOR.match(org.accent_color or "") else DEFAULT_ACCENT,
        organizations=tuple(
            OrgChoice(
                str(a.organization.id),
                a.organization.display_name or a.organization.name,
                a.role,
            )
            for a in choices
        ),
    )


async def _page_principal(
    request: Request, session: DbSession, *, required: bool
) -> Principal | None:
    try:
        principal = await get_optional_principal(request, session)
    except NoOrganization:
        if required:
            raise
        return None
    if principal is None or principal.user is None:  # pages are for people, not API keys
        if required:
            raise Unauthorized()
        return None
    request.state.principal = principal
    request.state.shell = await _shell(session, principal)
    return principal


async def current_page_principal(request: Request, session: DbSession) -> Principal:
    principal = await _page_principal(request, session, required=True)
    assert principal is not None
    return principal


async def optional_page_principal(request: Request, session: DbSession) -> Principal | None:
    return await _page_principal(request, session, required=False)


def page_require(permission: str) -> Any:
    """Like ``identity.dependencies.require`` for pages: logged out goes to the login page."""

    async def check(
        principal: Annotated[Principal, Depends(current_page_principal)],
    ) -> Principal:
        if not principal.can(permission):
            raise Forbidden("Your role in this organization does not include this page.")
        return principal

    return Depends(check)


PageUser = Annotated[Principal, Depends(current_page_principal)]
MaybePageUser = Annotated[Principal | None, Depends(optional_page_principal)]


def set_session_cookie(response: Response, secret: str) -> Response:
    days = get_settings().auth.web_session_days
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=days * 86400,
        httponly=True,
        samesite="lax",
        secure=_secure(),
        path="/",
    )
    return response


def clear_session_cookie(response: Response) -> Response:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure()
    )
    return response


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def no_store(response: Response) -> Response:
    """For pages showing a secret once (a new API key, a TOTP secret)."""
    response.headers["Cache-Control"] = "no-store"
    return response


# --- forms -----------------------------------------------------------------------------------

FORM_ERRORS = (ValidationError, AppError)


async def read_form(request: Request, *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """The submitted fields (without the CSRF token); ``lists`` name multi-value fields."""
    form = await request.form()
    many = set(lists)
    data: dict[str, Any] = {name: [] for name in many}
    for name in form:
        if name == CSRF_FIELD:
            continue
        values = [v for v in form.getlist(name) if isinstance(v, str)]
        data[name] = values if name in many else (values[0] if values else "")
    return data


def blank_to_none(form: dict[str, Any], *names: str) -> dict[str, Any]:
    """Empty optional inputs mean "not set"."""
    return {
        k: (None if k in names and isinstance(v, str) and not v.strip() else v)
        for k, v in form.items()
    }


def _friendly(error: dict[str, Any]) -> str:
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "This field is required."
    if kind == "extra_forbidden":
        return "This field is not expected here."
    message = str(error.get("msg", "Invalid value"))
    message = message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return "This value is not in the expected format."
    if kind == "string_too_short":
        return f"Use at least {ctx.get('min_length')} characters."
    if kind == "string_too_long":
        return f"Use at most {ctx.get('max_length')} characters."
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def field_messages(
    exc: ValidationError | AppError,
    *,
    rename: dict[str, str] | None = None,
    default_field: str | None = None,
) -> tuple[dict[str, str], str | None]:
    """Messages by field name (first per field), and one for the form as a whole.

    ``default_field`` receives an ``AppError`` that names no field (a wrong password, say).
    """
    rename = rename or {}
    fields: dict[str, str] = {}
    general: list[str] = []
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
            name = rename.get(loc[0], loc[0]) if loc else None
            if name:
                fields.setdefault(name, _friendly(dict(err)))
            else:
                general.append(_friendly(dict(err)))
    else:
        for app_err in exc.errors or []:
            name = app_err.get("field")
            message = str(app_err.get("message") or exc.detail)
            message = message[:1].upper() + message[1:]
            if name:
                fields.setdefault(rename.get(name, name), message)
            else:
                general.append(message)
        if not exc.errors and default_field:
            fields[default_field] = exc.detail
        elif not exc.errors:
            general.append(exc.detail)
    if fields and not general:
        general.append("Please correct the highlighted fields.")
    return fields, " ".join(general) or None


def render_form(
    request: Request,
    template: str,
    exc: ValidationError | AppError,
    *,
    form: dict[str, Any],
    context: dict[str, Any] | None = None,
    rename: dict[str, str] | None = None,
    default_field: str | None = None,
) -> HTMLResponse:
    """Re-render a refused form: what was typed stays, each message sits next to its field."""
    if isinstance(exc, AppError) and exc.status >= 500:
        raise exc
    errors, general = field_messages(exc, rename=rename, default_field=default_field)
    status = 422 if isinstance(exc, ValidationError) else exc.status
    shown = {k: v for k, v in form.items() if "password" not in k}  # never echo passwords
    response = render(
        request,
        template,
        {**(context or {}), "form": shown, "errors": errors, "form_error": general},
        status_code=status,
    )
    if isinstance(exc, AppError) and exc.headers:
        response.headers.update(
            {k: v for k, v in exc.headers.items() if k.lower() != "www-authenticate"}
        )
    return response
