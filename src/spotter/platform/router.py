from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.routing import Router
from spotter.core.schemas import Page
from spotter.platform import service
from spotter.platform.dependencies import PlatformAdmin
from spotter.platform.schemas import PlatformOrganizationOut

router = Router(prefix="/platform", tags=["platform"])


@router.get("/organizations", response_model=Page[PlatformOrganizationOut])
async def list_organizations(
    session: DbSession,
    admin: PlatformAdmin,
    params: Pages,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[PlatformOrganizationOut]:
    items, cursor = await service.list_organizations(session, params=params, q=q)
    return Page(items=items, next_cursor=cursor)


@router.get("/organizations/{organization_id}", response_model=PlatformOrganizationOut)
async def get_organization(
    session: DbSession, admin: PlatformAdmin, organization_id: uuid.UUID
) -> PlatformOrganizationOut:
    return await service.get_organization(session, organization_id=organization_id)
