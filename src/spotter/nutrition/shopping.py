"""Shopping lists, the pure part: what a meal plan needs (a food, grams, where it came
from) consolidated into one line per food, in units a person buys, grouped by the aisles
of a shop walk.

* One line per food (shared or custom), grams summed across days, meals and recipes.
* Units, always rounded **up** (never under-buy), the exact grams kept beside:
  - countable produce and eggs (a "large", "medium", "whole", "fruit", ... portion; not a
    "slice") in whole units: "12 eggs (large)", "7 bananas (medium)";
  - canned foods (``canned`` in the name) in whole cans of the food's own "can" portion,
    else of 400 g: "3 cans (400 g)";
  - liquids (beverages; milk, juice, oil as the name's first part, not "Cheese, ...,
    whole milk"; a food with a liquid measure such as "fl oz" or a stated density) in
    ml (10 ml steps) or l (one decimal);
  - the rest in g (whole grams under 10 g, 10 g steps under 1 kg) or kg (one decimal):
    "1.2 kg".
* Aisles in shop-walk order: produce, bakery, meat and fish, dairy and eggs, dry goods,
  cans, frozen, drinks, other; the USDA groups map onto them (``AISLE_OF_GROUP``), cans
  and frozen foods go by their name.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from spotter.core.text import normalize
from spotter.nutrition.food import FoodView
from spotter.nutrition.text import stem
from spotter.nutrition.units import Portion

# (slug, heading), in the order a shop is walked.
AISLES: tuple[tuple[str, str], ...] = (
    ("produce", "Fruit and vegetables"),
    ("bakery", "Bakery"),
    ("meat_fish", "Meat and fish"),
    ("dairy_eggs", "Dairy and eggs"),
    ("dry_goods", "Dry goods and spices"),
    ("cans", "Cans and jars"),
    ("frozen", "Frozen"),
    ("drinks", "Drinks"),
    ("other", "Other"),
)
AISLE_NAMES = dict(AISLES)
AISLE_ORDER = {slug: n for n, (slug, _) in enumerate(AISLES)}
AISLE_OF_GROUP = {
    "fruits": "produce",
    "vegetables": "produce",
    "baked": "bakery",
    "poultry": "meat_fish",
    "beef": "meat_fish",
    "pork": "meat_fish",
    "lamb_veal_game": "meat_fish",
    "sausages_meats": "meat_fish",
    "fish_shellfish": "meat_fish",
    "dairy_egg": "dairy_eggs",
    "legumes": "dry_goods",
    "nuts_seeds": "dry_goods",
    "grains_pasta": "dry_goods",
    "breakfast_cereals": "dry_goods",
    "fats_oils": "dry_goods",
    "spices_herbs": "dry_goods",
    "soups_sauces": "dry_goods",
    "sweets": "dry_goods",
    "snacks": "dry_goods",
    "beverages": "drinks",
}
DEFAULT_CAN_G = 400.0
# Portions a whole item is bought by, in order of preference; eggs are sold "large".
COUNT_WORDS = ("medium", "large", "whole", "each", "fruit", "head", "item", "unit", "piece")
EGG_COUNT_WORDS = ("large", *COUNT_WORDS)
COUNTABLE_GROUPS = frozenset({"fruits", "vegetables"})
LIQUID_MEASURES = ("fl oz", "ml", "liter", "litre", "quart", "pint", "gallon")
LIQUID_WORDS = frozenset({"milk", "juice", "oil", "beverage", "water", "drink", "broth"})
NOT_LIQUID_WORDS = frozenset({"powder", "dry", "mix", "dehydrated", "solid", "flake"})
# Unit names stored with a line (``ShoppingLine.unit``).
G, KG, ML, L, CAN, COUNT = "g", "kg", "ml", "l", "can", "count"
_EPSILON = 1e-9


@dataclass(frozen=True)
class Need:
    """Grams of a food that a plan calls for, and where (a recipe's or a meal's name)."""

    food: FoodView
    grams: float
    source: str


@dataclass(frozen=True)
class Amount:
    """What to buy of a food: ``quantity`` of ``unit`` (g, kg, ml, l, can, count) and the
    words shown ("1.2 kg", "3 cans (400 g)", "12 eggs (large)")."""

    quantity: float
    unit: str
    label: str


@dataclass(frozen=True)
class ShoppingLine:
    food: FoodView
    grams: float  # exact, summed; the amount is rounded up from it
    amount: Amount
    aisle: str
    sources: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.food.display_name


@dataclass(frozen=True)
class Consolidated:
    lines: tuple[ShoppingLine, ...]  # to buy, by aisle then name
    at_home: tuple[ShoppingLine, ...]  # the client's pantry staples, listed apart


def _up(value: float, step: float) -> float:
    """``value`` rounded up to a multiple of ``step``, float noise ignored (2.0000000001
    eggs are 2 eggs)."""
    return math.ceil(value / step - _EPSILON) * step


def _words(name: str) -> set[str]:
    return {stem(w) for w in normalize(name).split()}


def _head_word(portion: Portion) -> str:
    head = portion.head
    return head.split(" ", 1)[0] if head else ""


def _is_egg(food: FoodView) -> bool:
    first = normalize(food.name.split(",", 1)[0]).split()
    return food.group == "dairy_egg" and first == ["egg"]


def count_portion(food: FoodView) -> Portion | None:
    """The whole item a countable food is bought by (eggs, produce), if it is one."""
    if not (_is_egg(food) or food.group in COUNTABLE_GROUPS):
        return None
    if "juice" in _words(food.name):
        return None
    for word in EGG_COUNT_WORDS if _is_egg(food) else COUNT_WORDS:
        for p in food.portions:
            if _head_word(p) == word and p.grams_each > 0:
                return p
    return None


def can_grams(food: FoodView) -> float | None:
    """The weight of one can of a canned food: its own "can" portion, else 400 g."""
    if "canned" not in normalize(food.name).split():
        return None
    for p in food.portions:
        if _head_word(p) == "can" and p.grams_each > 0:
            return p.grams_each
    return DEFAULT_CAN_G


def grams_per_ml(food: FoodView) -> float | None:
    """The density of a liquid (None when the food is not bought as one)."""
    if _words(food.name) & NOT_LIQUID_WORDS:
        return None
    liquid = (
        food.density_g_per_ml is not None
        or food.group == "beverages"
        or bool(_words(food.name.split(",", 1)[0]) & LIQUID_WORDS)
        or any(p.head.startswith(LIQUID_MEASURES) for p in food.portions)
    )
    if not liquid:
        return None
    ml = next((o for o in food.units if o.unit == "ml"), None)
    return ml.grams if ml is not None and ml.grams > 0 else None


def _plural(food: FoodView, n: float, size: str) -> str:
    first = food.name.split(",", 1)[0].strip().lower().split()
    if len(first) != 1:
        return f"x {size}"
    word = first[0]
    singular = stem(word)
    noun = singular if n == 1 else (word if word.endswith("s") else singular + "s")
    return f"{noun} ({size})"


def _metric(value: float, small: str, large: str) -> Amount:
    """g/kg or ml/l: whole units under 10, 10-unit steps under 1000, then one decimal of
    the larger unit."""
    if value <= 10:
        rounded = max(1.0, _up(value, 1))
        return Amount(rounded, small, f"{rounded:g} {small}")
    rounded = _up(value, 10)
    if rounded < 1000:
        return Amount(rounded, small, f"{rounded:g} {small}")
    big = round(_up(value, 100) / 1000, 1)
    label = "L" if large == L else large
    return Amount(big, large, f"{big:g} {label}")


def shopping_amount(food: FoodView, grams: float) -> Amount:
    """How much of ``food`` to buy for ``grams`` of it (see the module's rules)."""
    can = can_grams(food)
    if can is not None:
        n = _up(grams / can, 1)
        size = f"{can:.0f} g"
        return Amount(n, CAN, f"{n:g} {'can' if n == 1 else 'cans'} ({size})")
    portion = count_portion(food)
    if portion is not None:
        n = _up(grams / portion.grams_each, 1)
        size = portion.head
        return Amount(n, COUNT, f"{n:g} {_plural(food, n, size)}")
    density = grams_per_ml(food)
    if density is not None:
        return _metric(grams / density, ML, L)
    return _metric(grams, G, KG)


def aisle(food: FoodView) -> str:
    words = normalize(food.name).split()
    if "canned" in words:
        return "cans"
    if "frozen" in words:
        return "frozen"
    if "juice" in _words(food.name):
        return "drinks"
    return AISLE_OF_GROUP.get(food.group or "", "other")


def consolidate(needs: Iterable[Need], at_home: Iterable[uuid.UUID] = ()) -> Consolidated:
    """One line per food with the grams summed, sorted by aisle then name; the foods in
    ``at_home`` (pantry staples) listed apart."""
    grams: dict[uuid.UUID, float] = {}
    foods: dict[uuid.UUID, FoodView] = {}
    sources: dict[uuid.UUID, dict[str, None]] = {}
    for need in needs:
        if need.grams <= 0:
            continue
        key = need.food.id
        foods[key] = need.food
        grams[key] = grams.get(key, 0.0) + need.grams
        sources.setdefault(key, {})[need.source] = None
    lines = [
        ShoppingLine(
            food=foods[key],
            grams=total,
            amount=shopping_amount(foods[key], total),
            aisle=aisle(foods[key]),
            sources=tuple(sorted(sources[key])),
        )
        for key, total in grams.items()
    ]
    lines.sort(key=lambda line: (AISLE_ORDER[line.aisle], line.name.lower(), str(line.food.id)))
    home = set(at_home)
    return Consolidated(
        lines=tuple(line for line in lines if line.food.id not in home),
        at_home=tuple(line for line in lines if line.food.id in home),
    )
