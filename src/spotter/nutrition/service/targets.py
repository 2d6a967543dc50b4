"""The macro calculator with a client's data, and their targets with history.

A target applies from its ``effective_on`` day until the next one's: the target in force
on a day is the latest that starts on or before it. Saving a target for a day that
already has one replaces it (a trainer recalculating the same morning)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import InvalidInput
from spotter.core.pagination import PageParams, paginate
from spotter.nutrition import calculator
from spotter.nutrition.errors import TargetNotFound
from spotter.nutrition.models import NutritionTarget
from spotter.nutrition.schemas.targets import CalculatorIn, ClientCalculatorIn, TargetIn
from spotter.nutrition.service import access
from spotter.nutrition.service.days import age_on, client_today

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

MACRO_TOLERANCE = 0.10  # typed macros must add up to the energy within 10%


def calculate(data: CalculatorIn) -> calculator.Result:
    inputs = calculator.Inputs(
        weight_kg=data.weight_kg,
        height_cm=data.height_cm,
        age_years=data.age_years,
        sex=data.sex.value if data.sex else None,
        body_fat_pct=data.body_fat_pct,
        activity=data.activity,
        goal=data.goal,
        adjust_percent=data.adjust_percent,
        adjust_kcal=data.adjust_kcal,
        protein_g_per_kg=data.protein_g_per_kg,
        fat_percent=data.fat_percent,
        formula=data.formula,
    )
    return calculator.calculate(inputs)


def calculation(data: CalculatorIn) -> dict[str, Any]:
    """The calculator on inputs given in full (nothing from a client)."""
    sources = {k: "given" for k, v in data.model_dump().items() if v is not None}
    return calculation_record(data, sources, calculate(data))


async def client_data(
    session: AsyncSession, *, client: Client, today: date, body_fat: bool = True
) -> tuple[dict[str, Any], dict[str, str]]:
    """What the client's records say for the calculator: sex, age and height from the
    profile, weight and body fat from the latest assessment; and where each came from."""
    latest = await clients.latest_values(session, client.id)
    found: dict[str, tuple[Any, str]] = {
        "height_cm": (client.height_cm, "profile"),
        "sex": (client.sex, "profile"),
        "age_years": (age_on(client.born_on, today) if client.born_on else None, "profile"),
        "weight_kg": (latest.get("body_weight"), "assessment"),
    }
    if body_fat:
        found["body_fat_pct"] = (latest.get("body_fat"), "assessment")
    values = {k: v for k, (v, _) in found.items() if v is not None}
    return values, {k: found[k][1] for k in values}


async def client_inputs(
    session: AsyncSession, *, client: Client, data: ClientCalculatorIn, today: date
) -> tuple[CalculatorIn, dict[str, str]]:
    """The calculator's inputs with the client's data filling the gaps, and where each
    came from (given, profile, assessment)."""
    known, where = await client_data(
        session, client=client, today=today, body_fat=data.use_body_fat
    )
    values: dict[str, Any] = data.model_dump(exclude={"use_body_fat"})
    sources = {k: "given" for k, v in values.items() if v is not None}
    for key, value in known.items():
        if values.get(key) is None:
            values[key] = value
            sources[key] = where[key]
    if values.get("weight_kg") is None:
        raise InvalidInput(
            "No body weight for this client: give weight_kg or record an assessment.",
            errors=[{"field": "weight_kg", "message": "no weight given or recorded"}],
        )
    return CalculatorIn.model_validate(values), sources


async def calculate_for_client(
    session: AsyncSession, *, principal: Principal, client: Client, data: ClientCalculatorIn
) -> tuple[CalculatorIn, dict[str, str], calculator.Result]:
    today = client_today(client, principal.organization.timezone)
    inputs, sources = await client_inputs(session, client=client, data=data, today=today)
    return inputs, sources, calculate(inputs)


def calculation_record(
    inputs: CalculatorIn, sources: dict[str, str], result: calculator.Result
) -> dict[str, Any]:
    """What is saved with a calculated target (and what the API shows for a calculation)."""
    return {
        "inputs": inputs.model_dump(mode="json"),
        "sources": sources,
        **{k: (v.value if hasattr(v, "value") else v) for k, v in asdict(result).items()},
    }


async def list_targets(
    session: AsyncSession, *, client: Client, params: PageParams
) -> tuple[list[NutritionTarget], str | None]:
    """Newest first."""
    stmt = sa.select(NutritionTarget).where(NutritionTarget.client_id == client.id)
    return await paginate(
        session,
        stmt,
        keys=[NutritionTarget.effective_on, NutritionTarget.id],
        params=params,
        descending=True,
    )


async def current_target(
    session: AsyncSession, *, principal: Principal, client: Client, on: date | None
) -> NutritionTarget:
    day = on or client_today(client, principal.organization.timezone)
    found = await target_on(session, client_id=client.id, day=day)
    if found is None:
        raise TargetNotFound(f"No target in force on {day.isoformat()}")
    return found


async def target_on(
    session: AsyncSession, *, client_id: uuid.UUID, day: date
) -> NutritionTarget | None:
    return await session.scalar(
        sa.select(NutritionTarget)
        .where(NutritionTarget.client_id == client_id, NutritionTarget.effective_on <= day)
        .order_by(NutritionTarget.effective_on.desc())
        .limit(1)
    )


async def targets_between(
    session: AsyncSession, *, client_ids: list[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, list[NutritionTarget]]:
    """Each client's targets that apply somewhere in [first, last] (the one in force on
    ``first`` and those starting later), oldest first: two queries for any number of
    clients."""
    out: dict[uuid.UUID, list[NutritionTarget]] = {c: [] for c in client_ids}
    if not client_ids:
        return out
    t = NutritionTarget
    latest_before = (
        sa.select(t.client_id, sa.func.max(t.effective_on).label("start"))
        .where(t.client_id.in_(client_ids), t.effective_on <= first)
        .group_by(t.client_id)
        .subquery()
    )
    rows = await session.scalars(
        sa.select(t)
        .outerjoin(
            latest_before,
            sa.and_(
                latest_before.c.client_id == t.client_id, latest_before.c.start == t.effective_on
            ),
        )
        .where(
            t.client_id.in_(client_ids),
            sa.or_(
                latest_before.c.start.is_not(None),
                sa.and_(t.effective_on > first, t.effective_on <= last),
            ),
        )
        .order_by(t.client_id, t.effective_on)
    )
    for row in rows:
        out[row.client_id].append(row)
    return out


def check_typed(
    energy: float, protein: float | None, fat: float | None, carbs: float | None
) -> None:
    """Typed targets must make sense together: protein and fat leave room for
    carbohydrate, and all three add up to the energy within 10% (a 422 otherwise).
    Macros left out (the plan generator's targets) are not checked."""
    if protein is not None and fat is not None:
        calculator.check_macros(energy, protein, fat, fields=("protein_g", "fat_g"))
    given = [(v or 0.0) * f for v, f in ((protein, 4), (fat, 9), (carbs, 4))]
    total = sum(given)
    complete = None not in (protein, fat, carbs)
    if (complete and abs(total - energy) > MACRO_TOLERANCE * energy) or (
        total > (1 + MACRO_TOLERANCE) * energy
    ):
        raise calculator.TargetsInvalid(
            f"Protein, fat and carbohydrate come to {total:.0f} kcal, not the "
            f"{energy:.0f} kcal energy target (they must agree within 10%).",
            errors=[{"field": "carbohydrate_g", "message": "macros and energy disagree"}],
        )


def in_force(targets: list[NutritionTarget], day: date) -> NutritionTarget | None:
    """The target in force on ``day`` among a client's targets (oldest first)."""
    found = None
    for target in targets:
        if target.effective_on <= day:
            found = target
    return found


async def save_target(
    session: AsyncSession, *, principal: Principal, client: Client, data: TargetIn
) -> NutritionTarget:
    day = data.effective_on or client_today(client, principal.organization.timezone)
    calculation = None
    if data.calculator is not None:
        inputs, sources, result = await calculate_for_client(
            session, principal=principal, client=client, data=data.calculator
        )
        calculation = calculation_record(inputs, sources, result)
        energy, protein, fat, carbs = (
            float(result.energy_kcal),
            float(result.protein_g),
            float(result.fat_g),
            float(result.carbohydrate_g),
        )
    else:
        assert data.energy_kcal is not None and data.protein_g is not None
        assert data.fat_g is not None and data.carbohydrate_g is not None
        energy, protein, fat, carbs = (
            data.energy_kcal,
            data.protein_g,
            data.fat_g,
            data.carbohydrate_g,
        )
        check_typed(energy, protein, fat, carbs)
    row = await session.scalar(
        sa.select(NutritionTarget).where(
            NutritionTarget.client_id == client.id, NutritionTarget.effective_on == day
        )
    )
    if row is None:
        row = NutritionTarget(client_id=client.id, effective_on=day)
        session.add(row)
    row.energy_kcal, row.protein_g, row.fat_g, row.carbohydrate_g = energy, protein, fat, carbs
    row.fiber_g = data.fiber_g
    row.calculation = calculation
    row.notes = data.notes or None
    row.set_by_id = principal.user_id
    await session.flush()
    return row


def visible_targets(principal: Principal) -> sa.Select[Any]:
    """Targets of the clients the caller may see (the clients row rule)."""
    return access.of_visible_clients(principal, NutritionTarget)


async def get_target(
    session: AsyncSession, *, principal: Principal, target_id: uuid.UUID
) -> NutritionTarget:
    row = await session.scalar(visible_targets(principal).where(NutritionTarget.id == target_id))
    if row is None:
        raise TargetNotFound()
    return row


async def delete_target(
    session: AsyncSession, *, principal: Principal, target_id: uuid.UUID
) -> None:
    row = await get_target(session, principal=principal, target_id=target_id)
    await session.delete(row)
    await session.flush()
