"""Accounts: registration, login, sessions and rotating refresh tokens, password reset,
email verification and TOTP two-factor. Keyword-only functions; they flush, never commit."""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from typing import Any, NamedTuple

import pyotp
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.config import get_settings
from spotter.core import email, ratelimit
from spotter.core.db import utcnow
from spotter.core.security import (
    create_access_token,
    decrypt,
    encrypt,
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)
from spotter.identity.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidOtp,
    InvalidToken,
    OtpRequired,
    SessionExpired,
)
from spotter.identity.models import AuthSession, OneTimeToken, RefreshToken, User
from spotter.identity.schemas import TokenPair

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"


def normalize_email(value: str) -> str:
    return value.strip().lower()


async def get_user_by_email(session: AsyncSession, *, email_address: str) -> User | None:
    return await session.scalar(sa.select(User).where(User.email == normalize_email(email_address)))


async def create_user(
    session: AsyncSession,
    *,
    email_address: str,
    full_name: str,
    password: str | None,
    verified: bool = False,
    is_superadmin: bool = False,
) -> User:
    address = normalize_email(email_address)
    # Hash before the first query: on SQLite the first query takes the write lock, and the
    # hash should not be computed while holding it.
    password_hash = await hash_password(password) if password else None
    if await get_user_by_email(session, email_address=address):
        raise EmailTaken(f"An account with {address} already exists; log in instead.")
    user = User(
        email=address,
        full_name=full_name.strip(),
        password_hash=password_hash,
        email_verified_at=utcnow() if verified else None,
        is_superadmin=is_superadmin,
    )
    session.add(user)
    await session.flush()
    return user


# --- login -------------------------------------------------------------------------------


async def authenticate(
    session: AsyncSession, *, email_address: str, password: str, otp: str | None, ip: str
) -> User:
    """Check credentials under per-account and per-IP rate limits.

    The answer for an unknown email and a wrong password is the same, in words and in time.
    """
    auth = get_settings().auth
    address = normalize_email(email_address)
    await ratelimit.hit(
        auth.login_per_ip,
        "login-ip",
        ip,
        message="Too many login attempts from your network. Wait a few minutes and try again.",
    )
    await ratelimit.hit(
        auth.login_per_account,
        "login-account",
        address,
        message="Too many login attempts for this account. Wait a few minutes and try again.",
    )
    user = await get_user_by_email(session, email_address=address)
    if not await verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials()
    assert user is not None
    if not user.is_active:
        raise InvalidCredentials("This account is disabled. Contact your organization.")
    if user.totp_enabled_at:
        if not otp:
            raise OtpRequired()
        if not _totp(user).verify(otp, valid_window=1):
            raise InvalidOtp()
    await ratelimit.clear(auth.login_per_account, "login-account", address)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
    user.last_login_at = utcnow()
    return user


async def start_session(
    session: AsyncSession,
    *,
    user: User,
    kind: str,
    organization_id: uuid.UUID | None,
    user_agent: str | None = None,
) -> tuple[AuthSession, str]:
    """Open a web session (returns its cookie value) or an API session (returns a refresh
    token). Both are stored only as digests."""
    settings = get_settings().auth
    days = settings.web_session_days if kind == "web" else settings.refresh_token_days
    secret = new_token()
    auth_session = AuthSession(
        user_id=user.id,
        kind=kind,
        organization_id=organization_id,
        expires_at=utcnow() + timedelta(days=days),
        user_agent=(user_agent or "")[:300] or None,
        token_digest=token_digest(secret) if kind == "web" else None,
    )
    session.add(auth_session)
    await session.flush()
    if kind == "api":
        session.add(RefreshToken(session_id=auth_session.id, token_digest=token_digest(secret)))
    return auth_session, secret


def token_pair(auth_session: AuthSession, refresh_token: str) -> TokenPair:
    access, expires_in = create_access_token(
        user_id=auth_session.user_id,
        organization_id=auth_session.organization_id,
        session_id=auth_session.id,
    )
    return TokenPair(
        access_token=access,
        refresh_token=refresh_token,
        expires_in=expires_in,
        organization_id=auth_session.organization_id,
    )


