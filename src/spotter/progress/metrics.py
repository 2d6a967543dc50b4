"""What can be measured: the built-in body metrics and the kinds of unit a custom metric
may have. Values are stored in the kind's metric unit (kg, cm, %, ...) and converted at
the edges with ``core.units``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from spotter.core.units import UnitSystem, display_unit, from_display, to_display


class UnitKind(StrEnum):
    MASS = "mass"
    LENGTH = "length"
    PERCENT = "percent"
    COUNT = "count"
    SECONDS = "seconds"
    SCORE = "score"


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better


# The stored unit of each kind; mass and length are the ones shown differently per system.
STORED_UNIT: dict[UnitKind, str] = {
    UnitKind.MASS: "kg",
    UnitKind.LENGTH: "cm",
    UnitKind.PERCENT: "%",
    UnitKind.COUNT: "",
    UnitKind.SECONDS: "s",
    UnitKind.SCORE: "",
}
_CONVERTED = {UnitKind.MASS, UnitKind.LENGTH}
# Plausible stored values for a custom metric of each kind.
CUSTOM_RANGE: dict[UnitKind, tuple[float, float]] = {
    UnitKind.MASS: (0, 1000),
    UnitKind.LENGTH: (0, 1000),
    UnitKind.PERCENT: (0, 100),
    UnitKind.COUNT: (0, 1_000_000),
    UnitKind.SECONDS: (0, 7 * 86_400),
    UnitKind.SCORE: (0, 1000),
}


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    kind: UnitKind
    low: float  # plausible range, stored units
    high: float
    direction: Direction | None = None  # None: it depends on the client's goal
    group: str = "custom"
    custom_id: uuid.UUID | None = None

    @property
    def unit(self) -> str:
        return STORED_UNIT[self.kind]

    def display_unit(self, system: UnitSystem) -> str:
        return display_unit(self.unit, system) if self.kind in _CONVERTED else self.unit

    def accepted_units(self) -> tuple[str, ...]:
        if self.kind in _CONVERTED:
            return tuple(dict.fromkeys(display_unit(self.unit, s) for s in UnitSystem))
        return (self.unit,) if self.unit else ()

    def to_stored(self, value: float, unit: str) -> float:
        if self.kind in _CONVERTED and unit != self.unit:
            return float(round(from_display(value, self.unit, UnitSystem.IMPERIAL), 3))
        return float(round(Decimal(str(value)), 3))

    def to_display(self, value: float, system: UnitSystem) -> float:
        return round(value * self.display_factor(system), 2)

    def display_factor(self, system: UnitSystem) -> float:
        """Shown value per stored unit (2.2046... lb per kg)."""
        return float(to_display(1, self.unit, system)) if self.kind in _CONVERTED else 1.0

    def range_text(self, system: UnitSystem) -> str:
        low, high = (self.to_display(v, system) for v in (self.low, self.high))
        unit = self.display_unit(system)
        return f"between {low:g} and {high:g}{' ' + unit if unit else ''}"


def _length(key: str, name: str, low: float, high: float) -> Metric:
    return Metric(key, name, UnitKind.LENGTH, low, high, group="circumference")


BODY_WEIGHT = "body_weight"
BODY_FAT = "body_fat"
BUILTIN: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(BODY_WEIGHT, "Body weight", UnitKind.MASS, 20, 400, group="body"),
        Metric(BODY_FAT, "Body fat", UnitKind.PERCENT, 2, 75, group="body"),
        _length("neck", "Neck", 20, 70),
        _length("shoulders", "Shoulders", 70, 200),
        _length("chest", "Chest", 50, 200),
        _length("waist", "Waist", 40, 250),
        _length("hips", "Hips", 50, 250),
        _length("arm_left", "Upper arm (left)", 15, 80),
        _length("arm_right", "Upper arm (right)", 15, 80),
        _length("thigh_left", "Thigh (left)", 25, 120),
        _length("thigh_right", "Thigh (right)", 25, 120),
        _length("calf_left", "Calf (left)", 15, 80),
        _length("calf_right", "Calf (right)", 15, 80),
    )
}
CUSTOM_PREFIX = "custom:"


def custom_key(custom_id: uuid.UUID) -> str:
    return f"{CUSTOM_PREFIX}{custom_id}"


def custom_metric(custom_id: uuid.UUID, name: str, kind: str, direction: str) -> Metric:
    low, high = CUSTOM_RANGE[UnitKind(kind)]
    return Metric(
        custom_key(custom_id),
        name,
        UnitKind(kind),
        low,
        high,
        direction=Direction(direction),
        custom_id=custom_id,
    )
