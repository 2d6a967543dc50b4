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

Unscoped access is explicit and greppable: ``unscoped(stmt)`` for one statement (used to
resolve who is calling, before the organization is known) or ``db.session(platform=True)``
for operator work (CLI, platform admin).
"""

from __future__ import annotations

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
