from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from spotter.core.db import Base, IdMixin, TimestampMixin, utcnow
from spotter.core.tenancy import TenantMixin


class Organization(IdMixin, TimestampMixin, Base):
    """The tenant itself (a global table)."""

    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    timezone: Mapped[str] = mapped_column(sa.String(60), default="UTC")
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    unit_system: Mapped[str] = mapped_column(sa.String(10), default="metric")
    display_name: Mapped[str | None] = mapped_column(sa.String(120))
    logo_url: Mapped[str | None] = mapped_column(sa.String(500))
    primary_color: Mapped[str] = mapped_column(sa.String(7), default="#2563eb")
    accent_color: Mapped[str] = mapped_column(sa.String(7), default="#f97316")


class Membership(IdMixin, TenantMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("organization_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(IdMixin, TenantMixin, Base):
    __tablename__ = "invitations"

    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    client_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class ApiKey(IdMixin, TenantMixin, Base):
    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    key_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON)
    rate_limit_per_minute: Mapped[int]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
