from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, field_validator

from spotter.core.money import CURRENCIES
from spotter.core.permissions import API_KEY_SCOPES, Role
from spotter.core.schemas import Out, Schema
from spotter.core.units import UnitSystem

Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]


def check_timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise ValueError(f"unknown time zone {value!r}; use an IANA name like Europe/Berlin")
    return value


def check_currency(value: str) -> str:
    value = value.upper()
    if value not in CURRENCIES:
        raise ValueError(f"unsupported currency {value!r}; use an ISO 4217 code like EUR")
    return value


class OrganizationOut(Out):
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    currency: str
    unit_system: str
    display_name: str | None
    logo_url: str | None
    primary_color: str
    accent_color: str
    created_at: datetime


class OrganizationUpdate(Schema):
    name: Text120 | None = None
    timezone: str | None = None
    currency: str | None = None
    unit_system: UnitSystem | None = None
    display_name: Annotated[str, StringConstraints(max_length=120)] | None = None
    logo_url: (
        Annotated[str, StringConstraints(max_length=500, pattern=r"^(https://|/)\S*$")] | None
    ) = None
    primary_color: Color | None = None
    accent_color: Color | None = None

    _tz = field_validator("timezone")(lambda cls, v: v if v is None else check_timezone(v))
    _cur = field_validator("currency")(lambda cls, v: v if v is None else check_currency(v))


class OrganizationCreate(Schema):
    name: Text120
    timezone: str = "UTC"
    currency: str = "USD"
    unit_system: UnitSystem = UnitSystem.METRIC

    _tz = field_validator("timezone")(lambda cls, v: check_timezone(v))
    _cur = field_validator("currency")(lambda cls, v: check_currency(v))


class MemberOut(Out):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    full_name: str
    role: str
    created_at: datetime


class MemberUpdate(Schema):
    role: Role


class InvitationCreate(Schema):
    email: EmailStr
    role: Role
    full_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="For client invitations: the client's name"
    )
    trainer_id: uuid.UUID | None = Field(
        None, description="For client invitations by owners/admins: the assigned trainer"
    )


class InvitationOut(Out):
    id: uuid.UUID
    email: str
    role: str
    client_id: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationPreview(Out):
    email: str
    role: str
    organization_name: str
    account_exists: bool


class InvitationAccept(Schema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    full_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None


class ApiKeyCreate(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: list[str] = Field(min_length=1, max_length=len(API_KEY_SCOPES))
    rate_limit_per_minute: int | None = Field(None, ge=1, le=100_000)

    @field_validator("scopes")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - API_KEY_SCOPES)
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; allowed: {sorted(API_KEY_SCOPES)}")
        return sorted(set(v))


class ApiKeyOut(Out):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    rate_limit_per_minute: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; store it now")
