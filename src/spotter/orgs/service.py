"""Organizations, memberships, invitations and API keys."""

from __future__ import annotations

import functools
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached

from spotter.config import get_settings
from spotter.core import email, jobs
from spotter.core.db import db, utcnow
from spotter.core.errors import InvalidInput, NotFound, field_error
from spotter.core.kept import Kept
from spotter.core.permissions import INVITABLE, STAFF_ROLES, Role
from spotter.core.security import new_token, token_digest, verify_password
from spotter.core.tenancy import current_organization, set_organization, unscoped
from spotter.identity import service as identity
from spotter.identity.errors import InvalidCredentials
from spotter.identity.models import AuthSession, User
from spotter.identity.schemas import RegisterIn
from spotter.orgs.errors import (
    AlreadyMember,
    InvitationInvalid,
    LastOwner,
    OrganizationNotFound,
    RoleNotAllowed,
)
from spotter.orgs.models import ApiKey, Invitation, Membership, Organization
from spotter.orgs.schemas import ApiKeyCreate, InvitationCreate, OrganizationUpdate

if TYPE_CHECKING:
    from spotter.identity.dependencies import Principal

API_KEY_PREFIX = "spk_"


def slugify(value: str) -> str:
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")
    return slug[:50] or "org"


async def _unique_slug(session: AsyncSession, name: str) -> str:
    base = slugify(name)
    taken = set(
        (
            await session.scalars(
                sa.select(Organization.slug).where(
                    sa.or_(Organization.slug == base, Organization.slug.like(f"{base}-%"))
                )
            )
        ).all()
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


async def create_organization(
    session: AsyncSession,
    *,
    name: str,
    owner: User,
    timezone: str = "UTC",
    currency: str = "USD",
    unit_system: str = "metric",
) -> Organization:
    org = Organization(
        name=name.strip(),
        slug=await _unique_slug(session, name),
        timezone=timezone,
        currency=currency,
        unit_system=unit_system,
    )
    session.add(org)
    await session.flush()
    set_organization(session, org.id)
    session.add(Membership(organization_id=org.id, user_id=owner.id, role=Role.OWNER))
    await session.flush()
    return org


async def register_owner(session: AsyncSession, *, data: RegisterIn) -> tuple[User, Organization]:
    """Sign-up: a new account, the organization it owns, and the email to confirm it."""
    user = await identity.create_user(
        session, email_address=data.email, full_name=data.full_name, password=data.password
    )
    org = await create_organization(
        session,
        owner=user,
        name=data.organization_name,
        timezone=data.timezone,
        currency=data.currency,
        unit_system=data.unit_system,
    )
    await identity.send_verification(session, user=user)
    return user, org


@dataclass(frozen=True)
class Acting:
    """The membership a user acts through: their organization and role in it."""

    organization: Organization
    role: str


def _acting(org: Organization | None, role: str | None) -> Acting | None:
    """From a lookup's outer-joined organization and membership role (None: not a member)."""
    return Acting(org, role) if role is not None and org is not None else None


class LiveActing(NamedTuple):
    """A live session (its id and the organization it was opened for), its user, and
    the membership they act through (None: not a member of the organization asked for)."""

    session_id: uuid.UUID
    session_organization_id: uuid.UUID | None
    user: User
    acting: Acting | None


async def memberships_of(session: AsyncSession, *, user_id: uuid.UUID) -> list[Acting]:
    rows = await session.execute(
        unscoped(
            sa.select(Membership, Organization)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Membership.id)
        )
    )
    return [Acting(org, m.role) for m, org in rows.all()]


def _organization_is(organization: str | uuid.UUID) -> sa.ColumnElement[bool]:
    """The organization named by ``organization``: an id, else a slug."""
    ref = str(organization).strip()
    try:
        return Organization.id == uuid.UUID(ref)
    except ValueError:
        return Organization.slug == ref.lower()


async def resolve_membership(
    session: AsyncSession, *, user_id: uuid.UUID, organization: str | uuid.UUID | None
) -> Acting | None:
    """The membership for ``organization`` (id or slug), or the user's first one.

    Not being a member looks exactly like the organization not existing.
    """
    stmt = (
        sa.select(Membership, Organization)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id)
    )
    if organization:
        stmt = stmt.where(_organization_is(organization))
    stmt = stmt.order_by(Membership.created_at, Membership.id).limit(1)
    row = (await session.execute(unscoped(stmt))).first()
    if row is None:
        if organization:
            raise OrganizationNotFound()
        return None
    return Acting(row[1], row[0].role)


