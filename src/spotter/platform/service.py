"""Cross-organization reads for platform operators. Every query here runs in a session
marked ``platform`` by ``dependencies.PlatformAdmin``, so the tenancy filter is off."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.errors import NotFound
from spotter.core.pagination import PageParams, paginate
from spotter.orgs.models import Membership, Organization
from spotter.platform.schemas import PlatformOrganizationOut


async def _with_counts(
    session: AsyncSession, orgs: list[Organization]
) -> list[PlatformOrganizationOut]:
    ids = [o.id for o in orgs]
    members = dict(
        (
            await session.execute(
                sa.select(Membership.organization_id, sa.func.count())
                .where(Membership.organization_id.in_(ids))
                .group_by(Membership.organization_id)
            )
        ).all()
    )
    clients = dict(
        (
            await session.execute(
                sa.select(Client.organization_id, sa.func.count())
                .where(Client.organization_id.in_(ids))
                .group_by(Client.organization_id)
            )
        ).all()
    )
    return [
        PlatformOrganizationOut(
            id=o.id,
            name=o.name,
            slug=o.slug,
            timezone=o.timezone,
            currency=o.currency,
            created_at=o.created_at,
            members=members.get(o.id, 0),
            clients=clients.get(o.id, 0),
        )
        for o in orgs
    ]


async def list_organizations(
    session: AsyncSession, *, params: PageParams, q: str | None
) -> tuple[list[PlatformOrganizationOut], str | None]:
    stmt = sa.select(Organization)
    if q:
        stmt = stmt.where(
            sa.func.lower(Organization.name).contains(q.strip().lower(), autoescape=True)
        )
    orgs, cursor = await paginate(session, stmt, keys=[Organization.id], params=params)
    return await _with_counts(session, orgs), cursor


async def get_organization(
    session: AsyncSession, *, organization_id: uuid.UUID
) -> PlatformOrganizationOut:
    org = await session.get(Organization, organization_id)
    if org is None:
        raise NotFound("No such organization")
    return (await _with_counts(session, [org]))[0]
