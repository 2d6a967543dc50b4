"""Daily totals and adherence: one grouped query for any number of clients and days.

Adherence of a day with a target and something logged: each of energy, protein, fat and
carbohydrate as a share of its target; the score is 100 minus the mean distance of those
four shares from 100% (a day 10% over on everything scores 90; it never goes below 0);
"on target" means energy within 10% and protein at least 90% of target. A day with an
unknown part of a macronutrient is scored on the known part, and says so (incomplete).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import field_error
from spotter.core.pagination import PageParams, decode_sort_key, encode_sort_key
from spotter.nutrition.models import DiaryEntry, NutritionTarget
from spotter.nutrition.nutrients import NUTRIENTS, Amounts, Part
from spotter.nutrition.schemas.diary import AdherenceOut, AdherenceRow
from spotter.nutrition.service.days import client_today, today_in
from spotter.nutrition.service.targets import in_force, targets_between

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MACROS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
ENERGY_BAND = 0.10
PROTEIN_FLOOR = 0.90
MAX_DAYS = 93
OVERVIEW_DAYS = (7, 14, 28)
SORTS = ("name", "score", "days_logged", "last_logged")


def adherence(totals: Amounts, entries: int, target: NutritionTarget | None) -> AdherenceOut:
    if entries == 0 or target is None:
        return AdherenceOut(
            logged=entries > 0,
            score=None,
            on_target=None,
            energy_pct=None,
            protein_pct=None,
            fat_pct=None,
            carbohydrate_pct=None,
        )
    shares: dict[str, float] = {}
    for name in MACROS:
        goal = getattr(target, name)
        shares[name] = (totals.value(name) or 0.0) / goal if goal else 1.0
    distance = sum(abs(s - 1) for s in shares.values()) / len(shares)
    return AdherenceOut(
        logged=True,
        score=max(0, round(100 - distance * 100)),
        on_target=abs(shares["energy_kcal"] - 1) <= ENERGY_BAND
        and shares["protein_g"] >= PROTEIN_FLOOR,
        energy_pct=round(shares["energy_kcal"] * 100, 1),
        protein_pct=round(shares["protein_g"] * 100, 1),
        fat_pct=round(shares["fat_g"] * 100, 1),
        carbohydrate_pct=round(shares["carbohydrate_g"] * 100, 1),
        incomplete=any(n in totals.incomplete or n in totals.unknown for n in MACROS),
    )


@dataclass(frozen=True)
class DayTotal:
    entries: int
    totals: Amounts


async def daily_totals(
    session: AsyncSession, *, client_ids: list[uuid.UUID], first: date, last: date
) -> dict[tuple[uuid.UUID, date], DayTotal]:
    """(client, day) -> what was logged, for the days that have entries."""
    if not client_ids:
        return {}
    e = DiaryEntry
    columns: list[Any] = [e.client_id, e.eaten_on, sa.func.count().label("n")]
    for name in NUTRIENTS:
        column = getattr(e, name)
        columns += [sa.func.sum(column), sa.func.count(column)]
    rows = await session.execute(
        sa.select(*columns)
        .where(e.client_id.in_(client_ids), e.eaten_on.between(first, last))
        .group_by(e.client_id, e.eaten_on)
    )
    out = {}
    for row in rows:
        n = row[2]
        parts = tuple(
            Part(float(row[3 + 2 * i] or 0.0), row[4 + 2 * i], n - row[4 + 2 * i])
            for i in range(len(NUTRIENTS))
        )
        out[(row[0], row[1])] = DayTotal(n, Amounts(parts))
    return out


@dataclass(frozen=True)
class DaySummary:
    day: date
    total: DayTotal
    target: NutritionTarget | None
    adherence: AdherenceOut


async def day_summaries(
    session: AsyncSession,
    *,
    principal: Principal,
    client: Client,
    first: date | None = None,
    last: date | None = None,
) -> list[DaySummary]:
    """From ``first`` to ``last`` (default: the week ending today for the client)."""
    last = last or client_today(client, principal.organization.timezone)
    first = first or last - timedelta(days=6)
    if last < first:
        raise field_error("to", "the range ends before it starts")
    if (last - first).days + 1 > MAX_DAYS:
        raise field_error("to", f"at most {MAX_DAYS} days at a time")
    totals = await daily_totals(session, client_ids=[client.id], first=first, last=last)
    targets = (await targets_between(session, client_ids=[client.id], first=first, last=last))[
        client.id
    ]
    out = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        total = totals.get((client.id, day), DayTotal(0, Amounts()))
        target = in_force(targets, day)
        out.append(DaySummary(day, total, target, adherence(total.totals, total.entries, target)))
    return out


async def overview(
    session: AsyncSession,
    *,
    principal: Principal,
    params: PageParams,
    days: int = 7,
    sort: str = "score",
    descending: bool = False,
) -> tuple[list[AdherenceRow], str | None]:
    """The caller's active clients over the last ``days`` days (today included, in the
    organization's time zone): days logged, days on target, mean score and energy. Sorted
    by ``sort``; clients without a score sort last either way."""
    if days not in OVERVIEW_DAYS:
        raise field_error("days", f"choose {', '.join(map(str, OVERVIEW_DAYS))}")
    if sort not in SORTS:
        raise field_error("sort", f"sort by {', '.join(SORTS)}")
    stmt = clients.visible_clients(principal).where(Client.status.in_(("active", "paused")))
    people = list((await session.scalars(stmt)).all())
    last = today_in(principal.organization.timezone)
    first = last - timedelta(days=days - 1)
    ids = [c.id for c in people]
    totals = await daily_totals(session, client_ids=ids, first=first, last=last)
    targets = await targets_between(session, client_ids=ids, first=first, last=last)
    rows = []
    for person in people:
        scores, energies, on_target, logged_days = [], [], 0, []
        for offset in range(days):
            day = first + timedelta(days=offset)
            total = totals.get((person.id, day))
            if total is None:
                continue
            logged_days.append(day)
            energies.append(total.totals.value("energy_kcal") or 0.0)
            result = adherence(total.totals, total.entries, in_force(targets[person.id], day))
            if result.score is not None:
                scores.append(result.score)
            on_target += bool(result.on_target)
        target = in_force(targets[person.id], last)
        rows.append(
            AdherenceRow(
                client_id=person.id,
                client_name=person.full_name,
                days=days,
                days_logged=len(logged_days),
                days_on_target=on_target,
                score=round(sum(scores) / len(scores)) if scores else None,
                avg_energy_kcal=round(sum(energies) / len(energies)) if energies else None,
                target_energy_kcal=target.energy_kcal if target else None,
                last_logged_on=max(logged_days) if logged_days else None,
            )
        )
    return _page(rows, sort, descending, params)


def _sort_key(row: AdherenceRow, sort: str, descending: bool) -> tuple[int, float, str, str]:
    """(missing last, value, name, id); ``value`` is negated for descending sorts so the
    key always ascends (the cursor is the last row's key)."""
    tie = (row.client_name.lower(), str(row.client_id))
    if sort == "name":
        return (0, 0.0, *tie)
    raw = {
        "score": row.score,
        "days_logged": row.days_logged,
        "last_logged": row.last_logged_on.toordinal() if row.last_logged_on else None,
    }[sort]
    if raw is None:
        return (1, 0.0, *tie)
    return (0, -float(raw) if descending else float(raw), *tie)


def _page(
    rows: list[AdherenceRow], sort: str, descending: bool, params: PageParams
) -> tuple[list[AdherenceRow], str | None]:
    keyed = sorted(((_sort_key(r, sort, descending), r) for r in rows), key=lambda p: p[0])
    if sort == "name" and descending:
        keyed = [(k, r) for k, r in reversed(keyed)]
    after = decode_sort_key(params.cursor, (int, float, str, str))
    if after is not None:
        if sort == "name" and descending:
            keyed = [(k, r) for k, r in keyed if k < after]
        else:
            keyed = [(k, r) for k, r in keyed if k > after]
    page = keyed[: params.limit + 1]
    if len(page) > params.limit:
        return [r for _, r in page[: params.limit]], encode_sort_key(page[params.limit - 1][0])
    return [r for _, r in page], None
