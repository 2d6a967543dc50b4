"""Quantities are stored metric (kg, cm, g, ml) and converted at the edges."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class UnitSystem(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


KG_PER_LB = Decimal("0.45359237")  # exact, by definition
CM_PER_IN = Decimal("2.54")
ML_PER_FLOZ = Decimal("29.5735295625")
G_PER_OZ = Decimal("28.349523125")

# Display unit per stored unit and system, and the factor stored = shown * factor.
_DISPLAY: dict[tuple[str, UnitSystem], tuple[str, Decimal]] = {
    ("kg", UnitSystem.METRIC): ("kg", Decimal(1)),
    ("kg", UnitSystem.IMPERIAL): ("lb", KG_PER_LB),
    ("cm", UnitSystem.METRIC): ("cm", Decimal(1)),
    ("cm", UnitSystem.IMPERIAL): ("in", CM_PER_IN),
    ("g", UnitSystem.METRIC): ("g", Decimal(1)),
    ("g", UnitSystem.IMPERIAL): ("oz", G_PER_OZ),
    ("ml", UnitSystem.METRIC): ("ml", Decimal(1)),
    ("ml", UnitSystem.IMPERIAL): ("fl oz", ML_PER_FLOZ),
}


def display_unit(stored_unit: str, system: UnitSystem) -> str:
    return _DISPLAY[(stored_unit, system)][0]


def to_display(value: float | Decimal, stored_unit: str, system: UnitSystem) -> Decimal:
    """A stored metric value in the user's units."""
    return Decimal(str(value)) / _DISPLAY[(stored_unit, system)][1]


def from_display(value: float | Decimal, stored_unit: str, system: UnitSystem) -> Decimal:
    """A value the user typed in their units, as the stored metric value."""
    return Decimal(str(value)) * _DISPLAY[(stored_unit, system)][1]


def format_quantity(
    value: float | Decimal, stored_unit: str, system: UnitSystem, places: int = 1
) -> str:
    shown = to_display(value, stored_unit, system)
    text = f"{shown:.{places}f}".rstrip("0").rstrip(".") if places else f"{shown:.0f}"
    return f"{text} {display_unit(stored_unit, system)}"
