"""The meal-plan generator on made-up pools: every day within the bands, variety, the
reasons it gives when the targets cannot be met, determinism and a full-size run."""

from __future__ import annotations

import dataclasses
import random

import pytest

from spotter.nutrition.generator import (
    Candidate,
    MealKind,
    Plan,
    Problem,
    Rules,
    Targets,
    TargetsUnreachable,
    generate,
    meal_kind,
)

MEALS = ["Breakfast", "Lunch", "Dinner", "Snacks"]
TARGETS = Targets(energy_kcal=2300, protein_g=150, fat_g=75, carbohydrate_g=255)


def recipe(
    key: str, protein: float, fat: float, carbs: float, *kinds: MealKind, kind: str = "recipe"
) -> Candidate:
    return Candidate(
        key=key,
        kind=kind,  # type: ignore[arg-type]
        name=key.title(),
        per_unit={
            "energy_kcal": 4 * protein + 9 * fat + 4 * carbs,
            "protein_g": protein,
            "fat_g": fat,
            "carbohydrate_g": carbs,
        },
        unit="serving",
        step=0.5,
        min_steps=1,
        max_steps=6,
        meals=frozenset(kinds),
    )


def random_pool(count: int, seed: int = 1) -> list[Candidate]:
    rng = random.Random(seed)
    kinds = [MealKind.BREAKFAST, MealKind.MAIN, MealKind.MAIN, MealKind.SNACK]
    return [
        recipe(
            f"r{i}",
            rng.uniform(5, 40),
            rng.uniform(3, 25),
            rng.uniform(10, 80),
            kinds[i % len(kinds)],
        )
        for i in range(count)
    ]


# Time enough for any solve here: a test about what a plan holds must not depend on how
# busy the machine is (the time limit's own behaviour has its test below).
ROOMY = {"time_limit": 30.0, "fallback_time": 30.0}


def assert_within_bands(plan: Plan, targets: Targets, rules: Rules) -> None:
    for n, day in enumerate(plan.days):
        for nutrient in targets.set:
            target = targets.value(nutrient)
            assert target is not None
            tol = rules.tolerance(nutrient)
            total = sum(i.amount(nutrient) for m in day.meals for i in m.items)
            assert target * (1 - tol) - 1e-6 <= total <= target * (1 + tol) + 1e-6, (n, nutrient)
        for meal in day.meals:
            assert rules.min_items <= len(meal.items) <= rules.max_items


def test_meal_names_map_onto_meal_kinds():
    assert meal_kind("Breakfast") == MealKind.BREAKFAST
    assert meal_kind("Lunch") == meal_kind("Dinner") == MealKind.MAIN
    assert meal_kind("Snacks") == meal_kind("Afternoon snack") == MealKind.SNACK
    assert meal_kind("Pre-workout") is None


def test_a_week_lands_within_the_bands_with_variety():
    pool = random_pool(40)
    rules = Rules(**ROOMY)
    plan = generate(Problem(pool, TARGETS, 7, MEALS, rules))
    assert len(plan.days) == 7
    assert_within_bands(plan, TARGETS, rules)
    limit = rules.days_per_item(7)
    days_used: dict[str, int] = {}
    for day in plan.days:
        keys = [i.candidate.key for m in day.meals for i in m.items]
        assert len(keys) == len(set(keys)), "an item twice in one day"
        for key in keys:
            days_used[key] = days_used.get(key, 0) + 1
    assert max(days_used.values()) <= limit
    for today, tomorrow in zip(plan.days, plan.days[1:], strict=False):
        mains = lambda day: {i.candidate.key for m in day.meals[1:3] for i in m.items}  # noqa: E731
        assert not mains(today) & mains(tomorrow), "the same main two days in a row"
    # Meals only hold what suits them; amounts are whole steps within the range.
    for day in plan.days:
        for meal in day.meals:
            for item in meal.items:
                assert item.candidate.suits(meal_kind(meal.name))
                assert 1 <= item.steps <= 6
                assert item.quantity == item.steps * 0.5


def test_variety_is_configurable():
    pool = random_pool(40)
    rules = Rules(max_days_per_item=2, **ROOMY)
    plan = generate(Problem(pool, TARGETS, 7, MEALS, rules))
    assert_within_bands(plan, TARGETS, rules)
    counts: dict[str, int] = {}
    for day in plan.days:
        for key in {i.candidate.key for m in day.meals for i in m.items}:
            counts[key] = counts.get(key, 0) + 1
    assert max(counts.values()) <= 2


def test_energy_only_targets_and_any_meal_candidates():
    pool = [dataclasses.replace(c, meals=frozenset()) for c in random_pool(12)]
    targets = Targets(energy_kcal=1800)
    plan = generate(Problem(pool, targets, 3, ["Meal 1", "Meal 2", "Meal 3"], Rules(**ROOMY)))
    assert_within_bands(plan, targets, Rules())
    assert plan.days[0].deviation["protein_g"] is None


