"""Shopping lists, the pure part: consolidation, shopping units and aisles, pinned to
hand-computed cases with real USDA SR28 rows."""

from __future__ import annotations

import pytest

from spotter.nutrition.shopping import Need, consolidate, shopping_amount
from tests.nutrition.usda import usda

EGG = usda("01123")  # "1 large" = 50 g, "1 medium" = 44 g
CHICKEN = usda("05062")  # breast, skinless, raw: "1 piece" = 272 g is no buying unit
MILK = usda("01077")  # whole: 1 cup = 244 g -> 244 / 236.5882365 = 1.03133 g/ml
OIL = usda("04053")  # olive: 1 tablespoon = 13.5 g -> 13.5 / 14.78676 = 0.91297 g/ml
CHICKPEAS = usda("16058")  # canned: "1 can (total can contents)" = 448 g
TOMATOES = usda("11533")  # canned, stewed: no can portion -> 400 g cans
BANANA = usda("09040")  # "1 medium (7" to 7-7/8" long)" = 118 g
BREAD = usda("18069")  # white: "1 slice" = 29 g is no buying unit
SALT = usda("02047")
PEAS = usda("11312")  # green, frozen
JUICE = usda("09206")  # orange juice: 1 cup = 248 g


def label(food, grams):
    return shopping_amount(food, grams).label


def test_eggs_are_whole_large_eggs_rounded_up():
    assert label(EGG, 700) == "14 eggs (large)"  # 2 a day for a week
    assert label(EGG, 775) == "16 eggs (large)"  # 15.5 -> 16
    assert label(EGG, 50) == "1 egg (large)"
    # float noise is not an extra egg: 3 x 33.3333 g / 50 g is 2.0000000001
    assert label(EGG, 100.00000001) == "2 eggs (large)"


def test_produce_by_the_piece():
    a = shopping_amount(BANANA, 826)  # 7 x 118 g
    assert (a.quantity, a.unit, a.label) == (7, "count", "7 bananas (medium)")
    assert label(BANANA, 827) == "8 bananas (medium)"
    assert label(BANANA, 100) == "1 banana (medium)"


def test_mass_in_10_g_steps_then_kg_with_one_decimal():
    a = shopping_amount(CHICKEN, 1150)
    assert (a.quantity, a.unit, a.label) == (1.2, "kg", "1.2 kg")
    assert label(CHICKEN, 1201) == "1.3 kg"  # never under-buy
    assert label(CHICKEN, 340.5) == "350 g"
    assert label(CHICKEN, 995) == "1 kg"
    assert label(BREAD, 600) == "600 g"  # slices are not sold: grams
    assert label(SALT, 2.2) == "3 g"
    assert label(SALT, 0.4) == "1 g"


def test_liquids_in_ml_and_litres():
    # 1500 g / 1.03133 g/ml = 1454.4 ml -> 1.5 L; 500 g -> 484.8 ml -> 490 ml
    assert label(MILK, 1500) == "1.5 L"
    assert label(MILK, 500) == "490 ml"
    assert label(OIL, 100) == "110 ml"  # 109.5 ml
    assert label(JUICE, 2480) == "2.4 L"  # 2480 / (248 / 236.588) = 2365.9 ml


def test_canned_foods_in_whole_cans():
    a = shopping_amount(CHICKPEAS, 900)  # 900 / 448 = 2.01 -> 3
    assert (a.quantity, a.unit, a.label) == (3, "can", "3 cans (448 g)")
    assert label(TOMATOES, 800) == "2 cans (400 g)"
    assert label(TOMATOES, 120) == "1 can (400 g)"


def test_consolidate_sums_per_food_and_groups_by_aisle():
    result = consolidate(
        [
            Need(EGG, 700, "Breakfast"),
            Need(CHICKEN, 600, "Chicken and rice"),
            Need(EGG, 75, "Egg fried rice"),
            Need(CHICKEN, 550, "Chicken salad"),
            Need(TOMATOES, 400, "Chicken and rice"),
            Need(BANANA, 118, "Snacks"),
            Need(PEAS, 200, "Egg fried rice"),
            Need(BREAD, 290, "Breakfast"),
            Need(MILK, 1000, "Breakfast"),
            Need(SALT, 3, "Chicken and rice"),
            Need(OIL, 0, "Nothing"),  # nothing to buy
        ],
        at_home=[SALT.id],
    )
    assert [(line.aisle, line.amount.label) for line in result.lines] == [
        ("produce", "1 banana (medium)"),
        ("bakery", "290 g"),
        ("meat_fish", "1.2 kg"),
        ("dairy_eggs", "16 eggs (large)"),  # "Egg, ..." before "Milk, ..."
        ("dairy_eggs", "970 ml"),  # 1000 g / 1.03133 = 969.6 ml
        ("cans", "1 can (400 g)"),
        ("frozen", "200 g"),
    ]
    chicken = result.lines[2]
    assert chicken.grams == pytest.approx(1150)  # the exact grams beside the display
    assert chicken.sources == ("Chicken and rice", "Chicken salad")
    eggs = result.lines[3]
    assert eggs.grams == pytest.approx(775) and eggs.sources == ("Breakfast", "Egg fried rice")
    assert [(line.name, line.amount.label) for line in result.at_home] == [("Salt, table", "3 g")]