@functools.cache
def _live_session_acting_query(by: str, organization: str) -> sa.Select[Any]:
    """``identity.live_session_query`` joined to the organization named by ``organization``:
    ``"id"`` (``:organization_id``), ``"slug"`` (``:organization_slug``) or ``"remembered"``
    (the one the session was opened for), and the user's membership there. Built once per
    kind, unscoped: the organization is not known yet (memberships are tenant rows)."""
    if organization == "id":
        named = Organization.id == sa.bindparam("organization_id", type_=sa.Uuid())
    elif organization == "slug":
        named = Organization.slug == sa.bindparam("organization_slug", type_=sa.String())
    else:
        named = Organization.id == AuthSession.organization_id
    stmt = (
        identity.live_session_query(by)
        .add_columns(Membership.role, Organization)
        .outerjoin(Organization, named)
        .outerjoin(
            Membership,
            sa.and_(Membership.organization_id == Organization.id, Membership.user_id == User.id),
        )
    )
    return unscoped(stmt)


async def live_session_acting(
    session: AsyncSession,
    *,
    session_id: uuid.UUID | None = None,
    cookie: str | None = None,
    organization: str | uuid.UUID | None = None,
) -> LiveActing | None:
    """``identity.live_session`` and, in the same query, the user's membership in
    ``organization`` (id or slug), or when none is given in the organization the session
    was opened for. None when the session is not live; ``acting`` is None when the user is
    not a member there (or no organization was named or remembered): the caller decides
    between ``resolve_membership`` and an error.

    One round trip for what every authenticated request needs before its handler.
    """
    if session_id is None and not cookie:
        return None
    key = identity.LiveSessionKey(session_id, cookie)
    params = key.params()
    kind = "remembered"
    if organization:
        ref = str(organization).strip()
        try:
            params["organization_id"], kind = uuid.UUID(ref), "id"
        except ValueError:
            params["organization_slug"], kind = ref.lower(), "slug"
    cache_key = (key.by, key.session_id or params.get("digest"), kind, str(organization or ""))
    kept = _kept_live(session, cache_key, params["now"])
    if kept is not None:
        return kept
    generation = _live_generation
    stmt = _live_session_acting_query(key.by, kind)
    row: Any = (await session.execute(stmt, params)).first()
    if row is None:
        return None
    auth_session, user, role, org = row
    found = LiveActing(auth_session.id, auth_session.organization_id, user, _acting(org, role))
    _keep_live(cache_key, generation, auth_session.expires_at, found)
    return found


_T = TypeVar("_T")


# --- live sessions, remembered briefly --------------------------------------------------
#
# Every authenticated request resolves its session, user, membership and organization, and
# that one ORM query was most of what a small read cost (0.8-1.0 ms of a 2.3 ms /me). A
# worker keeps the rows' values for ``auth_cache_seconds`` and builds the request's own
# user and organization objects from them (attached to its session as if loaded: writes to
# them flush as usual; of the session and membership only ids, expiry and role are kept).
# Any write to those tables in this worker (a flush, a bulk statement, a commit) forgets
# every kept lookup, so in one process a logout, revocation, password reset, role
# change or deactivation takes effect at once; another worker sees it within the TTL. The
# session's expiry is checked on every use.

_LIVE_KEPT = 10_000
_live: Kept[tuple[Any, ...], _KeptLive] = Kept(_LIVE_KEPT)
_live_generation = 0
_AUTH_ROWS = (AuthSession, User, Membership, Organization)


class _KeptLive(NamedTuple):
    """What a worker keeps of a lookup: the user and organization as column values (each
    request gets its own ORM objects of them), the rest as it is."""

    until: float
    expires_at: datetime
    session_id: uuid.UUID
    session_organization_id: uuid.UUID | None
    user: dict[str, Any]
    organization: dict[str, Any] | None
    role: str | None


def forget_live_sessions() -> None:
    global _live_generation
    _live_generation += 1
    _live.clear()


def _values(obj: Any) -> dict[str, Any]:
    return {a.key: getattr(obj, a.key) for a in sa.inspect(type(obj)).column_attrs}


