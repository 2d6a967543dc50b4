"""The pure progression functions: rules and the advance through weeks and phases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotter.programs.progression import (
    Position,
    Values,
    after_week,
    applied,
    rule_problem,
    valid_position,
    week_done,
)


def test_week_one_is_the_base():
    base = Values(sets=3, reps_min=5, reps_max=5, load_kg=100)
    assert applied(base, {"kind": "linear_load", "increment_kg": 2.5}, 1) == base
    ranged = Values(sets=3, reps_min=8, reps_max=10, load_kg=50)
    first = applied(ranged, {"kind": "double_progression", "increment_kg": 2.5}, 1)
    assert (first.reps_min, first.reps_max, first.load_kg) == (8, 8, 50)
    with pytest.raises(ValueError):
        applied(base, None, 0)


def test_linear_load():
    base = Values(sets=3, reps_min=5, reps_max=5, load_kg=100)
    rule = {"kind": "linear_load", "increment_kg": 2.5}
    assert [applied(base, rule, w).load_kg for w in (1, 2, 3, 5)] == [100, 102.5, 105, 110]


def test_double_progression_climbs_reps_then_adds_load():
    base = Values(sets=3, reps_min=8, reps_max=10, load_kg=50)
    rule = {"kind": "double_progression", "increment_kg": 2.5}
    got = [
        (v.reps_min, v.reps_max, v.load_kg) for v in (applied(base, rule, w) for w in range(2, 8))
    ]
    assert got == [
        (9, 9, 50),
        (10, 10, 50),
        (8, 8, 52.5),
        (9, 9, 52.5),
        (10, 10, 52.5),
        (8, 8, 55),
    ]


def test_percentage_steps_hold_the_last_step():
    base = Values(sets=5, reps_min=3, reps_max=3, percent_1rm=70)
    rule = {"kind": "percentage_steps", "steps": [70, 75, 80]}
    assert [applied(base, rule, w).percent_1rm for w in range(1, 6)] == [70, 75, 80, 80, 80]


def test_rule_validation():
    kg = Values(sets=3, reps_min=5, reps_max=5, load_kg=100)
    assert rule_problem(None, kg) is None
    assert rule_problem({"kind": "linear_load", "increment_kg": 1}, kg) is None
    assert "rep range" in rule_problem({"kind": "double_progression", "increment_kg": 1}, kg)
    assert "kg" in rule_problem({"kind": "linear_load"}, Values(sets=1))
    assert "percent_1rm" in rule_problem({"kind": "percentage_steps", "steps": [1]}, kg)
    assert "unknown" in rule_problem({"kind": "nope"}, kg)


@given(
    low=st.integers(1, 20),
    span=st.integers(1, 10),
    load=st.floats(0, 300, allow_nan=False),
    inc=st.floats(0.5, 10, allow_nan=False),
    week=st.integers(1, 60),
)
def test_double_progression_properties(low, span, load, inc, week):
    base = Values(sets=3, reps_min=low, reps_max=low + span, load_kg=load)
    rule = {"kind": "double_progression", "increment_kg": inc}
    now = applied(base, rule, week)
    after = applied(base, rule, week + 1)
    assert low <= now.reps_min == now.reps_max <= low + span
    # Each week adds a rep or (at the top) adds load and resets reps: never both, never less.
    assert after.load_kg >= now.load_kg
    if after.load_kg == now.load_kg:
        assert after.reps_min == now.reps_min + 1
    else:
        assert now.reps_min == low + span and after.reps_min == low
    # Reproducible: the same week always gives the same values.
    assert applied(base, rule, week) == now


@given(inc=st.floats(0.5, 10, allow_nan=False), week=st.integers(1, 60))
def test_linear_load_is_monotonic(inc, week):
    base = Values(sets=3, reps_min=5, reps_max=5, load_kg=60)
    rule = {"kind": "linear_load", "increment_kg": inc}
    assert applied(base, rule, week + 1).load_kg > applied(base, rule, week).load_kg


def test_after_week_walks_weeks_then_phases_then_completes():
    weeks = [2, 1, 3]
    pos = Position(1, 1)
    seen = [pos]
    while not pos.completed:
        pos = after_week(pos, weeks)
        seen.append(pos)
    assert [(p.phase, p.week) for p in seen[:-1]] == [
        (1, 1),
        (1, 2),
        (2, 1),
        (3, 1),
        (3, 2),
        (3, 3),
    ]
    assert seen[-1] == Position(3, 3, completed=True)
    assert after_week(seen[-1], weeks) == seen[-1]


@given(weeks=st.lists(st.integers(1, 8), min_size=1, max_size=6))
def test_after_week_visits_every_week_once(weeks):
    pos = Position(1, 1)
    visited = []
    while not pos.completed:
        assert valid_position(pos.phase, pos.week, weeks) is None
        visited.append((pos.phase, pos.week))
        pos = after_week(pos, weeks)
    assert len(visited) == sum(weeks) == len(set(visited))


def test_week_done_and_positions():
    assert week_done({1, 2}, {2, 1, 3})
    assert not week_done({1, 2}, {1})
    assert not week_done(set(), {1})
    assert "beyond phase 1" in valid_position(1, 4, [3])
    assert "does not exist" in valid_position(2, 1, [3])
