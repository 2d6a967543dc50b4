from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, field_validator

from spotter.core.schemas import Out, Schema
from spotter.core.security import MIN_PASSWORD_LENGTH
from spotter.core.units import UnitSystem
from spotter.orgs.schemas import check_currency, check_timezone

Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OrgName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Otp = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class RegisterIn(Schema):
    email: EmailStr
    password: Password
    full_name: Name
    organization_name: OrgName
    timezone: str = "UTC"
    currency: str = "USD"
    unit_system: UnitSystem = UnitSystem.METRIC

    # Checked here, at the edge: an unknown zone or currency is a 422, not a 500 later.
    _tz = field_validator("timezone")(lambda cls, v: check_timezone(v))
    _cur = field_validator("currency")(lambda cls, v: check_currency(v))


class LoginIn(Schema):
    email: EmailStr
    password: Annotated[str, Field(min_length=1, max_length=256)]
    otp: Otp | None = None
    organization: str | None = Field(None, description="Organization slug or id to act for")


class RefreshIn(Schema):
    refresh_token: Annotated[str, Field(min_length=10, max_length=200)]


class ForgotPasswordIn(Schema):
    email: EmailStr


class ResetPasswordIn(Schema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    password: Password


class VerifyEmailIn(Schema):
    token: Annotated[str, Field(min_length=10, max_length=200)]


class TotpConfirmIn(Schema):
    otp: Otp


class TotpDisableIn(Schema):
    password: Annotated[str, Field(min_length=1, max_length=256)]


class TokenPair(Out):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    organization_id: uuid.UUID | None = None


class TotpSetupOut(Out):
    secret: str
    otpauth_uri: str


class MembershipOut(Out):
    organization_id: uuid.UUID
    organization_name: str
    organization_slug: str
    role: str


class MeOut(Out):
    id: uuid.UUID
    email: str
    full_name: str
    email_verified: bool
    two_factor_enabled: bool
    is_superadmin: bool
    organization_id: uuid.UUID | None
    role: str | None
    permissions: list[str]
    memberships: list[MembershipOut]
    created_at: datetime


class MessageOut(Out):
    detail: str