async def refresh(session: AsyncSession, *, refresh_token: str) -> TokenPair:
    row = await session.scalar(
        sa.select(RefreshToken).where(RefreshToken.token_digest == token_digest(refresh_token))
    )
    if row is None:
        raise SessionExpired("Unknown refresh token; please log in again.")
    auth_session = await session.get_one(AuthSession, row.session_id)
    now = utcnow()
    if row.used_at is not None:
        # A spent token came back: someone copied it. End the whole family.
        auth_session.revoked_at = auth_session.revoked_at or now
        error = SessionExpired("This refresh token was already used; the session was ended.")
        error.keep_changes = True
        raise error
    if auth_session.revoked_at or auth_session.expires_at <= now:
        raise SessionExpired()
    row.used_at = now
    secret = new_token()
    session.add(RefreshToken(session_id=auth_session.id, token_digest=token_digest(secret)))
    return token_pair(auth_session, secret)


async def end_session(session: AsyncSession, *, session_id: uuid.UUID) -> None:
    auth_session = await session.get(AuthSession, session_id)
    if auth_session and auth_session.revoked_at is None:
        auth_session.revoked_at = utcnow()


async def switch_organization(
    session: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, organization: str
) -> Any:
    """Point a web session at another organization the user is a member of (the header's
    switcher). Not being a member looks like the organization not existing."""
    from spotter.orgs import service as orgs
    from spotter.orgs.errors import OrganizationNotFound

    if not organization.strip():
        raise OrganizationNotFound()
    acting = await orgs.resolve_membership(session, user_id=user_id, organization=organization)
    auth_session = await session.get(AuthSession, session_id)
    if acting is None or auth_session is None or auth_session.user_id != user_id:
        raise OrganizationNotFound()
    auth_session.organization_id = acting.organization.id
    return acting


