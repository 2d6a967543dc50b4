"""Fitness assessments: dated records, newest first, and the change between two."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.errors import AssessmentNotFound
from spotter.clients.models import Assessment, Client
from spotter.clients.schemas import (
    FMS_TESTS,
    MEASUREMENTS,
    AssessmentCompare,
    AssessmentIn,
    AssessmentOut,
    Change,
)
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

_INVALID = "invalid cursor: use next_cursor from a previous page"


def assessment_out(row: Assessment) -> AssessmentOut:
    out = AssessmentOut.model_validate(row)
    scores = [row.movement_screen.get(t) for t in FMS_TESTS]
    out.fms_total = (
        sum(s for s in scores if s is not None) if any(s is not None for s in scores) else None
    )
    return out


async def check_exercises(session: AsyncSession, ids: list[uuid.UUID], field: str) -> None:
    """Unknown exercise ids (not shared, not this organization's own) are a 422."""
    from spotter.exercises import service as exercises

    if not ids:
        return
    found = await exercises.exercises_by_ids(session, ids=ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise field_error(field, f"no such exercise in your library: {', '.join(missing)}")


def _encode(row: Assessment) -> str:
    raw = json.dumps([row.assessed_on.isoformat(), str(row.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[date, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, ident = json.loads(raw)
        return date.fromisoformat(day), uuid.UUID(ident)
    except Exception as exc:  # any malformed cursor
        raise field_error("cursor", _INVALID) from exc


async def list_assessments(
    session: AsyncSession, *, client: Client, params: PageParams
) -> tuple[list[AssessmentOut], str | None]:
    """Newest first (by date, then by when recorded), keyset-paginated."""
    stmt = sa.select(Assessment).where(Assessment.client_id == client.id)
    if params.cursor:
        day, ident = _decode(params.cursor)
        stmt = stmt.where(
            sa.or_(
                Assessment.assessed_on < day,
                sa.and_(Assessment.assessed_on == day, Assessment.id < ident),
            )
        )
    stmt = stmt.order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    rows = list((await session.scalars(stmt.limit(params.limit + 1))).all())
    cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        cursor = _encode(rows[-1])
    return [assessment_out(r) for r in rows], cursor


async def _row(session: AsyncSession, client: Client, assessment_id: uuid.UUID) -> Assessment:
    row = await session.scalar(
        sa.select(Assessment).where(
            Assessment.id == assessment_id, Assessment.client_id == client.id
        )
    )
    if row is None:
        raise AssessmentNotFound()
    return row


def _apply(row: Assessment, data: AssessmentIn) -> None:
    values = data.model_dump(mode="json")
    for name in ("assessed_on", *MEASUREMENTS, "notes"):
        setattr(row, name, getattr(data, name))
    row.one_rep_maxes = values["one_rep_maxes"]
    row.movement_screen = {k: v for k, v in values["movement_screen"].items() if v is not None}
    row.items = values["items"]


async def create_assessment(
    session: AsyncSession, *, principal: Principal, client: Client, data: AssessmentIn
) -> AssessmentOut:
    await check_exercises(session, [m.exercise_id for m in data.one_rep_maxes], "one_rep_maxes")
    row = Assessment(client_id=client.id, recorded_by_id=principal.user_id)
    _apply(row, data)
    session.add(row)
    await session.flush()
    return assessment_out(row)


async def get_assessment(
    session: AsyncSession, *, client: Client, assessment_id: uuid.UUID
) -> AssessmentOut:
    return assessment_out(await _row(session, client, assessment_id))


async def update_assessment(
    session: AsyncSession, *, client: Client, assessment_id: uuid.UUID, data: AssessmentIn
) -> AssessmentOut:
    row = await _row(session, client, assessment_id)
    await check_exercises(session, [m.exercise_id for m in data.one_rep_maxes], "one_rep_maxes")
    _apply(row, data)
    await session.flush()
    return assessment_out(row)


async def delete_assessment(
    session: AsyncSession, *, client: Client, assessment_id: uuid.UUID
) -> None:
    await session.delete(await _row(session, client, assessment_id))
    await session.flush()


def _values(a: AssessmentOut) -> dict[str, float | None]:
    out: dict[str, float | None] = {name: getattr(a, name) for name in MEASUREMENTS}
    out.update({f"one_rep_max:{m.exercise_id}": m.kg for m in a.one_rep_maxes})
    out.update({f"fms:{t}": a.movement_screen.get(t) for t in FMS_TESTS})
    out["fms_total"] = a.fms_total
    out.update({f"item:{i.name}": i.value for i in a.items})
    return out


async def compare(
    session: AsyncSession,
    *,
    client: Client,
    before_id: uuid.UUID | None,
    after_id: uuid.UUID | None,
) -> AssessmentCompare:
    """The change per field between two assessments (default: the first and the latest)."""
    order: Any = (Assessment.assessed_on, Assessment.id)
    base = sa.select(Assessment).where(Assessment.client_id == client.id)
    first = (
        await _row(session, client, before_id)
        if before_id
        else await session.scalar(base.order_by(*order).limit(1))
    )
    last = (
        await _row(session, client, after_id)
        if after_id
        else await session.scalar(base.order_by(*(c.desc() for c in order)).limit(1))
    )
    if first is None or last is None:
        return AssessmentCompare(before=None, after=None, days=None, changes={})
    a, b = assessment_out(first), assessment_out(last)
    va, vb = _values(a), _values(b)
    changes: dict[str, Change] = {}
    for key in dict.fromkeys([*va, *vb]):
        x, y = va.get(key), vb.get(key)
        if x is None and y is None:
            continue
        diff = round(y - x, 2) if x is not None and y is not None else None
        changes[key] = Change(before=x, after=y, change=diff)
    return AssessmentCompare(
        before=a, after=b, days=(b.assessed_on - a.assessed_on).days, changes=changes
    )
