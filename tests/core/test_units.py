"""Units: quantities are stored metric and converted at the edges; conversions round-trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotter.core.units import (
    CM_PER_IN,
    KG_PER_LB,
    UnitSystem,
    display_unit,
    format_quantity,
    from_display,
    to_display,
)

METRIC, IMPERIAL = UnitSystem.METRIC, UnitSystem.IMPERIAL
STORED = ["kg", "cm", "g", "ml"]
values = st.floats(min_value=0, max_value=100_000, allow_nan=False, allow_infinity=False)
decimals = st.decimals(
    min_value=0, max_value=100_000, places=3, allow_nan=False, allow_infinity=False
)


def close(a: Decimal, b: Decimal, tolerance: Decimal = Decimal("1e-9")) -> bool:
    return abs(a - b) <= tolerance * max(Decimal(1), abs(b))


def test_exact_definitions():
    assert from_display(1, "kg", IMPERIAL) == KG_PER_LB == Decimal("0.45359237")
    assert from_display(1, "cm", IMPERIAL) == CM_PER_IN == Decimal("2.54")
    assert to_display(Decimal("254"), "cm", IMPERIAL) == 100
    assert to_display(Decimal("45.359237"), "kg", IMPERIAL) == 100
    assert from_display(Decimal("225"), "kg", IMPERIAL) == Decimal("102.05828325")


@given(value=values, unit=st.sampled_from(STORED))
def test_metric_is_the_identity(value, unit):
    assert to_display(value, unit, METRIC) == Decimal(str(value))
    assert from_display(value, unit, METRIC) == Decimal(str(value))
    assert display_unit(unit, METRIC) == unit


@given(kg=values)
def test_kg_lb_round_trip(kg):
    stored = Decimal(str(kg))
    assert close(from_display(to_display(kg, "kg", IMPERIAL), "kg", IMPERIAL), stored)


@given(lb=decimals)
def test_lb_kg_round_trip(lb):
    assert close(to_display(from_display(lb, "kg", IMPERIAL), "kg", IMPERIAL), lb)


@given(cm=values)
def test_cm_in_round_trip(cm):
    stored = Decimal(str(cm))
    assert close(from_display(to_display(cm, "cm", IMPERIAL), "cm", IMPERIAL), stored)


@given(inches=decimals, unit=st.sampled_from(STORED))
def test_every_unit_round_trips(inches, unit):
    assert close(to_display(from_display(inches, unit, IMPERIAL), unit, IMPERIAL), inches)


@given(kg=values)
def test_imperial_numbers_are_bigger_for_mass_and_length(kg):
    assert to_display(kg, "kg", IMPERIAL) >= Decimal(str(kg))
    assert to_display(kg, "cm", IMPERIAL) <= Decimal(str(kg))


@pytest.mark.parametrize(
    ("value", "unit", "system", "places", "text"),
    [
        (100, "kg", IMPERIAL, 1, "220.5 lb"),
        (Decimal("80.0"), "kg", METRIC, 1, "80 kg"),
        (Decimal("72.25"), "kg", METRIC, 1, "72.2 kg"),  # half to even at the edge
        (180, "cm", IMPERIAL, 0, "71 in"),
        (500, "ml", IMPERIAL, 1, "16.9 fl oz"),
        (100, "g", IMPERIAL, 2, "3.53 oz"),
    ],
)
def test_format_quantity(value, unit, system, places, text):
    assert format_quantity(value, unit, system, places) == text


def test_units_are_named_for_each_system():
    assert [display_unit(u, IMPERIAL) for u in STORED] == ["lb", "in", "oz", "fl oz"]
    with pytest.raises(KeyError):
        display_unit("stone", IMPERIAL)
