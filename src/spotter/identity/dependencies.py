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
from spotter.orgs.errors import NoOrganization
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


async def _identity(request: Request, session: DbSession) -> Identity | None:
    authorization = request.headers.get("authorization", "")
    if authorization:
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
        live = await identity.live_session(session, session_id=sid)
        if live is None:
            raise Unauthorized(
                "This session has ended; log in again.", headers={"WWW-Authenticate": "Bearer"}
            )
        return Identity(live[1], live[0].id, org_hint)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and not request.url.path.startswith("/api/"):
        live = await identity.live_session(session, cookie=cookie)
        if live is not None:
            return Identity(live[1], live[0].id, live[0].organization_id)
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
    who = await _identity(request, session)
    if who is None:
        return None
    requested = request.headers.get("x-organization") or who.organization_hint
    acting = await orgs.resolve_membership(session, user_id=who.user.id, organization=requested)
    if acting is None and who.organization_hint and not request.headers.get("x-organization"):
        # The remembered organization is gone (membership removed): fall back to another.
        acting = await orgs.resolve_membership(session, user_id=who.user.id, organization=None)
    if acting is None:
        raise NoOrganization()
    set_organization(session, acting.organization.id)
    role = Role(acting.membership.role)
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
