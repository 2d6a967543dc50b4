"""Client records, their tags and trainer assignments, and the row rule that decides which
of them a caller may see."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.errors import ClientNotFound, InvalidStatusTransition
from spotter.clients.models import Client, ClientTag, TrainerAssignment
from spotter.clients.schemas import (
    STATUS_TRANSITIONS,
    ClientCreate,
    ClientStatus,
    ClientUpdate,
)
from spotter.core.db import new_id
from spotter.core.errors import Forbidden, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.permissions import Role

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def _row_rule(role: Role | None, viewer: Any) -> sa.ColumnElement[bool] | None:
    """The one row rule for clients: trainers see the clients assigned to them, a client
    sees only themself, owners, admins, front desk and API keys see the organization's.
    ``viewer`` is the caller's user id, or a bound parameter standing for it."""
    if role == Role.TRAINER:
        return Client.trainer_id == viewer
    if role == Role.CLIENT:
        return Client.user_id == viewer
    return None


def visible_clients(principal: Principal) -> sa.Select[Client]:
    """The clients ``principal`` may see (``_row_rule``)."""
    stmt = sa.select(Client)
    rule = _row_rule(principal.role, principal.user_id)
    return stmt if rule is None else stmt.where(rule)


@functools.cache
def _visible(role: Role | None, column: Any) -> sa.Select[Any]:
    """``column`` of the clients a caller with ``role`` may see (``_row_rule``), the
    caller's user id bound as ``:viewer``: built once per role, for hot paths."""
    stmt = sa.select(column)
    rule = _row_rule(role, sa.bindparam("viewer", type_=sa.Uuid()))
    return stmt if rule is None else stmt.where(rule)


def visible_client_ids(role: Role | None) -> sa.Select[Any]:
    """The ids of the clients a caller with ``role`` may see (``:viewer`` bound)."""
    return _visible(role, Client.id)


def _like(q: str) -> str:
    escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class _Filters:
    """A client list's filters: ``shape`` names which are given (it picks the statement),
    ``values`` are their bound parameters."""

    shape: tuple[Role | None, bool, bool, bool, bool]
    values: dict[str, Any]


def _filters(
    principal: Principal,
    *,
    q: str | None = None,
    status: ClientStatus | None = None,
    trainer_id: uuid.UUID | None = None,
    tag: str | None = None,
) -> _Filters:
    rule = principal.role if principal.role in (Role.TRAINER, Role.CLIENT) else None
    values: dict[str, Any] = {"viewer_id": principal.user_id} if rule else {}
    if q:
        values["name_like"] = _like(q)
    if status:
        values["status"] = status
    if trainer_id:
        values["trainer_id"] = trainer_id
    if tag:
        values["tag"] = tag.strip().lower()
    return _Filters((rule, bool(q), bool(status), bool(trainer_id), bool(tag)), values)


@functools.cache
def _filtered(shape: tuple[Role | None, bool, bool, bool, bool], *columns: Any) -> sa.Select[Any]:
    """``columns`` of the clients a list shows, for one shape of filters, with bound
    parameters: built once per shape, so executing it skips building and hashing the
    statement (most of what a page of clients costs besides the round trip)."""
    rule, q, status, trainer_id, tag = shape
    stmt = sa.select(*columns)
    viewer = _row_rule(rule, sa.bindparam("viewer_id", type_=sa.Uuid()))
    if viewer is not None:
        stmt = stmt.where(viewer)
    if q:
        name_like = sa.bindparam("name_like", type_=sa.String())
        stmt = stmt.where(sa.func.lower(Client.full_name).like(name_like, escape="\\"))
    if status:
        stmt = stmt.where(Client.status == sa.bindparam("status", type_=sa.String()))
    if trainer_id:
        stmt = stmt.where(Client.trainer_id == sa.bindparam("trainer_id", type_=sa.Uuid()))
    if tag:
        tagged = sa.select(ClientTag.client_id).where(
            ClientTag.tag == sa.bindparam("tag", type_=sa.String())
        )
        stmt = stmt.where(Client.id.in_(tagged))
    return stmt


_PAGE_KEYS = (Client.full_name, Client.id)


async def list_clients(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    **filters: Any,
) -> tuple[list[Client], str | None]:
    """A page of the clients ``principal`` sees, by name, filtered by ``q`` (name
    contains), ``status``, ``trainer_id`` and ``tag``."""
    given = _filters(principal, **filters)
    stmt = _filtered(given.shape, Client)
    return await paginate(session, stmt, keys=_PAGE_KEYS, params=params, values=given.values)


