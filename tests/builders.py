"""Plain async builders: each makes what a test needs through the public API."""

from __future__ import annotations

import email
import uuid
from dataclasses import dataclass, field
from email.policy import default
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "correct-horse-battery"


@dataclass
class Account:
    email: str
    password: str
    access_token: str
    refresh_token: str
    organization_id: str
    user_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


async def make_owner(
    client: httpx.AsyncClient,
    *,
    org_name: str = "Test Gym",
    email_address: str | None = None,
    full_name: str = "Olivia Owner",
) -> Account:
    address = email_address or unique_email("owner")
    r = await client.post(
        "/api/v1/auth/register",
        json={
            "email": address,
            "password": PASSWORD,
            "full_name": full_name,
            "organization_name": org_name,
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    account = Account(
        address, PASSWORD, body["access_token"], body["refresh_token"], body["organization_id"]
    )
    me = await client.get("/api/v1/me", headers=account.headers)
    account.user_id = me.json()["id"]
    return account


def latest_email(outbox: Path, to: str) -> email.message.EmailMessage:
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        if message["To"] == to:
            return message  # type: ignore[return-value]
    raise AssertionError(f"no email to {to} in {outbox}")


def email_text(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def token_from_email(outbox: Path, to: str, marker: str) -> str:
    """The token in the first link containing ``marker`` (e.g. "/invitations/")."""
    for word in email_text(latest_email(outbox, to)).split():
        if marker in word:
            return word.split(marker, 1)[1].split("=", 1)[-1].strip()
    raise AssertionError(f"no {marker} link in the email to {to}")


async def invite_and_accept(
    client: httpx.AsyncClient,
    outbox: Path,
    inviter: Account,
    *,
    role: str,
    full_name: str = "Casey Member",
    **extra: Any,
) -> Account:
    address = unique_email(role)
    r = await client.post(
        "/api/v1/invitations",
        headers=inviter.headers,
        json={"email": address, "role": role, "full_name": full_name, **extra},
    )
    assert r.status_code == 201, r.text
    token = token_from_email(outbox, address, "/invitations/")
    r = await client.post(
        "/api/v1/invitations/accept",
        json={"token": token, "password": PASSWORD, "full_name": full_name},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    account = Account(
        address,
        PASSWORD,
        body["access_token"],
        body["refresh_token"],
        body["organization_id"],
        extra={"invitation": r.json()},
    )
    account.user_id = (await client.get("/api/v1/me", headers=account.headers)).json()["id"]
    return account


# --- builders for the quality suites (tenancy, permissions, bad input, pagination) -------


async def make_client(
    client: httpx.AsyncClient, owner: Account, *, full_name: str = "Cleo Client", **fields: Any
) -> dict[str, Any]:
    """A client record (no account) created through the API by ``owner``."""
    r = await client.post(
        "/api/v1/clients", headers=owner.headers, json={"full_name": full_name, **fields}
    )
    assert r.status_code == 201, r.text
    return r.json()


async def make_api_key(
    client: httpx.AsyncClient,
    owner: Account,
    *,
    scopes: list[str] | None = None,
    name: str = "integration",
    **fields: Any,
) -> dict[str, Any]:
    """An API key (the response includes the secret ``key``, shown once)."""
    from spotter.core.permissions import API_KEY_SCOPES

    r = await client.post(
        "/api/v1/api-keys",
        headers=owner.headers,
        json={"name": name, "scopes": sorted(scopes or API_KEY_SCOPES), **fields},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def make_invitation(
    client: httpx.AsyncClient, inviter: Account, *, role: str = "trainer", **fields: Any
) -> dict[str, Any]:
    """A pending invitation (not accepted)."""
    r = await client.post(
        "/api/v1/invitations",
        headers=inviter.headers,
        json={"email": unique_email(role), "role": role, **fields},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def membership_id(client: httpx.AsyncClient, owner: Account, user_id: str) -> str:
    r = await client.get("/api/v1/members", headers=owner.headers)
    assert r.status_code == 200, r.text
    return next(m["id"] for m in r.json() if m["user_id"] == user_id)


async def make_member(
    client: httpx.AsyncClient, outbox: Path, owner: Account, *, role: str, **extra: Any
) -> Account:
    """An account with ``role`` in ``owner``'s organization (the owner itself for "owner")."""
    if role == "owner":
        return owner
    return await invite_and_accept(client, outbox, owner, role=role, **extra)


async def table_snapshot(*, organization_id: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or of one organization's tenant rows), for "nothing
    changed" assertions. Reads through a platform session on the test transaction."""
    import sqlalchemy as sa

    from spotter.core.db import db
    from spotter.registry import Base

    out: dict[str, list[tuple[Any, ...]]] = {}
    async with db.session(platform=True) as session:
        for table in Base.metadata.sorted_tables:
            stmt = sa.select(table)
            if organization_id is not None:
                if "organization_id" not in table.c:
                    continue
                stmt = stmt.where(table.c.organization_id == uuid.UUID(str(organization_id)))
            rows = (await session.execute(stmt.order_by(*table.primary_key.columns))).all()
            out[table.name] = [tuple(row) for row in rows]
    return out


def run_in_loop(loop: Any, coro: Any) -> Any:
    """From a worker thread, run ``coro`` on the test's event loop and wait for it.

    Hypothesis drives synchronous functions; the app and the database live on the event
    loop. An async test runs ``@given`` code with ``asyncio.to_thread`` and each example
    calls back into the loop through this."""
    import asyncio

    return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=60)
