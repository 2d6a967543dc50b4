"""The date rule of assigned meal plans (the shopping lists use it too)."""

from __future__ import annotations

from datetime import date

from spotter.nutrition.models.plans import ASSIGNED, TEMPLATE, MealPlan


def _plan(**kw: object) -> MealPlan:
    return MealPlan(kind=ASSIGNED, name="P", day_count=3, starts_on=date(2026, 12, 7), **kw)


def test_plan_days_repeat_from_the_start() -> None:
    plan = _plan()
    assert plan.day_number(date(2026, 12, 6)) is None
    assert [plan.day_number(date(2026, 12, d)) for d in range(7, 14)] == [1, 2, 3, 1, 2, 3, 1]


def test_plan_ends_on_its_end_date_inclusive() -> None:
    plan = _plan(ends_on=date(2026, 12, 9))
    assert plan.day_number(date(2026, 12, 9)) == 3
    assert plan.day_number(date(2026, 12, 10)) is None


def test_template_covers_no_date() -> None:
    plan = MealPlan(kind=TEMPLATE, name="T", day_count=3)
    assert plan.day_number(date(2026, 12, 7)) is None
