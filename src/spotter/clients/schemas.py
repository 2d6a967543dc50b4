from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import EmailStr, StringConstraints

from spotter.core.schemas import Out, Schema


class ClientStatus(StrEnum):
    LEAD = "lead"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class ClientOut(Out):
    id: uuid.UUID
    full_name: str
    email: str | None
    status: ClientStatus
    trainer_id: uuid.UUID | None
    user_id: uuid.UUID | None
    created_at: datetime


class ClientCreate(Schema):
    full_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    email: EmailStr | None = None
    status: ClientStatus = ClientStatus.ACTIVE
    trainer_id: uuid.UUID | None = None
