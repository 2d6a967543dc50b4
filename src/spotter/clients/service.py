"""Clients and the row rule that decides which of them a caller may see."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.clients.schemas import ClientCreate, ClientStatus
from spotter.core.errors import NotFound, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def visible_clients(principal: Principal) -> sa.Select[Client]:
    """The one row rule for clients: trainers see the clients assigned to them, a client
    sees only themself, owners, admins, front desk and API keys see the organization's."""
    stmt = sa.select(Client)
    if principal.role == Role.TRAINER:
        stmt = stmt.where(Client.trainer_id == principal.user_id)
    elif principal.role == Role.CLIENT:
        stmt = stmt.where(Client.user_id == principal.user_id)
    return stmt


async def list_clients(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    q: str | None = None,
    status: ClientStatus | None = None,
    trainer_id: uuid.UUID | None = None,
) -> tuple[list[Client], str | None]:
    stmt = visible_clients(principal)
    if q:
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(sa.func.lower(Client.full_name).like(f"%{escaped}%", escape="\\"))
    if status:
        stmt = stmt.where(Client.status == status)
    if trainer_id:
        stmt = stmt.where(Client.trainer_id == trainer_id)
    return await paginate(session, stmt, keys=[Client.full_name, Client.id], params=params)


async def get_client(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID
) -> Client:
    client = await session.scalar(visible_clients(principal).where(Client.id == client_id))
    if client is None:
        raise NotFound("No such client")
    return client


async def own_client(session: AsyncSession, *, user_id: uuid.UUID) -> Client | None:
    return await session.scalar(sa.select(Client).where(Client.user_id == user_id))


async def get_client_unchecked(session: AsyncSession, *, client_id: uuid.UUID) -> Client | None:
    """Within the current organization, without a caller's row rule (system use only)."""
    return await session.get(Client, client_id)


async def create_client(
    session: AsyncSession, *, principal: Principal, data: ClientCreate
) -> Client:
    from spotter.orgs import service as orgs

    trainer_id = data.trainer_id
    if principal.role == Role.TRAINER:
        if trainer_id not in (None, principal.user_id):
            raise field_error("trainer_id", "trainers create clients for themselves")
        trainer_id = principal.user_id
    elif trainer_id is not None and await orgs.staff_user(session, user_id=trainer_id) is None:
        raise field_error("trainer_id", "no staff member with this id in your organization")
    client = Client(
        full_name=data.full_name,
        email=data.email and data.email.lower(),
        status=data.status,
        trainer_id=trainer_id,
    )
    session.add(client)
    await session.flush()
    return client


async def ensure_client_for_invitation(
    session: AsyncSession, *, email_address: str, full_name: str, trainer_id: uuid.UUID | None
) -> Client:
    """Reuse the client record with this email that has no account yet, or create one."""
    client = await session.scalar(
        sa.select(Client).where(Client.email == email_address, Client.user_id.is_(None))
    )
    if client is None:
        client = Client(
            full_name=full_name,
            email=email_address,
            status=ClientStatus.ACTIVE,
            trainer_id=trainer_id,
        )
        session.add(client)
        await session.flush()
    elif client.trainer_id is None:
        client.trainer_id = trainer_id
    return client


async def link_user(session: AsyncSession, *, client_id: uuid.UUID, user_id: uuid.UUID) -> None:
    client = await session.get(Client, client_id)
    if client is not None:
        client.user_id = user_id
        if client.status == ClientStatus.LEAD:
            client.status = ClientStatus.ACTIVE


async def counts_by_status(session: AsyncSession, *, principal: Principal) -> dict[str, Any]:
    sub = visible_clients(principal).subquery()
    rows = await session.execute(sa.select(sub.c.status, sa.func.count()).group_by(sub.c.status))
    return {status: count for status, count in rows.all()}
