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


def test_next_date_of_a_plan_day() -> None:
    plan = _plan()
    # Not started yet: the first date of each day.
    assert plan.next_on(2, date(2026, 12, 1)) == date(2026, 12, 8)
    # Running: the next time day 1 comes round (today included).
    assert plan.next_on(1, date(2026, 12, 10)) == date(2026, 12, 10)
    assert plan.next_on(1, date(2026, 12, 11)) == date(2026, 12, 13)
    ended = _plan(ends_on=date(2026, 12, 12))
    assert ended.next_on(1, date(2026, 12, 11)) == date(2026, 12, 7)
