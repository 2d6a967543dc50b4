"""Clients of an organization, the trainers they are assigned to, and what is recorded
about them: profile, tags, assignment history, health history (sealed), goals and
assessments. Quantities are metric (kg, cm); health data is stored encrypted
(``core.security.encrypt``), never as plain columns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from spotter.core.db import Base, IdMixin, TimestampMixin, utcnow
from spotter.core.tenancy import TenantMixin


class Client(IdMixin, TimestampMixin, TenantMixin, Base):
    """A person coached by the organization; ``user_id`` is set once they have an account."""

    __tablename__ = "clients"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "user_id"),
        sa.Index("ix_clients_org_trainer", "organization_id", "trainer_id"),
        sa.Index("ix_clients_org_name", "organization_id", "full_name", "id"),
        sa.Index("ix_clients_org_status", "organization_id", "status"),
    )

    full_name: Mapped[str] = mapped_column(sa.String(200))
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The assigned trainer is a user who is a staff member of this organization.
    trainer_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Profile.
    born_on: Mapped[date | None] = mapped_column(sa.Date)
    sex: Mapped[str | None] = mapped_column(sa.String(20))
    height_cm: Mapped[float | None] = mapped_column(sa.Float)
    unit_system: Mapped[str] = mapped_column(
        sa.String(10), default="metric", server_default="metric"
    )
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    experience: Mapped[str | None] = mapped_column(sa.String(20))
    equipment: Mapped[list[str]] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )
    # ISO weekdays, 1 = Monday .. 7 = Sunday.
    training_days: Mapped[list[int]] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )
    session_minutes: Mapped[int | None] = mapped_column(sa.Integer)
    # Injuries and limitations: health data, sealed with AES-GCM.
    limitations_sealed: Mapped[str | None] = mapped_column(sa.Text)
    # Private trainer notes: staff with clients:notes only, never the client.
    notes: Mapped[str | None] = mapped_column(sa.Text)


class ClientTag(IdMixin, TenantMixin, Base):
    """One tag on one client; the organization's tags are the distinct values."""

    __tablename__ = "client_tags"
    __table_args__ = (
        sa.UniqueConstraint("client_id", "tag"),
        sa.Index("ix_client_tags_org_tag", "organization_id", "tag"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(sa.String(40))


class TrainerAssignment(IdMixin, TenantMixin, Base):
    """History of who coached a client: one row per change of assigned trainer."""

    __tablename__ = "client_trainer_assignments"
    __table_args__ = (sa.Index("ix_client_trainer_assignments_client", "client_id", "id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    from_trainer_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    to_trainer_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class HealthHistory(IdMixin, TimestampMixin, TenantMixin, Base):
    """A client's health questionnaire and emergency contacts: one sealed JSON blob."""

    __tablename__ = "client_health_histories"

    client_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    sealed: Mapped[str] = mapped_column(sa.Text)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Goal(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "client_goals"
    __table_args__ = (sa.Index("ix_client_goals_client", "client_id", "id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    exercise_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)  # shared or custom
    target_kind: Mapped[str] = mapped_column(sa.String(10), default="absolute")
    start_value: Mapped[float | None] = mapped_column(sa.Float)
    target_value: Mapped[float] = mapped_column(sa.Float)
    current_value: Mapped[float | None] = mapped_column(sa.Float)  # manual (habit, custom...)
    unit: Mapped[str | None] = mapped_column(sa.String(20))
    deadline_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default="active")


class Assessment(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "client_assessments"
    __table_args__ = (sa.Index("ix_client_assessments_client", "client_id", "assessed_on", "id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    assessed_on: Mapped[date] = mapped_column(sa.Date)
    resting_hr: Mapped[int | None] = mapped_column(sa.Integer)
    bp_systolic: Mapped[int | None] = mapped_column(sa.Integer)
    bp_diastolic: Mapped[int | None] = mapped_column(sa.Integer)
    body_weight_kg: Mapped[float | None] = mapped_column(sa.Float)
    body_fat_pct: Mapped[float | None] = mapped_column(sa.Float)
    waist_cm: Mapped[float | None] = mapped_column(sa.Float)
    hip_cm: Mapped[float | None] = mapped_column(sa.Float)
    push_ups: Mapped[int | None] = mapped_column(sa.Integer)
    plank_seconds: Mapped[int | None] = mapped_column(sa.Integer)
    sit_reach_cm: Mapped[float | None] = mapped_column(sa.Float)
    one_rep_maxes: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    movement_screen: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    items: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
