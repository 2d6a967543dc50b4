"""Tenancy in one place.

Every tenant-owned table mixes in ``TenantMixin``. Two session hooks do the rest:

* ``do_orm_execute`` adds ``organization_id = <current org>`` to every ORM SELECT, UPDATE
  and DELETE that touches a tenant table (SQLAlchemy's ``with_loader_criteria`` recipe). A
  session with no organization sees no tenant rows at all: it fails closed.
* ``before_flush`` stamps ``organization_id`` on new rows and refuses rows that name
  another organization or move a row between organizations.
* Bulk ``insert()``/``update()`` statements skip the flush, so ``do_orm_execute`` checks
  them too: any ``organization_id`` they write must be the session's own (an INSERT that
  names none is stamped with it).

* ``rows(session, select)`` runs a read of many plain rows on the session's connection
  (cheaper than ORM rows), adding the same condition to each tenant table it reads.

Unscoped access is explicit and greppable: ``unscoped(stmt)`` for one statement (used to
resolve who is calling, before the organization is known) or ``db.session(platform=True)``
for operator work (CLI, platform admin).
"""

from __future__ import annotations

import functools
import re
import uuid
import weakref
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql import visitors

from spotter.core.errors import AppError

ORG_KEY = "organization_id"
PLATFORM_KEY = "platform"
_UNSCOPED_OPTION = "spotter_unscoped"
_S = TypeVar("_S", bound=sa.Executable)
_MULTI_VALUE = re.compile(ORG_KEY + r"_m\d+")