# Tags cannot contain control characters (schemas.Tag), so this one joins them safely.
_TAG_SEPARATOR = "\x1f"


@functools.cache
def _tags_column() -> sa.Label[Any]:
    """A client's tags joined in one string, as a column of a client query: a page of
    clients and their tags in one round trip. ``_split_tags`` reads it back."""
    return (
        sa.select(sa.func.aggregate_strings(ClientTag.tag, _TAG_SEPARATOR))
        .where(ClientTag.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
        .label("tags")
    )


def _split_tags(joined: str | None) -> list[str]:
    return sorted(joined.split(_TAG_SEPARATOR)) if joined else []


async def tags_of(session: AsyncSession, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Tags of many clients in one query."""
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    if client_ids:
        rows = await session.execute(
            sa.select(ClientTag.client_id, ClientTag.tag)
            .where(ClientTag.client_id.in_(client_ids))
            .order_by(ClientTag.tag)
        )
        for client_id, tag in rows.all():
            out[client_id].append(tag)
    return out


# What ClientOut shows of a client in a list (the API's list reads columns, not entities).
_LIST_COLUMNS = (
    Client.id,
    Client.full_name,
    Client.first_name,
    Client.last_name,
    Client.email,
    Client.phone,
    Client.status,
    Client.trainer_id,
    Client.user_id,
    Client.notes,
    Client.created_at,
    Client.updated_at,
)


async def list_clients_with_tags(
    session: AsyncSession, *, principal: Principal, params: PageParams, **filters: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """As ``list_clients``, each client as a mapping of ``_LIST_COLUMNS`` and its
    ``tags`` (a list)."""
    given = _filters(principal, **filters)
    stmt = _filtered(given.shape, *_LIST_COLUMNS, _tags_column())
    rows, cursor = await paginate(
        session, stmt, keys=_PAGE_KEYS, params=params, values=given.values
    )
    return [{**row._mapping, "tags": _split_tags(row.tags)} for row in rows], cursor


async def organization_tags(session: AsyncSession, *, principal: Principal) -> list[dict[str, Any]]:
    """The organization's tags (as far as the caller sees clients) with how many carry each."""
    visible = visible_clients(principal).with_only_columns(Client.id)
    rows = await session.execute(
        sa.select(ClientTag.tag, sa.func.count())
        .where(ClientTag.client_id.in_(visible))
        .group_by(ClientTag.tag)
        .order_by(ClientTag.tag)
    )
    return [{"tag": tag, "clients": count} for tag, count in rows.all()]


@functools.cache
def _visible_client(role: Role | None) -> sa.Select[Any]:
    """One client by ``:client`` (``:viewer`` bound): every route under /clients/{id}
    reads it first."""
    return _visible(role, Client).where(Client.id == sa.bindparam("client", type_=sa.Uuid()))


async def get_client(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID
) -> Client:
    params = {"client": client_id, "viewer": principal.user_id}
    client = await session.scalar(_visible_client(principal.role), params)
    if client is None:
        raise ClientNotFound("No such client")
    return client


async def get_client_with_tags(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID
) -> tuple[Client, list[str]]:
    row = (
        await session.execute(
            visible_clients(principal).add_columns(_tags_column()).where(Client.id == client_id)
        )
    ).first()
    if row is None:
        raise ClientNotFound("No such client")
    return row[0], _split_tags(row[1])


async def own_client(session: AsyncSession, *, user_id: uuid.UUID) -> Client | None:
    return await session.scalar(sa.select(Client).where(Client.user_id == user_id))


async def get_client_unchecked(session: AsyncSession, *, client_id: uuid.UUID) -> Client | None:
    """Within the current organization, without a caller's row rule (system use only)."""
    return await session.get(Client, client_id)


async def _set_tags(session: AsyncSession, client: Client, tags: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(tags))
    await session.execute(
        sa.delete(ClientTag).where(ClientTag.client_id == client.id, ClientTag.tag.not_in(wanted))
    )
    have = set((await tags_of(session, [client.id])).get(client.id, []))
    session.add_all(ClientTag(client_id=client.id, tag=t) for t in wanted if t not in have)
    return sorted(wanted)


async def _assign(
    session: AsyncSession, client: Client, trainer_id: uuid.UUID | None, principal: Principal
) -> None:
    if trainer_id == client.trainer_id and client.id is not None:
        return
    session.add(
        TrainerAssignment(
            client_id=client.id,
            from_trainer_id=client.trainer_id,
            to_trainer_id=trainer_id,
            changed_by_id=principal.user_id,
        )
    )
    client.trainer_id = trainer_id


async def _check_trainer(session: AsyncSession, trainer_id: uuid.UUID | None) -> None:
    from spotter.orgs import service as orgs

    if trainer_id is not None and await orgs.staff_user(session, user_id=trainer_id) is None:
        raise field_error("trainer_id", "no staff member with this id in your organization")


async def create_client(
    session: AsyncSession, *, principal: Principal, data: ClientCreate
) -> Client:
    trainer_id = data.trainer_id
    if principal.role == Role.TRAINER:
        if trainer_id not in (None, principal.user_id):
            raise field_error("trainer_id", "trainers create clients for themselves")
        trainer_id = principal.user_id
    else:
        await _check_trainer(session, trainer_id)
    if data.notes is not None and not principal.can("clients:notes"):
        raise Forbidden("You need the 'clients:notes' permission to write trainer notes.")
    client = Client(
        id=new_id(),  # known now: the assignment and the tags are written in the same flush
        full_name=data.full_name or "",
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email and data.email.lower(),
        phone=data.phone,
        status=data.status,
        notes=data.notes,
    )
    session.add(client)
    if trainer_id is not None:
        await _assign(session, client, trainer_id, principal)
    session.add_all(ClientTag(client_id=client.id, tag=t) for t in dict.fromkeys(data.tags))
    await session.flush()
    return client


def check_transition(current: str, new: ClientStatus) -> None:
    old = ClientStatus(current)
    if new != old and new not in STATUS_TRANSITIONS[old]:
        allowed = ", ".join(sorted(STATUS_TRANSITIONS[old])) or "none"
        raise InvalidStatusTransition(
            f"A {old.value} client cannot become {new.value}; allowed: {allowed}",
            errors=[{"field": "status", "message": f"{old.value} -> {new.value} not allowed"}],
        )


async def update_client(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID, data: ClientUpdate
) -> tuple[Client, list[str]]:
    """PUT /clients/{id}: the fields sent are changed; the others stay as they are."""
    client = await get_client(session, principal=principal, client_id=client_id)
    sent = data.model_fields_set
    if "notes" in sent and not principal.can("clients:notes"):
        raise Forbidden("You need the 'clients:notes' permission to write trainer notes.")
    if "trainer_id" in sent and data.trainer_id != client.trainer_id:
        if not principal.can("clients:assign"):
            raise Forbidden("Only owners and admins reassign a client to another trainer.")
        await _check_trainer(session, data.trainer_id)
        await _assign(session, client, data.trainer_id, principal)
    if "status" in sent:
        if data.status is None:
            raise field_error("status", "status cannot be null")
        check_transition(client.status, data.status)
        client.status = data.status
    for name in ("first_name", "last_name", "phone", "notes"):
        if name in sent:
            setattr(client, name, getattr(data, name))
    if "email" in sent:
        client.email = data.email and data.email.lower()
    if data.full_name and ({"full_name", "first_name", "last_name"} & sent):
        client.full_name = data.full_name
    elif "full_name" in sent:
        raise field_error("full_name", "full_name cannot be empty")
    if "tags" in sent:
        await _set_tags(session, client, data.tags or [])
    await session.flush()
    return client, (await tags_of(session, [client.id])).get(client.id, [])


async def archive_client(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID
) -> None:
    """DELETE /clients/{id} archives: the record and its history stay (reactivate with
    PUT status=active). Nothing is hard-deleted through the API."""
    client = await get_client(session, principal=principal, client_id=client_id)
    check_transition(client.status, ClientStatus.ARCHIVED)
    client.status = ClientStatus.ARCHIVED
    await session.flush()


async def assignment_history(
    session: AsyncSession, *, principal: Principal, client_id: uuid.UUID
) -> list[TrainerAssignment]:
    client = await get_client(session, principal=principal, client_id=client_id)
    rows = await session.scalars(
        sa.select(TrainerAssignment)
        .where(TrainerAssignment.client_id == client.id)
        .order_by(TrainerAssignment.id)
    )
    return list(rows)


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
