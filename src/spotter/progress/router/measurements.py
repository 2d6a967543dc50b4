from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, Response

from spotter.clients.dependencies import Caller
from spotter.core.db import DbSession
from spotter.core.pagination import Pages
from spotter.core.schemas import Page
from spotter.core.units import UnitSystem
from spotter.progress import service
from spotter.progress.dependencies import (
    MetricsManage,
    ProgressAny,
    ProgressReadable,
    ProgressWritable,
)
from spotter.progress.present import csv_response
from spotter.progress.router.routes import router
from spotter.progress.schemas import (
    BodyChartOut,
    ChartRange,
    CustomMetricIn,
    CustomMetricUpdate,
    GoalForecastOut,
    MeasurementOut,
    MeasurementsIn,
    MetricOut,
)

# --- the metric catalogue ---------------------------------------------------------------


@router.get("/progress/metrics", response_model=list[MetricOut])
async def list_metrics(
    session: DbSession, principal: ProgressAny, include_archived: bool = False
) -> list[MetricOut]:
    """Built-in metrics (body weight, body fat, circumferences) and the organization's
    custom ones. ``low``/``high`` and ``display_unit`` are in the organization's units."""
    system = UnitSystem(principal.organization.unit_system)
    return await service.catalogue(session, system=system, include_archived=include_archived)


@router.post("/progress/metrics", response_model=MetricOut, status_code=201)
async def create_metric(
    session: DbSession, principal: MetricsManage, data: CustomMetricIn
) -> MetricOut:
    return await service.create_custom_metric(session, principal=principal, data=data)


@router.get("/progress/metrics/{metric_id}", response_model=MetricOut)
async def get_metric(session: DbSession, principal: ProgressAny, metric_id: uuid.UUID) -> MetricOut:
    return await service.get_custom_metric(session, principal=principal, metric_id=metric_id)


@router.patch("/progress/metrics/{metric_id}", response_model=MetricOut)
async def update_metric(
    session: DbSession, principal: MetricsManage, metric_id: uuid.UUID, data: CustomMetricUpdate
) -> MetricOut:
    """Rename, change the direction, archive (``archived: true``: no new entries, the
    history stays) or restore."""
    return await service.update_custom_metric(
        session, principal=principal, metric_id=metric_id, data=data
    )


# --- measurements -----------------------------------------------------------------------


@router.get("/clients/{client_id}/measurements", response_model=Page[MeasurementOut])
async def list_measurements(
    session: DbSession,
    principal: Caller,
    client: ProgressReadable,
    params: Pages,
    metric: Annotated[str | None, Query(max_length=60)] = None,
    from_on: Annotated[date | None, Query(alias="from")] = None,
    to_on: Annotated[date | None, Query(alias="to")] = None,
) -> Page[MeasurementOut]:
    """Newest first; ``metric`` filters to one metric, ``from``/``to`` to a date range."""
    items, cursor = await service.list_measurements(
        session,
        principal=principal,
        client=client,
        params=params,
        metric=metric,
        from_on=from_on,
        to_on=to_on,
    )
    return Page(items=items, next_cursor=cursor)


@router.post("/clients/{client_id}/measurements", response_model=list[MeasurementOut])
async def record_measurements(
    session: DbSession, principal: Caller, client: ProgressWritable, data: MeasurementsIn
) -> list[MeasurementOut]:
    """One day's values. Each is in ``unit`` (kg/lb, cm/in) or the caller's unit system,
    stored metric. A metric recorded again for the same day is updated, not duplicated."""
    return await service.record(session, principal=principal, client=client, data=data)


@router.get("/clients/{client_id}/measurements/latest", response_model=list[MeasurementOut])
async def latest_measurements(
    session: DbSession, principal: Caller, client: ProgressReadable
) -> list[MeasurementOut]:
    """The latest value of each metric the client has."""
    return await service.latest(session, principal=principal, client=client)


@router.get(
    "/clients/{client_id}/measurements/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV, oldest first"}},
)
async def export_measurements(
    session: DbSession, principal: Caller, client: ProgressReadable
) -> Response:
    text = await service.export_csv(session, principal=principal, client=client)
    return csv_response(text, f"measurements-{client.id}.csv")


@router.get("/clients/{client_id}/measurements/{measurement_id}", response_model=MeasurementOut)
async def get_measurement(
    session: DbSession, principal: Caller, client: ProgressReadable, measurement_id: uuid.UUID
) -> MeasurementOut:
    return await service.get_measurement(
        session, principal=principal, client=client, measurement_id=measurement_id
    )


@router.delete("/clients/{client_id}/measurements/{measurement_id}", status_code=204)
async def delete_measurement(
    session: DbSession, client: ProgressWritable, measurement_id: uuid.UUID
) -> Response:
    await service.delete_measurement(session, client=client, measurement_id=measurement_id)
    return Response(status_code=204)


# --- goals and charts -------------------------------------------------------------------


@router.get("/clients/{client_id}/goals/{goal_id}/forecast", response_model=GoalForecastOut)
async def goal_forecast(
    session: DbSession, principal: Caller, client: ProgressReadable, goal_id: uuid.UUID
) -> GoalForecastOut:
    """Body weight and body fat goals: the Theil-Sen trend of the last 8 weeks, when it
    reaches the target (with the range its 95% interval allows, or "not at this trend"),
    and whether the last 3 weeks were a plateau."""
    return await service.goal_forecast(session, principal=principal, client=client, goal_id=goal_id)


@router.get("/clients/{client_id}/charts/body", response_model=BodyChartOut)
async def body_chart(
    session: DbSession,
    principal: Caller,
    client: ProgressReadable,
    range: ChartRange = ChartRange.WEEKS_12,
) -> BodyChartOut:
    """What the body charts draw: weight and its 7-day mean, body fat, lean mass; weekly
    means once a range has more days than a chart can show."""
    return await service.body_chart(session, principal=principal, client=client, range=range)