def _keep_live(
    key: tuple[Any, ...], generation: int, expires_at: datetime, found: LiveActing
) -> None:
    seconds = get_settings().auth_cache_seconds
    if not seconds or generation != _live_generation:
        return  # off, or a write landed while this was read: it may be stale already
    acting = found.acting
    kept = _KeptLive(
        time.monotonic() + seconds,
        expires_at,
        found.session_id,
        found.session_organization_id,
        _values(found.user),
        _values(acting.organization) if acting else None,
        acting.role if acting else None,
    )
    _live.put(key, kept)


def _kept_live(session: AsyncSession, key: tuple[Any, ...], now: datetime) -> LiveActing | None:
    kept = _live.get(key)
    if kept is None:
        return None
    if not get_settings().auth_cache_seconds:
        _live.clear()
        return None
    if time.monotonic() >= kept.until or kept.expires_at <= now:
        _live.pop(key)
        return None
    org = _attached(session, Organization, kept.organization) if kept.organization else None
    return LiveActing(
        kept.session_id,
        kept.session_organization_id,
        _attached(session, User, kept.user),
        _acting(org, kept.role),
    )


def _attached(session: AsyncSession, cls: type[_T], values: dict[str, Any]) -> _T:
    """An ORM object of this session from kept column values, as if just loaded (the
    user and organization reach the handler, which may change them)."""
    sync = session.sync_session
    present = sync.identity_map.get(sa.inspect(cls).identity_key_from_primary_key([values["id"]]))
    if present is not None:
        return cast(_T, present)
    # As the ORM loads a row: the values straight into the instance's dict (the
    # constructor's attribute events cost more than the whole lookup should).
    obj: Any = sa.inspect(cls).class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    sync.add(obj)
    return cast(_T, obj)


def _writes_auth_rows(session: Session) -> bool:
    return any(
        isinstance(obj, _AUTH_ROWS) for obj in (*session.new, *session.dirty, *session.deleted)
    )


@event.listens_for(Session, "after_flush")
def _forget_on_flush(session: Session, _ctx: Any) -> None:
    if _writes_auth_rows(session):
        session.info["spotter_auth_written"] = True
        forget_live_sessions()


@event.listens_for(Session, "do_orm_execute")
def _forget_on_bulk(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and mapper.class_ in _AUTH_ROWS:
            state.session.info["spotter_auth_written"] = True
            forget_live_sessions()


@event.listens_for(Session, "after_commit")
def _forget_on_commit(session: Session) -> None:
    # Again once the write is visible: a lookup read between the flush and the commit
    # would otherwise be kept with the old rows.
    if session.info.pop("spotter_auth_written", False):
        forget_live_sessions()


async def get_organization(session: AsyncSession) -> Organization:
    org_id = current_organization(session)
    org = await session.get(Organization, org_id) if org_id else None
    if org is None:
        raise OrganizationNotFound()
    return org


async def update_organization(session: AsyncSession, *, data: OrganizationUpdate) -> Organization:
    org = await get_organization(session)
    changes = data.model_dump(exclude_unset=True)
    # null clears an optional field (display name, logo); required ones cannot be cleared.
    columns = Organization.__table__.c
    cleared = [f for f, v in changes.items() if v is None and not columns[f].nullable]
    if cleared:
        raise InvalidInput(
            errors=[{"field": f, "message": f"{f} cannot be empty"} for f in cleared]
        )
    for field, value in changes.items():
        setattr(org, field, value)
    await session.flush()
    return org


# --- members -------------------------------------------------------------------------------


async def list_members(session: AsyncSession) -> list[tuple[Membership, User]]:
    rows = await session.execute(
        sa.select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role != Role.CLIENT)
        .order_by(User.full_name, Membership.id)
    )
    return [(m, u) for m, u in rows.all()]


async def staff_user(session: AsyncSession, *, user_id: uuid.UUID) -> User | None:
    """The user if they are staff of the current organization (for assigning trainers)."""
    return await session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.role.in_([r.value for r in STAFF_ROLES]))
    )


async def _owners(session: AsyncSession) -> int:
    return (
        await session.scalar(
            sa.select(sa.func.count()).select_from(Membership).where(Membership.role == Role.OWNER)
        )
        or 0
    )


async def change_role(
    session: AsyncSession, *, membership_id: uuid.UUID, role: Role, actor_role: Role
) -> Membership:
    member = await session.get(Membership, membership_id)
    if member is None or member.role == Role.CLIENT:
        raise NotFound("No such staff member")
    if role == Role.CLIENT:
        raise field_error("role", "staff cannot be turned into clients; invite them as a client")
    if actor_role != Role.OWNER and (role == Role.OWNER or member.role == Role.OWNER):
        raise RoleNotAllowed("Only an owner can grant or remove the owner role")
    if member.role == Role.OWNER and role != Role.OWNER and await _owners(session) <= 1:
        raise LastOwner()
    member.role = role
    return member


