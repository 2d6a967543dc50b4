"""Tenancy in one place.

Every tenant-owned table mixes in ``TenantMixin``. Two session hooks do the rest:

* ``do_orm_execute`` adds ``organization_id = <current org>`` to every ORM SELECT, UPDATE
  and DELETE that touches a tenant table (SQLAlchemy's ``with_loader_criteria`` recipe). A
  session with no organization sees no tenant rows at all: it fails closed.
* ``before_flush`` stamps ``organization_id`` on new rows and refuses rows that name
  another organization or move a row between organizations.

Unscoped access is explicit and greppable: ``unscoped(stmt)`` for one statement (used to
resolve who is calling, before the organization is known) or ``db.session(platform=True)``
for operator work (CLI, platform admin).
"""

from __future__ import annotations

import uuid
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


class TenantMixin:
    @declared_attr
    def organization_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True, nullable=False
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


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.session.info.get(PLATFORM_KEY) or state.execution_options.get(_UNSCOPED_OPTION):
        return
    org_id = state.session.info.get(ORG_KEY)
    if org_id is None:
        # No organization: the impossible condition on a NOT NULL column matches nothing.
        criteria = with_loader_criteria(
            TenantMixin, lambda cls: cls.organization_id.is_(None), include_aliases=True
        )
    else:
        criteria = with_loader_criteria(
            TenantMixin, lambda cls: cls.organization_id == org_id, include_aliases=True
        )
    state.statement = state.statement.options(criteria)


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
        elif org_id is not None and obj.organization_id != org_id and not platform:
            raise TenancyViolation(f"{type(obj).__name__} written for another organization")
    if platform:
        return
    for obj in session.dirty:
        if isinstance(obj, TenantMixin):
            history = sa.inspect(obj).attrs.organization_id.history
            if history.deleted and history.deleted[0] is not None:
                raise TenancyViolation(f"{type(obj).__name__} moved between organizations")
