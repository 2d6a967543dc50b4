"""Who may see and change which custom foods, recipes and client nutrition data: the one
row rule of the nutrition domain.

* The organization's own foods and recipes (``client_id`` NULL): every member reads them
  (``foods:read``); staff with ``foods:write`` (owners, admins, trainers) write them.
* A client's own foods and recipes: the client (``nutrition:self``) and the staff who may
  see that client under the clients row rule and hold ``nutrition:read`` (to read) or
  ``nutrition:write`` (to write): their trainer, owners and admins. Front desk does not.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import Forbidden
from spotter.core.permissions import Role

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def reads_client_data(principal: Principal) -> bool:
    return principal.can("nutrition:read") or principal.can("nutrition:self")


def writes_client_data(principal: Principal) -> bool:
    return principal.can("nutrition:write") or principal.can("nutrition:self")


def visible_scope(principal: Principal, column: Any) -> sa.ColumnElement[bool]:
    """The rows of a ``client_id`` column the principal may read: the organization's, and
    those of the clients they may see (when they may read client nutrition)."""
    if not reads_client_data(principal):
        return column.is_(None)
    seen = clients.visible_clients(principal).with_only_columns(Client.id)
    return sa.or_(column.is_(None), column.in_(seen))


def of_visible_clients(principal: Principal, model: Any) -> sa.Select[Any]:
    """Rows of ``model`` (targets, diary entries) that belong to clients the principal may
    see under the clients row rule."""
    seen = clients.visible_clients(principal).with_only_columns(Client.id)
    return sa.select(model).where(model.client_id.in_(seen))


async def own_client_id(session: AsyncSession, principal: Principal) -> uuid.UUID | None:
    """The client record of a client principal (None for staff and keys)."""
    if principal.role != Role.CLIENT or principal.user_id is None:
        return None
    client = await clients.own_client(session, user_id=principal.user_id)
    return client.id if client else None


async def client_for_read(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> Client:
    """A client whose nutrition the principal may read (else 404 or 403)."""
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    if not reads_client_data(principal):
        raise Forbidden("You need the 'nutrition:read' permission for a client's foods.")
    return client


async def client_for_write(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID
) -> Client:
    """A client for whom the principal may add foods and recipes (else 404 or 403)."""
    client = await clients.get_client(session, principal=principal, client_id=client_id)
    if not writes_client_data(principal):
        raise Forbidden("You need the 'nutrition:write' permission to add for a client.")
    return client


async def check_write(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID | None
) -> None:
    """May the principal write a food or recipe of this scope (organization or client)?"""
    if client_id is None:
        if not principal.can("foods:write"):
            raise Forbidden(
                "Only staff with 'foods:write' change the organization's foods and recipes."
            )
        return
    await client_for_write(session, principal, client_id)
