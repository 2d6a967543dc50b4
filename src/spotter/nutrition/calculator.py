"""The macro calculator: pure functions, pinned to hand-computed cases in the tests.

1. BMR (kcal/day). Mifflin-St Jeor: 10 x kg + 6.25 x cm - 5 x age + s, with s = +5 for
   men and -161 for women (-78, their mean, when the client's sex is neither or not
   given). Katch-McArdle when body fat is known: 370 + 21.6 x lean mass (kg), where lean
   mass = kg x (1 - body fat % / 100).
2. TDEE = BMR x activity factor: sedentary 1.2 (desk job, little exercise), light 1.375
   (exercise 1-3 days a week), moderate 1.55 (3-5 days), very 1.725 (6-7 days), extra 1.9
   (hard daily training or a physical job).
3. Energy target: TDEE for maintain; TDEE x (1 -/+ percent / 100) or TDEE -/+ kcal to lose
   or gain.
4. Protein = g/kg x body weight; fat = fat % of the energy / 9 kcal per g; carbohydrate is
   the rest / 4 kcal per g. Protein and fat that leave no energy for carbohydrate are
   refused.

Whole kcal and whole grams, rounded half up; carbohydrate is computed from the rounded
protein and fat so the three add back up to the energy target (within 4 kcal).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from spotter.core.errors import InvalidInput

MIN_ENERGY_KCAL = 800


class Activity(StrEnum):
    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    VERY = "very"
    EXTRA = "extra"


ACTIVITY_FACTORS: dict[Activity, float] = {
    Activity.SEDENTARY: 1.2,
    Activity.LIGHT: 1.375,
    Activity.MODERATE: 1.55,
    Activity.VERY: 1.725,
    Activity.EXTRA: 1.9,
}
ACTIVITY_LABELS: dict[Activity, str] = {
    Activity.SEDENTARY: "Sedentary: desk job, little exercise",
    Activity.LIGHT: "Light: exercise 1-3 days a week",
    Activity.MODERATE: "Moderate: exercise 3-5 days a week",
    Activity.VERY: "Very active: hard exercise 6-7 days a week",
    Activity.EXTRA: "Extra active: hard daily training or a physical job",
}


class Goal(StrEnum):
    LOSE = "lose"
    MAINTAIN = "maintain"
    GAIN = "gain"


class Formula(StrEnum):
    AUTO = "auto"
    MIFFLIN_ST_JEOR = "mifflin_st_jeor"
    KATCH_MCARDLE = "katch_mcardle"


class TargetsInvalid(InvalidInput):
    code, title = "targets_invalid", "These targets do not add up"


@dataclass(frozen=True)
class Inputs:
    weight_kg: float
    height_cm: float | None = None
    age_years: int | None = None
    sex: str | None = None
    body_fat_pct: float | None = None
    activity: Activity = Activity.MODERATE
    goal: Goal = Goal.MAINTAIN
    adjust_percent: float | None = None
    adjust_kcal: float | None = None
    protein_g_per_kg: float = 1.8
    fat_percent: float = 30.0
    formula: Formula = Formula.AUTO


@dataclass(frozen=True)
class Result:
    formula: Formula
    bmr_kcal: int
    activity_factor: float
    tdee_kcal: int
    energy_kcal: int
    protein_g: int
    fat_g: int
    carbohydrate_g: int
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def whole(value: float) -> int:
    """Rounded half up (254.5 -> 255), the way people round by hand."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _sex_constant(sex: str | None) -> tuple[float, str]:
    if sex == "male":
        return 5.0, "+ 5 (male)"
    if sex == "female":
        return -161.0, "- 161 (female)"
    return -78.0, "- 78 (the mean of the male and female constants: sex not given)"


def bmr(inputs: Inputs) -> tuple[Formula, float, str]:
    """(formula used, BMR in kcal, the working)."""
    formula = inputs.formula
    if formula == Formula.AUTO:
        formula = (
            Formula.KATCH_MCARDLE if inputs.body_fat_pct is not None else Formula.MIFFLIN_ST_JEOR
        )
    if formula == Formula.KATCH_MCARDLE:
        if inputs.body_fat_pct is None:
            raise TargetsInvalid(
                "Katch-McArdle needs the body fat percentage.",
                errors=[{"field": "body_fat_pct", "message": "needed for Katch-McArdle"}],
            )
        lean = inputs.weight_kg * (1 - inputs.body_fat_pct / 100)
        value = 370 + 21.6 * lean
        return (
            formula,
            value,
            (
                f"Katch-McArdle: lean mass {lean:.1f} kg ({inputs.weight_kg:g} kg less "
                f"{inputs.body_fat_pct:g}% fat); BMR = 370 + 21.6 x {lean:.1f} = {value:.0f} kcal"
            ),
        )
    missing = [
        name
        for name, value in (("height_cm", inputs.height_cm), ("age_years", inputs.age_years))
        if value is None
    ]
    if missing:
        raise TargetsInvalid(
            "Mifflin-St Jeor needs height and age (or give body fat for Katch-McArdle).",
            errors=[{"field": m, "message": "needed for Mifflin-St Jeor"} for m in missing],
        )
    assert inputs.height_cm is not None and inputs.age_years is not None
    constant, said = _sex_constant(inputs.sex)
    value = 10 * inputs.weight_kg + 6.25 * inputs.height_cm - 5 * inputs.age_years + constant
    return (
        formula,
        value,
        (
            f"Mifflin-St Jeor: 10 x {inputs.weight_kg:g} kg + 6.25 x {inputs.height_cm:g} cm "
            f"- 5 x {inputs.age_years} years {said} = {value:.0f} kcal"
        ),
    )