def test_same_input_gives_the_same_plan():
    problem = Problem(random_pool(24, seed=3), TARGETS, 3, MEALS, Rules(**ROOMY))
    first, second = generate(problem), generate(problem)
    shape = lambda plan: [  # noqa: E731
        [[(i.candidate.key, i.steps) for i in m.items] for m in d.meals] for d in plan.days
    ]
    assert shape(first) == shape(second)


def test_a_candidate_with_unknown_macros_is_left_out_and_said_so():
    pool = random_pool(40)
    unknown = dataclasses.replace(
        pool[0], key="mystery", name="Mystery stew", per_unit={"energy_kcal": 400}
    )
    plan = generate(Problem([unknown, *pool[1:]], TARGETS, 2, MEALS, Rules(**ROOMY)))
    assert any("Mystery stew" in note and "protein" in note for note in plan.notes)
    assert all(i.candidate.key != "mystery" for d in plan.days for m in d.meals for i in m.items)


def test_no_items_for_a_meal_says_which():
    pool = [c for c in random_pool(40) if MealKind.BREAKFAST not in c.meals]
    problem = Problem(pool, TARGETS, 7, MEALS, pool_label="that fit a vegetarian diet")
    with pytest.raises(TargetsUnreachable) as caught:
        generate(problem)
    assert caught.value.reasons == ["The pool has no breakfast items that fit a vegetarian diet."]


def test_protein_out_of_reach_gives_the_reachable_maximum():
    # Nothing has more than 10 g protein per 300 kcal: far below 150 g in 2,300 kcal.
    pool = [
        recipe(f"p{i}", 8 + i % 3, 10, 40 + i, kind)
        for i in range(8)
        for kind in (MealKind.BREAKFAST, MealKind.MAIN, MealKind.SNACK)
    ]
    pool = [dataclasses.replace(c, key=f"{c.key}{n}") for n, c in enumerate(pool)]
    with pytest.raises(TargetsUnreachable) as caught:
        generate(Problem(pool, TARGETS, 7, MEALS))
    reason = caught.value.reasons[0]
    assert reason.startswith("At most ")
    assert "g protein a day reachable within 2,300 kcal ±5%; the target is 150 g" in reason
    assert "(needs ≥ 135 g)" in reason and "lower the protein target" in reason


def test_energy_out_of_reach():
    pool = random_pool(40)
    with pytest.raises(TargetsUnreachable) as caught:
        generate(Problem(pool, Targets(energy_kcal=30000), 2, MEALS))
    [reason] = caught.value.reasons
    assert reason.startswith("At most ") and "the target is 30,000 kcal" in reason


def test_too_few_items_for_the_variety_rules():
    pool = random_pool(40)
    breakfasts = [c for c in pool if MealKind.BREAKFAST in c.meals][:1]
    others = [c for c in pool if MealKind.BREAKFAST not in c.meals]
    with pytest.raises(TargetsUnreachable) as caught:
        generate(Problem(breakfasts + others, TARGETS, 7, MEALS))
    [reason] = caught.value.reasons
    assert reason.startswith("Breakfast needs 7 items over 7 days")
    assert "the pool's only breakfast item may appear on at most 4 days" in reason


def test_an_empty_pool():
    with pytest.raises(TargetsUnreachable) as caught:
        generate(Problem([], TARGETS, 1, MEALS, pool_label="that fit a vegan diet"))
    assert caught.value.reasons[0].startswith("The pool has no items that fit a vegan diet.")


def test_a_full_week_on_eighty_candidates_completes():
    pool = random_pool(80, seed=7)
    rules = Rules(**ROOMY)
    plan = generate(Problem(pool, TARGETS, 7, MEALS, rules))
    assert plan.status in ("optimal", "time_limit")
    assert plan.pool_size <= 80
    assert_within_bands(plan, TARGETS, rules)


def test_out_of_time_it_plans_day_by_day_under_the_same_rules():
    pool = random_pool(40)
    rules = Rules(time_limit=0.0001)
    plan = generate(Problem(pool, TARGETS, 7, MEALS, rules))
    assert plan.status == "day_by_day"
    assert_within_bands(plan, TARGETS, rules)
    counts: dict[str, int] = {}
    for day in plan.days:
        keys = [i.candidate.key for m in day.meals for i in m.items]
        assert len(keys) == len(set(keys))
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    assert max(counts.values()) <= rules.days_per_item(7)
    for today, tomorrow in zip(plan.days, plan.days[1:], strict=False):
        mains = lambda day: {i.candidate.key for m in day.meals[1:3] for i in m.items}  # noqa: E731
        assert not mains(today) & mains(tomorrow)
