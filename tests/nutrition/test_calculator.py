"""The macro calculator against cases worked by hand (the working is in each test)."""

from __future__ import annotations

import pytest

from spotter.nutrition.calculator import (
    Activity,
    Formula,
    Goal,
    Inputs,
    TargetsInvalid,
    calculate,
    check_macros,
    whole,
)


def test_mifflin_male_losing_twenty_percent():
    # BMR = 10*80 + 6.25*180 - 5*30 + 5 = 800 + 1125 - 150 + 5 = 1780
    # TDEE = 1780 * 1.55 = 2759; energy = 2759 * 0.8 = 2207.2 -> 2207
    # protein = 2.0 * 80 = 160 g (640 kcal); fat = 2207 * 0.25 / 9 = 61.3 -> 61 g (549 kcal)
    # carbohydrate = (2207 - 640 - 549) / 4 = 254.5 -> 255 g (half up)
    r = calculate(
        Inputs(
            weight_kg=80,
            height_cm=180,
            age_years=30,
            sex="male",
            activity=Activity.MODERATE,
            goal=Goal.LOSE,
            adjust_percent=20,
            protein_g_per_kg=2.0,
            fat_percent=25,
        )
    )
    assert r.formula == Formula.MIFFLIN_ST_JEOR
    assert (r.bmr_kcal, r.tdee_kcal, r.energy_kcal) == (1780, 2759, 2207)
    assert (r.protein_g, r.fat_g, r.carbohydrate_g) == (160, 61, 255)
    assert r.warnings == []
    assert r.steps[0].startswith("Mifflin-St Jeor: 10 x 80 kg + 6.25 x 180 cm - 5 x 30 years")


def test_mifflin_female_maintaining_sedentary():
    # BMR = 10*60 + 6.25*165 - 5*45 - 161 = 600 + 1031.25 - 225 - 161 = 1245.25 -> 1245
    # TDEE = 1245.25 * 1.2 = 1494.3 -> energy 1494
    # protein = 1.6 * 60 = 96 g (384 kcal); fat = 1494 * 0.30 / 9 = 49.8 -> 50 g (450 kcal)
    # carbohydrate = (1494 - 384 - 450) / 4 = 165 g
    r = calculate(
        Inputs(
            weight_kg=60,
            height_cm=165,
            age_years=45,
            sex="female",
            activity=Activity.SEDENTARY,
            goal=Goal.MAINTAIN,
            protein_g_per_kg=1.6,
            fat_percent=30,
        )
    )
    assert (r.bmr_kcal, r.tdee_kcal, r.energy_kcal) == (1245, 1494, 1494)
    assert (r.protein_g, r.fat_g, r.carbohydrate_g) == (96, 50, 165)


def test_katch_mcardle_when_body_fat_is_known_gaining_by_kcal():
    # lean = 65 * (1 - 0.25) = 48.75 kg; BMR = 370 + 21.6 * 48.75 = 1423
    # TDEE = 1423 * 1.725 = 2454.675 -> 2455; energy = 2454.675 + 300 = 2754.675 -> 2755
    # protein = 1.8 * 65 = 117 g (468 kcal); fat = 2755 * 0.3 / 9 = 91.83 -> 92 g (828 kcal)
    # carbohydrate = (2755 - 468 - 828) / 4 = 364.75 -> 365 g
    r = calculate(
        Inputs(
            weight_kg=65,
            height_cm=170,
            age_years=28,
            sex="female",
            body_fat_pct=25,
            activity=Activity.VERY,
            goal=Goal.GAIN,
            adjust_kcal=300,
        )
    )
    assert r.formula == Formula.KATCH_MCARDLE
    assert (r.bmr_kcal, r.tdee_kcal, r.energy_kcal) == (1423, 2455, 2755)
    assert (r.protein_g, r.fat_g, r.carbohydrate_g) == (117, 92, 365)


def test_sex_not_given_uses_the_mean_constant():
    # BMR = 10*70 + 6.25*175 - 5*40 - 78 = 700 + 1093.75 - 200 - 78 = 1515.75 -> 1516
    r = calculate(Inputs(weight_kg=70, height_cm=175, age_years=40, sex="undisclosed"))
    assert r.bmr_kcal == 1516
    assert "mean of the male and female" in r.steps[0]
    # The default activity is moderate: 1515.75 * 1.55 = 2349.4625 -> 2349
    assert r.tdee_kcal == 2349


def test_mifflin_can_be_forced_even_with_body_fat():
    r = calculate(
        Inputs(
            weight_kg=80,
            height_cm=180,
            age_years=30,
            sex="male",
            body_fat_pct=15,
            formula=Formula.MIFFLIN_ST_JEOR,
        )
    )
    assert r.bmr_kcal == 1780


def test_default_lose_is_fifteen_percent():
    # TDEE 2759 (as above) * 0.85 = 2345.15 -> 2345
    r = calculate(Inputs(weight_kg=80, height_cm=180, age_years=30, sex="male", goal=Goal.LOSE))
    assert r.energy_kcal == 2345


def test_protein_and_fat_beyond_the_energy_are_refused():
    with pytest.raises(TargetsInvalid) as exc:
        calculate(
            Inputs(
                weight_kg=120,
                height_cm=160,
                age_years=70,
                sex="female",
                activity=Activity.SEDENTARY,
                goal=Goal.LOSE,
                adjust_percent=30,
                protein_g_per_kg=3.5,
                fat_percent=60,
            )
        )
    assert "more than the" in exc.value.detail
    assert {e["field"] for e in exc.value.errors or []} == {"protein_g_per_kg", "fat_percent"}


def test_check_macros():
    assert check_macros(2000, 150, 70) == 193  # (2000 - 600 - 630) / 4 = 192.5 -> 193
    with pytest.raises(TargetsInvalid):
        check_macros(1000, 200, 50)  # 800 + 450 > 1000


def test_energy_below_the_floor_is_refused_and_below_bmr_is_warned():
    with pytest.raises(TargetsInvalid):
        calculate(
            Inputs(
                weight_kg=45,
                height_cm=150,
                age_years=80,
                sex="female",
                activity=Activity.SEDENTARY,
                goal=Goal.LOSE,
                adjust_kcal=600,
            )
        )
    r = calculate(
        Inputs(
            weight_kg=60,
            height_cm=165,
            age_years=45,
            sex="female",
            activity=Activity.SEDENTARY,
            goal=Goal.LOSE,
            adjust_percent=25,
            fat_percent=18,
        )
    )
    # 1494.3 * 0.75 = 1120.7 -> 1121 < BMR 1245; fat under 20% is warned too
    assert r.energy_kcal == 1121
    assert len(r.warnings) == 2


def test_missing_inputs_are_named():
    with pytest.raises(TargetsInvalid) as exc:
        calculate(Inputs(weight_kg=70))
    assert {e["field"] for e in exc.value.errors or []} == {"height_cm", "age_years"}


def test_whole_rounds_half_up():
    assert [whole(x) for x in (254.5, 254.49, 0.5, 1.5, 2.5)] == [255, 254, 1, 2, 3]
