from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import EmailStr, Field, StringConstraints, field_validator, model_validator

from spotter.core.db import utcnow
from spotter.core.schemas import Out, Schema
from spotter.core.units import UnitSystem
from spotter.exercises.dataset import EQUIPMENT
from spotter.orgs.schemas import check_timezone

if TYPE_CHECKING:
    from spotter.clients.models import Client
    from spotter.identity.dependencies import Principal

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Part = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Tag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=1,
        max_length=40,
        pattern=r"^[^\x00-\x1f\x7f]+$",
    ),
]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+() .\-]{3,40}$")]
EQUIPMENT_SLUGS = [slug for slug, _ in EQUIPMENT]  # the exercise library's vocabulary


def _today() -> date:
    return utcnow().date()


class ClientStatus(StrEnum):
    LEAD = "lead"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


# Allowed status changes; staying in the same status is always allowed.
STATUS_TRANSITIONS: dict[ClientStatus, frozenset[ClientStatus]] = {
    ClientStatus.LEAD: frozenset({ClientStatus.ACTIVE, ClientStatus.ARCHIVED}),
    ClientStatus.ACTIVE: frozenset({ClientStatus.PAUSED, ClientStatus.ARCHIVED}),
    ClientStatus.PAUSED: frozenset({ClientStatus.ACTIVE, ClientStatus.ARCHIVED}),
    ClientStatus.ARCHIVED: frozenset({ClientStatus.ACTIVE}),  # reactivation
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    INTERSEX = "intersex"
    UNDISCLOSED = "undisclosed"


class Experience(StrEnum):
    NONE = "none"
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


# --- client record ----------------------------------------------------------------------


class ClientOut(Out):
    id: uuid.UUID
    full_name: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None
    phone: str | None = None
    status: ClientStatus
    trainer_id: uuid.UUID | None
    user_id: uuid.UUID | None
    tags: list[str] = []
    notes: str | None = Field(
        default=None, description="Private trainer notes; only with clients:notes"
    )
    created_at: datetime
    updated_at: datetime | None = None

    @classmethod
    def build(
        cls, client: Client | dict[str, Any], principal: Principal, tags: list[str] | None = None
    ) -> Self:
        """From a client row, or a list's mapping of its columns (with its ``tags``)."""
        out = cls.model_validate(client)
        if tags is not None:
            out.tags = tags
        if not principal.can("clients:notes"):
            out.notes = None
        return out


class _Names(Schema):
    full_name: Name | None = None
    first_name: Part | None = None
    last_name: Part | None = None

    @model_validator(mode="after")
    def _full_name(self) -> Self:
        if not self.full_name and (self.first_name or self.last_name):
            self.full_name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return self


class ClientCreate(_Names):
    email: EmailStr | None = None
    phone: Phone | None = None
    status: ClientStatus = ClientStatus.ACTIVE
    trainer_id: uuid.UUID | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] = []
    notes: LongText | None = None

    @model_validator(mode="after")
    def _named(self) -> Self:
        if not self.full_name:
            raise ValueError("give full_name, or first_name and/or last_name")
        return self


class ClientUpdate(_Names):
    """PUT /clients/{id}: fields left out stay as they are."""

    email: EmailStr | None = None
    phone: Phone | None = None
    status: ClientStatus | None = None
    trainer_id: uuid.UUID | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] | None = None
    notes: LongText | None = None


class AssignmentOut(Out):
    id: uuid.UUID
    from_trainer_id: uuid.UUID | None
    to_trainer_id: uuid.UUID | None
    changed_by_id: uuid.UUID | None
    changed_at: datetime


# --- profile ----------------------------------------------------------------------------


