"""The allergen and diet rules on real SR28 names."""

from __future__ import annotations

import pytest

from spotter.nutrition.nutrients import Amounts
from spotter.nutrition.traits import allergens, conflicts, derive, diets, keto

CASES = [
    ("Egg, whole, raw, fresh", "dairy_egg", {"egg"}),
    ("Butter, salted", "dairy_egg", {"milk"}),
    ("Yogurt, Greek, plain, nonfat", "dairy_egg", {"milk"}),
    ("Milk substitutes, fluid, with lauric acid oil", "dairy_egg", set()),
    ("Cream substitute, liquid, with lauric acid oil and sodium caseinate", "dairy_egg", {"milk"}),
    ("Chicken, broilers or fryers, breast, meat only, raw", "poultry", {"meat"}),
    ("Peanut butter, smooth style, without salt", "legumes", {"peanuts"}),
    ("Nuts, almond butter, plain, without salt added", "nuts_seeds", {"tree_nuts"}),
    ("Nuts, coconut meat, raw", "nuts_seeds", set()),
    ("Nuts, coconut milk, canned (liquid expressed from grated meat)", "nuts_seeds", set()),
    ("Beans, baked, canned, with pork", "legumes", {"meat"}),
    ("Nuts, walnuts, english", "nuts_seeds", {"tree_nuts"}),
    ("Seeds, sesame butter, tahini, from roasted and toasted kernels", "nuts_seeds", {"sesame"}),
    ("Eggplant, raw", "vegetables", set()),
    ("Beverages, coconut milk, sweetened, fortified with calcium", "beverages", set()),
    ("Bread, whole-wheat, commercially prepared", "baked", {"gluten"}),
    ("Tortillas, ready-to-bake or -fry, corn", "baked", set()),
    ("Oats", "grains_pasta", {"gluten"}),
    ("Rice, white, long-grain, regular, enriched, cooked", "grains_pasta", set()),
    ("Crustaceans, shrimp, mixed species, raw", "fish_shellfish", {"shellfish"}),
    ("Fish, salmon, Atlantic, farmed, raw", "fish_shellfish", {"fish"}),
    ("Crustaceans, crab, blue, canned", "fish_shellfish", {"shellfish"}),
    ("Tofu, raw, firm, prepared with calcium sulfate", "legumes", {"soy"}),
    ("Hummus, commercial", "legumes", {"sesame"}),
    ("Honey", "sweets", {"animal"}),
    ("Gelatin desserts, dry mix", "sweets", {"meat"}),
    ("Frankfurter, meatless", "legumes", {"soy"} - {"soy"}),
    ("Salad dressing, mayonnaise, regular", "fats_oils", {"egg"}),
    ("Sauce, worcestershire", "soups_sauces", {"fish"}),
    ("Soup, chicken noodle, canned, condensed", "soups_sauces", {"meat", "gluten"}),
    ("Fast foods, cheeseburger; single, regular patty", "fast_foods", {"meat", "gluten", "milk"}),
    ("Beverages, carbonated, ginger ale", "beverages", set()),
    ("SILK Vanilla soy yogurt (family size)", "dairy_egg", {"soy"}),
    ("Squash, winter, butternut, raw", "vegetables", set()),
    ("Lima beans, large, mature seeds, raw", "legumes", set()),
]


@pytest.mark.parametrize(("name", "group", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_derived_traits(name, group, expected):
    assert {t.value for t in derive(name, group)} == expected


def test_diets_follow_from_traits():
    assert diets([]) == ["vegan", "vegetarian", "gluten_free", "dairy_free"]
    assert diets(["milk"]) == ["vegetarian", "gluten_free"]
    assert diets(["egg", "gluten"]) == ["vegetarian", "dairy_free"]
    assert diets(["honey"]) == ["vegan", "vegetarian", "gluten_free", "dairy_free"]
    assert diets(["animal"]) == ["vegetarian", "gluten_free", "dairy_free"]
    assert diets(["fish"]) == ["gluten_free", "dairy_free"]
    assert allergens(["meat", "soy", "milk"]) == ["milk", "soy"]


def test_keto_is_net_carbohydrate_share_of_macro_energy():
    # Egg per 100 g: 12.56 g protein (50.24 kcal), 9.51 g fat (85.59), 0.72 g carbs (2.88)
    egg = Amounts.of({"protein_g": 12.56, "fat_g": 9.51, "carbohydrate_g": 0.72, "fiber_g": 0})
    assert keto(egg) is True
    assert "keto" in diets(["egg"], egg)
    # Rice: 28.17 g carbs - 0.4 fibre = 27.77 * 4 = 111.08 of 124.36 kcal -> not keto
    rice = Amounts.of({"protein_g": 2.69, "fat_g": 0.28, "carbohydrate_g": 28.17, "fiber_g": 0.4})
    assert keto(rice) is False
    # Exactly at the line: 10 g net carbs (40 kcal) of 400 kcal is keto.
    line = Amounts.of({"protein_g": 0, "fat_g": 40, "carbohydrate_g": 10, "fiber_g": None})
    assert keto(line) is True
    # Unknown macronutrients or no energy at all: unknown.
    assert keto(Amounts.of({"protein_g": 1, "fat_g": None, "carbohydrate_g": 1})) is None
    assert keto(Amounts.of({"protein_g": 0, "fat_g": 0, "carbohydrate_g": 0})) is None


def test_conflicts_name_the_items_and_why():
    found = conflicts("vegan", {"Egg": ["egg"], "Rice": [], "Cheese omelet": ["egg", "milk"]})
    assert found == ["Egg (egg)", "Cheese omelet (egg, milk)"]
    assert conflicts("vegetarian", {"Chicken": ["meat"]}) == ["Chicken (meat)"]
