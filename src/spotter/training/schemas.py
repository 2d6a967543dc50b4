from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from spotter.core.schemas import Out, Schema
from spotter.training.models import NAME_MAX, SET_NOTES_MAX

Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
Notes = Annotated[str, StringConstraints(max_length=2000)]
SetNotes = Annotated[str, StringConstraints(max_length=SET_NOTES_MAX)]
Rpe = Annotated[float, Field(ge=1, le=10, multiple_of=0.5, description="1-10, halves allowed")]


class WorkoutStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DISCARDED = "discarded"


class SetType(StrEnum):
    WARM_UP = "warm_up"
    WORKING = "working"
    DROP = "drop"
    AMRAP = "amrap"
    FAILURE = "failure"


class SetStatus(StrEnum):
    COMPLETED = "completed"
    SKIPPED = "skipped"


class Range(StrEnum):
    WEEKS_4 = "4w"
    WEEKS_12 = "12w"
    YEAR = "1y"
    ALL = "all"


# --- input ----------------------------------------------------------------------------------


class WorkoutStart(Schema):
    """Start a workout: from one of a program's workouts (its prescriptions for the
    current week, progression applied, become the targets) or free-style."""

    id: uuid.UUID | None = Field(
        default=None,
        description="Your own id for the workout (e.g. made offline); starting it again "
        "with the same id answers the same workout",
    )
    client_id: uuid.UUID | None = Field(
        default=None, description="Whose workout; a client may leave it out (themself)"
    )
    program_id: uuid.UUID | None = None
    program_workout_id: uuid.UUID | None = Field(
        default=None, description="One of the program's workouts in its current phase"
    )
    name: Name | None = None
    performed_on: date | None = Field(default=None, description="Default: today, client time")
    started_at: AwareDatetime | None = None
    notes: Notes | None = None

    @model_validator(mode="after")
    def _program_pair(self) -> WorkoutStart:
        if (self.program_id is None) != (self.program_workout_id is None):
            raise ValueError("give both program_id and program_workout_id, or neither")
        return self


class WorkoutUpdate(Schema):
    """Fields left out stay as they are."""

    name: Name | None = None
    notes: Notes | None = None
    performed_on: date | None = None
    started_at: AwareDatetime | None = None


class WorkoutComplete(Schema):
    session_rpe: Rpe | None = Field(default=None, description="How hard the session felt")
    duration_seconds: Annotated[int | None, Field(ge=1, le=86_400)] = Field(
        default=None, description="Default: from the start until now (at most 24 h)"
    )
    completed_at: AwareDatetime | None = None
    notes: Notes | None = None


class ExerciseAdd(Schema):
    id: uuid.UUID | None = Field(
        default=None, description="Your own id (adding it again answers the same exercise)"
    )
    exercise_id: uuid.UUID
    position: Annotated[int | None, Field(ge=0, le=100)] = Field(
        default=None, description="Default: after the last one"
    )
    rest_seconds: Annotated[int | None, Field(ge=0, le=3600)] = None
    notes: Notes | None = None


class ExerciseSwap(Schema):
    exercise_id: uuid.UUID