def _energy(inputs: Inputs, tdee: float) -> tuple[float, str]:
    if inputs.goal == Goal.MAINTAIN:
        return tdee, f"Maintain: energy = TDEE = {tdee:.0f} kcal"
    sign = -1 if inputs.goal == Goal.LOSE else 1
    verb = "Lose" if sign < 0 else "Gain"
    if inputs.adjust_kcal is not None:
        value = tdee + sign * inputs.adjust_kcal
        op = "-" if sign < 0 else "+"
        return value, f"{verb}: {tdee:.0f} {op} {inputs.adjust_kcal:g} kcal = {value:.0f} kcal"
    percent = inputs.adjust_percent if inputs.adjust_percent is not None else 15.0
    value = tdee * (1 + sign * percent / 100)
    op = "-" if sign < 0 else "+"
    return value, f"{verb}: {tdee:.0f} kcal {op} {percent:g}% = {value:.0f} kcal"


def calculate(inputs: Inputs) -> Result:
    formula, bmr_value, bmr_step = bmr(inputs)
    factor = ACTIVITY_FACTORS[inputs.activity]
    tdee = bmr_value * factor
    energy_value, energy_step = _energy(inputs, tdee)
    energy = whole(energy_value)
    if energy < MIN_ENERGY_KCAL:
        raise TargetsInvalid(
            f"The energy target would be {energy} kcal, below the {MIN_ENERGY_KCAL} kcal "
            "this calculator goes to; choose a smaller deficit.",
            errors=[{"field": "adjust_percent", "message": "deficit too large"}],
        )
    protein = whole(inputs.protein_g_per_kg * inputs.weight_kg)
    fat = whole(energy * inputs.fat_percent / 100 / 9)
    carbs = check_macros(energy, protein, fat)
    warnings = []
    if energy < bmr_value:
        warnings.append(
            f"The energy target ({energy} kcal) is below the BMR ({bmr_value:.0f} kcal): "
            "only under close supervision."
        )
    if inputs.fat_percent < 20:
        warnings.append("Fat under 20% of energy is hard to keep up and low for hormones.")
    steps = [
        bmr_step,
        f"TDEE = {bmr_value:.0f} x {factor:g} ({inputs.activity.value}) = {tdee:.0f} kcal",
        energy_step,
        f"Protein: {inputs.protein_g_per_kg:g} g/kg x {inputs.weight_kg:g} kg = {protein} g "
        f"({protein * 4} kcal)",
        f"Fat: {inputs.fat_percent:g}% of {energy} kcal / 9 = {fat} g ({fat * 9} kcal)",
        f"Carbohydrate: ({energy} - {protein * 4} - {fat * 9}) / 4 = {carbs} g",
    ]
    return Result(
        formula=formula,
        bmr_kcal=whole(bmr_value),
        activity_factor=factor,
        tdee_kcal=whole(tdee),
        energy_kcal=energy,
        protein_g=protein,
        fat_g=fat,
        carbohydrate_g=carbs,
        steps=steps,
        warnings=warnings,
    )


def check_macros(
    energy_kcal: float,
    protein_g: float,
    fat_g: float,
    fields: tuple[str, str] = ("protein_g_per_kg", "fat_percent"),
) -> int:
    """The carbohydrate grams left by protein and fat; a 422 (on ``fields``) when they
    leave none."""
    left = energy_kcal - protein_g * 4 - fat_g * 9
    if left < 0:
        raise TargetsInvalid(
            f"Protein ({protein_g:g} g = {protein_g * 4:g} kcal) and fat ({fat_g:g} g = "
            f"{fat_g * 9:g} kcal) come to {protein_g * 4 + fat_g * 9:g} kcal, more than the "
            f"{energy_kcal:g} kcal energy target: lower protein or fat, or raise the energy.",
            errors=[{"field": f, "message": "protein and fat exceed the energy"} for f in fields],
        )
    return whole(left / 4)
