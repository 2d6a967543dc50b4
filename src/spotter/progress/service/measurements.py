"""Measurements: the metric catalogue (built-in plus the organization's custom metrics),
dated entries (one per metric per client per day), history, latest values, CSV export,
and the dated series that charts, goals and forecasts read."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Assessment, Client
from spotter.core.errors import InvalidInput, field_error
from spotter.core.pagination import PageParams, paginate
from spotter.core.units import UnitSystem
from spotter.progress.errors import MeasurementNotFound, MetricNameTaken, MetricNotFound
from spotter.progress.metrics import (
    BODY_FAT,
    BODY_WEIGHT,
    BUILTIN,
    CUSTOM_PREFIX,
    Metric,
    custom_metric,
)
from spotter.progress.models import CustomMetric, Measurement
from spotter.progress.schemas import (
    CustomMetricIn,
    CustomMetricUpdate,
    MeasurementOut,
    MeasurementsIn,
    MetricOut,
)
from spotter.progress.service.common import check_day, client_today, unit_system

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

Series = list[tuple[date, float]]
# Assessments record some of the same measures; series merge them (a measurement wins
# on a day both have).
ASSESSED = {
    BODY_WEIGHT: Assessment.body_weight_kg,
    BODY_FAT: Assessment.body_fat_pct,
    "waist": Assessment.waist_cm,
    "hips": Assessment.hip_cm,
}


# --- the catalogue -------------------------------------------------------------------------


def _custom(row: CustomMetric) -> Metric:
    return custom_metric(row.id, row.name, row.unit_kind, row.direction)


def metric_out(metric: Metric, system: UnitSystem, archived: bool = False) -> MetricOut:
    return MetricOut(
        key=metric.key,
        name=metric.name,
        kind=metric.kind,
        unit=metric.unit,
        display_unit=metric.display_unit(system),
        direction=metric.direction,
        group=metric.group,
        custom_id=metric.custom_id,
        archived=archived,
        low=metric.to_display(metric.low, system),
        high=metric.to_display(metric.high, system),
    )


async def custom_rows(session: AsyncSession, *, include_archived: bool) -> list[CustomMetric]:
    stmt = sa.select(CustomMetric).order_by(CustomMetric.name, CustomMetric.id)
    if not include_archived:
        stmt = stmt.where(CustomMetric.archived.is_(False))
    return list(await session.scalars(stmt))


async def catalogue(
    session: AsyncSession, *, system: UnitSystem, include_archived: bool = False
) -> list[MetricOut]:
    rows = await custom_rows(session, include_archived=include_archived)
    return [metric_out(m, system) for m in BUILTIN.values()] + [
        metric_out(_custom(r), system, r.archived) for r in rows
    ]


async def metrics_by_key(
    session: AsyncSession,
    keys: list[str],
    *,
    field: Callable[[str], str] = lambda _key: "metric",
    writing: bool = False,
) -> dict[str, Metric]:
    """The metrics named by ``keys``; an unknown one (or, ``writing``, an archived one)
    is a 422 naming ``field(key)``."""
    found = {k: BUILTIN[k] for k in keys if k in BUILTIN}
    ids: dict[uuid.UUID, str] = {}
    for key in keys:
        if key in found or not key.startswith(CUSTOM_PREFIX):
            continue
        try:
            ids[uuid.UUID(key.removeprefix(CUSTOM_PREFIX))] = key
        except ValueError:
            continue
    errors = []
    if ids:
        rows = await session.scalars(sa.select(CustomMetric).where(CustomMetric.id.in_(ids)))
        for row in rows:
            if writing and row.archived:
                errors.append((ids[row.id], f"the metric '{row.name}' is archived"))
            found[ids[row.id]] = _custom(row)
    hint = "use a key from GET /api/v1/progress/metrics"
    errors += [(k, f"unknown metric {k!r}: {hint}") for k in keys if k not in found]
    if errors:
        raise InvalidInput(
            "; ".join(m for _, m in errors),
            errors=[{"field": field(k), "message": m} for k, m in errors],
        )
    return found


async def _custom_row(session: AsyncSession, metric_id: uuid.UUID) -> CustomMetric:
    row = await session.get(CustomMetric, metric_id)
    if row is None:
        raise MetricNotFound()
    return row


async def _name_free(session: AsyncSession, name: str, but: uuid.UUID | None = None) -> None:
    lowered = name.strip().lower()
    if lowered in {m.name.lower() for m in BUILTIN.values()} | set(BUILTIN):
        raise MetricNameTaken(f"'{name}' is a built-in metric.")
    stmt = sa.select(CustomMetric.id).where(sa.func.lower(CustomMetric.name) == lowered)
    if but is not None:
        stmt = stmt.where(CustomMetric.id != but)
    if await session.scalar(stmt) is not None:
        raise MetricNameTaken(f"Your organization already has a metric called '{name}'.")


async def create_custom_metric(
    session: AsyncSession, *, principal: Principal, data: CustomMetricIn
) -> MetricOut:
    await _name_free(session, data.name)
    row = CustomMetric(
        name=data.name,
        unit_kind=data.unit_kind,
        direction=data.direction,
        created_by_id=principal.user_id,
    )
    session.add(row)
    await session.flush()
    return metric_out(_custom(row), UnitSystem(principal.organization.unit_system))


async def update_custom_metric(
    session: AsyncSession, *, principal: Principal, metric_id: uuid.UUID, data: CustomMetricUpdate
) -> MetricOut:
    row = await _custom_row(session, metric_id)
    sent = data.model_fields_set
    for name in ("name", "direction", "archived"):
        if name in sent and getattr(data, name) is None:
            raise field_error(name, f"{name} cannot be null")
    if data.name is not None and data.name != row.name:
        await _name_free(session, data.name, but=row.id)
        row.name = data.name
    if data.direction is not None:
        row.direction = data.direction
    if data.archived is not None:
        row.archived = data.archived
    await session.flush()
    return metric_out(_custom(row), UnitSystem(principal.organization.unit_system), row.archived)


async def get_custom_metric(
    session: AsyncSession, *, principal: Principal, metric_id: uuid.UUID
) -> MetricOut:
    row = await _custom_row(session, metric_id)
    return metric_out(_custom(row), UnitSystem(principal.organization.unit_system), row.archived)


# --- entries -------------------------------------------------------------------------------


def measurement_out(row: Measurement, metric: Metric, system: UnitSystem) -> MeasurementOut:
    return MeasurementOut(
        id=row.id,
        client_id=row.client_id,
        metric=row.metric,
        name=metric.name,
        measured_on=row.measured_on,
        value=row.value,
        unit=metric.unit,
        display_value=metric.to_display(row.value, system),
        display_unit=metric.display_unit(system),
        source=row.source,
        recorded_by_id=row.recorded_by_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def stored_value(
    metric: Metric,
    value: float,
    unit: str | None,
    system: UnitSystem,
    *,
    fields: tuple[str, str] = ("value", "unit"),
) -> float:
    """``value`` as typed (in ``unit``, or the caller's units) in the stored unit, checked
    against the metric's plausible range; errors name ``fields`` (value, unit)."""
    unit = metric.display_unit(system) if unit is None else unit
    accepted = metric.accepted_units()
    if unit not in accepted and not (unit == "" and not accepted):
        allowed = " or ".join(accepted) or "no unit"
        raise field_error(fields[1], f"{metric.name} is measured in {allowed}, not {unit!r}")
    stored = metric.to_stored(value, unit)
    if not metric.low <= stored <= metric.high:
        raise field_error(fields[0], f"{metric.name} must be {metric.range_text(system)}")
    return stored


async def record(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    data: MeasurementsIn,
    source: str = "entry",
) -> list[MeasurementOut]:
    """Store a day's entries; a metric already recorded that day is updated."""
    check_day(
        "measured_on", data.measured_on, client_today(client, principal.organization.timezone)
    )
    system = unit_system(principal, client)
    index = {e.metric: i for i, e in enumerate(data.entries)}
    metrics = await metrics_by_key(
        session, list(index), field=lambda k: f"entries.{index[k]}.metric", writing=True
    )
    chosen = {metrics[e.metric].key: metrics[e.metric] for e in data.entries}
    if len(chosen) != len(data.entries):
        raise field_error("entries", "entries lists a metric twice")
    values = {
        metrics[e.metric].key: stored_value(
            metrics[e.metric],
            e.value,
            e.unit,
            system,
            fields=(f"entries.{i}.value", f"entries.{i}.unit"),
        )
        for i, e in enumerate(data.entries)
    }
    existing = {
        row.metric: row
        for row in await session.scalars(
            sa.select(Measurement).where(
                Measurement.client_id == client.id,
                Measurement.measured_on == data.measured_on,
                Measurement.metric.in_(values),
            )
        )
    }
    rows = []
    for key, value in values.items():
        row = existing.get(key)
        if row is None:
            row = Measurement(
                client_id=client.id,
                metric=key,
                custom_metric_id=chosen[key].custom_id,
                measured_on=data.measured_on,
            )
            session.add(row)
        row.value = value
        row.source = source
        row.recorded_by_id = principal.user_id
        rows.append(row)
    await session.flush()
    return [measurement_out(r, chosen[r.metric], system) for r in rows]


async def list_measurements(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    params: PageParams,
    metric: str | None = None,
    from_on: date | None = None,
    to_on: date | None = None,
) -> tuple[list[MeasurementOut], str | None]:
    """Newest first (by day, then by when recorded)."""
    stmt = sa.select(Measurement).where(Measurement.client_id == client.id)
    if metric is not None:
        canonical = (await metrics_by_key(session, [metric]))[metric].key
        stmt = stmt.where(Measurement.metric == canonical)
    if from_on is not None:
        stmt = stmt.where(Measurement.measured_on >= from_on)
    if to_on is not None:
        stmt = stmt.where(Measurement.measured_on <= to_on)
    rows, cursor = await paginate(
        session,
        stmt,
        keys=[Measurement.measured_on, Measurement.id],
        params=params,
        descending=True,
    )
    metrics = await metrics_by_key(session, sorted({r.metric for r in rows}))
    system = unit_system(principal, client)
    return [measurement_out(r, metrics[r.metric], system) for r in rows], cursor


async def _row(session: AsyncSession, client: Client, measurement_id: uuid.UUID) -> Measurement:
    row = await session.scalar(
        sa.select(Measurement).where(
            Measurement.id == measurement_id, Measurement.client_id == client.id
        )
    )
    if row is None:
        raise MeasurementNotFound()
    return row


async def get_measurement(
    session: AsyncSession, *, principal: Principal, client: Client, measurement_id: uuid.UUID
) -> MeasurementOut:
    row = await _row(session, client, measurement_id)
    metric = (await metrics_by_key(session, [row.metric]))[row.metric]
    return measurement_out(row, metric, unit_system(principal, client))


async def delete_measurement(
    session: AsyncSession, *, client: Client, measurement_id: uuid.UUID
) -> None:
    await session.delete(await _row(session, client, measurement_id))
    await session.flush()


async def latest(
    session: AsyncSession, *, principal: Principal, client: Client
) -> list[MeasurementOut]:
    """The latest entry of each metric the client has, in catalogue order."""
    newest = (
        sa.select(Measurement.metric, sa.func.max(Measurement.measured_on).label("day"))
        .where(Measurement.client_id == client.id)
        .group_by(Measurement.metric)
        .subquery()
    )
    rows = list(
        await session.scalars(
            sa.select(Measurement)
            .join(
                newest,
                sa.and_(
                    Measurement.metric == newest.c.metric,
                    Measurement.measured_on == newest.c.day,
                ),
            )
            .where(Measurement.client_id == client.id)
        )
    )
    metrics = await metrics_by_key(session, sorted({r.metric for r in rows}))
    order = {key: i for i, key in enumerate(BUILTIN)}
    rows.sort(key=lambda r: (order.get(r.metric, len(order)), metrics[r.metric].name))
    system = unit_system(principal, client)
    return [measurement_out(r, metrics[r.metric], system) for r in rows]


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with these as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_BATCH = 1000


async def export_csv(session: AsyncSession, *, principal: Principal, client: Client) -> str:
    """Every measurement of the client, oldest first: the stored value and unit, and the
    value in the caller's units."""
    system = unit_system(principal, client)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "metric", "name", "value", "unit", "stored_value", "stored_unit"])
    metrics = {m.key: m for m in BUILTIN.values()}
    metrics.update(
        {m.key: m for m in map(_custom, await custom_rows(session, include_archived=True))}
    )
    params = PageParams(limit=EXPORT_BATCH)
    while True:
        rows, params.cursor = await paginate(
            session,
            sa.select(Measurement).where(Measurement.client_id == client.id),
            keys=[Measurement.measured_on, Measurement.id],
            params=params,
        )
        for r in rows:
            m = metrics[r.metric]
            writer.writerow(
                [
                    r.measured_on.isoformat(),
                    r.metric,
                    _cell(m.name),
                    f"{m.to_display(r.value, system):g}",
                    m.display_unit(system),
                    f"{r.value:g}",
                    m.unit,
                ]
            )
        if params.cursor is None:
            return out.getvalue()


# --- series for charts, goals and forecasts ------------------------------------------------


async def series(
    session: AsyncSession, *, client_id: uuid.UUID, metric: str, since: date | None = None
) -> Series:
    """The client's (day, stored value) points of ``metric``, oldest first, merged with
    the same measure from assessments (the measurement wins on a shared day)."""
    stmt = sa.select(Measurement.measured_on, Measurement.value).where(
        Measurement.client_id == client_id, Measurement.metric == metric
    )
    if since is not None:
        stmt = stmt.where(Measurement.measured_on >= since)
    points = {day: value for day, value in (await session.execute(stmt)).all()}
    column = ASSESSED.get(metric)
    if column is not None:
        assessed = sa.select(Assessment.assessed_on, column).where(
            Assessment.client_id == client_id, column.is_not(None)
        )
        if since is not None:
            assessed = assessed.where(Assessment.assessed_on >= since)
        for day, value in (await session.execute(assessed)).all():
            if value is not None:
                points.setdefault(day, float(value))
    return sorted(points.items())
