from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from spotter.core.db import DbSession
from spotter.core.errors import NotFound
from spotter.core.tenancy import PLATFORM_KEY
from spotter.identity.dependencies import CurrentIdentity, Identity


async def platform_admin(who: CurrentIdentity, session: DbSession) -> Identity:
    """Superadmins only; to anyone else the platform routes do not exist (404)."""
    if not who.user.is_superadmin:
        raise NotFound()
    session.sync_session.info[PLATFORM_KEY] = True  # unscoped on purpose: operator views
    return who


PlatformAdmin = Annotated[Identity, Depends(platform_admin)]
