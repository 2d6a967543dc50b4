"""Unknown-aware nutrient amounts."""

from __future__ import annotations

import pytest

from spotter.nutrition.nutrients import Amounts


def test_unknown_stays_unknown_and_totals_say_at_least():
    rice = Amounts.of({"energy_kcal": 130, "fiber_g": 0.4, "sugars_g": 0.05})
    oil = Amounts.of({"energy_kcal": 884, "fiber_g": None, "sugars_g": None})
    assert rice.value("sodium_mg") is None  # not given: unknown
    total = Amounts.total([rice.for_grams(200), oil.for_grams(10)])
    assert total.value("energy_kcal") == pytest.approx(260 + 88.4)
    assert total.value("fiber_g") == pytest.approx(0.8)
    assert "fiber_g" in total.incomplete and "energy_kcal" not in total.incomplete
    assert total.value("sodium_mg") is None and "sodium_mg" in total.unknown


def test_an_empty_total_is_zero_not_unknown():
    empty = Amounts.total([])
    assert empty.value("energy_kcal") == 0 and empty.incomplete == [] and empty.unknown == []


def test_zero_is_known():
    water = Amounts.of({"energy_kcal": 0, "fiber_g": 0})
    assert water.value("fiber_g") == 0 and "fiber_g" not in water.unknown
