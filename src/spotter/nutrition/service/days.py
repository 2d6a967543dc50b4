"""Days as the client lives them: the diary and targets use the client's own time zone
(their profile's, else the organization's)."""

from __future__ import annotations

import zoneinfo
from datetime import date

from spotter.clients.models import Client
from spotter.core.db import utcnow


def client_today(client: Client, organization_timezone: str | None) -> date:
    return today_in(client.timezone, organization_timezone)


def today_in(*zones: str | None) -> date:
    """Today in the first of ``zones`` that is a real time zone (UTC if none is)."""
    for name in zones:
        if not name:
            continue
        try:
            return utcnow().astimezone(zoneinfo.ZoneInfo(name)).date()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return utcnow().date()


def age_on(born_on: date, day: date) -> int:
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))
