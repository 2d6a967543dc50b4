"""The macro calculator and saved targets."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from spotter.clients.schemas import Sex
from spotter.core.schemas import Out, Schema
from spotter.nutrition.calculator import Activity, Formula, Goal


class _Adjustments(Schema):
    activity: Activity = Activity.MODERATE
    goal: Goal = Goal.MAINTAIN
    adjust_percent: Annotated[
        float | None, Field(ge=0, le=40, description="Deficit or surplus, % of TDEE (default 15)")
    ] = None
    adjust_kcal: Annotated[
        float | None, Field(ge=0, le=1500, description="Deficit or surplus in kcal a day")
    ] = None
    protein_g_per_kg: Annotated[float, Field(ge=0.6, le=4.0)] = 1.8
    fat_percent: Annotated[float, Field(ge=10, le=70, description="% of the energy")] = 30.0
    formula: Formula = Formula.AUTO

    @model_validator(mode="after")
    def _one_adjustment(self) -> _Adjustments:
        if self.adjust_percent is not None and self.adjust_kcal is not None:
            raise ValueError("give adjust_percent or adjust_kcal, not both")
        if self.goal == Goal.MAINTAIN and (self.adjust_percent or self.adjust_kcal):
            raise ValueError("maintain takes no adjustment; choose lose or gain")
        return self


class _Body(Schema):
    height_cm: Annotated[float | None, Field(ge=90, le=250)] = None
    age_years: Annotated[int | None, Field(ge=14, le=100)] = None
    sex: Sex | None = None
    body_fat_pct: Annotated[float | None, Field(ge=3, le=70)] = None


class CalculatorIn(_Body, _Adjustments):
    weight_kg: Annotated[float, Field(ge=25, le=400)]


class ClientCalculatorIn(_Body, _Adjustments):
    """Anything left out comes from the client: sex, age (date of birth) and height from
    the profile, weight and body fat from the latest assessment."""

    weight_kg: Annotated[float | None, Field(ge=25, le=400)] = None
    use_body_fat: Annotated[
        bool, Field(description="Use the latest body fat (Katch-McArdle) when there is one")
    ] = True


class CalculationOut(Out):
    inputs: dict[str, Any]
    sources: dict[str, str]
    formula: str
    bmr_kcal: int
    activity_factor: float
    tdee_kcal: int
    energy_kcal: int
    protein_g: int
    fat_g: int
    carbohydrate_g: int
    steps: list[str]
    warnings: list[str]


Grams = Annotated[float, Field(ge=0, le=2000)]


class TargetIn(Schema):
    """Daily targets from ``effective_on`` (default: today for the client): typed in, or
    from the calculator (``calculator``: its inputs; the result is saved with its working)."""

    effective_on: date | None = None
    energy_kcal: Annotated[float | None, Field(ge=800, le=10_000)] = None
    protein_g: Grams | None = None
    fat_g: Grams | None = None
    carbohydrate_g: Grams | None = None
    fiber_g: Grams | None = None
    calculator: ClientCalculatorIn | None = None
    notes: Annotated[str | None, StringConstraints(max_length=2000)] = None

    @model_validator(mode="after")
    def _complete(self) -> TargetIn:
        typed = [self.energy_kcal, self.protein_g, self.fat_g, self.carbohydrate_g]
        if self.calculator is None and any(v is None for v in typed):
            raise ValueError(
                "give energy_kcal, protein_g, fat_g and carbohydrate_g, or calculator inputs"
            )
        if self.calculator is not None and any(v is not None for v in typed):
            raise ValueError("give typed targets or calculator inputs, not both")
        return self


class TargetOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    effective_on: date
    energy_kcal: float
    protein_g: float
    fat_g: float
    carbohydrate_g: float
    fiber_g: float | None
    calculation: dict[str, Any] | None
    notes: str | None
    set_by_id: uuid.UUID | None
    created_at: datetime