class ProfileIn(Schema):
    """PUT /clients/{id}/profile: the whole profile (left-out fields are cleared).

    Height in cm (``height_cm``) or inches (``height_in``); stored in cm."""

    born_on: date | None = None
    sex: Sex | None = None
    height_cm: Annotated[float, Field(ge=50, le=272)] | None = None
    height_in: Annotated[float, Field(ge=20, le=107)] | None = None
    unit_system: UnitSystem = UnitSystem.METRIC
    timezone: str | None = None
    experience: Experience | None = None
    equipment: Annotated[list[str], Field(max_length=len(EQUIPMENT_SLUGS))] = []
    training_days: Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(max_length=7)] = Field(
        default=[], description="ISO weekdays: 1 = Monday ... 7 = Sunday"
    )
    session_minutes: Annotated[int, Field(ge=10, le=300)] | None = None
    injuries_and_limitations: LongText | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str | None) -> str | None:
        return check_timezone(v) if v else None

    @field_validator("born_on")
    @classmethod
    def _born(cls, v: date | None) -> date | None:
        if v is not None and not (date(1900, 1, 1) <= v <= _today()):
            raise ValueError("date of birth must be between 1900-01-01 and today")
        return v

    @field_validator("equipment")
    @classmethod
    def _equipment(cls, v: list[str]) -> list[str]:
        unknown = [e for e in v if e not in EQUIPMENT_SLUGS]
        if unknown:
            raise ValueError(
                f"unknown equipment {unknown}; use slugs from GET /equipment: {EQUIPMENT_SLUGS}"
            )
        return list(dict.fromkeys(v))

    @field_validator("training_days")
    @classmethod
    def _days(cls, v: list[int]) -> list[int]:
        return sorted(set(v))

    @model_validator(mode="after")
    def _height(self) -> Self:
        if self.height_cm is not None and self.height_in is not None:
            raise ValueError("give height_cm or height_in, not both")
        return self


class ProfileOut(Out):
    client_id: uuid.UUID
    born_on: date | None
    sex: Sex | None
    height_cm: float | None
    height_display: str | None = Field(description="Height in the client's unit system")
    unit_system: UnitSystem
    timezone: str | None
    experience: Experience | None
    equipment: list[str]
    training_days: list[int]
    session_minutes: int | None
    injuries_and_limitations: str | None = Field(
        description="Health data: null unless the caller may read health data"
    )
    injuries_and_limitations_hidden: bool = False


# --- health history ---------------------------------------------------------------------

PARQ_QUESTIONS: dict[str, str] = {
    "heart_condition": "Has your doctor ever said that you have a heart condition OR high "
    "blood pressure?",
    "chest_pain": "Do you feel pain in your chest at rest, during your daily activities of "
    "living, OR when you do physical activity?",
    "dizziness": "Do you lose balance because of dizziness OR have you lost consciousness in "
    "the last 12 months?",
    "chronic_condition": "Have you ever been diagnosed with another chronic medical condition "
    "(other than heart disease or high blood pressure)?",
    "prescribed_medication": "Are you currently taking prescribed medications for a chronic "
    "medical condition?",
    "bone_joint_problem": "Do you currently have (or have had within the past 12 months) a "
    "bone, joint, or soft tissue problem that could be made worse by becoming more physically "
    "active?",
    "supervised_activity_only": "Has your doctor ever said that you should only do medically "
    "supervised physical activity?",
}


class ParqAnswer(Schema):
    answer: bool
    details: LongText | None = None


class Parq(Schema):
    heart_condition: ParqAnswer | None = None
    chest_pain: ParqAnswer | None = None
    dizziness: ParqAnswer | None = None
    chronic_condition: ParqAnswer | None = None
    prescribed_medication: ParqAnswer | None = None
    bone_joint_problem: ParqAnswer | None = None
    supervised_activity_only: ParqAnswer | None = None


class Clearance(Schema):
    cleared: bool = False
    cleared_on: date | None = None
    cleared_by: Short | None = Field(default=None, description="Who cleared, e.g. a physician")
    notes: LongText | None = None

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.cleared and self.cleared_on is None:
            raise ValueError("a clearance needs cleared_on")
        if self.cleared_on and self.cleared_on > _today():
            raise ValueError("cleared_on cannot be in the future")
        return self


class EmergencyContact(Schema):
    name: Short
    relationship: Short | None = None
    phone: Phone
    email: EmailStr | None = None


Items = Annotated[list[Short], Field(max_length=50)]


