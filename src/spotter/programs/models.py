"""Programs: templates (plans) and the programs assigned to clients.

wger's vocabulary, with periodization on top: a **plan** has ordered **phases** (a number of
weeks and a focus), a phase has ordered **workouts** (training days), a workout has ordered
**prescriptions** (one exercise: sets, reps or a rep range, one load kind, tempo, rest,
time or distance, set type, a superset/circuit group label and a progression rule).

One structure, two uses (``Plan.kind``):

* ``template``: a trainer's personal template (``owner_id`` set) or one of the
  organization's shared library (``owner_id`` NULL), edited through the template routes;
* ``snapshot``: the private deep copy a **program** makes of a template when it is assigned
  to a client. The template routes never reach a snapshot, and nothing edits one, so later
  template edits do not rewrite a running program and every week's values stay
  reproducible (see ``programs.progression``).

Exercise ids are not foreign keys: an exercise is a shared library row or one of the
organization's own, so it is validated through ``exercises.service`` on write.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotter.core.db import Base, IdMixin, TimestampMixin
from spotter.core.tenancy import TenantMixin

NAME_MAX = 120
NOTES_MAX = 2000


class Plan(IdMixin, TimestampMixin, TenantMixin, Base):
    __tablename__ = "plans"
    __table_args__ = (sa.Index("ix_plans_org_kind_owner", "organization_id", "kind", "owner_id"),)

    kind: Mapped[str] = mapped_column(sa.String(10), default="template")
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    goal: Mapped[str | None] = mapped_column(sa.String(200))
    level: Mapped[str | None] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # NULL: the organization's shared library; otherwise the trainer's personal template.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    archived: Mapped[bool] = mapped_column(default=False)
    # Where a copy or a snapshot came from (informational).
    source_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )

    phases: Mapped[list[Phase]] = relationship(
        lazy="raise",
        order_by="Phase.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="plan",
    )


class Phase(IdMixin, TenantMixin, Base):
    __tablename__ = "plan_phases"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    weeks: Mapped[int] = mapped_column(default=1)
    focus: Mapped[str | None] = mapped_column(sa.String(200))

    plan: Mapped[Plan] = relationship(lazy="raise", back_populates="phases")
    workouts: Mapped[list[Workout]] = relationship(
        lazy="raise",
        order_by="Workout.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="phase",
    )


class Workout(IdMixin, TenantMixin, Base):
    __tablename__ = "plan_workouts"

    phase_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plan_phases.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    phase: Mapped[Phase] = relationship(lazy="raise", back_populates="workouts")
    prescriptions: Mapped[list[Prescription]] = relationship(
        lazy="raise",
        order_by="Prescription.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="workout",
    )


class Prescription(IdMixin, TenantMixin, Base):
    __tablename__ = "plan_prescriptions"

    workout_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plan_workouts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    exercise_id: Mapped[uuid.UUID] = mapped_column(index=True)
    sets: Mapped[int] = mapped_column(default=1)
    reps_min: Mapped[int | None]
    reps_max: Mapped[int | None]
    load_kg: Mapped[float | None] = mapped_column(sa.Float)
    percent_1rm: Mapped[float | None] = mapped_column(sa.Float)
    rpe: Mapped[float | None] = mapped_column(sa.Float)
    rir: Mapped[int | None]
    tempo: Mapped[str | None] = mapped_column(sa.String(20))
    rest_seconds: Mapped[int | None]
    duration_seconds: Mapped[int | None]
    distance_m: Mapped[float | None] = mapped_column(sa.Float)
    set_type: Mapped[str] = mapped_column(sa.String(10), default="working")
    notes: Mapped[str | None] = mapped_column(sa.Text)
    group_label: Mapped[str | None] = mapped_column(sa.String(20))
    # {"kind": "linear_load", ...}: see programs.progression.
    progression: Mapped[dict[str, Any] | None]

    workout: Mapped[Workout] = relationship(lazy="raise", back_populates="prescriptions")


class Program(IdMixin, TimestampMixin, TenantMixin, Base):
    """A template assigned to a client: its own snapshot plan plus progress."""

    __tablename__ = "programs"
    __table_args__ = (sa.Index("ix_programs_org_client", "organization_id", "client_id", "id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    mode: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    start_on: Mapped[date]
    # ISO weekdays (1 = Monday ... 7 = Sunday) the workouts are laid on.
    training_days: Mapped[list[int]] = mapped_column(sa.JSON)
    current_phase: Mapped[int] = mapped_column(default=1)
    current_week: Mapped[int] = mapped_column(default=1)
    completed_on: Mapped[date | None]
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    plan: Mapped[Plan] = relationship(lazy="raise", foreign_keys=[plan_id])


class WorkoutCompletion(IdMixin, TenantMixin, Base):
    """A program workout done in a given phase and week (what dynamic progression counts)."""

    __tablename__ = "program_workout_completions"
    __table_args__ = (sa.UniqueConstraint("program_id", "workout_id", "phase", "week"),)

    program_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    workout_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("plan_workouts.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[int]
    week: Mapped[int]
    completed_on: Mapped[date]


class ScheduleOverride(IdMixin, TenantMixin, Base):
    """A scheduled workout moved to another day (``scheduled_id`` names the occurrence)."""

    __tablename__ = "program_schedule_overrides"
    __table_args__ = (sa.UniqueConstraint("program_id", "scheduled_id"),)

    program_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    scheduled_id: Mapped[uuid.UUID]
    scheduled_on: Mapped[date]
