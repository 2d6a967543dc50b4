"""Health data: the profile's injuries and limitations and the health history, sealed
with AES-GCM (``core.security``). Never log a value from here: log ids only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client, HealthHistory
from spotter.clients.schemas import (
    HealthHistoryIn,
    HealthHistoryOut,
    ProfileIn,
    ProfileOut,
)
from spotter.core.errors import Forbidden
from spotter.core.security import decrypt, encrypt
from spotter.core.units import UnitSystem, format_quantity, from_display

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

log = structlog.get_logger("spotter.clients")


def profile_out(client: Client, principal: Principal) -> ProfileOut:
    may_read = principal.can("health:read")
    system = UnitSystem(client.unit_system)
    return ProfileOut(
        client_id=client.id,
        born_on=client.born_on,
        sex=client.sex,  # type: ignore[arg-type]
        height_cm=client.height_cm,
        height_display=(
            format_quantity(client.height_cm, "cm", system, places=0 if system == "metric" else 1)
            if client.height_cm is not None
            else None
        ),
        unit_system=system,
        timezone=client.timezone,
        experience=client.experience,  # type: ignore[arg-type]
        equipment=list(client.equipment or []),
        training_days=list(client.training_days or []),
        session_minutes=client.session_minutes,
        injuries_and_limitations=(
            decrypt(client.limitations_sealed) if may_read and client.limitations_sealed else None
        ),
        injuries_and_limitations_hidden=not may_read and client.limitations_sealed is not None,
    )


async def put_profile(
    session: AsyncSession, *, principal: Principal, client: Client, data: ProfileIn
) -> ProfileOut:
    """Replace the profile. Callers without health:write keep the sealed injuries and
    limitations as they are, and may not send them."""
    if data.injuries_and_limitations is not None and not principal.can("health:write"):
        raise Forbidden("You need the 'health:write' permission to record injuries.")
    client.born_on = data.born_on
    client.sex = data.sex
    if data.height_in is not None:
        client.height_cm = round(float(from_display(data.height_in, "cm", UnitSystem.IMPERIAL)), 1)
    else:
        client.height_cm = data.height_cm
    client.unit_system = data.unit_system
    client.timezone = data.timezone
    client.experience = data.experience
    client.equipment = data.equipment
    client.training_days = data.training_days
    client.session_minutes = data.session_minutes
    if principal.can("health:write"):
        text = data.injuries_and_limitations
        client.limitations_sealed = encrypt(text) if text else None
    await session.flush()
    log.info("client_profile_updated", client_id=str(client.id))
    return profile_out(client, principal)


def _flagged(data: HealthHistoryIn) -> bool:
    answers = (getattr(data.parq, name) for name in type(data.parq).model_fields)
    return any(a is not None and a.answer for a in answers)


async def get_health(session: AsyncSession, *, client: Client) -> HealthHistoryOut:
    row = await session.scalar(sa.select(HealthHistory).where(HealthHistory.client_id == client.id))
    if row is None:
        return HealthHistoryOut(client_id=client.id, recorded=False, flagged=False)
    data = HealthHistoryIn.model_validate_json(decrypt(row.sealed))
    return HealthHistoryOut(
        **data.model_dump(),
        client_id=client.id,
        recorded=True,
        flagged=_flagged(data),
        updated_at=row.updated_at,
        updated_by_id=row.updated_by_id,
    )


async def put_health(
    session: AsyncSession, *, principal: Principal, client: Client, data: HealthHistoryIn
) -> HealthHistoryOut:
    sealed = encrypt(json.dumps(data.model_dump(mode="json"), separators=(",", ":")))
    row = await session.scalar(sa.select(HealthHistory).where(HealthHistory.client_id == client.id))
    if row is None:
        row = HealthHistory(client_id=client.id, sealed=sealed)
        session.add(row)
    row.sealed = sealed
    row.updated_by_id = principal.user_id
    await session.flush()
    log.info("health_history_saved", client_id=str(client.id))  # ids only, never contents
    return await get_health(session, client=client)
