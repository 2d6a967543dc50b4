"""What the progress pages share: who may open them, the client being looked at (through
the clients row rule), and the header every client page draws."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core.errors import Forbidden
from spotter.core.routing import Router
from spotter.core.units import UnitSystem
from spotter.identity.dependencies import Principal
from spotter.progress import service
from spotter.web import PageUser

# The one progress page router: every page module adds its routes to it (flat, one level).
router = Router()
PAGE_SIZE = 20
Cursor = Annotated[str, Query(max_length=500)]
TABS = {
    "overview": "Overview",
    "measurements": "Measurements",
    "photos": "Photos",
    "checkins": "Check-ins",
}


async def _progress_user(principal: PageUser) -> Principal:
    if not (principal.can("progress:read") or principal.can("progress:self")):
        raise Forbidden("Your role in this organization does not include progress.")
    return principal


ProgressUser = Annotated[Principal, Depends(_progress_user)]


async def the_client(session: AsyncSession, principal: Principal, client_id: uuid.UUID) -> Client:
    """The client, if this person may see their progress (else a 404 page)."""
    return await clients.get_client(session, principal=principal, client_id=client_id)


def header(principal: Principal, client: Client, tab: str) -> dict[str, Any]:
    """Context for ``progress/_head.html``: whose progress, which tab, whose units."""
    system = service.unit_system(principal, client)
    return {
        "client": client,
        "tab": tab,
        "tabs": TABS,
        "is_self": principal.role == "client",
        "can_coach": principal.can("progress:write"),
        "system": system,
        "mass_unit": "lb" if system == UnitSystem.IMPERIAL else "kg",
        "length_unit": "in" if system == UnitSystem.IMPERIAL else "cm",
    }
