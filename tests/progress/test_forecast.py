"""Forecast arithmetic against hand-computed cases, and against SciPy's Theil-Sen (the
same estimator and interval) on random series; moving averages and downsampling."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from scipy import stats

from spotter.progress import forecast, series

D0 = date(2026, 1, 5)


def pts(*values: float, step: int = 1) -> list[tuple[date, float]]:
    return [(D0 + timedelta(days=i * step), v) for i, v in enumerate(values)]


def test_theil_sen_by_hand():
    # Pairwise slopes of (0,1) (1,3) (2,2) (3,4): 2, 0.5, 1, -1, 0.5, 2 -> sorted
    # -1, 0.5, 0.5, 1, 2, 2: the median is 0.75. Intercept: median(y) 2.5 - 0.75 * 1.5.
    trend = forecast.theil_sen(pts(1, 3, 2, 4))
    assert trend is not None
    assert trend.slope == 0.75 and trend.intercept == pytest.approx(1.375)
    assert trend.value_on(D0 + timedelta(days=3)) == pytest.approx(3.625)
    # n = 4: Var(S) = 4*3*13/18 = 8.67; C = 1.96 * 2.94 = 5.77; N = 6 slopes;
    # lower rank round((6 - 5.77) / 2) = 0 -> index max(0 - 1, 0) = 0 -> -1;
    # upper rank round((6 + 5.77) / 2) = 6 -> index min(6, 5) = 5 -> 2.
    assert (trend.low, trend.high) == (-1, 2)


def test_an_outlier_does_not_move_the_trend():
    clean = pts(80, 79.8, 79.6, 79.4, 79.2, 79.0, 78.8, 78.6, 78.4)
    spiked = list(clean)
    spiked[4] = (spiked[4][0], 95.0)  # a typo: 95 instead of 79.2
    a, b = forecast.theil_sen(clean), forecast.theil_sen(spiked)
    assert a and b and a.slope == pytest.approx(-0.2) and b.slope == pytest.approx(-0.2)


def test_fewer_than_two_days_is_no_trend():
    assert forecast.theil_sen([]) is None
    assert forecast.theil_sen(pts(80)) is None
    assert forecast.theil_sen([(D0, 80.0), (D0, 81.0)]) is None


@pytest.mark.parametrize("seed", range(8))
def test_the_same_as_scipy(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 40)
    days = sorted(rng.sample(range(120), n))
    values = [80 - 0.05 * d + rng.gauss(0, 0.6) + (8 if rng.random() < 0.1 else 0) for d in days]
    values = [round(v, 1) for v in values]  # scales show tenths: ties happen
    ours = forecast.theil_sen(
        [(D0 + timedelta(days=d), v) for d, v in zip(days, values, strict=True)]
    )
    slope, intercept, low, high = stats.theilslopes(values, days, alpha=0.95)
    assert ours is not None
    assert ours.slope == pytest.approx(slope)
    assert ours.value_on(D0) == pytest.approx(intercept)  # scipy counts days from D0
    assert (ours.low, ours.high) == (pytest.approx(low), pytest.approx(high))


def test_forecast_on_track_with_a_range():
    # -0.1 kg a day exactly, from 90 over 28 days: 87.2 on the last day; 85 is 22 days on.
    data = pts(*[90 - 0.1 * i for i in range(29)])
    result = forecast.forecast(data, 85, direction=-1)
    assert result.status == "on_track"
    assert result.current == pytest.approx(87.2)
    last = D0 + timedelta(days=28)
    assert result.eta == last + timedelta(days=22)
    # A perfect line: the interval collapses onto the slope.
    assert result.earliest == result.eta == result.latest


def test_forecast_with_noise_brackets_the_date():
    rng = random.Random(4)
    data = pts(*[90 - 0.1 * i + rng.uniform(-0.4, 0.4) for i in range(42)])
    result = forecast.forecast(data, 84, direction=-1)
    assert result.status == "on_track"
    assert result.earliest and result.eta and result.latest
    assert result.earliest <= result.eta <= result.latest


def test_a_flat_or_upward_trend_is_not_at_this_trend():
    up = pts(*[80 + 0.05 * i for i in range(20)])
    assert forecast.forecast(up, 75, direction=-1).status == "wrong_way"
    flat = pts(*[80.0] * 20)
    result = forecast.forecast(flat, 75, direction=-1)
    assert result.status == "wrong_way" and result.eta is None


def test_a_slow_end_that_never_arrives_leaves_the_latest_date_open():
    # Down by ~0.04 a day, but so noisy that a flat or rising trend is inside the interval.
    noisy = [80, 81.5, 79.2, 81, 79.6, 80.4, 79.4, 80.8, 79, 80.2, 79.3, 80.1, 78.9, 79.9]
    result = forecast.forecast(pts(*noisy, step=2), 78, direction=-1)
    assert result.trend and result.trend.low < 0 < result.trend.high
    assert result.status == "on_track"
    assert result.earliest and result.eta and result.earliest < result.eta
    assert result.latest is None


def test_reached_and_not_enough_data():
    down = pts(*[80 - 0.2 * i for i in range(20)])
    assert forecast.forecast(down, 78, direction=-1).status == "reached"
    assert forecast.forecast(pts(80, 79, 78), 70).status == "not_enough_data"
    two_weeks_short = pts(80, 79.9, 79.8, 79.7, 79.6, step=3)  # 12 days
    assert forecast.forecast(two_weeks_short, 70).status == "not_enough_data"


def test_direction_defaults_towards_the_target():
    gaining = pts(*[60 + 0.1 * i for i in range(20)])
    assert forecast.forecast(gaining, 65).status == "on_track"


def test_a_target_years_away_is_not_at_this_trend():
    glacial = pts(*[80 - 0.0001 * i for i in range(30)])
    assert forecast.forecast(glacial, 60, direction=-1).status == "wrong_way"


def test_plateau():
    stalled = pts(84.0, 83.0, 82.0, 80.2, 80.0, 80.3, 80.1, 80.2, 80.0, 80.1, step=3)
    found = forecast.plateau(stalled, direction=-1, weeks=3, min_change=0.4)
    assert found.is_plateau and found.change is not None and abs(found.change) < 0.4
    moving = pts(*[84 - 0.1 * i for i in range(30)])
    found = forecast.plateau(moving, direction=-1, weeks=3, min_change=0.4)
    # -0.1 a day over 21 days: -2.1 in the goal's direction
    assert not found.is_plateau and found.change == pytest.approx(-2.1)
    # Progress the other way counts as no progress.
    rising = pts(*[80 + 0.05 * i for i in range(30)])
    assert forecast.plateau(rising, direction=-1, weeks=3).is_plateau
    # e1RM going up is progress for a strength goal.
    assert not forecast.plateau(rising, direction=1, weeks=3).is_plateau


def test_plateau_needs_data_across_the_window():
    assert forecast.plateau([], direction=-1).change is None
    recent_only = pts(80, 80, 80, step=1)  # three days, not three weeks
    found = forecast.plateau(recent_only, direction=-1, weeks=3)
    assert not found.is_plateau and found.change is None


# --- chart arithmetic ---------------------------------------------------------------------


def test_moving_average_is_a_time_window():
    data = [(D0, 80.0), (D0 + timedelta(days=1), 82.0), (D0 + timedelta(days=10), 70.0)]
    assert series.moving_average(data, days=7) == [
        (D0, 80.0),
        (D0 + timedelta(days=1), 81.0),
        (D0 + timedelta(days=10), 70.0),  # the gap does not drag old days in
    ]
    week = pts(1, 2, 3, 4, 5, 6, 7, 8)
    assert series.moving_average(week, days=7)[-1] == (D0 + timedelta(days=7), 5.0)


def test_bucket_size_and_downsampling():
    assert series.bucket_days(D0, D0 + timedelta(days=83)) == 1
    assert series.bucket_days(D0, D0 + timedelta(days=364)) == 7
    assert series.bucket_days(D0, D0 + timedelta(days=3 * 365)) == 14
    daily = pts(*range(365))
    weekly = series.downsample(daily, size=7, origin=D0)
    assert len(weekly) == 53 and weekly[0] == (D0 + timedelta(days=6), 3.0)
    assert series.downsample(daily, size=1, origin=D0) == daily


def test_lean_mass_uses_the_weight_trend_of_that_day():
    weights = pts(80, 80, 82, 82)
    fats = [(D0 + timedelta(days=3), 25.0), (D0 + timedelta(days=30), 20.0)]
    assert series.lean_mass(weights, fats) == [(D0 + timedelta(days=3), 81.0 * 0.75)]
