"""Body-weight and body-fat goals read their latest value from measurements (a registered
goal value source). They and strength goals (a lift's estimated 1RM from the training
log) get a forecast: the Theil-Sen trend of the last weeks, when it reaches the target,
and whether progress has stalled."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Assessment, Client
from spotter.clients.service.goals import Latest, value_source
from spotter.progress import forecast
from spotter.progress.metrics import BODY_FAT, BODY_WEIGHT
from spotter.progress.models import Measurement
from spotter.progress.schemas import ForecastStatus, GoalForecastOut, PlateauOut
from spotter.progress.service.common import client_today
from spotter.progress.service.measurements import ASSESSED, series
from spotter.training import service as training

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

GOAL_METRICS = {"body_weight": BODY_WEIGHT, "body_fat": BODY_FAT}
STRENGTH = "strength_lift"
E1RM = "e1rm"  # the metric a strength goal follows: the lift's best estimated 1RM a day
# Body: the last eight weeks, recent enough to follow a diet change, and three flat weeks
# make a plateau. Strength moves slower and is logged less often: twelve weeks, four.
FIT_WEEKS = {BODY_WEIGHT: 8, BODY_FAT: 8, E1RM: 12}
PLATEAU_WEEKS = {BODY_WEIGHT: 3, BODY_FAT: 3, E1RM: 4}


async def _latest(session: AsyncSession, client_id: uuid.UUID, metric: str) -> float | None:
    """The newest value of ``metric`` from measurements or assessments (a measurement
    wins on the same day)."""
    measured = (
        await session.execute(
            sa.select(Measurement.measured_on, Measurement.value)
            .where(Measurement.client_id == client_id, Measurement.metric == metric)
            .order_by(Measurement.measured_on.desc())
            .limit(1)
        )
    ).first()
    column = ASSESSED[metric]
    assessed = (
        await session.execute(
            sa.select(Assessment.assessed_on, column)
            .where(Assessment.client_id == client_id, column.is_not(None))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            .limit(1)
        )
    ).first()
    if assessed is not None and (measured is None or assessed[0] > measured[0]):
        return float(assessed[1] or 0)
    return None if measured is None else float(measured[1])


@value_source
async def latest_body_values(session: AsyncSession, client_id: uuid.UUID) -> Latest:
    out: Latest = {}
    for key, metric in GOAL_METRICS.items():
        value = await _latest(session, client_id, metric)
        if value is not None:
            out[key] = value
    return out


def _plateau_threshold(metric: str, level: float) -> float:
    # Daily noise is ~0.5-1% of body weight; body fat estimates move by tenths of a point;
    # an estimated 1RM moves with the smallest plate jump (about 1 kg, or 1% of heavy lifts).
    if metric == BODY_WEIGHT:
        return max(0.2, 0.005 * level)
    if metric == E1RM:
        return max(1.0, 0.01 * level)
    return 0.3


def _date(day: date | None) -> str:
    return f"{day:%-d %b %Y}" if day else ""


def _message(result: forecast.Forecast, metric: str) -> str:
    if result.status == "not_enough_data":
        entries = "sessions of the lift" if metric == E1RM else "entries"
        return (
            f"A forecast needs at least {forecast.MIN_POINTS} {entries} spread over "
            f"{forecast.MIN_DAYS // 7} weeks or more, in the last {FIT_WEEKS[metric]} weeks."
        )
    if result.status == "reached":
        return "The trend has reached the target."
    if result.status == "wrong_way":
        return "Not at this trend: it is flat or moving away from the target."
    when = f"At this trend, around {_date(result.eta)}"
    if result.earliest and result.latest:
        return f"{when} (likely between {_date(result.earliest)} and {_date(result.latest)})."
    if result.earliest:
        return f"{when} (from {_date(result.earliest)}; a slower trend may never get there)."
    return f"{when}."


def _per_week(value: float | None) -> float | None:
    return None if value is None else round(value * 7, 3)


async def goal_forecast(
    session: AsyncSession, *, principal: Principal, client: Client, goal_id: uuid.UUID
) -> GoalForecastOut:
    goal = await clients.get_goal(session, client=client, goal_id=goal_id)
    today = client_today(client, principal.organization.timezone)
    lift = goal.exercise_id if goal.type == STRENGTH else None
    metric = E1RM if lift is not None else GOAL_METRICS.get(goal.type)
    target = goal.target_absolute
    if metric is None or target is None:
        return GoalForecastOut(
            goal_id=goal.id,
            metric=metric or goal.type,
            unit=goal.unit or "",
            status=ForecastStatus.NOT_MEASURED,
            target=target,
            message=("Forecasts follow measured goals: body weight, body fat and strength lifts."),
        )
    # The last weeks only: an old trend says nothing about where this goes now.
    since = today - timedelta(weeks=FIT_WEEKS[metric])
    if lift is not None:
        recent = await training.e1rm_history(
            session, client_id=client.id, exercise_id=lift, from_on=since
        )
    else:
        recent = await series(session, client_id=client.id, metric=metric, since=since)
    direction = None
    if goal.start_value is not None and goal.start_value != target:
        direction = 1 if target > goal.start_value else -1
    result = forecast.forecast(recent, target, direction=direction)
    fitted = result.trend if result.status != "not_enough_data" else None
    stall = None
    if result.current is not None:
        way = direction or (1 if target > result.current else -1)
        found = forecast.plateau(
            recent,
            direction=way,
            weeks=PLATEAU_WEEKS[metric],
            min_change=_plateau_threshold(metric, result.current),
        )
        change = None if found.change is None else round(found.change, 2)
        stall = PlateauOut(weeks=found.weeks, is_plateau=found.is_plateau, change=change)
    return GoalForecastOut(
        goal_id=goal.id,
        metric=metric,
        unit=goal.unit or "",
        status=ForecastStatus(result.status),
        target=target,
        current=None if result.current is None else round(result.current, 2),
        points=len(recent),
        since_on=recent[0][0] if recent else None,
        slope_per_week=_per_week(fitted.slope) if fitted else None,
        slope_per_week_low=_per_week(fitted.low) if fitted else None,
        slope_per_week_high=_per_week(fitted.high) if fitted else None,
        eta_on=result.eta,
        eta_earliest_on=result.earliest,
        eta_latest_on=result.latest,
        plateau=stall,
        message=_message(result, metric),
    )
