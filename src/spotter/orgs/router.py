from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Request, Response

from spotter.core.db import DbSession
from spotter.core.routing import Router
from spotter.identity import service as identity
from spotter.identity.dependencies import CurrentPrincipal, Principal, require
from spotter.identity.schemas import TokenPair
from spotter.orgs import service
from spotter.orgs.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    InvitationAccept,
    InvitationCreate,
    InvitationOut,
    InvitationPreview,
    MemberOut,
    MemberUpdate,
    OrganizationOut,
    OrganizationUpdate,
)

router = Router(tags=["organizations"])
OrgRead = Annotated[Principal, require("org:read")]
OrgManage = Annotated[Principal, require("org:manage")]
TeamRead = Annotated[Principal, require("team:read")]
TeamManage = Annotated[Principal, require("team:manage")]
ApiKeysManage = Annotated[Principal, require("apikeys:manage")]


@router.get("/organization", response_model=OrganizationOut)
async def get_organization(principal: OrgRead) -> OrganizationOut:
    return OrganizationOut.model_validate(principal.organization)


@router.patch("/organization", response_model=OrganizationOut)
async def update_organization(
    session: DbSession, principal: OrgManage, data: OrganizationUpdate
) -> OrganizationOut:
    return OrganizationOut.model_validate(await service.update_organization(session, data=data))


@router.get("/members", response_model=list[MemberOut])
async def list_members(session: DbSession, principal: TeamRead) -> list[MemberOut]:
    return [
        MemberOut(
            id=m.id,
            user_id=u.id,
            email=u.email,
            full_name=u.full_name,
            role=m.role,
            created_at=m.created_at,
        )
        for m, u in await service.list_members(session)
    ]


@router.patch("/members/{membership_id}", response_model=MemberOut)
async def change_role(
    session: DbSession, principal: TeamManage, membership_id: uuid.UUID, data: MemberUpdate
) -> MemberOut:
    m = await service.change_role(
        session, membership_id=membership_id, role=data.role, actor_role=principal.require_role()
    )
    user = await session.get_one(identity.User, m.user_id)
    return MemberOut(
        id=m.id,
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=m.role,
        created_at=m.created_at,
    )


@router.delete("/members/{membership_id}", status_code=204)
async def remove_member(
    session: DbSession, principal: TeamManage, membership_id: uuid.UUID
) -> Response:
    await service.remove_member(
        session, membership_id=membership_id, actor_role=principal.require_role()
    )
    return Response(status_code=204)


@router.post("/invitations", response_model=InvitationOut, status_code=201)
async def invite(
    session: DbSession, principal: CurrentPrincipal, data: InvitationCreate
) -> InvitationOut:
    """Owners and admins invite staff and clients; trainers invite clients."""
    user = principal.require_user()
    invitation = await service.invite(
        session, data=data, inviter=user, inviter_role=principal.require_role()
    )
    return InvitationOut.model_validate(invitation)


@router.get("/invitations", response_model=list[InvitationOut])
async def list_invitations(session: DbSession, principal: TeamRead) -> list[InvitationOut]:
    rows = await service.list_invitations(session, principal=principal)
    return [InvitationOut.model_validate(i) for i in rows]


@router.delete("/invitations/{invitation_id}", status_code=204)
async def revoke_invitation(
    session: DbSession, principal: TeamManage, invitation_id: uuid.UUID
) -> Response:
    await service.revoke_invitation(session, invitation_id=invitation_id)
    return Response(status_code=204)


@router.get("/invitations/preview", response_model=InvitationPreview)
async def preview_invitation(session: DbSession, token: str) -> InvitationPreview:
    return InvitationPreview(**await service.preview_invitation(session, token=token))


@router.post("/invitations/accept", response_model=TokenPair)
async def accept_invitation(
    session: DbSession, data: InvitationAccept, request: Request
) -> TokenPair:
    user, org = await service.accept_invitation(
        session, token=data.token, password=data.password, full_name=data.full_name
    )
    auth_session, refresh = await identity.start_session(
        session,
        user=user,
        kind="api",
        organization_id=org.id,
        user_agent=request.headers.get("user-agent"),
    )
    return identity.token_pair(auth_session, refresh)


@router.get("/api-keys", response_model=list[ApiKeyOut])
async def list_api_keys(session: DbSession, principal: ApiKeysManage) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(k) for k in await service.list_api_keys(session)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
async def create_api_key(
    session: DbSession, principal: ApiKeysManage, data: ApiKeyCreate
) -> ApiKeyCreated:
    row, key = await service.create_api_key(session, data=data, creator=principal.require_user())
    return ApiKeyCreated(**ApiKeyOut.model_validate(row).model_dump(), key=key)


@router.delete("/api-keys/{key_id}", status_code=204)
async def revoke_api_key(
    session: DbSession, principal: ApiKeysManage, key_id: uuid.UUID
) -> Response:
    await service.revoke_api_key(session, key_id=key_id)
    return Response(status_code=204)
