"""The meal-plan generator: choose items and amounts for every meal of every day so each
day lands within a band of the targets, as one mixed-integer programme (SciPy's HiGHS).

Pure: it knows candidates (a food or a recipe with nutrients per unit and the amounts it
may be served in), targets, days and meal names; the service builds those from the
database (``nutrition.service.generate``).

The model, for every day d, meal m and candidate c that suits m:

* ``n[d,m,c]`` integer steps of the candidate (0.5 servings, a portion, 25 g...), and
  ``y[d,m,c]`` binary "chosen", linked big-M style: ``min·y ≤ n ≤ max·y``;
* items per meal between the rule's bounds; a candidate at most once a day, on at most
  ``k`` days, and (recipes) never in the main meals of two days in a row;
* hard bands per day: energy within ±5% of its target, each targeted macro within ±10%;
  a meal at most a share of the day's energy so one meal does not carry the day;
* objective: the weighted absolute deviation of each day from the targets beyond a free
  inner band (one auxiliary variable per day and nutrient), an optional penalty per
  repeated use of a candidate (off by default), and a tiny seeded preference per (day,
  meal, candidate) that breaks ties the same way every time and spreads the choice
  across days.

When the whole-plan programme runs out of time without a plan, each day is solved in turn
under the same rules (``_day_by_day``). When there is no plan, ``_explain`` narrows it
down with cheap checks and one-day LP relaxations and says what a trainer can change.
"""

from __future__ import annotations

import hashlib
import math
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

ENERGY = "energy_kcal"
MACROS = ("protein_g", "fat_g", "carbohydrate_g")
NUTRIENTS = (ENERGY, *MACROS)
LABELS = {ENERGY: "energy", "protein_g": "protein", "fat_g": "fat", "carbohydrate_g": "carbs"}
# How much a relative deviation of each nutrient costs in the objective.
WEIGHTS = {ENERGY: 1.0, "protein_g": 0.6, "fat_g": 0.4, "carbohydrate_g": 0.4}


class MealKind(StrEnum):
    BREAKFAST = "breakfast"
    MAIN = "main"
    SNACK = "snack"


KIND_LABELS = {MealKind.BREAKFAST: "breakfast", MealKind.MAIN: "main-meal", MealKind.SNACK: "snack"}
_KIND_WORDS = {
    "breakfast": MealKind.BREAKFAST,
    "brunch": MealKind.BREAKFAST,
    "lunch": MealKind.MAIN,
    "dinner": MealKind.MAIN,
    "supper": MealKind.MAIN,
    "tea": MealKind.MAIN,
    "main": MealKind.MAIN,
    "snack": MealKind.SNACK,
    "snacks": MealKind.SNACK,
}


def meal_kind(name: str) -> MealKind | None:
    """Breakfast → breakfast, Lunch/Dinner → main, Snacks → snack; other names: any."""
    for word in name.lower().replace("-", " ").split():
        if (kind := _KIND_WORDS.get(word.strip(".,:;()"))) is not None:
            return kind
    return None


@dataclass(frozen=True)
class Candidate:
    """Something a meal may hold: ``per_unit`` nutrients in one ``unit`` (a serving, a
    gram, a portion), served as ``min_steps``..``max_steps`` steps of ``step`` units."""

    key: str
    kind: Literal["food", "recipe"]
    name: str
    per_unit: Mapping[str, float | None]
    unit: str
    step: float
    min_steps: int = 1
    max_steps: int = 6
    meals: frozenset[MealKind] = frozenset()  # empty: any meal
    ref_id: uuid.UUID | None = None

    @property
    def unknown(self) -> list[str]:
        return [n for n in NUTRIENTS if self.per_unit.get(n) is None]

    def per_step(self, nutrient: str) -> float:
        return float(self.per_unit.get(nutrient) or 0.0) * self.step

    def suits(self, kind: MealKind | None) -> bool:
        return kind is None or not self.meals or kind in self.meals


@dataclass(frozen=True)
class Targets:
    energy_kcal: float
    protein_g: float | None = None
    fat_g: float | None = None
    carbohydrate_g: float | None = None

    def value(self, nutrient: str) -> float | None:
        return getattr(self, nutrient)  # type: ignore[no-any-return]

    @property
    def set(self) -> list[str]:
        return [n for n in NUTRIENTS if self.value(n) is not None]