class SetIn(Schema):
    """A set, written by its id (``PUT``): the same body twice is stored once."""

    logged_exercise_id: uuid.UUID
    position: Annotated[int | None, Field(ge=1, le=100)] = Field(
        default=None, description="Set number within the exercise; default: the next one"
    )
    set_type: SetType = SetType.WORKING
    status: SetStatus = SetStatus.COMPLETED
    reps: Annotated[int | None, Field(ge=0, le=1000)] = None
    load_kg: Annotated[float | None, Field(ge=0, le=1000)] = None
    rpe: Rpe | None = None
    rir: Annotated[int | None, Field(ge=0, le=10)] = None
    duration_seconds: Annotated[int | None, Field(ge=0, le=86_400)] = None
    distance_m: Annotated[float | None, Field(ge=0, le=1_000_000)] = None
    notes: SetNotes | None = None
    performed_at: AwareDatetime | None = None
    expected_revision: Annotated[int | None, Field(ge=1)] = Field(
        default=None,
        description="The revision you last saw: a set changed since then is not "
        "overwritten (409 set_changed, with the current set)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> SetIn:
        if self.rpe is not None and self.rir is not None:
            raise ValueError("give RPE or RIR, not both")
        return self

    def problem(self) -> str | None:
        """What makes this set meaningless, checked once the workout is known to be
        the caller's (a stranger's workout is a 404 whatever the body says)."""
        if self.status == SetStatus.COMPLETED and not (
            self.reps or self.duration_seconds or self.distance_m
        ):
            return "a completed set needs reps, a duration or a distance"
        return None

    def content(self) -> dict[str, Any]:
        """The stored fields (what makes two writes of a set the same)."""
        return self.model_dump(exclude={"logged_exercise_id", "expected_revision", "position"})


class WorkoutImport(Schema):
    """A workout history exported from Strong or Hevy, as CSV text."""

    format: Literal["auto", "strong", "hevy"] = "auto"
    csv: Annotated[str, StringConstraints(min_length=1, max_length=1_048_576)]
    weight_unit: Literal["kg", "lb"] | None = Field(
        default=None,
        description="When the file does not say (Strong's newer exports): default the "
        "client's unit system",
    )
    distance_unit: Literal["km", "mi", "m"] | None = None
    mapping: dict[Annotated[str, StringConstraints(max_length=200)], uuid.UUID] = Field(
        default_factory=dict, description="Exercise name in the file -> exercise id"
    )
    create: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list,
        max_length=500,
        description="Names matching nothing to create as your organization's own exercises "
        "(needs exercises:write); their muscles are taken from the closest match",
    )
    dry_run: bool = Field(default=True, description="Preview only: nothing is stored")


# --- output ---------------------------------------------------------------------------------


class RecordOut(Out):
    id: uuid.UUID
    exercise_id: uuid.UUID
    exercise_name: str | None = None
    set_id: uuid.UUID
    logged_workout_id: uuid.UUID
    kind: Literal["load", "reps", "e1rm", "volume"]
    label: str
    value: float
    previous_value: float | None
    load_kg: float | None
    reps: int | None
    achieved_on: date


class SetOut(Out):
    id: uuid.UUID
    logged_workout_id: uuid.UUID
    logged_exercise_id: uuid.UUID
    exercise_id: uuid.UUID
    performed_on: date
    position: int
    set_type: SetType
    status: SetStatus
    reps: int | None
    load_kg: float | None
    rpe: float | None
    rir: int | None
    duration_seconds: int | None
    distance_m: float | None
    notes: str | None
    e1rm_kg: float | None
    volume_kg: float | None
    performed_at: datetime | None
    revision: int
    updated_at: datetime


class SetWriteOut(Schema):
    set: SetOut
    created: bool
    changed: bool = Field(description="False when the same set was sent again")
    records: list[RecordOut] = Field(description="Records this set sets (to celebrate)")


class ExerciseOut(Out):
    id: uuid.UUID
    position: int
    exercise_id: uuid.UUID
    exercise_name: str | None = None
    primary_muscles: list[str] = []
    swapped_from_id: uuid.UUID | None
    swapped_from_name: str | None = None
    prescription_id: uuid.UUID | None
    group_label: str | None
    rest_seconds: int | None
    target: dict[str, Any] | None
    notes: str | None
    sets: list[SetOut] = []