class HealthHistoryIn(Schema):
    parq: Parq = Parq()
    conditions: Items = []
    medications: Items = []
    injuries: Items = []
    surgeries: Items = []
    clearance: Clearance = Clearance()
    emergency_contacts: Annotated[list[EmergencyContact], Field(max_length=5)] = []
    notes: LongText | None = None


class HealthHistoryOut(HealthHistoryIn):
    client_id: uuid.UUID
    recorded: bool
    flagged: bool = Field(description="A PAR-Q+ answer is yes: ask for medical clearance")
    updated_at: datetime | None = None
    updated_by_id: uuid.UUID | None = None
    questions: dict[str, str] = PARQ_QUESTIONS


# --- goals ------------------------------------------------------------------------------


class GoalType(StrEnum):
    BODY_WEIGHT = "body_weight"
    BODY_FAT = "body_fat"
    STRENGTH_LIFT = "strength_lift"
    PERFORMANCE = "performance"
    HABIT = "habit"
    CUSTOM = "custom"


class TargetKind(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"


# Stored unit per measured goal type; the values a caller may send in another unit.
GOAL_UNITS: dict[GoalType, str] = {
    GoalType.BODY_WEIGHT: "kg",
    GoalType.BODY_FAT: "%",
    GoalType.STRENGTH_LIFT: "kg",
}
Value = Annotated[float, Field(ge=-100_000, le=100_000)]


class GoalIn(Schema):
    type: GoalType
    title: Short | None = None
    exercise_id: uuid.UUID | None = Field(default=None, description="strength_lift only")
    target_kind: TargetKind = TargetKind.ABSOLUTE
    start_value: Value | None = Field(
        default=None, description="Defaults to the latest recorded value, when there is one"
    )
    target_value: Value = Field(description="absolute: the value; relative: the change")
    current_value: Value | None = Field(
        default=None, description="Manual progress for performance, habit and custom goals"
    )
    unit: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = Field(
        default=None, description="kg or lb for weights (stored kg); % for body fat"
    )
    deadline_on: date | None = None
    status: GoalStatus = GoalStatus.ACTIVE

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        lift = self.type == GoalType.STRENGTH_LIFT
        if lift and self.exercise_id is None:
            raise ValueError("a strength_lift goal needs exercise_id")
        if not lift and self.exercise_id is not None:
            raise ValueError("exercise_id is only for strength_lift goals")
        if self.target_kind == TargetKind.RELATIVE and self.target_value == 0:
            raise ValueError("a relative target must change something (target_value != 0)")
        if self.target_kind == TargetKind.ABSOLUTE and self.target_value < 0:
            raise ValueError("an absolute target cannot be negative")
        if self.start_value is not None and self.start_value < 0:
            raise ValueError("start_value cannot be negative")
        if (
            self.target_kind == TargetKind.ABSOLUTE
            and self.start_value is not None
            and self.start_value == self.target_value
        ):
            raise ValueError("target_value equals start_value: nothing to achieve")
        if self.type == GoalType.BODY_FAT and self.target_kind == TargetKind.ABSOLUTE:
            if not 2 <= self.target_value <= 75:
                raise ValueError("a body fat target is a percentage between 2 and 75")
        expected = GOAL_UNITS.get(self.type)
        if expected == "kg" and self.unit not in (None, "kg", "lb"):
            raise ValueError(f"{self.type.value} goals are in kg or lb")
        if expected == "%" and self.unit not in (None, "%"):
            raise ValueError("body fat goals are in %")
        return self


class GoalOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    type: GoalType
    title: str
    exercise_id: uuid.UUID | None
    target_kind: TargetKind
    start_value: float | None
    target_value: float
    target_absolute: float | None = None
    current_value: float | None = None
    unit: str | None
    deadline_on: date | None
    status: GoalStatus
    progress_percent: float | None = None
    created_at: datetime
    updated_at: datetime


# --- assessments ------------------------------------------------------------------------

FMS_TESTS = (
    "deep_squat",
    "hurdle_step",
    "inline_lunge",
    "shoulder_mobility",
    "active_straight_leg_raise",
    "trunk_stability_push_up",
    "rotary_stability",
)
FmsScore = Annotated[int, Field(ge=0, le=3)]


class MovementScreen(Schema):
    """Functional Movement Screen: seven tests scored 0-3."""

    deep_squat: FmsScore | None = None
    hurdle_step: FmsScore | None = None
    inline_lunge: FmsScore | None = None
    shoulder_mobility: FmsScore | None = None
    active_straight_leg_raise: FmsScore | None = None
    trunk_stability_push_up: FmsScore | None = None
    rotary_stability: FmsScore | None = None


class OneRepMax(Schema):
    exercise_id: uuid.UUID
    kg: Annotated[float, Field(gt=0, le=600)]


class FreeItem(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    value: Annotated[float, Field(ge=-1_000_000, le=1_000_000)]
    unit: Annotated[str, StringConstraints(max_length=20)] | None = None


# (field, minimum, maximum): the standard measurements and their plausible ranges.
MEASUREMENTS: dict[str, tuple[float, float]] = {
    "resting_hr": (25, 220),
    "bp_systolic": (60, 260),
    "bp_diastolic": (30, 160),
    "body_weight_kg": (20, 400),
    "body_fat_pct": (2, 75),
    "waist_cm": (30, 250),
    "hip_cm": (40, 250),
    "push_ups": (0, 500),
    "plank_seconds": (0, 3600),
    "sit_reach_cm": (-50, 80),
}


class AssessmentIn(Schema):
    assessed_on: date
    resting_hr: Annotated[int, Field(ge=25, le=220)] | None = None
    bp_systolic: Annotated[int, Field(ge=60, le=260)] | None = None
    bp_diastolic: Annotated[int, Field(ge=30, le=160)] | None = None
    body_weight_kg: Annotated[float, Field(ge=20, le=400)] | None = None
    body_fat_pct: Annotated[float, Field(ge=2, le=75)] | None = None
    waist_cm: Annotated[float, Field(ge=30, le=250)] | None = None
    hip_cm: Annotated[float, Field(ge=40, le=250)] | None = None
    push_ups: Annotated[int, Field(ge=0, le=500)] | None = None
    plank_seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    sit_reach_cm: Annotated[float, Field(ge=-50, le=80)] | None = None
    one_rep_maxes: Annotated[list[OneRepMax], Field(max_length=20)] = []
    movement_screen: MovementScreen = MovementScreen()
    items: Annotated[list[FreeItem], Field(max_length=50)] = []
    notes: LongText | None = None

    @field_validator("assessed_on")
    @classmethod
    def _not_future(cls, v: date) -> date:
        if v > _today():
            raise ValueError("assessed_on cannot be in the future")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.bp_systolic is None) != (self.bp_diastolic is None):
            raise ValueError("blood pressure needs both bp_systolic and bp_diastolic")
        if self.bp_systolic is not None and self.bp_diastolic is not None:
            if self.bp_systolic <= self.bp_diastolic:
                raise ValueError("bp_systolic must be higher than bp_diastolic")
        ids = [m.exercise_id for m in self.one_rep_maxes]
        if len(ids) != len(set(ids)):
            raise ValueError("one_rep_maxes lists an exercise twice")
        names = [i.name.lower() for i in self.items]
        if len(names) != len(set(names)):
            raise ValueError("items lists a name twice")
        return self


class AssessmentOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    assessed_on: date
    resting_hr: int | None
    bp_systolic: int | None
    bp_diastolic: int | None
    body_weight_kg: float | None
    body_fat_pct: float | None
    waist_cm: float | None
    hip_cm: float | None
    push_ups: int | None
    plank_seconds: int | None
    sit_reach_cm: float | None
    one_rep_maxes: list[OneRepMax]
    movement_screen: dict[str, Any]
    fms_total: int | None = None
    items: list[FreeItem]
    notes: str | None
    recorded_by_id: uuid.UUID | None
    created_at: datetime


class Change(Out):
    before: float | None
    after: float | None
    change: float | None


class AssessmentCompare(Out):
    before: AssessmentOut | None
    after: AssessmentOut | None
    days: int | None
    changes: dict[str, Change] = Field(
        description="Per field; 1RMs as one_rep_max:<exercise_id>, FMS as fms:<test>, "
        "free items as item:<name>"
    )
