"""Progress: measurements (built-in body metrics and the organization's custom metrics),
progress photos (files in ``core.storage``), weekly check-ins with their questions and
threads. Quantities are stored metric (kg, cm); photos are stored without metadata."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from spotter.core.db import Base, IdMixin, TimestampMixin, utcnow
from spotter.core.tenancy import TenantMixin


class CustomMetric(IdMixin, TimestampMixin, TenantMixin, Base):
    """A metric the organization's trainers defined (e.g. "Resting heart rate")."""

    __tablename__ = "progress_custom_metrics"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)

    name: Mapped[str] = mapped_column(sa.String(60))
    unit_kind: Mapped[str] = mapped_column(sa.String(20))
    direction: Mapped[str] = mapped_column(sa.String(10))
    archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Measurement(IdMixin, TimestampMixin, TenantMixin, Base):
    """One value of one metric for one client on one day (re-entering the day updates it).

    ``metric`` is a built-in key (``body_weight``, ``waist``, ...) or ``custom:<id>``."""

    __tablename__ = "progress_measurements"
    __table_args__ = (
        sa.UniqueConstraint("client_id", "metric", "measured_on"),
        sa.Index("ix_progress_measurements_client_day", "client_id", "measured_on", "id"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(sa.String(60))
    custom_metric_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("progress_custom_metrics.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[float] = mapped_column(sa.Float)
    source: Mapped[str] = mapped_column(sa.String(10), default="entry")  # entry | check_in
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Photo(IdMixin, TenantMixin, Base):
    """A progress photo: the re-encoded image and its thumbnail live in the file store
    under keys made by ``storage.new_key``; nothing about them is derived from the upload."""

    __tablename__ = "progress_photos"
    __table_args__ = (
        sa.Index("ix_progress_photos_client_day", "client_id", "taken_on", "id"),
        sa.Index("ix_progress_photos_client_pose", "client_id", "pose", "taken_on"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    pose: Mapped[str] = mapped_column(sa.String(10))
    taken_on: Mapped[date] = mapped_column(sa.Date)
    image_key: Mapped[str] = mapped_column(sa.String(255))
    thumbnail_key: Mapped[str] = mapped_column(sa.String(255))
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckInForm(IdMixin, TimestampMixin, TenantMixin, Base):
    """The weekly check-in's questions: one per client, or the organization's default
    (``client_id`` NULL). Without either, the built-in default applies."""

    __tablename__ = "progress_checkin_forms"
    __table_args__ = (
        sa.Index(
            "uq_progress_checkin_forms_org_default",
            "organization_id",
            unique=True,
            sqlite_where=sa.text("client_id IS NULL"),
            postgresql_where=sa.text("client_id IS NULL"),
        ),
    )

    client_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("clients.id", ondelete="CASCADE"), unique=True
    )
    scales: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # [{"id": "q1", "label": "What went well this week?"}, ...]
    questions: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    ask_photo: Mapped[bool] = mapped_column(default=True)
    ask_weight: Mapped[bool] = mapped_column(default=True)
    due_weekday: Mapped[int] = mapped_column(default=7)  # ISO: 1 = Monday .. 7 = Sunday
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class CheckIn(IdMixin, TenantMixin, Base):
    """A client's answers for one week (Monday ``week_starts_on`` in the client's time zone)."""

    __tablename__ = "progress_checkins"
    __table_args__ = (
        sa.UniqueConstraint("client_id", "week_starts_on"),
        sa.Index("ix_progress_checkins_org_reviewed", "organization_id", "reviewed_at", "id"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    week_starts_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    late: Mapped[bool] = mapped_column(default=False)  # submitted after the due day
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    scales: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # [{"question": "What went well?", "answer": "..."}]: the question as it was asked.
    answers: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    weight_kg: Mapped[float | None] = mapped_column(sa.Float)
    photo_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("progress_photos.id", ondelete="SET NULL"), index=True
    )
    reviewed_at: Mapped[datetime | None]  # the first reply from staff
    last_message_at: Mapped[datetime | None]


class CheckInMessage(IdMixin, TenantMixin, Base):
    """One message in a check-in's thread, from the client or from staff."""

    __tablename__ = "progress_checkin_messages"
    __table_args__ = (sa.Index("ix_progress_checkin_messages_thread", "check_in_id", "id"),)

    check_in_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("progress_checkins.id", ondelete="CASCADE")
    )
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    from_client: Mapped[bool]
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