@dataclass(frozen=True)
class Rules:
    min_items: int = 1
    max_items: int = 3
    energy_tolerance: float = 0.05
    macro_tolerance: float = 0.10
    max_days_per_item: int | None = None  # None: half the days, rounded up
    no_main_twice_in_row: bool = True
    # None: never; a cost: a main two days running is allowed at that price.
    main_repeat_cost: float | None = None
    max_meal_share: float | None = None  # None: 2 / meals, at most 1
    max_candidates_per_meal: int = 20
    # A cost per repeated use of a candidate. Off by default: the day limit and the
    # seeded preferences already spread the choice, and the penalty's weak LP bound kept
    # the solver from proving a plan good enough (seconds instead of tenths).
    repeat_penalty: float = 0.0
    # The part of each band (from the target) within which a deviation costs nothing.
    free_band: float = 0.4
    seed: int = 0
    time_limit: float = 0.9  # solves normally end on the gap well before
    # When the whole-plan solve runs out of time: day by day, within this many seconds.
    fallback_time: float = 0.7
    mip_rel_gap: float = 0.05

    def days_per_item(self, days: int) -> int:
        return min(days, self.max_days_per_item or math.ceil(days / 2))

    def meal_share(self, meals: int) -> float:
        return self.max_meal_share or min(1.0, 2.0 / meals)

    def tolerance(self, nutrient: str) -> float:
        return self.energy_tolerance if nutrient == ENERGY else self.macro_tolerance


@dataclass(frozen=True)
class Problem:
    candidates: Sequence[Candidate]
    targets: Targets
    days: int
    meals: Sequence[str]
    rules: Rules = field(default_factory=Rules)
    # How the pool was narrowed, for explanations: "that fit a vegetarian diet".
    pool_label: str = ""


@dataclass(frozen=True)
class PlannedItem:
    candidate: Candidate
    steps: int

    @property
    def quantity(self) -> float:
        return round(self.candidate.step * self.steps, 4)

    def amount(self, nutrient: str) -> float:
        return self.candidate.per_step(nutrient) * self.steps


@dataclass(frozen=True)
class PlannedMeal:
    name: str
    items: tuple[PlannedItem, ...]


@dataclass(frozen=True)
class PlannedDay:
    meals: tuple[PlannedMeal, ...]
    totals: dict[str, float]
    deviation: dict[str, float | None]  # (total - target) / target


@dataclass(frozen=True)
class Plan:
    days: tuple[PlannedDay, ...]
    status: Literal["optimal", "time_limit", "day_by_day"]
    objective: float
    seconds: float
    pool_size: int
    notes: tuple[str, ...] = ()


class TargetsUnreachable(Exception):
    def __init__(self, reasons: list[str], notes: Sequence[str] = ()) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.notes = list(notes)


# --- the model -------------------------------------------------------------------------------