async def end_all_sessions(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    await session.execute(
        sa.update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


class LiveSessionKey(NamedTuple):
    """How a live session is looked up: by its id (bearer tokens) or by a web cookie's
    digest. ``params()`` are the bound values of ``live_session_query``'s statement."""

    session_id: uuid.UUID | None = None
    cookie: str | None = None

    @property
    def by(self) -> str:
        return "id" if self.session_id is not None else "cookie"

    def params(self) -> dict[str, Any]:
        if self.session_id is not None:
            return {"now": utcnow(), "session_id": self.session_id}
        return {"now": utcnow(), "digest": token_digest(self.cookie or "")}


@functools.cache
def live_session_query(by: str) -> sa.Select[AuthSession, User]:
    """SELECT (AuthSession, User) for a live session and an active user, by id
    (``:session_id``) or by a web cookie's digest (``:digest``), at ``:now``.
    ``orgs.live_session_acting`` extends it.

    Built once per kind with bound parameters: this runs on every authenticated request,
    and building and keying a statement costs more than executing a cached one."""
    stmt = (
        sa.select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > sa.bindparam("now", type_=AuthSession.expires_at.type),
            User.is_active.is_(True),
        )
    )
    if by == "id":
        return stmt.where(AuthSession.id == sa.bindparam("session_id", type_=sa.Uuid()))
    return stmt.where(
        AuthSession.token_digest == sa.bindparam("digest", type_=sa.String()),
        AuthSession.kind == "web",
    )


async def live_session(
    session: AsyncSession, *, session_id: uuid.UUID | None = None, cookie: str | None = None
) -> tuple[AuthSession, User] | None:
    """The session and its user, if the session is live and the user active."""
    if session_id is None and not cookie:
        return None
    key = LiveSessionKey(session_id, cookie)
    row = (await session.execute(live_session_query(key.by), key.params())).first()
    return (row[0], row[1]) if row else None


# --- one-time tokens: verification and reset -----------------------------------------------


async def _issue(session: AsyncSession, *, user: User, purpose: str, ttl: timedelta) -> str:
    secret = new_token()
    session.add(
        OneTimeToken(
            user_id=user.id,
            purpose=purpose,
            token_digest=token_digest(secret),
            expires_at=utcnow() + ttl,
        )
    )
    await session.flush()
    return secret


async def _redeem(session: AsyncSession, *, token: str, purpose: str) -> User:
    row = await session.scalar(
        sa.select(OneTimeToken).where(
            OneTimeToken.token_digest == token_digest(token), OneTimeToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidToken()
    row.used_at = utcnow()
    return await session.get_one(User, row.user_id)


async def send_verification(session: AsyncSession, *, user: User) -> None:
    hours = get_settings().auth.email_verification_hours
    token = await _issue(session, user=user, purpose=VERIFY_EMAIL, ttl=timedelta(hours=hours))
    link = f"{get_settings().base_url}/verify-email?token={token}"
    email.send(
        session,
        to=user.email,
        subject="Confirm your email for Spotter",
        text=f"Hi {user.full_name},\n\nConfirm your email address by opening this link:\n\n"
        f"{link}\n\nThe link works for {hours} hours.\n",
    )


async def verify_email(session: AsyncSession, *, token: str) -> User:
    user = await _redeem(session, token=token, purpose=VERIFY_EMAIL)
    user.email_verified_at = user.email_verified_at or utcnow()
    return user


async def forgot_password(session: AsyncSession, *, email_address: str, ip: str) -> None:
    """Sends a reset link if the account exists; the caller says the same thing either way."""
    await ratelimit.hit(
        "5/hour",
        "forgot",
        normalize_email(email_address),
        message="Too many reset requests for this email. Try again later.",
    )
    await ratelimit.hit(
        "20/hour",
        "forgot-ip",
        ip,
        message="Too many reset requests from your network. Try again later.",
    )
    user = await get_user_by_email(session, email_address=email_address)
    if user is None or not user.is_active:
        return
    minutes = get_settings().auth.password_reset_minutes
    token = await _issue(session, user=user, purpose=RESET_PASSWORD, ttl=timedelta(minutes=minutes))
    link = f"{get_settings().base_url}/reset-password?token={token}"
    email.send(
        session,
        to=user.email,
        subject="Reset your Spotter password",
        text=f"Hi {user.full_name},\n\nSomeone asked to reset your Spotter password. If it was "
        f"you, choose a new one here:\n\n{link}\n\nThe link works once, for {minutes} minutes. "
        "If it was not you, ignore this email; your password has not changed.\n",
    )


async def reset_password(session: AsyncSession, *, token: str, password: str) -> User:
    user = await _redeem(session, token=token, purpose=RESET_PASSWORD)
    user.password_hash = await hash_password(password)
    # The inbox proved ownership of the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    await end_all_sessions(session, user_id=user.id)
    return user


async def change_password(
    session: AsyncSession, *, user: User, current: str, new: str, keep_session: uuid.UUID | None
) -> None:
    if not await verify_password(user.password_hash, current):
        raise InvalidCredentials("Your current password is incorrect.")
    user.password_hash = await hash_password(new)
    await session.execute(
        sa.update(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.id != keep_session,
        )
        .values(revoked_at=utcnow())
    )


# --- two-factor ----------------------------------------------------------------------------


def _totp(user: User) -> pyotp.TOTP:
    assert user.totp_secret
    return pyotp.TOTP(decrypt(user.totp_secret))


def totp_setup(*, user: User) -> tuple[str, str]:
    """Start enrolment: a new secret, not active until confirmed with a valid code."""
    secret = pyotp.random_base32()
    user.totp_secret = encrypt(secret)
    user.totp_enabled_at = None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Spotter")
    return secret, uri


def totp_confirm(*, user: User, otp: str) -> None:
    if not user.totp_secret:
        raise InvalidOtp("Start two-factor setup first.")
    if not _totp(user).verify(otp, valid_window=1):
        raise InvalidOtp()
    user.totp_enabled_at = utcnow()


async def totp_disable(*, user: User, password: str) -> None:
    if not await verify_password(user.password_hash, password):
        raise InvalidCredentials("Your password is incorrect.")
    user.totp_secret = None
    user.totp_enabled_at = None