class TenantMixin:
    @declared_attr
    def organization_id(cls) -> Mapped[uuid.UUID]:
        # The type is spelled out: a declared_attr's annotation is not read, and a foreign
        # key's column left untyped stays NullType in Core statements (no bind casts).
        return mapped_column(
            sa.Uuid(),
            sa.ForeignKey("organizations.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )


class TenancyViolation(AppError):
    status = 500
    code = "tenancy_violation"
    title = "A row was written for another organization"


def set_organization(session: Any, organization_id: uuid.UUID | None) -> None:
    """Scope a session (sync or async) to one organization."""
    target = getattr(session, "sync_session", session)
    target.info[ORG_KEY] = organization_id


def current_organization(session: Any) -> uuid.UUID | None:
    return getattr(session, "sync_session", session).info.get(ORG_KEY)


def unscoped(stmt: _S) -> _S:
    """Mark one statement as crossing organizations. Keep these rare and reviewed."""
    return stmt.execution_options(**{_UNSCOPED_OPTION: True})


def _tenant_tables() -> set[Any]:
    found: set[Any] = set()
    todo: list[type] = list(TenantMixin.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        table = getattr(cls, "__table__", None)
        if table is not None:
            found.add(table)
    return found


def _assigned_organizations(state: ORMExecuteState) -> tuple[list[Any], bool]:
    """The ``organization_id`` values an ORM INSERT/UPDATE statement writes, and whether
    every row it writes names one (bulk writes skip the flush hook, so they are checked
    here)."""
    rows: Any = state.parameters
    values: list[Any] = []
    statement: Any = state.statement
    if not rows:  # bulk (executemany) statements carry their values in the parameters
        bind = state.session.get_bind(mapper=state.bind_mapper)
        params = statement.compile(dialect=bind.dialect).params
        values = [v for k, v in params.items() if k == ORG_KEY or _MULTI_VALUE.fullmatch(k)]
    in_statement = bool(values)
    if isinstance(rows, dict):
        rows = [rows]
    named = [row[ORG_KEY] for row in rows or () if ORG_KEY in row]
    every_row = in_statement or (bool(rows) and len(named) == len(rows or ()))
    return values + named, every_row


def _check_writes(state: ORMExecuteState, org_id: uuid.UUID | None) -> None:
    mapper = state.bind_mapper
    if mapper is not None:
        if not issubclass(mapper.class_, TenantMixin):
            return
        name = mapper.class_.__name__
    else:  # a Core insert()/update() of a table, run through the session
        table = getattr(state.statement, "table", None)
        if table is None or table not in _tenant_tables():
            return
        name = table.name
    written, every_row = _assigned_organizations(state)
    if any(value != org_id for value in written):
        raise TenancyViolation(f"{name} written for another organization")
    if state.is_insert and not every_row:
        if org_id is None:
            raise TenancyViolation(f"{name} written with no organization")
        if not state.parameters:
            statement: Any = state.statement
            state.statement = statement.values({ORG_KEY: org_id})
        else:
            raise TenancyViolation(f"{name}: bulk rows must name their organization_id")


# The organization is a bound parameter, not a value in the criteria: one scoped copy of
# a statement then serves every organization, so a statement built once (module level,
# ``functools.cache``) is scoped once and keeps its memoized SQL cache key. Re-scoping it
# per execution would walk the whole statement again for the key each time. A missing
# value is an error, and NULL matches no row (the column is NOT NULL): it fails closed.
_TENANT_PARAM = "spotter_tenant_organization_id"
_CRITERIA = with_loader_criteria(
    TenantMixin,
    # The name is spelled out: a global in the lambda would be tracked as a value.
    lambda cls: cls.organization_id == sa.bindparam("spotter_tenant_organization_id"),
    include_aliases=True,
)
_scoped: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _scoped_statement(statement: Any) -> Any:
    scoped = _scoped.get(statement)
    if scoped is None:
        scoped = _scoped[statement] = statement.options(_CRITERIA)
    return scoped


def _with_organization(parameters: Any, org_id: uuid.UUID | None) -> Any:
    if isinstance(parameters, list):  # executemany (bulk UPDATE by primary key)
        return [{**row, _TENANT_PARAM: org_id} for row in parameters]
    return {**(parameters or {}), _TENANT_PARAM: org_id}


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return
    if state.session.info.get(PLATFORM_KEY) or state.execution_options.get(_UNSCOPED_OPTION):
        return
    org_id = state.session.info.get(ORG_KEY)
    if state.is_insert or state.is_update:
        _check_writes(state, org_id)
    if state.is_insert:
        return
    state.statement = _scoped_statement(state.statement)
    state.parameters = _with_organization(state.parameters, org_id)


@event.listens_for(Session, "before_flush")
def _stamp_rows(session: Session, _ctx: Any, _instances: Any) -> None:
    platform = bool(session.info.get(PLATFORM_KEY))
    org_id = session.info.get(ORG_KEY)
    for obj in session.new:
        if not isinstance(obj, TenantMixin):
            continue
        if obj.organization_id is None:
            if org_id is None:
                raise TenancyViolation(f"{type(obj).__name__} written with no organization")
            obj.organization_id = org_id
        elif obj.organization_id != org_id and not platform:
            raise TenancyViolation(f"{type(obj).__name__} written for another organization")
    if platform:
        return
    for obj in session.dirty:
        if isinstance(obj, TenantMixin):
            history = sa.inspect(obj).attrs.organization_id.history
            if history.deleted and history.deleted[0] is not None:
                raise TenancyViolation(f"{type(obj).__name__} moved between organizations")


# --- many rows through Core ----------------------------------------------------------------
#
# Reading many rows of plain columns through the ORM costs about 1.4 µs a row more than
# the same statement run on the connection (a fresh three-year dashboard reads some 1,700:
# over 2 ms). ``rows`` runs a SELECT on the session's connection, where the hook above does
# not reach, and scopes it here the same way: each tenant table it reads gets
# ``organization_id = <the session's organization>`` as the same bound parameter. It takes
# only statements whose tenant tables it can scope that way, plain tables in their own
# FROM: a tenant table in a join, an alias or a nested SELECT is refused (TypeError).


@functools.cache  # first called once every model is imported (a request, a test)
def _tenant_table_names() -> frozenset[str]:
    return frozenset(t.name for t in _tenant_tables())


_core_scoped: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _core_scoped_statement(statement: Any) -> Any:
    scoped = _core_scoped.get(statement)
    if scoped is not None:
        return scoped
    if not isinstance(statement, sa.Select):
        raise TypeError("tenancy.rows runs SELECT statements only")
    tenant = _tenant_table_names()
    froms = statement.get_final_froms()
    for element in [*froms, *visitors.iterate(statement)]:
        nested = element is not statement and isinstance(element, (sa.Select, sa.FromClause))
        if nested and not isinstance(element, sa.Table) and _reads_tenant(element, tenant):
            raise TypeError(f"tenancy.rows cannot scope a tenant table inside {element!r}")
    conditions = [
        f.c[ORG_KEY] == sa.bindparam(_TENANT_PARAM)
        for f in froms
        if isinstance(f, sa.Table) and f.name in tenant
    ]
    scoped = _core_scoped[statement] = statement.where(*conditions)
    return scoped


def _reads_tenant(element: Any, tenant: frozenset[str]) -> bool:
    return any(isinstance(e, sa.Table) and e.name in tenant for e in visitors.iterate(element))


async def rows(session: Any, statement: Any, parameters: dict[str, Any] | None = None) -> Any:
    """The rows of a SELECT, run on the session's connection (no ORM rows), scoped to the
    session's organization as an ORM read would be (see above). Pending changes are
    flushed first, as the ORM's autoflush would."""
    if session.autoflush:
        await session.flush()
    conn = await session.connection()
    if session.info.get(PLATFORM_KEY):
        return (await conn.execute(statement, parameters)).all()
    scoped = _core_scoped_statement(statement)
    org_id = session.info.get(ORG_KEY)
    return (await conn.execute(scoped, _with_organization(parameters, org_id))).all()
