"""Demo shopping list: Jordan's list for this week from their assigned plan, with olive oil
and salt as pantry staples (listed under At home) and the first few items ticked, so
/shopping opens mid-shop."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients.models import Client
from spotter.core.db import utcnow
from spotter.core.permissions import ROLE_PERMISSIONS, Role
from spotter.core.tenancy import current_organization
from spotter.identity.dependencies import Principal
from spotter.identity.models import User
from spotter.nutrition import dataset
from spotter.nutrition.schemas.shopping import ShoppingListIn
from spotter.nutrition.service import shopping
from spotter.orgs.models import Organization

STAPLES = ("04053", "02047")  # olive oil, table salt
TICKED = 3


async def load(session: AsyncSession, *, people: list[Client], user: uuid.UUID) -> None:
    jordan = next((p for p in people if p.full_name == "Jordan Lee"), None)
    organization = await session.get(Organization, current_organization(session))
    if jordan is None or organization is None:
        return
    principal = Principal(
        organization=organization,
        role=Role.OWNER,
        permissions=ROLE_PERMISSIONS[Role.OWNER],
        user=await session.get(User, user),
    )
    await shopping.set_pantry(
        session,
        principal=principal,
        client=jordan,
        food_ids=[dataset.food_id(n) for n in STAPLES],
    )
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday())
    data = ShoppingListIn(starts_on=monday, ends_on=monday + timedelta(days=6))
    view = await shopping.create_list(session, principal=principal, client=jordan, data=data)
    for item in view.to_buy[:TICKED]:
        await shopping.tick(
            session, principal=principal, list_id=view.row.id, item_id=item.id, ticked=True
        )
