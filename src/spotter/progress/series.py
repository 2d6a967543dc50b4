"""Chart arithmetic on dated series (pure): trailing moving averages, bucket means for
long ranges, lean mass from weight and body fat."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

Series = Sequence[tuple[date, float]]
MAX_POINTS = 120  # a phone-width chart shows no more than this


def moving_average(points: Series, *, days: int = 7) -> list[tuple[date, float]]:
    """At each point, the mean of the points in the ``days`` days ending that day (a
    time window, not a point count, so gaps in the log do not stretch it)."""
    pts = sorted(points)
    out: list[tuple[date, float]] = []
    start, total = 0, 0.0
    for end, (day, value) in enumerate(pts):
        total += value
        while pts[start][0] <= day - timedelta(days=days):
            total -= pts[start][1]
            start += 1
        out.append((day, total / (end - start + 1)))
    return out


def bucket_days(first: date, last: date, *, max_points: int = MAX_POINTS) -> int:
    """Days per bucket so that a daily series over ``first..last`` fits ``max_points``:
    1 (daily) for short ranges, else whole weeks."""
    span = (last - first).days + 1
    if span <= max_points:
        return 1
    return 7 * math.ceil(span / (7 * max_points))


def downsample(points: Series, *, size: int, origin: date) -> list[tuple[date, float]]:
    """Bucket means: each bucket of ``size`` days (counted from ``origin``) becomes one
    point at its last day with data, so only what is drawn is sent."""
    if size <= 1:
        return sorted(points)
    buckets: dict[int, list[tuple[date, float]]] = {}
    for day, value in sorted(points):
        buckets.setdefault((day - origin).days // size, []).append((day, value))
    return [
        (items[-1][0], sum(v for _, v in items) / len(items))
        for _, items in sorted(buckets.items())
    ]


def lean_mass(weights: Series, fats: Series, *, days: int = 7) -> list[tuple[date, float]]:
    """Weight x (1 - fat %) on each day with a body fat value, using the weight's
    trailing mean on that day (no weight in the ``days`` before it: no point)."""
    avg = moving_average(weights, days=days)
    out = []
    i = -1
    for day, fat in sorted(fats):
        while i + 1 < len(avg) and avg[i + 1][0] <= day:
            i += 1
        if i >= 0 and (day - avg[i][0]).days < days:
            out.append((day, avg[i][1] * (1 - fat / 100)))
    return out
