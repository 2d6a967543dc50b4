"""The training log's arithmetic: estimated 1RM, records, plateaus and streaks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotter.training import formulas
from spotter.training.formulas import Bests, Lift, e1rm


def lift(load: float | None, reps: int) -> Lift:
    return Lift(load, reps, e1rm(load, reps), formulas.set_volume(load, reps))


def test_e1rm_brzycki_then_epley_and_continuous_at_ten():
    assert e1rm(100, 1) == 100  # a single is its own max (Epley would say 103.3)
    assert e1rm(100, 5) == pytest.approx(112.5)  # 100 * 36 / 32
    assert e1rm(100, 10) == pytest.approx(133.33, abs=0.01)  # both formulas agree here
    assert e1rm(100, 11) == pytest.approx(136.67, abs=0.01)  # Epley: 100 * (1 + 11/30)
    assert e1rm(100, 12) == pytest.approx(140)
    assert e1rm(100, 13) is None  # too many reps to say anything about a max
    assert e1rm(0, 5) is None and e1rm(None, 5) is None and e1rm(100, 0) is None


def test_e1rm_counts_reps_in_reserve():
    assert e1rm(100, 5, rir=2) == e1rm(100, 7)
    assert e1rm(100, 5, rpe=8) == e1rm(100, 7)
    assert e1rm(100, 5, rpe=10) == e1rm(100, 5)
    assert e1rm(100, 10, rir=3) is None  # 13 to failure


@given(
    load=st.floats(min_value=1, max_value=500),
    reps=st.integers(min_value=1, max_value=11),
)
def test_e1rm_grows_with_reps_and_load(load, reps):
    assert e1rm(load, reps + 1) >= e1rm(load, reps)  # type: ignore[operator]
    assert e1rm(load + 1, reps) > e1rm(load, reps)  # type: ignore[operator]
    assert e1rm(load, reps) >= load - 0.01  # type: ignore[operator]


def test_first_sets_are_baselines_not_celebrated():
    bests = Bests()
    found = bests.check(lift(100, 5))
    assert {r.kind for r in found} == {"load", "e1rm", "volume"}
    assert not any(r.celebrated for r in found)


def test_records_of_each_kind():
    bests = Bests()
    for first in (lift(100, 5), lift(90, 8)):
        bests.check(first)
        bests.add(first)
    # Heavier: a load record (not also a rep record) and here an e1RM one; 525 kg of
    # volume is less than the 720 of 90 x 8.
    kinds = {r.kind: r for r in bests.check(lift(105, 5))}
    assert set(kinds) == {"load", "e1rm"}
    assert kinds["load"].previous == 100 and kinds["load"].celebrated
    # More reps at 100 than ever with 100 or more: a rep record.
    kinds = {r.kind: r for r in bests.check(lift(100, 6))}
    assert kinds["reps"].previous == 5 and kinds["reps"].value == 6
    # 8 reps at 95: 8 reps were done with 90 only, so it is a rep record at 95.
    assert "reps" in {r.kind for r in bests.check(lift(95, 8))}
    # 7 reps at 90: 8 were done with 90 already.
    assert bests.check(lift(90, 7)) == []


def test_bodyweight_rep_records():
    bests = Bests()
    for reps in (8, 10):
        bests.add(lift(None, reps))
    found = bests.check(lift(None, 12))
    assert [(r.kind, r.value, r.previous) for r in found] == [("reps", 12, 10)]
    assert bests.check(lift(None, 9)) == []


def test_bests_from_records_match_a_replay():
    sets = [lift(100, 5), lift(100, 6), lift(110, 3), lift(80, 12), lift(105, 5)]
    history = formulas.replay(sets)
    rows = [(r.kind, r.value, r.load_kg, r.reps) for records in history for r in records]
    rebuilt = Bests.from_records(rows)
    replayed = Bests()
    for s in sets:
        replayed.add(s)
    assert (rebuilt.load, rebuilt.e1rm, rebuilt.volume) == (
        replayed.load,
        replayed.e1rm,
        replayed.volume,
    )
    assert sorted(rebuilt.frontier) == sorted(replayed.frontier)
    # And the next set is judged the same way by both.
    nxt = lift(100, 7)
    assert rebuilt.check(nxt) == replayed.check(nxt)


@given(
    st.lists(
        st.tuples(st.sampled_from([None, 20.0, 40.0, 60.0, 62.5, 80.0]), st.integers(1, 15)),
        min_size=1,
        max_size=40,
    )
)
def test_record_values_only_go_up(pairs):
    history = formulas.replay([lift(kg, n) for kg, n in pairs])
    best: dict[str, float] = {}
    for records in history:
        for r in records:
            if r.kind == "reps":
                continue  # per load, not one series
            assert r.previous == best.get(r.kind)
            assert r.value > best.get(r.kind, 0)
            best[r.kind] = r.value
    # Stored records are enough to judge what comes next exactly like the full history.
    rows = [(r.kind, r.value, r.load_kg, r.reps) for records in history for r in records]
    full = Bests()
    for kg, n in pairs:
        full.add(lift(kg, n))
    assert Bests.from_records(rows).check(lift(60.0, 9)) == full.check(lift(60.0, 9))


def test_plateau_needs_recent_sessions_and_an_old_best():
    today = date(2026, 6, 1)
    old = today - timedelta(weeks=6)
    stuck = formulas.plateau(
        best_kg=140, best_on=old, recent_best_kg=135, recent_sessions=4, today=today
    )
    assert stuck is not None and stuck.plateaued
    moving = formulas.plateau(
        best_kg=142,
        best_on=today - timedelta(days=3),
        recent_best_kg=142,
        recent_sessions=4,
        today=today,
    )
    assert moving is not None and not moving.plateaued
    resting = formulas.plateau(
        best_kg=140, best_on=old, recent_best_kg=None, recent_sessions=0, today=today
    )
    assert resting is None  # not trained lately: a break, not a plateau


def test_week_streaks():
    mondays = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(6)]
    rows = [
        (mondays[0], 3, 3),
        (mondays[1], 3, 2),  # missed one: the run restarts
        (mondays[2], 3, 3),
        (mondays[3], 2, 4),
        (mondays[4], 3, 3),
        (mondays[5], 3, 1),  # this week, not done yet: does not break the run
    ]
    assert formulas.week_streaks(rows, current_week=mondays[5]) == (3, 3)
    assert formulas.week_streaks(rows[:2], current_week=mondays[5]) == (0, 1)
    assert formulas.week_streaks([], current_week=mondays[0]) == (0, 0)
