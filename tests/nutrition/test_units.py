"""Unit conversion against hand-computed values."""

from __future__ import annotations

import uuid

import pytest

from spotter.nutrition.units import (
    MASS_G,
    VOLUME_ML,
    Portion,
    UnitNotApplicable,
    to_grams,
    unit_options,
)


def portion(amount: float, description: str, grams: float) -> Portion:
    return Portion(uuid.uuid4(), amount, description, grams)


def test_mass_units_are_the_definitions():
    assert MASS_G == {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}
    assert to_grams(3, "oz", food_name="x", portions=[]) == pytest.approx(85.048569375)
    assert to_grams(1.5, "lb", food_name="x", portions=[]) == pytest.approx(680.388555)
    assert to_grams(0.25, "kg", food_name="x", portions=[]) == 250


def test_volume_ml():
    # US customary: 1 cup = 8 fl oz = 16 tbsp = 48 tsp
    assert VOLUME_ML["cup"] == pytest.approx(8 * VOLUME_ML["fl_oz"])
    assert VOLUME_ML["cup"] == pytest.approx(16 * VOLUME_ML["tbsp"])
    assert VOLUME_ML["tbsp"] == pytest.approx(3 * VOLUME_ML["tsp"])


def test_the_foods_own_cup_is_used_as_weighed():
    # SR28 20045 (rice, cooked): 1 cup = 158 g
    rice = [portion(1, "cup", 158)]
    assert to_grams(2, "cup", food_name="rice", portions=rice) == 316
    # tbsp from the cup's density: 158 / 236.5882365 * 14.78676478125 = 9.875 g
    assert to_grams(1, "tbsp", food_name="rice", portions=rice) == pytest.approx(9.875)
    # ml: 158 / 236.5882365 = 0.66782 g/ml
    assert to_grams(100, "ml", food_name="rice", portions=rice) == pytest.approx(66.7826, 1e-4)


def test_a_qualified_measure_gives_an_approximate_density():
    # "1 cup, chopped = 128 g": 2 tbsp = 2 * 128 / 16 = 16 g
    onion = [portion(1, "cup, chopped", 128)]
    assert to_grams(2, "tbsp", food_name="onion", portions=onion) == pytest.approx(16)
    by_unit = {o.unit: o for o in unit_options(onion)}
    assert by_unit["tbsp"].approximate and by_unit["cup"].approximate


def test_a_plain_measure_wins_over_a_qualified_one():
    food = [portion(1, "cup, sliced", 100), portion(2, "tbsp", 30)]
    # tbsp is exact (15 g each); cup from the plain tbsp: 15 * 16 = 240 g
    assert to_grams(1, "tbsp", food_name="f", portions=food) == 15
    assert to_grams(1, "cup", food_name="f", portions=food) == pytest.approx(240)


def test_fl_oz_portion_and_stated_density():
    milk = [portion(1, "fl oz", 30.5)]
    assert to_grams(8, "fl_oz", food_name="milk", portions=milk) == 244
    # A stated density (1.03 g/ml): 250 ml = 257.5 g; a plain own measure still wins.
    assert to_grams(250, "ml", food_name="x", portions=[], density_g_per_ml=1.03) == 257.5
    assert to_grams(1, "fl_oz", food_name="x", portions=milk, density_g_per_ml=1.03) == 30.5


def test_piece_is_a_countable_portion():
    # SR28 01123 egg: "1 large" = 50 g, "1 medium" = 44 g -> piece prefers medium
    egg = [
        portion(1, "large", 50),
        portion(1, "medium", 44),
        portion(1, "cup (4.86 large eggs)", 243),
    ]
    assert to_grams(2, "piece", food_name="egg", portions=egg) == 88
    assert to_grams(3, str(egg[0].id), food_name="egg", portions=egg) == 150
    # "piece" itself beats the sizes; amounts other than 1 are per one
    assert to_grams(1, "piece", food_name="x", portions=[portion(4, "pieces", 60)]) == 15


def test_portion_amounts_other_than_one():
    # "3 oz" = 85 g: 2 of that portion is 170 g
    chicken = [portion(3, "oz", 85)]
    assert to_grams(2, str(chicken[0].id), food_name="chicken", portions=chicken) == 170


def test_units_that_do_not_apply_say_which_do():
    chicken = [portion(3, "oz", 85), portion(1, "breast, bone and skin removed", 118)]
    with pytest.raises(UnitNotApplicable) as exc:
        to_grams(1, "cup", food_name="Chicken breast", portions=chicken)
    message = exc.value.detail
    assert "no volume measure" in message and "g, kg, oz, lb" in message
    assert exc.value.status == 422 and exc.value.errors[0]["field"] == "unit"
    with pytest.raises(UnitNotApplicable, match="no countable portion"):
        to_grams(1, "piece", food_name="Flour", portions=[portion(1, "cup", 125)])
    with pytest.raises(UnitNotApplicable, match="is not a unit of"):
        to_grams(1, "handful", food_name="Nuts", portions=[])
    with pytest.raises(UnitNotApplicable):  # another food's portion
        to_grams(1, str(uuid.uuid4()), food_name="Nuts", portions=chicken)