class _Model:
    """Variables and constraint rows collected, then handed to ``milp`` in one go."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[list[int], list[float], float, float]] = []

    def var(self, lower: float, upper: float, cost: float = 0.0, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def row(self, terms: Sequence[tuple[int, float]], lower: float, upper: float) -> None:
        if terms:
            self.rows.append(([c for c, _ in terms], [v for _, v in terms], lower, upper))

    def solve(
        self, *, relax: bool, time_limit: float, gap: float, node_limit: int | None = None
    ) -> Any:
        # NumPy and SciPy take seconds to import: only when a plan is generated.
        import numpy as np
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_array

        rows, cols, vals = [], [], []
        for r, (cs, vs, _, _) in enumerate(self.rows):
            rows += [r] * len(cs)
            cols += cs
            vals += vs
        shape = (len(self.rows), len(self.cost))
        matrix = coo_array((vals, (rows, cols)), shape=shape).tocsr()
        constraints = LinearConstraint(matrix, [r[2] for r in self.rows], [r[3] for r in self.rows])
        return milp(
            np.array(self.cost),
            integrality=np.zeros(len(self.cost)) if relax else np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            constraints=constraints,
            options={
                "time_limit": time_limit,
                "mip_rel_gap": gap,
                "presolve": True,
                **({"node_limit": node_limit} if node_limit is not None else {}),
            },
        )


def _preference(seed: int, day: int, meal: int, key: str) -> float:
    """A stable number in [0, 1) per (seed, day, meal, candidate)."""
    digest = hashlib.blake2b(f"{seed}:{day}:{meal}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest) / 2**64


@dataclass
class _Built:
    model: _Model
    # (day, meal, candidate index) -> (steps variable, chosen variable)
    slots: dict[tuple[int, int, int], tuple[int, int]]
    day_amount: dict[tuple[int, str], list[tuple[int, float]]]


def _bands(problem: Problem, nutrient: str) -> tuple[float, float]:
    target = problem.targets.value(nutrient)
    assert target is not None
    tol = problem.rules.tolerance(nutrient)
    return target * (1 - tol), target * (1 + tol)


def _build(
    problem: Problem,
    pools: Sequence[Sequence[int]],
    *,
    days: int,
    bounded: Sequence[str],
    variety: bool,
    deviation: bool,
    first_day: int = 0,
) -> _Built:
    rules, targets, cands = problem.rules, problem.targets, problem.candidates
    model = _Model()
    slots: dict[tuple[int, int, int], tuple[int, int]] = {}
    day_amount: dict[tuple[int, str], list[tuple[int, float]]] = {}
    meal_cap = rules.meal_share(len(problem.meals)) * targets.energy_kcal
    for d in range(days):
        for m, pool in enumerate(pools):
            chosen, meal_energy = [], []
            for c in pool:
                cand = cands[c]
                tie = 0.002 * _preference(rules.seed, first_day + d, m, cand.key)
                tie = tie if deviation else 0.0
                steps = model.var(0, cand.max_steps, integer=True)
                pick = model.var(0, 1, cost=tie, integer=True)
                model.row([(steps, 1.0), (pick, -cand.min_steps)], 0, math.inf)
                model.row([(steps, 1.0), (pick, -cand.max_steps)], -math.inf, 0)
                slots[d, m, c] = (steps, pick)
                chosen.append((pick, 1.0))
                meal_energy.append((steps, cand.per_step(ENERGY)))
                for n in NUTRIENTS:
                    day_amount.setdefault((d, n), []).append((steps, cand.per_step(n)))
            model.row(chosen, rules.min_items, rules.max_items)
            model.row(meal_energy, 0, meal_cap * (1 + rules.energy_tolerance))
        for n in bounded:
            model.row(day_amount.get((d, n), []), *_bands(problem, n))
        if deviation:
            for n in targets.set:
                target = targets.value(n)
                assert target is not None
                off = model.var(0, math.inf, cost=WEIGHTS[n] / target)
                terms = day_amount.get((d, n), [])
                # off ≥ |amount - target| - slack: close enough costs nothing, which lets
                # the solver prove a plan good enough quickly instead of chasing grams.
                slack = rules.free_band * rules.tolerance(n) * target
                model.row([*terms, (off, -1.0)], -math.inf, target + slack)
                model.row([*terms, (off, 1.0)], target - slack, math.inf)
    if variety:
        _add_variety(problem, model, slots, pools, days)
    if deviation:
        # HiGHS's gap is relative to the objective, which is near 0 for a good plan, so it
        # would never close: a fixed offset of one per day makes ``mip_rel_gap`` a margin
        # per day. Stopping on the gap, not the clock, also keeps the answer deterministic.
        model.var(days, days, cost=1.0)
    return _Built(model, slots, day_amount)


def _add_variety(
    problem: Problem,
    model: _Model,
    slots: dict[tuple[int, int, int], tuple[int, int]],
    pools: Sequence[Sequence[int]],
    days: int,
) -> None:
    rules = problem.rules
    kinds = [meal_kind(name) for name in problem.meals]
    mains = [m for m, k in enumerate(kinds) if k in (MealKind.MAIN, None)]
    limit = rules.days_per_item(days)
    for c in sorted({c for pool in pools for c in pool}):
        cand = problem.candidates[c]
        uses = []
        for d in range(days):
            today = [(slots[d, m, c][1], 1.0) for m in range(len(pools)) if (d, m, c) in slots]
            model.row(today, 0, 1)
            uses += today
        model.row(uses, 0, limit)
        if len(uses) > 1 and rules.repeat_penalty > 0:
            extra = model.var(0, math.inf, cost=rules.repeat_penalty)
            model.row([*uses, (extra, -1.0)], -math.inf, 1)  # extra ≥ uses - 1
        if rules.no_main_twice_in_row and cand.kind == "recipe":
            for d in range(days - 1):
                both = [
                    (slots[day, m, c][1], 1.0)
                    for day in (d, d + 1)
                    for m in mains
                    if (day, m, c) in slots
                ]
                if len(both) <= 1:
                    continue
                if rules.main_repeat_cost is None:
                    model.row(both, 0, 1)
                else:  # allowed at a price: both ≤ 1 + over
                    over = model.var(0, 1, cost=rules.main_repeat_cost)
                    model.row([*both, (over, -1.0)], -math.inf, 1)


# --- the pool --------------------------------------------------------------------------------


def _usable(problem: Problem) -> tuple[list[int], list[str]]:
    usable, notes = [], []
    for i, cand in enumerate(problem.candidates):
        if cand.unknown:
            missing = ", ".join(LABELS[n] for n in cand.unknown)
            notes.append(f"{cand.name} was left out: its {missing} is unknown.")
        else:
            usable.append(i)
    return usable, notes


def _profile_distance(problem: Problem, cand: Candidate) -> float:
    """How far a candidate's split of energy is from the targets' (0 = the same mix)."""
    set_macros = [n for n in MACROS if problem.targets.value(n) is not None]
    if not set_macros:
        return 0.0
    factor = {"protein_g": 4.0, "fat_g": 9.0, "carbohydrate_g": 4.0}
    mine = sum(cand.per_step(n) * factor[n] for n in MACROS) or 1.0
    goal = problem.targets.energy_kcal
    return sum(
        abs(
            cand.per_step(n) * factor[n] / mine - (problem.targets.value(n) or 0) * factor[n] / goal
        )
        for n in set_macros
    )


def _meal_pools(problem: Problem, usable: Sequence[int]) -> list[list[int]]:
    """The candidates each meal may hold: suited to it, small enough to fit it at their
    smallest amount, and at most ``max_candidates_per_meal`` of them (the closest to the
    targets' mix of macronutrients), so the model stays small."""
    rules = problem.rules
    cap = rules.meal_share(len(problem.meals)) * problem.targets.energy_kcal
    cap *= 1 + rules.energy_tolerance
    pools = []
    for name in problem.meals:
        kind = meal_kind(name)
        fits = [
            c
            for c in usable
            if problem.candidates[c].suits(kind)
            and problem.candidates[c].per_step(ENERGY) * problem.candidates[c].min_steps <= cap
        ]
        if len(fits) > rules.max_candidates_per_meal:
            fits.sort(key=lambda c: (_profile_distance(problem, problem.candidates[c]), c))
            fits = sorted(fits[: rules.max_candidates_per_meal])
        pools.append(fits)
    return pools


# --- solving ---------------------------------------------------------------------------------


def generate(problem: Problem) -> Plan:
    """The plan that lands every day within the bands, closest to the targets; raises
    ``TargetsUnreachable`` with reasons when there is none."""
    started = time.perf_counter()
    usable, notes = _usable(problem)
    pools = _meal_pools(problem, usable)
    reasons = _structural_reasons(problem, usable, pools)
    if reasons:
        raise TargetsUnreachable(reasons, notes)
    rules = problem.rules
    built = _build(
        problem, pools, days=problem.days, bounded=problem.targets.set, variety=True, deviation=True
    )
    result = built.model.solve(relax=False, time_limit=rules.time_limit, gap=rules.mip_rel_gap)
    status: Literal["optimal", "time_limit", "day_by_day"]
    if result.x is not None:
        days = tuple(_read_day(problem, pools, built, result.x, d) for d in range(problem.days))
        status, objective = ("optimal" if result.status == 0 else "time_limit"), result.fun
    elif result.status == 1 and (found := _day_by_day(problem, pools)) is not None:
        days, objective = found
        status = "day_by_day"
    else:
        raise TargetsUnreachable(_explain(problem, pools, timed_out=result.status == 1), notes)
    return Plan(
        days=days,
        status=status,
        objective=float(objective) - problem.days,
        seconds=time.perf_counter() - started,
        pool_size=len({c for pool in pools for c in pool}),
        notes=tuple(notes),
    )


def _read_day(
    problem: Problem, pools: Sequence[Sequence[int]], built: _Built, x: Any, d: int
) -> PlannedDay:
    meals = []
    for m, name in enumerate(problem.meals):
        items = []
        for c in pools[m]:
            steps_var, pick_var = built.slots[d, m, c]
            steps = round(float(x[steps_var]))
            if round(float(x[pick_var])) and steps > 0:
                items.append(PlannedItem(problem.candidates[c], steps))
        meals.append(PlannedMeal(name, tuple(items)))
    totals = {
        n: round(sum(i.amount(n) for meal in meals for i in meal.items), 1) for n in NUTRIENTS
    }
    deviation: dict[str, float | None] = {}
    for n in NUTRIENTS:
        target = problem.targets.value(n)
        deviation[n] = None if target is None else round((totals[n] - target) / target, 4)
    return PlannedDay(tuple(meals), totals, deviation)


def _day_by_day(
    problem: Problem, pools: Sequence[Sequence[int]]
) -> tuple[tuple[PlannedDay, ...], float] | None:
    """The fallback when the whole-plan programme runs out of time (days coupled by the
    variety rules are what make it hard; one day alone solves in hundredths): each day
    in turn as its own programme, under the same rules counted against the days before.
    Greedy, so it may dead-end where the whole programme would not: None then."""
    rules = problem.rules
    limit = rules.days_per_item(problem.days)
    mains = [m for m, name in enumerate(problem.meals) if meal_kind(name) in (MealKind.MAIN, None)]
    used: dict[int, int] = {}
    yesterday: set[int] = set()
    days: list[PlannedDay] = []
    objective = 0.0
    deadline = time.perf_counter() + rules.fallback_time
    for d in range(problem.days):
        built = _build(
            problem,
            pools,
            days=1,
            bounded=problem.targets.set,
            variety=False,
            deviation=True,
            first_day=d,
        )
        model = built.model
        for c in {c for pool in pools for c in pool}:
            today = [
                (built.slots[0, m, c][1], 1.0)
                for m in range(len(pools))
                if (0, m, c) in built.slots
            ]
            model.row(today, 0, max(0, min(1, limit - used.get(c, 0))))
            if c in yesterday and rules.no_main_twice_in_row:
                for m in mains:
                    if (0, m, c) in built.slots:
                        model.upper[built.slots[0, m, c][1]] = 0
        left = max(0.05, (deadline - time.perf_counter()) / (problem.days - d))
        result = model.solve(relax=False, time_limit=left, gap=rules.mip_rel_gap)
        if result.x is None:
            return None
        day = _read_day(problem, pools, built, result.x, 0)
        days.append(day)
        objective += float(result.fun)
        chosen = [(m, i.candidate) for m, meal in enumerate(day.meals) for i in meal.items]
        index = {cand.key: c for c, cand in enumerate(problem.candidates)}
        for _, cand in chosen:
            used[index[cand.key]] = used.get(index[cand.key], 0) + 1
        yesterday = {index[cand.key] for m, cand in chosen if m in mains and cand.kind == "recipe"}
    return tuple(days), objective


# --- explaining ------------------------------------------------------------------------------


def _kcal(value: float) -> str:
    return f"{value:,.0f} kcal"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _grams(value: float) -> str:
    return f"{value:,.0f} g"


def _structural_reasons(
    problem: Problem, usable: Sequence[int], pools: Sequence[Sequence[int]]
) -> list[str]:
    """What is wrong before any solving: no items, a meal nothing suits, too few items
    for the variety rules."""
    label = f" {problem.pool_label}" if problem.pool_label else ""
    rules = problem.rules
    if not problem.candidates:
        return [f"The pool has no items{label}. Add recipes or foods, or relax the filters."]
    if not usable:
        return [
            "None of the pool's items has known energy, protein, fat and carbohydrate; "
            "complete their nutrients or add other items."
        ]
    reasons = []
    seen: set[str] = set()
    for name, pool in zip(problem.meals, pools, strict=True):
        kind = meal_kind(name)
        what = f"{KIND_LABELS[kind]} items" if kind else f"items for {name}"
        if what in seen:
            continue
        if len(pool) < rules.min_items:
            seen.add(what)
            reasons.append(
                f"The pool has no {what}{label}."
                if not pool
                else f"{name} needs {rules.min_items} items but the pool has {len(pool)} {what}"
                f"{label}."
            )
    if reasons:
        return reasons
    # Each candidate is used at most on `limit` days; meals of one kind share candidates.
    limit = rules.days_per_item(problem.days)
    by_kind: dict[MealKind | None, tuple[int, set[int], str]] = {}
    for name, pool in zip(problem.meals, pools, strict=True):
        kind = meal_kind(name)
        count, cands, names = by_kind.get(kind, (0, set(), ""))
        by_kind[kind] = (count + 1, cands | set(pool), f"{names}, {name}" if names else name)
    for kind, (count, cands, names) in by_kind.items():
        needed = count * rules.min_items * problem.days
        if len(cands) * limit < needed:
            what = f"{KIND_LABELS[kind]} items" if kind else f"items for {names}"
            have = (
                f"the pool's only {what.replace('items', 'item', 1)} may appear"
                if len(cands) == 1
                else f"the pool's {len(cands)} {what} may each appear"
            )
            reasons.append(
                f"{names} needs {needed} items over {_days(problem.days)}, but {have} on at "
                f"most {_days(limit)}. Add {what} or allow an item on "
                "more days."
            )
    return reasons


def _day_extreme(
    problem: Problem,
    pools: Sequence[Sequence[int]],
    nutrient: str,
    bounded: Sequence[str],
    sense: float,
) -> float | None:
    """The least (sense 1) or most (sense -1) of a nutrient one day can hold within the
    ``bounded`` bands, as an LP (amounts continuous): None when the bands cannot be met."""
    built = _build(problem, pools, days=1, bounded=bounded, variety=False, deviation=False)
    model = built.model
    model.cost = [0.0] * len(model.cost)
    for var, coef in built.day_amount.get((0, nutrient), []):
        model.cost[var] += sense * coef
    result = model.solve(relax=True, time_limit=2.0, gap=1e-6)
    return None if result.x is None else sense * float(result.fun)


def _explain(problem: Problem, pools: Sequence[Sequence[int]], *, timed_out: bool) -> list[str]:
    targets, rules = problem.targets, problem.rules
    energy = targets.energy_kcal
    band = f"{_kcal(energy)} ±{rules.energy_tolerance:.0%}"
    lo, hi = _bands(problem, ENERGY)
    most = _day_extreme(problem, pools, ENERGY, (), -1.0) or 0.0
    least = _day_extreme(problem, pools, ENERGY, (), 1.0) or 0.0
    if most < lo:
        return [
            f"At most {_kcal(most)} a day reachable with up to {rules.max_items} items per "
            f"meal at their largest amounts; the target is {_kcal(energy)} (needs ≥ "
            f"{_kcal(lo)}). Add more filling items, allow more items per meal or lower the "
            "energy target."
        ]
    if least > hi:
        return [
            f"At least {_kcal(least)} a day even with the smallest amounts; the target is "
            f"{_kcal(energy)} (needs ≤ {_kcal(hi)}). Add lighter items, plan fewer meals or "
            "raise the energy target."
        ]
    reasons = []
    for n in MACROS:
        target = targets.value(n)
        if target is None:
            continue
        name = LABELS[n]
        low, high = _bands(problem, n)
        top = _day_extreme(problem, pools, n, (ENERGY,), -1.0)
        bottom = _day_extreme(problem, pools, n, (ENERGY,), 1.0)
        if top is not None and top < low:
            reasons.append(
                f"At most {_grams(top)} {name} a day reachable within {band}; the target is "
                f"{_grams(target)} (needs ≥ {_grams(low)}). Add high-{name} items or lower "
                f"the {name} target."
            )
        elif bottom is not None and bottom > high:
            reasons.append(
                f"At least {_grams(bottom)} {name} a day within {band}; the target is "
                f"{_grams(target)} (needs ≤ {_grams(high)}). Add lower-{name} items or raise "
                f"the {name} target."
            )
    if reasons:
        return reasons
    set_names = ", ".join(LABELS[n] for n in targets.set)
    if _day_extreme(problem, pools, ENERGY, targets.set, 1.0) is None:
        return [
            f"Each target can be met alone, but not {set_names} together on one day: the "
            "pool's items have the wrong mix of macronutrients for these targets. Add items "
            "closer to the targets' mix or adjust the macro targets."
        ]
    one_day = _build(problem, pools, days=1, bounded=targets.set, variety=False, deviation=False)
    if one_day.model.solve(relax=False, time_limit=rules.time_limit, gap=0.5).x is None:
        return [
            f"The pool can meet {set_names} together only with amounts between its steps "
            f"(e.g. 0.5 servings) or with more than {rules.max_items} items per meal. Add "
            "items, allow more items per meal or widen the targets."
        ]
    if timed_out:
        return [
            f"No plan was found within {rules.time_limit:g} s. Try fewer days, a smaller "
            "pool or wider targets."
        ]
    return [
        f"One day can meet the targets, but not {problem.days} days under the variety rules "
        f"(an item on at most {rules.days_per_item(problem.days)} days, no main dish two "
        "days in a row). Add more items or allow more repetition."
    ]
