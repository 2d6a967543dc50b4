"""Amounts of the seven nutrients, unknown-aware.

A food's value may be unknown (NULL in SR28, left blank on a custom food). Adding amounts
keeps that honest: per nutrient, the sum of the known parts, and how many parts were known
and unknown. A total with unknown parts and known ones is a *lower bound* ("at least");
a total whose parts are all unknown is unknown; an empty total (nothing eaten) is 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spotter.nutrition.models.foods import NUTRIENT_COLUMNS

NUTRIENTS: tuple[str, ...] = tuple(name for name, _ in NUTRIENT_COLUMNS)
UNITS: dict[str, str] = dict(NUTRIENT_COLUMNS)
LABELS = {
    "energy_kcal": "Energy",
    "protein_g": "Protein",
    "fat_g": "Fat",
    "carbohydrate_g": "Carbohydrate",
    "fiber_g": "Fibre",
    "sugars_g": "Sugars",
    "sodium_mg": "Sodium",
}
# Energy per gram of each macronutrient (Atwater general factors).
KCAL_PER_G = {"protein_g": 4.0, "fat_g": 9.0, "carbohydrate_g": 4.0}


@dataclass(frozen=True, slots=True)
class Part:
    """One nutrient of an amount: the sum of the known parts and how many parts were
    known and unknown. Slotted: every food view holds seven, and search keeps thousands
    of views."""

    total: float = 0.0
    known: int = 0
    unknown: int = 0

    @property
    def value(self) -> float | None:
        if self.known == 0 and self.unknown > 0:
            return None
        return self.total

    @property
    def partial(self) -> bool:
        """Some part is unknown but not all: ``value`` is a lower bound."""
        return self.known > 0 and self.unknown > 0

    def __add__(self, other: Part) -> Part:
        return Part(
            self.total + other.total, self.known + other.known, self.unknown + other.unknown
        )

    def scaled(self, factor: float) -> Part:
        return Part(self.total * factor, self.known, self.unknown)


_EMPTY = Part()
_UNKNOWN = Part(0.0, 0, 1)  # one value unknown


@dataclass(frozen=True)
class Amounts:
    """The seven nutrients of something: a food per 100 g, a portion, a recipe, a day."""

    parts: tuple[Part, ...] = tuple(_EMPTY for _ in NUTRIENTS)

    @classmethod
    def of(cls, values: Mapping[str, float | None]) -> Amounts:
        """From values by nutrient name (missing or None: unknown)."""
        return cls(
            tuple(
                Part(float(v), 1, 0) if (v := values.get(n)) is not None else _UNKNOWN
                for n in NUTRIENTS
            )
        )

    @classmethod
    def of_row(cls, row: Any) -> Amounts:
        """From an object with the nutrient columns (a food, a diary entry)."""
        return cls.of({n: getattr(row, n) for n in NUTRIENTS})

    @classmethod
    def total(cls, items: Iterable[Amounts]) -> Amounts:
        out = cls()
        for item in items:
            out = out + item
        return out

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(tuple(a + b for a, b in zip(self.parts, other.parts, strict=True)))

    def scaled(self, factor: float) -> Amounts:
        return Amounts(tuple(p.scaled(factor) for p in self.parts))

    def for_grams(self, grams: float) -> Amounts:
        """Per-100-g values as the amounts in ``grams``."""
        return self.scaled(grams / 100.0)

    def part(self, name: str) -> Part:
        return self.parts[NUTRIENTS.index(name)]

    def value(self, name: str) -> float | None:
        return self.part(name).value

    def values(self) -> dict[str, float | None]:
        return {n: p.value for n, p in zip(NUTRIENTS, self.parts, strict=True)}

    @property
    def incomplete(self) -> list[str]:
        """Nutrients whose value is a lower bound."""
        return [n for n, p in zip(NUTRIENTS, self.parts, strict=True) if p.partial]

    @property
    def unknown(self) -> list[str]:
        return [n for n, p in zip(NUTRIENTS, self.parts, strict=True) if p.value is None]

    def macro_energy(self) -> dict[str, float] | None:
        """Energy from protein, fat and carbohydrate (Atwater 4/9/4), when all three are
        known: the basis of "carbohydrate share of energy"."""
        out = {}
        for name, factor in KCAL_PER_G.items():
            value = self.value(name)
            if value is None:
                return None
            out[name] = value * factor
        return out
