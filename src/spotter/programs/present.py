"""ORM trees to response schemas (exercise names come from one batch lookup)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence

from spotter.programs import progression
from spotter.programs.models import Phase, Plan, Prescription, Program, Workout
from spotter.programs.schemas import (
    PhaseOut,
    PhaseSummary,
    PrescriptionOut,
    ProgramOut,
    TemplateOut,
    TemplateSummary,
    WorkoutOut,
)

Names = Mapping[uuid.UUID, str]


def group_kinds(prescriptions: Sequence[Prescription]) -> dict[str, str]:
    """Labels shared by 2 prescriptions form a superset, by 3 or more a circuit."""
    counts = Counter(rx.group_label for rx in prescriptions if rx.group_label)
    return {label: "superset" if n == 2 else "circuit" for label, n in counts.items() if n > 1}


def prescription(
    rx: Prescription,
    names: Names,
    kinds: Mapping[str, str] | None = None,
    week: int | None = None,
) -> PrescriptionOut:
    out = PrescriptionOut.model_validate(rx)
    out.exercise_name = names.get(rx.exercise_id)
    if kinds is not None and rx.group_label:
        out.group_kind = kinds.get(rx.group_label)  # type: ignore[assignment]
    if week is not None and rx.progression:
        now = progression.applied(progression.Values.of(rx), rx.progression, week)
        out.sets, out.reps_min, out.reps_max = now.sets, now.reps_min, now.reps_max
        out.load_kg, out.percent_1rm = now.load_kg, now.percent_1rm
    return out


def workout(
    w: Workout, names: Names, *, week: int | None = None, completed: bool | None = None
) -> WorkoutOut:
    kinds = group_kinds(w.prescriptions)
    return WorkoutOut(
        id=w.id,
        position=w.position,
        name=w.name,
        notes=w.notes,
        prescriptions=[prescription(rx, names, kinds, week) for rx in w.prescriptions],
        completed=completed,
    )


def phase(ph: Phase, names: Names) -> PhaseOut:
    return PhaseOut(
        id=ph.id,
        position=ph.position,
        name=ph.name,
        weeks=ph.weeks,
        focus=ph.focus,
        workouts=[workout(w, names) for w in ph.workouts],
    )


def summary(plan: Plan, duration_weeks: int) -> TemplateSummary:
    return TemplateSummary(
        id=plan.id,
        name=plan.name,
        goal=plan.goal,
        level=plan.level,  # type: ignore[arg-type]
        description=plan.description,
        shared=plan.owner_id is None,
        owner_id=plan.owner_id,
        archived=plan.archived,
        duration_weeks=duration_weeks,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def template(plan: Plan, names: Names) -> TemplateOut:
    base = summary(plan, sum(ph.weeks for ph in plan.phases))
    return TemplateOut(**base.model_dump(), phases=[phase(ph, names) for ph in plan.phases])


def program(p: Program) -> ProgramOut:
    phases = [
        PhaseSummary(number=i + 1, name=ph.name, weeks=ph.weeks, focus=ph.focus)
        for i, ph in enumerate(p.plan.phases)
    ]
    return ProgramOut(
        id=p.id,
        client_id=p.client_id,
        template_id=p.template_id,
        name=p.name,
        mode=p.mode,  # type: ignore[arg-type]
        status=p.status,  # type: ignore[arg-type]
        start_on=p.start_on,
        training_days=p.training_days,
        current_phase=p.current_phase,
        current_week=p.current_week,
        completed_on=p.completed_on,
        total_weeks=sum(ph.weeks for ph in phases),
        phases=phases,
        created_at=p.created_at,
    )
