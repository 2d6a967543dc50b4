from __future__ import annotations

from fastapi import Request, Response

from spotter.core.db import DbSession
from spotter.core.errors import Forbidden
from spotter.core.permissions import STAFF_ROLES
from spotter.core.routing import Router
from spotter.identity import service
from spotter.identity.dependencies import CurrentIdentity, CurrentPrincipal
from spotter.identity.schemas import (
    ForgotPasswordIn,
    LoginIn,
    MembershipOut,
    MeOut,
    MessageOut,
    RefreshIn,
    RegisterIn,
    ResetPasswordIn,
    TokenPair,
    TotpConfirmIn,
    TotpDisableIn,
    TotpSetupOut,
    VerifyEmailIn,
)
from spotter.orgs import service as orgs

router = Router(tags=["auth"])
FORGOT_ANSWER = "If an account exists for that email, we have sent a link to reset its password."


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/register", response_model=TokenPair, status_code=201)
async def register(session: DbSession, data: RegisterIn, request: Request) -> TokenPair:
    """Create an account and a new organization owned by it."""
    user, org = await orgs.register_owner(session, data=data)
    auth_session, refresh = await service.start_session(
        session,
        user=user,
        kind="api",
        organization_id=org.id,
        user_agent=request.headers.get("user-agent"),
    )
    return service.token_pair(auth_session, refresh)


@router.post("/auth/login", response_model=TokenPair)
async def login(session: DbSession, data: LoginIn, request: Request) -> TokenPair:
    user = await service.authenticate(
        session,
        email_address=data.email,
        password=data.password,
        otp=data.otp,
        ip=client_ip(request),
    )
    acting = await orgs.resolve_membership(session, user_id=user.id, organization=data.organization)
    auth_session, refresh = await service.start_session(
        session,
        user=user,
        kind="api",
        organization_id=acting.organization.id if acting else None,
        user_agent=request.headers.get("user-agent"),
    )
    return service.token_pair(auth_session, refresh)


@router.post("/auth/refresh", response_model=TokenPair)
async def refresh(session: DbSession, data: RefreshIn) -> TokenPair:
    return await service.refresh(session, refresh_token=data.refresh_token)


@router.post("/auth/logout", status_code=204)
async def logout(session: DbSession, who: CurrentIdentity) -> Response:
    await service.end_session(session, session_id=who.session_id)
    return Response(status_code=204)


@router.post("/auth/forgot-password", response_model=MessageOut, status_code=202)
async def forgot_password(
    session: DbSession, data: ForgotPasswordIn, request: Request
) -> MessageOut:
    await service.forgot_password(session, email_address=data.email, ip=client_ip(request))
    return MessageOut(detail=FORGOT_ANSWER)


@router.post("/auth/reset-password", response_model=MessageOut)
async def reset_password(session: DbSession, data: ResetPasswordIn) -> MessageOut:
    await service.reset_password(session, token=data.token, password=data.password)
    return MessageOut(detail="Your password was changed. Log in with the new one.")


@router.post("/auth/verify-email", response_model=MessageOut)
async def verify_email(session: DbSession, data: VerifyEmailIn) -> MessageOut:
    await service.verify_email(session, token=data.token)
    return MessageOut(detail="Thank you, your email address is confirmed.")


@router.post("/auth/verify-email/resend", response_model=MessageOut, status_code=202)
async def resend_verification(session: DbSession, who: CurrentIdentity) -> MessageOut:
    if who.user.email_verified_at is None:
        await service.send_verification(session, user=who.user)
    return MessageOut(detail="If your address was not confirmed yet, a new link is on its way.")


@router.post("/auth/2fa/setup", response_model=TotpSetupOut)
async def totp_setup(principal: CurrentPrincipal) -> TotpSetupOut:
    """Two-factor is offered to staff; clients do not need it."""
    if principal.role not in STAFF_ROLES:
        raise Forbidden("Two-factor authentication is available to staff accounts.")
    secret, uri = service.totp_setup(user=principal.require_user())
    return TotpSetupOut(secret=secret, otpauth_uri=uri)


@router.post("/auth/2fa/confirm", response_model=MessageOut)
async def totp_confirm(who: CurrentIdentity, data: TotpConfirmIn) -> MessageOut:
    service.totp_confirm(user=who.user, otp=data.otp)
    return MessageOut(detail="Two-factor authentication is on.")


@router.post("/auth/2fa/disable", response_model=MessageOut)
async def totp_disable(who: CurrentIdentity, data: TotpDisableIn) -> MessageOut:
    await service.totp_disable(user=who.user, password=data.password)
    return MessageOut(detail="Two-factor authentication is off.")


@router.get("/me", response_model=MeOut)
async def me(session: DbSession, principal: CurrentPrincipal) -> MeOut:
    user = principal.require_user()
    memberships = await orgs.memberships_of(session, user_id=user.id)
    return MeOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        email_verified=user.email_verified_at is not None,
        two_factor_enabled=user.totp_enabled_at is not None,
        is_superadmin=user.is_superadmin,
        organization_id=principal.organization_id,
        role=principal.role,
        permissions=sorted(principal.permissions),
        created_at=user.created_at,
        memberships=[
            MembershipOut(
                organization_id=a.organization.id,
                organization_name=a.organization.name,
                organization_slug=a.organization.slug,
                role=a.role,
            )
            for a in memberships
        ],
    )
