"""The exercise library: a shared, read-only catalogue plus each organization's own rows.

Shared (global) tables, loaded by a data migration from ``spotter/data/exercises.json``
and never written at run time:

* ``exercise_categories``: a two-level hierarchy (Strength > Powerlifting, ...);
* ``muscles`` (17 groups) and ``equipment``: controlled vocabularies;
* ``exercises`` and ``exercise_muscles``: the public-domain library.

Tenant tables (``TenantMixin``): ``custom_exercises`` (an organization's own exercises,
archived rather than deleted), ``custom_exercise_muscles`` and ``exercise_overrides`` (an
organization's own name, video, cues and notes for a shared exercise; the shared row is
never touched).

Why muscles are association tables and not JSON or array columns: a row per
(exercise, muscle) with ``is_primary`` and an index on ``(muscle_id, is_primary)`` is an
ordinary B-tree lookup on both SQLite and PostgreSQL, where a JSON column would need
``json_each`` on one and a GIN index on the other, and an array type does not exist on
SQLite. It also keeps the vocabulary honest (foreign keys) and lets other domains join
"sets per muscle group" in plain SQL. Request-time search over the shared library does
not query these tables at all: it uses an in-process index built once from them (see
``exercises.index``), because the shared rows only change through a migration.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin, new_id, utcnow
from spotter.core.tenancy import TenantMixin

NAME_MAX = 120
URL_MAX = 500


class ExerciseCategory(IdMixin, Base):
    """A category; ``parent_id`` makes the hierarchy (filtering by a parent includes its
    children)."""

    __tablename__ = "exercise_categories"

    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("exercise_categories.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)


class Muscle(IdMixin, Base):
    __tablename__ = "muscles"

    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # Body region for grouping in pickers: arms, shoulders, chest, back, core, legs, neck.
    region: Mapped[str] = mapped_column(sa.String(20))


class Equipment(IdMixin, Base):
    __tablename__ = "equipment"

    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))


class Exercise(IdMixin, TimestampMixin, Base):
    """A shared library exercise. ``slug`` is the dataset's id (the upsert key); the ``id``
    is a UUIDv7 derived from it, so it is the same on every installation."""

    __tablename__ = "exercises"

    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    category_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("exercise_categories.id", ondelete="RESTRICT"), index=True
    )
    level: Mapped[str] = mapped_column(sa.String(20))
    mechanic: Mapped[str | None] = mapped_column(sa.String(20))
    force: Mapped[str | None] = mapped_column(sa.String(20))
    equipment_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("equipment.id", ondelete="RESTRICT"), index=True
    )


class ExerciseMuscle(IdMixin, Base):
    __tablename__ = "exercise_muscles"
    __table_args__ = (
        sa.UniqueConstraint("exercise_id", "muscle_id"),
        sa.Index("ix_exercise_muscles_muscle", "muscle_id", "is_primary", "exercise_id"),
    )

    exercise_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("exercises.id", ondelete="CASCADE")
    )
    muscle_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("muscles.id", ondelete="RESTRICT"))
    is_primary: Mapped[bool]


class CustomExercise(IdMixin, TimestampMixin, TenantMixin, Base):
    """An organization's own exercise. Archived (``archived_at``), never deleted, so
    programs that use it keep their history."""

    __tablename__ = "custom_exercises"

    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    category_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("exercise_categories.id", ondelete="RESTRICT")
    )
    level: Mapped[str] = mapped_column(sa.String(20))
    mechanic: Mapped[str | None] = mapped_column(sa.String(20))
    force: Mapped[str | None] = mapped_column(sa.String(20))
    equipment_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("equipment.id", ondelete="RESTRICT")
    )
    video_url: Mapped[str | None] = mapped_column(sa.String(URL_MAX))
    cues: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    muscles: Mapped[list[CustomExerciseMuscle]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class CustomExerciseMuscle(IdMixin, TenantMixin, Base):
    __tablename__ = "custom_exercise_muscles"
    __table_args__ = (
        sa.UniqueConstraint("custom_exercise_id", "muscle_id"),
        sa.Index(
            "ix_custom_exercise_muscles_org_muscle", "organization_id", "muscle_id", "is_primary"
        ),
    )

    custom_exercise_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("custom_exercises.id", ondelete="CASCADE")
    )
    muscle_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("muscles.id", ondelete="RESTRICT"))
    is_primary: Mapped[bool]


class ExerciseOverride(IdMixin, TimestampMixin, TenantMixin, Base):
    """An organization's version of a shared exercise: each field left empty falls back to
    the shared row. Removing the override restores the shared exercise as it is."""

    __tablename__ = "exercise_overrides"
    __table_args__ = (sa.UniqueConstraint("organization_id", "exercise_id"),)

    exercise_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("exercises.id", ondelete="CASCADE")
    )
    name: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    video_url: Mapped[str | None] = mapped_column(sa.String(URL_MAX))
    cues: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class ExerciseLibraryVersion(IdMixin, TenantMixin, Base):
    """A new random ``version`` on every change to the organization's custom exercises or
    overrides (the service writes it in the same transaction). Search keeps each
    organization's own entries in process memory under this version, so a request that
    finds it unchanged reads one row instead of every custom exercise. No row: the
    organization has never had custom exercises or overrides."""

    __tablename__ = "exercise_library_versions"
    __table_args__ = (sa.UniqueConstraint("organization_id"),)

    version: Mapped[uuid.UUID] = mapped_column(default=new_id)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
