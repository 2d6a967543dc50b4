"""What every part of progress needs: whose units, which day it is for a client, and the
errors that name a missing row."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
from typing import TYPE_CHECKING

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.errors import field_error
from spotter.core.permissions import Role
from spotter.core.units import UnitSystem

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal


def unit_system(principal: Principal, client: Client) -> UnitSystem:
    """The units the caller reads and types in: a client their profile's, staff their
    own preference, else the organization's."""
    if principal.role == Role.CLIENT:
        return UnitSystem(client.unit_system or UnitSystem.METRIC)
    chosen = principal.user.unit_system if principal.user else None
    return UnitSystem(chosen or principal.organization.unit_system or UnitSystem.METRIC)


def zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def today_in(timezone: str | None) -> date:
    tz = zone(timezone)
    now = utcnow()
    return (now.astimezone(tz) if tz else now).date()


def client_timezone(client: Client, organization_timezone: str | None) -> str:
    return client.timezone or organization_timezone or "UTC"


def client_today(client: Client, organization_timezone: str | None) -> date:
    """Today where the client lives (their time zone, else the organization's)."""
    return today_in(client_timezone(client, organization_timezone))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


EARLIEST = date(1950, 1, 1)


def check_day(field: str, day: date, today: date) -> None:
    """A day something was measured or taken: not in the future, not implausibly old."""
    if day > today:
        raise field_error(field, f"{field} cannot be after today ({today.isoformat()})")
    if day < EARLIEST:
        raise field_error(field, f"{field} cannot be before {EARLIEST.isoformat()}")
