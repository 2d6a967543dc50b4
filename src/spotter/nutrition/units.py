"""Units for food quantities: mass, volume, pieces and each food's own portions.

* Mass converts exactly: g, kg, oz (28.349523125 g) and lb (453.59237 g), the definitions.
* Volume (ml, l, US cup 236.5882365 ml, tbsp 14.78676478125 ml, tsp 4.92892159375 ml,
  fl oz 29.5735295625 ml) needs the food's density. In order of preference:
  the food's own measure of exactly that unit ("1 cup" = 158 g: USDA weighed it); the
  density a custom food states; the density of the food's plain volume measures ("cup",
  "tbsp", "fl oz"); then of its qualified ones ("cup, chopped", marked approximate).
  A food with none of these has no volume units: asking for one is a 422 that lists the
  units that do apply.
* ``piece`` is one of the food's countable portions (piece, unit, item, each, whole,
  fruit, medium, large, small, slice, in that order of preference), per one.
* A portion's id is a unit too: "2 x 1 large" is quantity 2, unit = that portion's id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from spotter.core.errors import InvalidInput
from spotter.core.units import G_PER_OZ, KG_PER_LB, ML_PER_FLOZ

G_PER_LB = float(KG_PER_LB * 1000)
MASS_G: dict[str, float] = {"g": 1.0, "kg": 1000.0, "oz": float(G_PER_OZ), "lb": G_PER_LB}
VOLUME_ML: dict[str, float] = {
    "ml": 1.0,
    "l": 1000.0,
    "cup": 236.5882365,
    "tbsp": 14.78676478125,
    "tsp": 4.92892159375,
    "fl_oz": float(ML_PER_FLOZ),
}
PIECE = "piece"
SERVING = "serving"  # recipes: quantity is servings
UNITS: tuple[str, ...] = (*MASS_G, *VOLUME_ML, PIECE)
UNIT_LABELS = {"fl_oz": "fl oz", "l": "L"}

# Volume words in portion descriptions -> millilitres per one.
_VOLUME_WORDS: dict[str, float] = {
    "cup": VOLUME_ML["cup"],
    "cups": VOLUME_ML["cup"],
    "tbsp": VOLUME_ML["tbsp"],
    "tablespoon": VOLUME_ML["tbsp"],
    "tablespoons": VOLUME_ML["tbsp"],
    "tsp": VOLUME_ML["tsp"],
    "teaspoon": VOLUME_ML["tsp"],
    "teaspoons": VOLUME_ML["tsp"],
    "fl oz": VOLUME_ML["fl_oz"],
    "ml": 1.0,
    "liter": 1000.0,
    "litre": 1000.0,
    "pint": 473.176473,
    "quart": 946.352946,
    "gallon": 3785.411784,
}
_UNIT_OF_WORD = {"cup": "cup", "cups": "cup", "tbsp": "tbsp", "tablespoon": "tbsp"}
_UNIT_OF_WORD |= {"tablespoons": "tbsp", "tsp": "tsp", "teaspoon": "tsp", "teaspoons": "tsp"}
_UNIT_OF_WORD |= {"fl oz": "fl_oz", "ml": "ml", "liter": "l", "litre": "l"}
PIECE_WORDS: tuple[str, ...] = (
    "piece",
    "pieces",
    "unit",
    "item",
    "each",
    "whole",
    "fruit",
    "medium",
    "large",
    "small",
    "slice",
)
_HEAD = re.compile(r"^\s*([^,(]*)")


class UnitNotApplicable(InvalidInput):
    code, title = "unit_not_applicable", "This unit does not apply to this food"


@dataclass(frozen=True)
class Portion:
    """A household measure: ``amount`` x ``description`` weighs ``gram_weight`` grams."""

    id: uuid.UUID
    amount: float
    description: str
    gram_weight: float

    @property
    def label(self) -> str:
        amount = f"{self.amount:g}"
        return f"{amount} {self.description}"

    @property
    def grams_each(self) -> float:
        return self.gram_weight / self.amount if self.amount else self.gram_weight

    @property
    def head(self) -> str:
        """The measure before any qualifier: "cup" for "cup, chopped" or "cup (8 fl oz)"."""
        match = _HEAD.match(self.description.lower())
        return " ".join((match.group(1) if match else "").split())

    @property
    def plain(self) -> bool:
        """Only a volume unit itself ("cup", "cup (8 fl oz)"), not "cup, chopped" or
        "cup slices"."""
        return "," not in self.description and self.volume_unit() is not None

    def volume_ml(self) -> float | None:
        """Millilitres per one, when the measure is a volume."""
        head = self.head
        if head.startswith("fl oz"):
            return _VOLUME_WORDS["fl oz"]
        word = head.split(" ", 1)[0] if head else ""
        return _VOLUME_WORDS.get(word)

    def volume_unit(self) -> str | None:
        head = self.head
        return _UNIT_OF_WORD.get("fl oz" if head.startswith("fl oz") else head)


@dataclass(frozen=True)
class UnitOption:
    """A unit that applies to a food and what one of it weighs."""

    unit: str
    label: str
    grams: float
    approximate: bool = False


def _density(portions: Sequence[Portion], stated: float | None) -> tuple[float, bool] | None:
    """(grams per ml, approximate) of a food, or None."""
    if stated:
        return stated, False
    for plain in (True, False):
        for p in portions:
            ml = p.volume_ml()
            if ml and p.amount > 0 and p.plain == plain:
                return p.grams_each / ml, not plain
    return None


def _piece(portions: Sequence[Portion]) -> Portion | None:
    for word in PIECE_WORDS:
        for p in portions:
            if p.head.split(" ", 1)[0] == word:
                return p
    return None


def unit_options(
    portions: Sequence[Portion], density_g_per_ml: float | None = None
) -> list[UnitOption]:
    """Every unit that applies to a food: mass, volume (with a density), piece (with a
    countable portion), then each of its portions."""
    options = [UnitOption(u, UNIT_LABELS.get(u, u), g) for u, g in MASS_G.items()]
    density = _density(portions, density_g_per_ml)
    exact = {
        unit: p.grams_each
        for p in reversed(portions)
        if p.plain and p.amount > 0 and (unit := p.volume_unit())
    }
    for unit, ml in VOLUME_ML.items():
        if unit in exact:
            options.append(UnitOption(unit, UNIT_LABELS.get(unit, unit), exact[unit]))
        elif density is not None:
            grams = ml * density[0]
            options.append(UnitOption(unit, UNIT_LABELS.get(unit, unit), grams, density[1]))
    piece = _piece(portions)
    if piece is not None:
        options.append(UnitOption(PIECE, f"piece · {piece.description}", piece.grams_each))
    options += [UnitOption(str(p.id), p.label, p.gram_weight) for p in portions]
    return options


def _names(options: Sequence[UnitOption]) -> str:
    standard = [o.unit for o in options if o.unit in UNITS]
    own = [f"{o.label} (unit {o.unit})" for o in options if o.unit not in UNITS]
    return ", ".join(standard + own[:6]) + (" ..." if len(own) > 6 else "")


def to_grams(
    quantity: float,
    unit: str,
    *,
    food_name: str,
    portions: Sequence[Portion],
    density_g_per_ml: float | None = None,
    field: str = "unit",
) -> float:
    """``quantity`` ``unit`` of a food in grams; a unit that does not apply to this food
    (or that is no unit at all) is a 422 naming the ones that do."""
    options = unit_options(portions, density_g_per_ml)
    for option in options:
        if option.unit == unit:
            return quantity * option.grams
    if unit in VOLUME_ML:
        reason = f"{food_name} has no volume measure or density"
    elif unit == PIECE:
        reason = f"{food_name} has no countable portion (piece, medium, slice, ...)"
    else:
        reason = f"{unit!r} is not a unit of {food_name}"
    message = f"{UNIT_LABELS.get(unit, unit)} does not apply: {reason}. Use {_names(options)}."
    raise UnitNotApplicable(message, errors=[{"field": field, "message": message}])