class WorkoutSummary(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    name: str
    status: WorkoutStatus
    source: str
    program_id: uuid.UUID | None
    program_workout_id: uuid.UUID | None
    phase: int | None
    week: int | None
    performed_on: date
    started_at: datetime
    completed_at: datetime | None
    duration_seconds: int | None
    session_rpe: float | None
    notes: str | None
    exercises: int = 0
    sets: int = 0
    tonnage_kg: float = 0.0
    records: int = 0
    updated_at: datetime


class WorkoutOut(WorkoutSummary):
    entries: list[ExerciseOut] = Field(default=[], description="The exercises, in order")
    new_records: list[RecordOut] = Field(default=[], description="Records set in it")


class CompleteOut(Schema):
    workout: WorkoutOut
    program_counted: bool = Field(
        description="The program counted it (DYNAMIC_PROGRESSIVE programs advance when "
        "every workout of the week is done)"
    )
    program_note: str | None = None


# --- derived data ---------------------------------------------------------------------------


class Point(Schema):
    on: date
    value: float


class PlateauOut(Out):
    plateaued: bool
    weeks: int
    best_kg: float
    best_on: date
    recent_best_kg: float
    sessions: int


class LiftSeries(Schema):
    exercise_id: uuid.UUID
    name: str
    points: list[Point]
    best_e1rm_kg: float | None
    latest_e1rm_kg: float | None
    plateau: PlateauOut | None


class LiftChoice(Schema):
    exercise_id: uuid.UUID
    name: str
    sessions: int


class MuscleVolume(Schema):
    muscle: str
    name: str
    sets: list[int]
    tonnage_kg: list[float]


class VolumeOut(Schema):
    buckets: list[date]
    muscles: list[MuscleVolume]
    tonnage_kg: list[float]


class AdherenceOut(Schema):
    buckets: list[date]
    scheduled: list[int]
    completed: list[int] = Field(description="Program workouts done in the bucket")
    extra: list[int] = Field(description="Free-style workouts")
    percent: float | None = Field(description="Completed of scheduled over the range")


class StreaksOut(Schema):
    current_weeks: int = Field(description="Weeks in a row meeting the plan, up to now")
    longest_weeks: int
    days_logged: int = Field(description="Days with a completed workout in the range")
    workouts: int


class DashboardOut(Schema):
    client_id: uuid.UUID
    range: Range
    from_on: date
    to_on: date
    bucket: Literal["day", "week", "month"] = Field(description="Of the volume and adherence bars")
    lift_bucket: Literal["day", "week", "month"] = Field(description="Of the 1RM lines")
    lifts: list[LiftSeries]
    lift_choices: list[LiftChoice]
    volume: VolumeOut
    adherence: AdherenceOut
    streaks: StreaksOut
    records: list[RecordOut]


class LiftOut(Schema):
    client_id: uuid.UUID
    exercise_id: uuid.UUID
    name: str
    range: Range
    from_on: date
    to_on: date
    bucket: Literal["day", "week", "month"]
    e1rm: list[Point]
    max_load: list[Point]
    best_load_kg: float | None
    best_e1rm_kg: float | None
    best_volume_kg: float | None
    plateau: PlateauOut | None
    records: list[RecordOut]


class ExerciseRef(Schema):
    exercise_id: uuid.UUID
    name: str


class ImportExercise(Schema):
    name: str = Field(description="As the file names it")
    sets: int
    exercise_id: uuid.UUID | None
    exercise_name: str | None
    matched_by: Literal["mapping", "library", "created", "to_create"] | None = Field(
        description="to_create: listed in ``create``, so the import (not a dry run) creates it"
    )
    suggestions: list[ExerciseRef] = Field(default=[], description="Closest names, if unmatched")


class SkippedRow(Schema):
    line: int
    reason: str


class ImportReport(Schema):
    format: Literal["strong", "hevy"]
    dry_run: bool
    weight_unit: Literal["kg", "lb"]
    workouts: int = Field(description="Workouts in the file")
    sets: int
    new_workouts: int = Field(description="Workouts not imported before")
    already_imported: int
    imported_sets: int = 0
    exercises: list[ImportExercise]
    unmatched: list[str] = Field(description="Names that match no exercise: map or create them")
    skipped: list[SkippedRow]
    skipped_total: int
    first_on: date | None
    last_on: date | None
