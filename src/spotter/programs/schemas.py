from __future__ import annotations

import datetime as dt
import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from spotter.core.schemas import Out, Schema
from spotter.programs.progression import Values, rule_problem

Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Notes = Annotated[str, StringConstraints(max_length=2000)]
Short = Annotated[str, StringConstraints(max_length=200)]

TEMPO = re.compile(r"^[0-9xX]{1,2}(-[0-9xX]{1,2}){3}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class SetType(StrEnum):
    WARM_UP = "warm_up"
    WORKING = "working"
    DROP = "drop"
    AMRAP = "amrap"


class Mode(StrEnum):
    STATIC = "STATIC"
    DYNAMIC_PROGRESSIVE = "DYNAMIC_PROGRESSIVE"


class ProgramStatus(StrEnum):
    """``paused``: kept as it is (no workouts logged, no advance) until resumed."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# --- progression rules ---------------------------------------------------------------------


class LinearLoad(Schema):
    kind: Literal["linear_load"]
    increment_kg: Annotated[float, Field(gt=0, le=50, description="kg added every week")]


class DoubleProgression(Schema):
    kind: Literal["double_progression"]
    increment_kg: Annotated[
        float, Field(gt=0, le=50, description="kg added once reps reach the top of the range")
    ]


class PercentageSteps(Schema):
    kind: Literal["percentage_steps"]
    steps: Annotated[
        list[Annotated[float, Field(gt=0, le=120)]],
        Field(min_length=1, max_length=52, description="%1RM for week 1, 2, ..."),
    ]


Rule = Annotated[LinearLoad | DoubleProgression | PercentageSteps, Field(discriminator="kind")]


# --- template structure (input) ------------------------------------------------------------


class PrescriptionIn(Schema):
    exercise_id: uuid.UUID
    sets: Annotated[int, Field(ge=1, le=50)] = 3
    reps: Annotated[int | None, Field(ge=1, le=1000, description="Exact reps")] = None
    reps_min: Annotated[int | None, Field(ge=1, le=1000)] = None
    reps_max: Annotated[int | None, Field(ge=1, le=1000)] = None
    load_kg: Annotated[float | None, Field(ge=0, le=1000)] = None
    percent_1rm: Annotated[float | None, Field(gt=0, le=120)] = None
    rpe: Annotated[float | None, Field(ge=1, le=10)] = None
    rir: Annotated[int | None, Field(ge=0, le=10)] = None
    tempo: Annotated[
        str | None,
        Field(
            max_length=11,
            description='Eccentric-pause-concentric-pause seconds, e.g. "3-1-1-0" (X = explosive)',
        ),
    ] = None
    rest_seconds: Annotated[int | None, Field(ge=0, le=3600)] = None
    duration_seconds: Annotated[int | None, Field(ge=1, le=86400)] = None
    distance_m: Annotated[float | None, Field(gt=0, le=1_000_000)] = None
    set_type: SetType = SetType.WORKING
    notes: Notes | None = None
    group_label: Annotated[
        str | None,
        StringConstraints(pattern=r"^[A-Za-z0-9]{1,20}$"),
        Field(description="Prescriptions sharing a label in a workout form a superset/circuit"),
    ] = None
    progression: Rule | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PrescriptionIn:
        if self.reps is not None:
            if self.reps_min is not None or self.reps_max is not None:
                raise ValueError("give either reps or a rep range (reps_min, reps_max), not both")
            self.reps_min = self.reps_max = self.reps
            self.reps = None
        elif (self.reps_min is None) != (self.reps_max is None):
            raise ValueError("a rep range needs both reps_min and reps_max")
        elif self.reps_min is not None and self.reps_max is not None:
            if self.reps_min > self.reps_max:
                raise ValueError(
                    f"rep range upside down: reps_min {self.reps_min} > reps_max {self.reps_max}"
                )
        loads = [
            k for k in ("load_kg", "percent_1rm", "rpe", "rir") if getattr(self, k) is not None
        ]
        if len(loads) > 1:
            raise ValueError(f"one load kind per prescription, got {' and '.join(loads)}")
        if self.tempo is not None and not TEMPO.match(self.tempo):
            raise ValueError(f'invalid tempo {self.tempo!r}: use four parts like "3-1-1-0"')
        if self.progression is not None:
            problem = rule_problem(self.progression.model_dump(), self.values())
            if problem:
                raise ValueError(problem)
        return self

    def values(self) -> Values:
        return Values.of(self)

    def columns(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"reps", "progression"})
        data["progression"] = self.progression.model_dump() if self.progression else None
        return data


class WorkoutFields(Schema):
    name: Name
    notes: Notes | None = None


class WorkoutIn(WorkoutFields):
    prescriptions: Annotated[list[PrescriptionIn], Field(max_length=60)] = []


class PhaseFields(Schema):
    name: Name
    weeks: Annotated[int, Field(ge=1, le=52)] = 1
    focus: Short | None = None


class PhaseIn(PhaseFields):
    workouts: Annotated[list[WorkoutIn], Field(max_length=14)] = []


class TemplateFields(Schema):
    name: Name
    goal: Short | None = None
    level: Level | None = None
    description: Notes | None = None


class TemplateCreate(TemplateFields):
    shared: Annotated[
        bool, Field(description="In the organization's shared library (owners/admins)")
    ] = False
    phases: Annotated[list[PhaseIn], Field(max_length=20)] = []


class TemplateCopy(Schema):
    name: Name | None = None
    shared: bool = False


class Order(Schema):
    ids: Annotated[list[uuid.UUID], Field(max_length=200, description="Every child, in order")]


# --- template structure (output) -----------------------------------------------------------


class PrescriptionOut(Out):
    id: uuid.UUID
    position: int
    exercise_id: uuid.UUID
    exercise_name: str | None = None
    sets: int
    reps_min: int | None
    reps_max: int | None
    load_kg: float | None
    percent_1rm: float | None
    rpe: float | None
    rir: int | None
    tempo: str | None
    rest_seconds: int | None
    duration_seconds: int | None
    distance_m: float | None
    set_type: SetType
    notes: str | None
    group_label: str | None
    group_kind: Literal["superset", "circuit"] | None = None
    progression: dict[str, Any] | None


class WorkoutOut(Out):
    id: uuid.UUID
    position: int
    name: str
    notes: str | None
    prescriptions: list[PrescriptionOut] = []
    completed: bool | None = None


class PhaseOut(Out):
    id: uuid.UUID
    position: int
    name: str
    weeks: int
    focus: str | None
    workouts: list[WorkoutOut] = []


class TemplateSummary(Out):
    id: uuid.UUID
    name: str
    goal: str | None
    level: Level | None
    description: str | None
    shared: bool
    owner_id: uuid.UUID | None
    archived: bool
    duration_weeks: int
    created_at: datetime
    updated_at: datetime


class TemplateOut(TemplateSummary):
    phases: list[PhaseOut]


# --- programs --------------------------------------------------------------------------------


def _weekday(value: Any) -> Any:
    if isinstance(value, str):
        key = value.strip().lower()[:3]
        if key in WEEKDAYS:
            return WEEKDAYS.index(key) + 1
        if key.isdigit():
            return int(key)
        raise ValueError(f"unknown weekday {value!r}: use mon..sun or 1..7 (Monday = 1)")
    return value


Weekday = Annotated[int, BeforeValidator(_weekday), Field(ge=1, le=7)]
TrainingDays = Annotated[
    list[Weekday],
    Field(min_length=1, max_length=7, description="ISO weekdays (1 = Monday) or mon..sun"),
]


def _unique_days(days: list[int] | None) -> list[int] | None:
    if days is not None and len(set(days)) != len(days):
        raise ValueError("training_days lists a day twice")
    return sorted(days) if days is not None else None


class AssignIn(Schema):
    client_id: uuid.UUID
    mode: Mode
    start_on: date
    training_days: TrainingDays | None = None
    name: Name | None = None

    @model_validator(mode="after")
    def _days(self) -> AssignIn:
        self.training_days = _unique_days(self.training_days)
        return self


class ProgramUpdate(Schema):
    current_phase: Annotated[int | None, Field(ge=1)] = None
    current_week: Annotated[int | None, Field(ge=1)] = None
    status: ProgramStatus | None = None
    training_days: TrainingDays | None = None

    @model_validator(mode="after")
    def _days(self) -> ProgramUpdate:
        self.training_days = _unique_days(self.training_days)
        return self


class PhaseSummary(Out):
    number: int
    name: str
    weeks: int
    focus: str | None


class ProgramOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    template_id: uuid.UUID | None
    name: str
    mode: Mode
    status: ProgramStatus
    start_on: date
    training_days: list[int]
    current_phase: int
    current_week: int
    completed_on: date | None
    total_weeks: int
    phases: list[PhaseSummary]
    created_at: datetime


class ProgramWeekOut(Schema):
    program_id: uuid.UUID
    phase: int
    week: int
    phase_name: str
    workouts: list[WorkoutOut]


class CompleteIn(Schema):
    completed_on: date | None = None


class ScheduledWorkout(Schema):
    id: uuid.UUID
    date: dt.date
    planned_date: dt.date
    moved: bool
    phase: int
    week: int
    workout_id: uuid.UUID
    workout_name: str
    completed: bool


class MoveIn(Schema):
    date: dt.date
