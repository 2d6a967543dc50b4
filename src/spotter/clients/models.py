from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin


class Client(IdMixin, TimestampMixin, TenantMixin, Base):
    """A person coached by the organization; ``user_id`` is set once they have an account."""

    __tablename__ = "clients"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "user_id"),
        sa.Index("ix_clients_org_trainer", "organization_id", "trainer_id"),
        sa.Index("ix_clients_org_name", "organization_id", "full_name", "id"),
    )

    full_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The assigned trainer is a user who is a staff member of this organization.
    trainer_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
