"""Who is calling, for which organization, with which permissions.

One resolver for every route: an ``X-API-Key`` header, a bearer access token, or the web
session cookie. It sets the session's organization (the tenancy hooks do the rest), and the
``require(...)`` dependency checks a permission from ``core.permissions``, so a route's
signature shows what it needs:

    async def list_clients(principal: Annotated[Principal, require("clients:read")], ...)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any

import structlog
from fastapi import Depends, Request

from spotter.core import ratelimit
from spotter.core.db import DbSession
from spotter.core.errors import Forbidden, Unauthorized
from spotter.core.permissions import ROLE_PERMISSIONS, STAFF_ROLES, Role
from spotter.core.security import decode_access_token
from spotter.core.tenancy import set_organization
from spotter.identity import service as identity
from spotter.identity.models import User
from spotter.orgs import service as orgs
from spotter.orgs.errors import NoOrganization, OrganizationNotFound
from spotter.orgs.models import ApiKey, Organization

SESSION_COOKIE = "spotter_session"


@dataclass(frozen=True)
class Principal:
    organization: Organization
    role: Role | None
    permissions: frozenset[str]
    user: User | None = None
    session_id: uuid.UUID | None = None
    api_key: ApiKey | None = None
    memberships: list[Any] = field(default_factory=list)

    @property
    def organization_id(self) -> uuid.UUID:
        return self.organization.id

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.user.id if self.user else None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require_role(self) -> Role:
        if self.role is None:
            raise Forbidden("This action needs a signed-in member, not an API key")
        return self.role

    def require_user(self) -> User:
        if self.user is None:
            raise Forbidden("This action needs a signed-in user, not an API key")
        return self.user


@dataclass(frozen=True)
class Identity:
    """A signed-in user before an organization is chosen (``/me``, org switching)."""

    user: User
    session_id: uuid.UUID
    organization_hint: uuid.UUID | None


def _bearer_claims(request: Request) -> tuple[uuid.UUID, uuid.UUID | None] | None:
    """(session id, organization hint) from a bearer access token; None without an
    ``Authorization`` header. An invalid token is a 401, never a fall-through."""
    authorization = request.headers.get("authorization", "")
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    claims = decode_access_token(token.strip()) if scheme.lower() == "bearer" else None
    if claims is None:
        raise Unauthorized(
            "Invalid or expired access token; refresh it or log in again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        sid = uuid.UUID(claims["sid"])
        org_hint = uuid.UUID(claims["org"]) if claims.get("org") else None
    except (KeyError, ValueError) as exc:
        raise Unauthorized("Malformed access token.") from exc
    return sid, org_hint


def _session_ended() -> Unauthorized:
    return Unauthorized(
        "This session has ended; log in again.", headers={"WWW-Authenticate": "Bearer"}
    )


def _web_cookie(request: Request) -> str | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return cookie if cookie and not request.url.path.startswith("/api/") else None


async def _identity(request: Request, session: DbSession) -> Identity | None:
    bearer = _bearer_claims(request)
    if bearer is not None:
        sid, org_hint = bearer
        live = await identity.live_session(session, session_id=sid)
        if live is None:
            raise _session_ended()
        return Identity(live[1], live[0].id, org_hint)
    cookie = _web_cookie(request)
    if cookie:
        live = await identity.live_session(session, cookie=cookie)
        if live is not None:
            return Identity(live[1], live[0].id, live[0].organization_id)
    return None


async def _identity_acting(
    request: Request, session: DbSession, requested: str | None
) -> tuple[Identity, orgs.Acting | None] | None:
    """The caller (as ``_identity``) and, in the same query, their membership in the
    ``requested`` organization (the ``X-Organization`` header), else in the remembered one
    (the token's, or the web session's); None for that when they are not a member there."""
    bearer = _bearer_claims(request)
    if bearer is not None:
        sid, org_hint = bearer
        found = await orgs.live_session_acting(
            session, session_id=sid, organization=requested or org_hint
        )
        if found is None:
            raise _session_ended()
        return Identity(found.user, found.session_id, org_hint), found.acting
    cookie = _web_cookie(request)
    if cookie:
        found = await orgs.live_session_acting(session, cookie=cookie, organization=requested)
        if found is not None:
            who = Identity(found.user, found.session_id, found.session_organization_id)
            return who, found.acting
    return None


async def get_identity(request: Request, session: DbSession) -> Identity:
    found = await _identity(request, session)
    if found is None:
        raise Unauthorized(headers={"WWW-Authenticate": "Bearer"})
    return found


async def _principal(request: Request, session: DbSession) -> Principal | None:
    api_key = request.headers.get("x-api-key")
    if api_key:
        found = await orgs.authenticate_api_key(session, key=api_key.strip())
        if found is None:
            raise Unauthorized("Invalid or revoked API key.")
        key, org = found
        await ratelimit.hit(
            f"{key.rate_limit_per_minute}/minute",
            "api-key",
            str(key.id),
            message="This API key's rate limit is spent; slow down.",
        )
        set_organization(session, org.id)
        structlog.contextvars.bind_contextvars(organization_id=str(org.id), api_key_id=str(key.id))
        return Principal(
            organization=org, role=None, permissions=frozenset(key.scopes), api_key=key
        )
    header = request.headers.get("x-organization")
    resolved = await _identity_acting(request, session, header)
    if resolved is None:
        return None
    who, acting = resolved
    if acting is None:
        if header:
            raise OrganizationNotFound()
        # No organization remembered, or its membership is gone: the user's first one.
        acting = await orgs.resolve_membership(session, user_id=who.user.id, organization=None)
    if acting is None:
        raise NoOrganization()
    set_organization(session, acting.organization.id)
    role = Role(acting.role)
    structlog.contextvars.bind_contextvars(
        organization_id=str(acting.organization.id), user_id=str(who.user.id)
    )
    request.state.principal_user_id = who.user.id
    return Principal(
        organization=acting.organization,
        role=role,
        permissions=ROLE_PERMISSIONS[role],
        user=who.user,
        session_id=who.session_id,
    )


async def get_principal(request: Request, session: DbSession) -> Principal:
    principal = await _principal(request, session)
    if principal is None:
        raise Unauthorized(headers={"WWW-Authenticate": "Bearer"})
    return principal


async def get_optional_principal(request: Request, session: DbSession) -> Principal | None:
    return await _principal(request, session)


def require(permission: str) -> Any:
    async def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.can(permission):
            raise Forbidden(f"You need the '{permission}' permission for this.")
        return principal

    return Depends(check)


CurrentIdentity = Annotated[Identity, Depends(get_identity)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]
