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
    client: httpx.AsyncClient, *, org_name: str = "Test Gym", email_address: str | None = None,
    full_name: str = "Olivia Owner",
) -> Account:
    address = email_address or unique_email("owner")
    r = await client.post("/api/v1/auth/register", json={
        "email": address, "password": PASSWORD, "full_name": full_name,
        "organization_name": org_name,
    })
    assert r.status_code == 201, r.text
    body = r.json()
    account = Account(address, PASSWORD, body["access_token"], body["refresh_token"],
                      body["organization_id"])
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
    client: httpx.AsyncClient, outbox: Path, inviter: Account, *, role: str,
    full_name: str = "Casey Member", **extra: Any,
) -> Account:
    address = unique_email(role)
    r = await client.post("/api/v1/invitations", headers=inviter.headers,
                          json={"email": address, "role": role, "full_name": full_name, **extra})
    assert r.status_code == 201, r.text
    token = token_from_email(outbox, address, "/invitations/")
    r = await client.post("/api/v1/invitations/accept",
                          json={"token": token, "password": PASSWORD, "full_name": full_name})
    assert r.status_code == 200, r.text
    body = r.json()
    account = Account(address, PASSWORD, body["access_token"], body["refresh_token"],
                      body["organization_id"], extra={"invitation": r.json()})
    account.user_id = (await client.get("/api/v1/me", headers=account.headers)).json()["id"]
    return account
