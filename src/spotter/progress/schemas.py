from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from spotter.core.schemas import Out, Schema
from spotter.progress.metrics import Direction, UnitKind

MetricKey = Annotated[str, StringConstraints(min_length=1, max_length=60)]
UnitText = Annotated[str, StringConstraints(max_length=10)]
Number = Annotated[float, Field(ge=-1_000_000_000, le=1_000_000_000, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(max_length=2000)]
# --- metrics -----------------------------------------------------------------------------


class MetricOut(Out):
    key: str = Field(description="Built-in key, or custom:<id> for a custom metric")
    name: str
    kind: UnitKind
    unit: str = Field(description="The stored (metric) unit")
    display_unit: str = Field(description="The unit values are shown in for the caller")
    direction: Direction | None = Field(description="Which way is better; null: per goal")
    group: str
    custom_id: uuid.UUID | None = None
    archived: bool = False
    low: float = Field(description="Lowest accepted value, display unit")
    high: float = Field(description="Highest accepted value, display unit")


class CustomMetricIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    unit_kind: UnitKind
    direction: Direction


class CustomMetricUpdate(Schema):
    """Fields left out stay as they are; the unit kind cannot change once created."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    direction: Direction | None = None
    archived: bool | None = None


# --- measurements ------------------------------------------------------------------------


class Entry(Schema):
    metric: MetricKey
    value: Number
    unit: UnitText | None = Field(
        default=None, description="kg/lb, cm/in, ...; default: the caller's unit system"
    )


class MeasurementsIn(Schema):
    """One day's entries; a metric entered again for the same day replaces that value."""

    measured_on: date
    entries: Annotated[list[Entry], Field(min_length=1, max_length=30)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        keys = [e.metric for e in self.entries]
        if len(keys) != len(set(keys)):
            raise ValueError("entries lists a metric twice")
        return self


class MeasurementOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    metric: str
    name: str
    measured_on: date
    value: float = Field(description="Stored value, in unit")
    unit: str
    display_value: float = Field(description="In the caller's unit system")
    display_unit: str
    source: str
    recorded_by_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


# --- photos ------------------------------------------------------------------------------


class Pose(StrEnum):
    FRONT = "front"
    SIDE = "side"
    BACK = "back"


class PhotoOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    pose: Pose
    taken_on: date
    width: int
    height: int
    size_bytes: int
    note: str | None
    uploaded_by_id: uuid.UUID | None
    created_at: datetime
    image_url: str = Field(description="Authorised route to the image (JPEG)")
    thumbnail_url: str


class PhotoSide(Out):
    on: date | None = Field(description="The date asked for")
    photo: PhotoOut | None = Field(description="The photo of this pose nearest that date")
    body_weight_kg: float | None = Field(description="Latest body weight on or before it")


class PhotoCompare(Out):
    pose: Pose
    before: PhotoSide
    after: PhotoSide
    days: int | None
    body_weight_change_kg: float | None


# --- check-ins ---------------------------------------------------------------------------


class Scale(StrEnum):
    ENERGY = "energy"
    SLEEP = "sleep"
    STRESS = "stress"
    HUNGER = "hunger"
    ADHERENCE = "adherence"


SCALE_LABELS = {
    Scale.ENERGY: "Energy",
    Scale.SLEEP: "Sleep quality",
    Scale.STRESS: "Stress",
    Scale.HUNGER: "Hunger",
    Scale.ADHERENCE: "Plan adherence",
}
Question = Annotated[str, StringConstraints(min_length=3, max_length=200)]
Weekday = Annotated[int, Field(ge=1, le=7, description="ISO weekday: 1 = Monday ... 7 = Sunday")]


class CheckInFormIn(Schema):
    scales: Annotated[list[Scale], Field(max_length=len(Scale))] = list(Scale)
    questions: Annotated[list[Question], Field(max_length=10)] = []
    ask_photo: bool = True
    ask_weight: bool = True
    due_weekday: Weekday = 7

    @model_validator(mode="after")
    def _something(self) -> Self:
        if len(self.scales) != len(set(self.scales)):
            raise ValueError("scales lists a scale twice")
        if len({q.lower() for q in self.questions}) != len(self.questions):
            raise ValueError("questions lists a question twice")
        if not (self.scales or self.questions or self.ask_photo or self.ask_weight):
            raise ValueError("a check-in must ask something")
        return self


class FormQuestion(Out):
    id: str
    label: str


class CheckInFormOut(Out):
    source: str = Field(description="client, organization, or default (built in)")
    client_id: uuid.UUID | None = None
    scales: list[Scale]
    scale_labels: dict[str, str]
    questions: list[FormQuestion]
    ask_photo: bool
    ask_weight: bool
    due_weekday: int


class CheckInIn(Schema):
    scales: dict[Scale, Annotated[int, Field(ge=1, le=10)]] = {}
    answers: Annotated[dict[str, Text], Field(max_length=10)] = Field(
        default={}, description="By question id (from the form)"
    )
    weight: Annotated[float, Field(gt=0, le=2000, allow_inf_nan=False)] | None = None
    weight_unit: Annotated[str, StringConstraints(pattern=r"^(kg|lb)$")] | None = None
    photo_id: uuid.UUID | None = Field(default=None, description="A progress photo uploaded first")

    @field_validator("answers")
    @classmethod
    def _trim(cls, v: dict[str, str]) -> dict[str, str]:
        return {k: a.strip() for k, a in v.items() if a.strip()}


class Answer(Out):
    question: str
    answer: str


class CheckInOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    week_starts_on: date
    due_on: date
    submitted_at: datetime
    late: bool
    scales: dict[str, int]
    answers: list[Answer]
    weight_kg: float | None
    photo_id: uuid.UUID | None
    reviewed_at: datetime | None
    last_message_at: datetime | None


class MessageIn(Schema):
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class MessageOut(Out):
    id: uuid.UUID
    check_in_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str | None = None
    from_client: bool
    text: str
    created_at: datetime


class DueState(StrEnum):
    MISSING = "missing"
    SUBMITTED = "submitted"
    ALL = "all"


class DueItem(Out):
    client_id: uuid.UUID
    full_name: str
    trainer_id: uuid.UUID | None
    week_starts_on: date
    due_on: date
    submitted: bool
    late: bool = Field(description="Past the due day without a check-in, or submitted after it")
    check_in_id: uuid.UUID | None
    last_check_in_on: date | None = Field(description="Week of the latest check-in before")


class DueSummary(Out):
    expected: int
    submitted: int
    missing: int
    late: int


class DuePage(Out):
    summary: DueSummary
    items: list[DueItem]
    next_cursor: str | None = None


class InboxItem(Out):
    check_in: CheckInOut
    full_name: str


# --- forecasts and charts ------------------------------------------------------------------


class ForecastStatus(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    WRONG_WAY = "wrong_way"  # "not at this trend"
    NOT_ENOUGH_DATA = "not_enough_data"
    NOT_MEASURED = "not_measured"  # a goal without a measured series (habit, custom, ...)


class PlateauOut(Out):
    weeks: int
    is_plateau: bool
    change: float | None = Field(description="Fitted change over the window, goal unit")


class GoalForecastOut(Out):
    goal_id: uuid.UUID
    metric: str
    unit: str
    status: ForecastStatus
    message: str
    target: float | None
    current: float | None = Field(None, description="The trend's value at the latest point")
    points: int = 0
    since_on: date | None = Field(None, description="First date of the data the fit used")
    slope_per_week: float | None = None
    slope_per_week_low: float | None = Field(None, description="95% interval for the slope")
    slope_per_week_high: float | None = None
    eta_on: date | None = Field(None, description="When the trend reaches the target")
    eta_earliest_on: date | None = None
    eta_latest_on: date | None = Field(None, description="null with on_track: no later bound")
    plateau: PlateauOut | None = None


class ChartRange(StrEnum):
    WEEKS_4 = "4w"
    WEEKS_12 = "12w"
    YEAR = "1y"
    ALL = "all"


class Point(Out):
    on: date
    value: float


class BodyChartOut(Out):
    range: ChartRange
    from_on: date | None
    to_on: date
    unit: str = Field(description="Mass unit of weight, average and lean mass")
    bucket_days: int = Field(description="1: daily values; more: each point is a bucket mean")
    weight: list[Point]
    weight_average: list[Point] = Field(description="7-day trailing mean")
    body_fat: list[Point]
    lean_mass: list[Point] = Field(description="Weight x (1 - fat %), on days with fat %")


def as_plain(value: Any) -> Any:
    """Enum keys as strings, for JSON columns."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value
