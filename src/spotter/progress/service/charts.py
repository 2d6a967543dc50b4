"""Body chart data: only what is drawn. Body weight with its 7-day trailing mean, body
fat, and lean mass where fat is known, over 4 weeks / 12 weeks / 1 year / everything;
long ranges are bucketed into weekly means so a chart never gets more than ~120 points."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.progress import series as calc
from spotter.progress.metrics import BODY_FAT, BODY_WEIGHT, BUILTIN
from spotter.progress.schemas import BodyChartOut, ChartRange, Point
from spotter.progress.service.common import client_today, unit_system
from spotter.progress.service.measurements import series

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

RANGE_DAYS = {ChartRange.WEEKS_4: 28, ChartRange.WEEKS_12: 84, ChartRange.YEAR: 365}
AVERAGE_DAYS = 7


def _points(values: list[tuple[date, float]], scale: float = 1.0) -> list[Point]:
    return [Point(on=d, value=round(v * scale, 2)) for d, v in values]


async def body_chart(
    session: AsyncSession, *, principal: Principal, client: Client, range: ChartRange
) -> BodyChartOut:
    today = client_today(client, principal.organization.timezone)
    days = RANGE_DAYS.get(range)
    start = today - timedelta(days=days - 1) if days else None
    # The trailing mean on the first day needs the days before it.
    since = start - timedelta(days=AVERAGE_DAYS - 1) if start else None
    weights = await series(session, client_id=client.id, metric=BODY_WEIGHT, since=since)
    fats = await series(session, client_id=client.id, metric=BODY_FAT, since=since)
    average = calc.moving_average(weights, days=AVERAGE_DAYS)
    lean = calc.lean_mass(weights, fats, days=AVERAGE_DAYS)
    first = start or min([d for d, _ in weights[:1] + fats[:1]], default=today)

    def shown(values: list[tuple[date, float]]) -> list[tuple[date, float]]:
        inside = [(d, v) for d, v in values if first <= d <= today]
        return calc.downsample(inside, size=size, origin=first)

    size = calc.bucket_days(first, today)
    mass = BUILTIN[BODY_WEIGHT]
    system = unit_system(principal, client)
    scale = mass.display_factor(system)
    return BodyChartOut(
        range=range,
        from_on=first,
        to_on=today,
        unit=mass.display_unit(system),
        bucket_days=size,
        weight=_points(shown(weights), scale),
        weight_average=_points(shown(average), scale),
        body_fat=_points(shown(fats)),
        lean_mass=_points(shown(lean), scale),
    )
