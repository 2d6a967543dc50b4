from __future__ import annotations

import uuid
from datetime import datetime

from spotter.core.schemas import Out


class PlatformOrganizationOut(Out):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    currency: str
    created_at: datetime
    members: int
    clients: int
