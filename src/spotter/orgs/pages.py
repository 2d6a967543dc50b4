"""Organization pages: settings and branding, the team and its invitations, API keys, and
accepting an invitation."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.core.permissions import API_KEY_SCOPES, INVITABLE, PERMISSIONS, Role
from spotter.core.routing import Router
from spotter.identity import service as identity
from spotter.identity.dependencies import Principal
from spotter.identity.errors import InvalidCredentials
from spotter.orgs import service
from spotter.orgs.errors import AlreadyMember
from spotter.orgs.schemas import (
    ApiKeyCreate,
    InvitationAccept,
    InvitationCreate,
    MemberUpdate,
    OrganizationUpdate,
)
from spotter.web import (
    FORM_ERRORS,
    MaybePageUser,
    blank_to_none,
    no_store,
    page_require,
    read_form,
    redirect,
    render,
    render_form,
    safe_next,
    set_session_cookie,
)

router = Router()
OrgManage = Annotated[Principal, page_require("org:manage")]
TeamRead = Annotated[Principal, page_require("team:read")]
TeamManage = Annotated[Principal, page_require("team:manage")]
ApiKeysManage = Annotated[Principal, page_require("apikeys:manage")]
# Staff who can be assigned clients.
COACHING_ROLES = {Role.OWNER, Role.ADMIN, Role.TRAINER}


# --- settings --------------------------------------------------------------------------------

ORG_FIELDS = (
    "name",
    "display_name",
    "logo_url",
    "primary_color",
    "accent_color",
    "timezone",
    "currency",
    "unit_system",
)


@router.get("/settings/organization")
async def settings_page(request: Request, principal: OrgManage) -> Response:
    org = principal.organization
    form = {name: getattr(org, name) or "" for name in ORG_FIELDS}
    return render(request, "orgs/settings.html", {"form": form, "slug": org.slug})


@router.post("/settings/organization")
async def update_settings(request: Request, session: DbSession, principal: OrgManage) -> Response:
    form = await read_form(request)
    slug = principal.organization.slug
    try:
        async with session.begin_nested():
            data = OrganizationUpdate.model_validate(
                blank_to_none(form, "display_name", "logo_url")
            )
            await service.update_organization(session, data=data)
    except FORM_ERRORS as exc:
        return render_form(request, "orgs/settings.html", exc, form=form, context={"slug": slug})
    return redirect(request, "/settings/organization", "Organization settings saved.")


# --- team and invitations --------------------------------------------------------------------


async def _team(session: AsyncSession, principal: Principal) -> dict[str, Any]:
    members = await service.list_members(session)
    invitations = await service.list_invitations(session, principal=principal)
    role = principal.require_role()
    return {
        "members": members,
        "invitations": invitations,
        "invite_roles": [r.value for r in Role if r in INVITABLE[role]],
        "assignable_roles": [
            r.value for r in Role if r != Role.CLIENT and (role == Role.OWNER or r != Role.OWNER)
        ],
        "trainers": [u for m, u in members if m.role in COACHING_ROLES],
        "can_manage": principal.can("team:manage"),
        "can_assign": principal.can("clients:assign"),
        "owner": role == Role.OWNER,
    }


@router.get("/team")
async def team_page(
    request: Request, session: DbSession, principal: TeamRead, role: str = ""
) -> Response:
    context = await _team(session, principal)
    default_role = (
        role
        if role in context["invite_roles"]
        else ("client" if "client" in context["invite_roles"] else "")
    )
    return render(request, "orgs/team.html", {**context, "form": {"role": default_role}})


@router.post("/team/invite")
async def invite(request: Request, session: DbSession, principal: TeamRead) -> Response:
    form = await read_form(request)
    back = safe_next(str(form.pop("next", "") or ""), "/team")
    try:
        async with session.begin_nested():
            data = InvitationCreate.model_validate(blank_to_none(form, "full_name", "trainer_id"))
            invitation = await service.invite(
                session,
                data=data,
                inviter=principal.require_user(),
                inviter_role=principal.require_role(),
            )
    except FORM_ERRORS as exc:
        return render_form(
            request,
            "orgs/team.html",
            exc,
            form=form,
            context={**await _team(session, principal), "failed": "invite"},
            default_field="email" if isinstance(exc, AlreadyMember) else None,
        )
    return redirect(request, back, f"Invitation sent to {invitation.email}.")


@router.post("/team/members/{membership_id}/role")
async def change_role(
    request: Request, session: DbSession, principal: TeamManage, membership_id: uuid.UUID
) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = MemberUpdate.model_validate(form)
            await service.change_role(
                session,
                membership_id=membership_id,
                role=data.role,
                actor_role=principal.require_role(),
            )
    except FORM_ERRORS as exc:
        return render_form(
            request, "orgs/team.html", exc, form={}, context=await _team(session, principal)
        )
    return redirect(request, "/team", "Role changed.")


@router.post("/team/members/{membership_id}/remove")
async def remove_member(
    request: Request, session: DbSession, principal: TeamManage, membership_id: uuid.UUID
) -> Response:
    try:
        async with session.begin_nested():
            await service.remove_member(
                session, membership_id=membership_id, actor_role=principal.require_role()
            )
    except FORM_ERRORS as exc:
        return render_form(
            request, "orgs/team.html", exc, form={}, context=await _team(session, principal)
        )
    return redirect(request, "/team", "Removed from the team.")


@router.post("/team/invitations/{invitation_id}/revoke")
async def revoke_invitation(
    request: Request, session: DbSession, principal: TeamManage, invitation_id: uuid.UUID
) -> Response:
    invitation = await service.revoke_invitation(session, invitation_id=invitation_id)
    return redirect(request, "/team", f"The invitation to {invitation.email} was revoked.")


# --- API keys --------------------------------------------------------------------------------


async def _keys(session: AsyncSession) -> dict[str, Any]:
    return {
        "keys": await service.list_api_keys(session),
        "scopes": [(s, PERMISSIONS[s]) for s in sorted(API_KEY_SCOPES)],
    }


@router.get("/settings/api-keys")
async def api_keys_page(request: Request, session: DbSession, principal: ApiKeysManage) -> Response:
    return render(
        request,
        "orgs/api_keys.html",
        {**await _keys(session), "form": {"scopes": ["clients:read"]}},
    )


@router.post("/settings/api-keys")
async def create_api_key(
    request: Request, session: DbSession, principal: ApiKeysManage
) -> Response:
    form = await read_form(request, lists=["scopes"])
    try:
        async with session.begin_nested():
            data = ApiKeyCreate.model_validate(blank_to_none(form, "rate_limit_per_minute"))
            row, key = await service.create_api_key(
                session, data=data, creator=principal.require_user()
            )
    except FORM_ERRORS as exc:
        return render_form(
            request, "orgs/api_keys.html", exc, form=form, context=await _keys(session)
        )
    # Shown once, on this response only: never stored, never cached.
    return no_store(
        render(
            request,
            "orgs/api_keys.html",
            {
                **await _keys(session),
                "created": {"row": row, "key": key},
                "form": {"scopes": ["clients:read"]},
            },
            status_code=201,
        )
    )


@router.post("/settings/api-keys/{key_id}/revoke")
async def revoke_api_key(
    request: Request, session: DbSession, principal: ApiKeysManage, key_id: uuid.UUID
) -> Response:
    row = await service.revoke_api_key(session, key_id=key_id)
    return redirect(request, "/settings/api-keys", f"The key “{row.name}” was revoked.")


# --- accepting an invitation -----------------------------------------------------------------


@router.get("/invitations/{token}")
async def invitation_page(
    request: Request, session: DbSession, principal: MaybePageUser, token: str
) -> Response:
    preview = await service.preview_invitation(session, token=token)
    return no_store(
        render(request, "orgs/invitation.html", {"invitation": preview, "token": token})
    )


@router.post("/invitations/{token}")
async def accept_invitation(request: Request, session: DbSession, token: str) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = InvitationAccept.model_validate(
                {**blank_to_none(form, "full_name"), "token": token}
            )
            user, org = await service.accept_invitation(
                session, token=data.token, password=data.password, full_name=data.full_name
            )
    except FORM_ERRORS as exc:
        preview = await service.preview_invitation(session, token=token)
        return no_store(
            render_form(
                request,
                "orgs/invitation.html",
                exc,
                form=form,
                context={"invitation": preview, "token": token},
                default_field="password" if isinstance(exc, InvalidCredentials) else None,
            )
        )
    _, secret = await identity.start_session(
        session,
        user=user,
        kind="web",
        organization_id=org.id,
        user_agent=request.headers.get("user-agent"),
    )
    response = redirect(request, "/home", f"Welcome to {org.display_name or org.name}!")
    return set_session_cookie(response, secret)