async def remove_member(
    session: AsyncSession, *, membership_id: uuid.UUID, actor_role: Role
) -> None:
    member = await session.get(Membership, membership_id)
    if member is None or member.role == Role.CLIENT:
        raise NotFound("No such staff member")
    if member.role == Role.OWNER:
        if actor_role != Role.OWNER:
            raise RoleNotAllowed("Only an owner can remove an owner")
        if await _owners(session) <= 1:
            raise LastOwner()
    await session.delete(member)


# --- invitations ---------------------------------------------------------------------------


async def invite(
    session: AsyncSession, *, data: InvitationCreate, inviter: User, inviter_role: Role
) -> Invitation:
    from spotter.clients import service as clients

    if data.role not in INVITABLE[inviter_role]:
        raise RoleNotAllowed(f"A {inviter_role.value} cannot invite a {data.role.value}")
    address = identity.normalize_email(data.email)
    existing = await session.scalar(
        sa.select(Membership).join(User, User.id == Membership.user_id).where(User.email == address)
    )
    if existing:
        raise AlreadyMember(f"{address} is already a member of this organization")
    # A new invitation to the same address replaces any open one.
    await session.execute(
        sa.update(Invitation)
        .where(
            Invitation.email == address,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    client_id = None
    if data.role == Role.CLIENT:
        trainer_id = data.trainer_id
        if inviter_role == Role.TRAINER or trainer_id is None:
            trainer_id = inviter.id if inviter_role != Role.FRONT_DESK else None
        client = await clients.ensure_client_for_invitation(
            session,
            email_address=address,
            full_name=data.full_name or address.split("@")[0],
            trainer_id=trainer_id,
        )
        client_id = client.id
    token = new_token()
    days = get_settings().auth.invitation_days
    invitation = Invitation(
        email=address,
        role=data.role,
        token_digest=token_digest(token),
        invited_by_id=inviter.id,
        client_id=client_id,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(invitation)
    await session.flush()
    org = await get_organization(session)
    link = f"{get_settings().base_url}/invitations/{token}"
    role_words = (
        "a client" if data.role == Role.CLIENT else f"a {data.role.value.replace('_', ' ')}"
    )
    email.send(
        session,
        to=address,
        subject=f"{inviter.full_name} invited you to {org.display_name or org.name} on Spotter",
        text=f"Hi,\n\n{inviter.full_name} invited you to join {org.display_name or org.name} "
        f"as {role_words} on Spotter.\n\nAccept the invitation and set your password here:\n\n"
        f"{link}\n\nThe invitation is valid for {days} days.\n",
    )
    return invitation


async def list_invitations(
    session: AsyncSession, *, principal: Principal, sent_by_me: bool = False
) -> list[Invitation]:
    """Open invitations the caller may see: staff invitations for everyone on the team;
    client invitations for owners and admins, and for a trainer only those they sent."""
    stmt = sa.select(Invitation).where(
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    if sent_by_me:
        stmt = stmt.where(Invitation.invited_by_id == principal.user_id)
    if not principal.can("clients:invite"):
        stmt = stmt.where(Invitation.role != Role.CLIENT)
    elif principal.role == Role.TRAINER:
        stmt = stmt.where(
            sa.or_(Invitation.role != Role.CLIENT, Invitation.invited_by_id == principal.user_id)
        )
    return list((await session.scalars(stmt.order_by(Invitation.id.desc()))).all())


async def revoke_invitation(session: AsyncSession, *, invitation_id: uuid.UUID) -> Invitation:
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation")
    if invitation.accepted_at is None:
        invitation.revoked_at = invitation.revoked_at or utcnow()
    return invitation


async def _open_invitation(session: AsyncSession, token: str) -> tuple[Invitation, Organization]:
    row = (
        await session.execute(
            unscoped(
                sa.select(Invitation, Organization)
                .join(Organization, Organization.id == Invitation.organization_id)
                .where(Invitation.token_digest == token_digest(token))
            )
        )
    ).first()
    if row is None:
        raise InvitationInvalid()
    invitation, org = row
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= utcnow():
        raise InvitationInvalid()
    return invitation, org


async def preview_invitation(session: AsyncSession, *, token: str) -> dict[str, Any]:
    invitation, org = await _open_invitation(session, token)
    user = await identity.get_user_by_email(session, email_address=invitation.email)
    return {
        "email": invitation.email,
        "role": invitation.role,
        "organization_name": org.display_name or org.name,
        "account_exists": user is not None,
    }


async def accept_invitation(
    session: AsyncSession, *, token: str, password: str, full_name: str | None
) -> tuple[User, Organization]:
    """New people set a password (their email is verified by the link); people who already
    have an account confirm it with their password."""
    from spotter.clients import service as clients
    from spotter.core.security import MIN_PASSWORD_LENGTH

    invitation, org = await _open_invitation(session, token)
    set_organization(session, org.id)
    user = await identity.get_user_by_email(session, email_address=invitation.email)
    if user is None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise field_error("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
        name = (full_name or "").strip()
        if not name and invitation.client_id:
            client = await clients.get_client_unchecked(session, client_id=invitation.client_id)
            name = client.full_name if client else ""
        user = await identity.create_user(
            session,
            email_address=invitation.email,
            full_name=name or invitation.email,
            password=password,
            verified=True,
        )
    elif not await verify_password(user.password_hash, password):
        raise InvalidCredentials("That is not the password of your existing Spotter account.")
    if await session.scalar(sa.select(Membership).where(Membership.user_id == user.id)):
        raise AlreadyMember("You are already a member of this organization; log in instead.")
    session.add(Membership(user_id=user.id, role=invitation.role))
    if invitation.client_id:
        await clients.link_user(session, client_id=invitation.client_id, user_id=user.id)
    invitation.accepted_at = utcnow()
    await session.flush()
    return user, org


# --- API keys ------------------------------------------------------------------------------


async def create_api_key(
    session: AsyncSession, *, data: ApiKeyCreate, creator: User
) -> tuple[ApiKey, str]:
    secret = new_token(30)
    prefix = secret[:8]
    key = f"{API_KEY_PREFIX}{secret}"
    row = ApiKey(
        name=data.name,
        prefix=f"{API_KEY_PREFIX}{prefix}",
        key_digest=token_digest(key),
        scopes=data.scopes,
        created_by_id=creator.id,
        rate_limit_per_minute=data.rate_limit_per_minute
        or get_settings().auth.api_key_default_per_minute,
    )
    session.add(row)
    await session.flush()
    return row, key


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    return list((await session.scalars(sa.select(ApiKey).order_by(ApiKey.id.desc()))).all())


async def revoke_api_key(session: AsyncSession, *, key_id: uuid.UUID) -> ApiKey:
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise NotFound("No such API key")
    row.revoked_at = row.revoked_at or utcnow()
    return row


async def authenticate_api_key(
    session: AsyncSession, *, key: str
) -> tuple[ApiKey, Organization] | None:
    if not key.startswith(API_KEY_PREFIX) or len(key) > 100:
        return None
    row = (
        await session.execute(
            unscoped(
                sa.select(ApiKey, Organization)
                .join(Organization, Organization.id == ApiKey.organization_id)
                .where(ApiKey.key_digest == token_digest(key), ApiKey.revoked_at.is_(None))
            )
        )
    ).first()
    if row is None:
        return None
    api_key, org = row
    now = utcnow()
    # Coarse last-used stamp: one write a minute at most, not one per request, and after
    # the request, so a read-only (GET) request stays read-only.
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        jobs.enqueue(
            session,
            stamp_api_key_used,
            organization_id=str(org.id),
            api_key_id=str(api_key.id),
            at=now.isoformat(),
        )
    return api_key, org


LAST_USED_RESOLUTION = timedelta(minutes=1)


@jobs.job("orgs.stamp_api_key_used", retries=1)
async def stamp_api_key_used(*, organization_id: str, api_key_id: str, at: str) -> None:
    when = datetime.fromisoformat(at)
    async with db.session() as session:
        set_organization(session, uuid.UUID(organization_id))
        await session.execute(
            sa.update(ApiKey)
            .where(
                ApiKey.id == uuid.UUID(api_key_id),
                sa.or_(
                    ApiKey.last_used_at.is_(None),
                    ApiKey.last_used_at < when - LAST_USED_RESOLUTION,
                ),
            )
            .values(last_used_at=when)
        )
