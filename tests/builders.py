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


# --- clients: people around one client (role matrices for the clients domain) ----------


@dataclass
class ClientWorld:
    """An organization with a trainer's client who has an account (``self_client``), a
    client of another trainer (``other``), and one account per role around them."""

    owner: Account
    admin: Account
    trainer: Account  # assigned to ``client_id``
    trainer_other: Account
    front_desk: Account
    client_self: Account  # the person behind ``client_id``
    client_other: Account  # another client of the same trainer
    api_key: str
    client_id: str
    other_client_id: str

    def actors(self) -> dict[str, dict[str, str]]:
        return {
            "owner": self.owner.headers,
            "admin": self.admin.headers,
            "trainer_own": self.trainer.headers,
            "trainer_other": self.trainer_other.headers,
            "front_desk": self.front_desk.headers,
            "client_self": self.client_self.headers,
            "client_other": self.client_other.headers,
            "api_key": {"X-API-Key": self.api_key},
        }


async def client_id_by_name(client: httpx.AsyncClient, owner: Account, name: str) -> str:
    r = await client.get("/api/v1/clients", headers=owner.headers, params={"q": name})
    assert r.status_code == 200, r.text
    (found,) = [c for c in r.json()["items"] if c["full_name"] == name]
    return found["id"]


async def make_client_world(client: httpx.AsyncClient, outbox: Path) -> ClientWorld:
    owner = await make_owner(client, org_name="Client World Gym")
    admin = await invite_and_accept(client, outbox, owner, role="admin")
    trainer = await invite_and_accept(client, outbox, owner, role="trainer", full_name="Tia Own")
    trainer_other = await invite_and_accept(
        client, outbox, owner, role="trainer", full_name="Ted Other"
    )
    front_desk = await invite_and_accept(client, outbox, owner, role="front_desk")
    names = (f"Sally Self {uuid.uuid4().hex[:6]}", f"Oscar Other {uuid.uuid4().hex[:6]}")
    accounts = [
        await invite_and_accept(
            client, outbox, owner, role="client", full_name=n, trainer_id=trainer.user_id
        )
        for n in names
    ]
    client_id = await client_id_by_name(client, owner, names[0])
    other = await make_client(
        client, owner, full_name="Otto Elsewhere", trainer_id=trainer_other.user_id
    )
    key = await make_api_key(client, owner)
    return ClientWorld(
        owner,
        admin,
        trainer,
        trainer_other,
        front_desk,
        accounts[0],
        accounts[1],
        key["key"],
        client_id,
        other["id"],
    )


async def make_goal(
    client: httpx.AsyncClient, actor: Account, client_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"type": "custom", "target_value": 10, "unit": "sessions", **fields}
    r = await client.post(f"/api/v1/clients/{client_id}/goals", headers=actor.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def make_assessment(
    client: httpx.AsyncClient, actor: Account, client_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"assessed_on": "2026-01-05", **fields}
    r = await client.post(
        f"/api/v1/clients/{client_id}/assessments", headers=actor.headers, json=body
    )
    assert r.status_code == 201, r.text
    return r.json()
