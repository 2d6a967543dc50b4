"""Trends of dated series, forecasts of when a target is reached, and plateaus.

Pure functions over ``[(date, value), ...]``, so body weight, body fat and a lift's
estimated 1RM all use the same code.

The trend is a Theil-Sen fit: the slope is the median of the slopes between every pair of
points, the intercept ``median(y) - slope * median(x)``. Why: a bodyweight log has
outliers (a salty dinner, a typo, a scale on carpet) and its noise is not normal; the
median of pairwise slopes ignores up to ~29% of wild points where least squares is pulled
by each of them, and it comes with a distribution-free confidence interval (Sen 1968,
eq. 2.6, with the tie correction): with ``N`` pairwise slopes sorted, ``n`` points and
``C = z * sqrt(n(n-1)(2n+5)/18 - ties)``, the interval runs from the slope ranked
``round((N - C) / 2)`` to the one ranked ``round((N + C) / 2) + 1`` (1-based). The same
estimator and interval as ``scipy.stats.theilslopes``. O(n²) pairs: callers fit the last
few weeks (tens of points), not years.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist, median

Series = Sequence[tuple[date, float]]
MIN_POINTS = 4
MIN_DAYS = 14
HORIZON_DAYS = 5 * 365  # beyond this, a forecast date says nothing useful


@dataclass(frozen=True)
class Trend:
    slope: float  # per day
    intercept: float  # value at ``origin``
    low: float  # confidence interval of the slope, per day
    high: float
    origin: date
    first_on: date
    last_on: date
    points: int

    def value_on(self, day: date) -> float:
        return self.intercept + self.slope * (day - self.origin).days


def _tie_term(values: Sequence[float]) -> int:
    return sum(k * (k - 1) * (2 * k + 5) for k in Counter(values).values() if k > 1)


def theil_sen(points: Series, *, confidence: float = 0.95) -> Trend | None:
    """The Theil-Sen trend of ``points`` (at least two distinct days), else None."""
    pts = sorted(points)
    if len({d for d, _ in pts}) < 2:
        return None
    origin = pts[0][0]
    xs = [float((d - origin).days) for d, _ in pts]
    ys = [float(v) for _, v in pts]
    slopes = sorted(
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(xs))
        for j in range(i + 1, len(xs))
        if xs[j] != xs[i]
    )
    slope = median(slopes)
    intercept = median(ys) - slope * median(xs)
    n, total = len(ys), len(slopes)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    variance = (n * (n - 1) * (2 * n + 5) - _tie_term(xs) - _tie_term(ys)) / 18
    spread = z * math.sqrt(max(variance, 0.0))
    upper = min(round((total + spread) / 2), total - 1)
    lower = max(round((total - spread) / 2) - 1, 0)
    return Trend(
        slope=slope,
        intercept=intercept,
        low=slopes[lower],
        high=slopes[upper],
        origin=origin,
        first_on=pts[0][0],
        last_on=pts[-1][0],
        points=n,
    )


@dataclass(frozen=True)
class Forecast:
    status: str  # reached | on_track | wrong_way | not_enough_data
    trend: Trend | None
    current: float | None  # the trend at the latest point
    eta: date | None
    earliest: date | None
    latest: date | None  # None while on track: the slow end of the interval never arrives


def _arrival(trend: Trend, current: float, target: float, slope: float) -> date | None:
    """When a line through (last day, current) with ``slope`` meets ``target``."""
    if slope == 0 or (target - current) / slope < 0:
        return None
    days = (target - current) / slope
    if days > HORIZON_DAYS:
        return None
    return trend.last_on + timedelta(days=math.ceil(round(days, 6)))  # 22.0000001 is 22


def forecast(
    points: Series,
    target: float,
    *,
    direction: int | None = None,
    min_points: int = MIN_POINTS,
    min_days: int = MIN_DAYS,
) -> Forecast:
    """When the trend of ``points`` reaches ``target``, with the range the slope's 95%
    interval allows. ``direction`` (+1 up, -1 down) is the goal's; by default, from the
    trend's current value towards the target."""
    trend = theil_sen(points)
    if (
        trend is None
        or trend.points < min_points
        or (trend.last_on - trend.first_on).days < min_days
    ):
        return Forecast("not_enough_data", trend, None, None, None, None)
    current = trend.value_on(trend.last_on)
    way = direction or (1 if target >= current else -1)
    if (target - current) * way <= 0:
        return Forecast("reached", trend, current, None, None, None)
    eta = _arrival(trend, current, target, trend.slope) if trend.slope * way > 0 else None
    if eta is None:
        return Forecast("wrong_way", trend, current, None, None, None)
    fast, slow = (trend.high, trend.low) if way > 0 else (trend.low, trend.high)
    earliest = _arrival(trend, current, target, fast)
    latest = _arrival(trend, current, target, slow) if slow * way > 0 else None
    return Forecast("on_track", trend, current, eta, earliest, latest)


@dataclass(frozen=True)
class Plateau:
    weeks: int
    is_plateau: bool
    change: float | None  # the trend's change over the window; None: not enough data


def plateau(points: Series, *, direction: int, weeks: int = 3, min_change: float = 0.0) -> Plateau:
    """No change in the goal's ``direction`` (+1 or -1) over the last ``weeks`` weeks: the
    Theil-Sen change across the window moved less than ``min_change`` that way. Needs at
    least three points in the window, the first of them in its first week."""
    pts = sorted(points)
    if not pts:
        return Plateau(weeks, False, None)
    end = pts[-1][0]
    start = end - timedelta(days=7 * weeks)
    window = [(d, v) for d, v in pts if d >= start]
    if len(window) < 3 or (window[0][0] - start).days > 7:
        return Plateau(weeks, False, None)
    trend = theil_sen(window)
    if trend is None:
        return Plateau(weeks, False, None)
    change = trend.slope * (end - start).days
    return Plateau(weeks, change * direction < min_change, change)
