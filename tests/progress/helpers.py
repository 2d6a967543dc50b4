"""Builders for progress tests (through the public API)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import httpx
from PIL import Image

from spotter.core.db import utcnow
from tests.builders import Account

API = "/api/v1"


def today() -> date:
    return utcnow().date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


async def measure(
    client: httpx.AsyncClient,
    actor: Account | dict[str, str],
    client_id: str,
    *,
    on: str | None = None,
    **values: Any,
) -> httpx.Response:
    """``measure(c, actor, id, body_weight=80, waist=(32, "in"))``: one day's entries."""
    entries = []
    for metric, value in values.items():
        if isinstance(value, tuple):
            entries.append({"metric": metric, "value": value[0], "unit": value[1]})
        else:
            entries.append({"metric": metric, "value": value})
    headers = actor if isinstance(actor, dict) else actor.headers
    return await client.post(
        f"{API}/clients/{client_id}/measurements",
        headers=headers,
        json={"measured_on": on or today().isoformat(), "entries": entries},
    )


def jpeg(
    width: int = 320,
    height: int = 480,
    *,
    color: tuple[int, int, int] = (200, 120, 90),
    **save: Any,
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", **save)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    actor: Account | dict[str, str],
    client_id: str,
    *,
    content: bytes | None = None,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    pose: str = "front",
    taken_on: str | None = None,
    **form: str,
) -> httpx.Response:
    headers = actor if isinstance(actor, dict) else actor.headers
    return await client.post(
        f"{API}/clients/{client_id}/photos",
        headers=headers,
        files={"file": (filename, content if content is not None else jpeg(), content_type)},
        data={"pose": pose, "taken_on": taken_on or today().isoformat(), **form},
    )


async def link_account(
    client: httpx.AsyncClient, outbox: Any, owner: Account, client_id: str
) -> Account:
    """Give an existing client record an account: set its email, invite that address as a
    client (the invitation reuses the record), accept."""
    from tests.builders import PASSWORD, token_from_email, unique_email

    address = unique_email("linked")
    r = await client.put(
        f"{API}/clients/{client_id}", headers=owner.headers, json={"email": address}
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{API}/invitations", headers=owner.headers, json={"email": address, "role": "client"}
    )
    assert r.status_code == 201 and r.json()["client_id"] == client_id, r.text
    token = token_from_email(outbox, address, "/invitations/")
    r = await client.post(
        f"{API}/invitations/accept",
        json={"token": token, "password": PASSWORD, "full_name": "Linked Client"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    account = Account(
        address, PASSWORD, body["access_token"], body["refresh_token"], body["organization_id"]
    )
    account.user_id = (await client.get(f"{API}/me", headers=account.headers)).json()["id"]
    return account


async def progress_world(
    client: httpx.AsyncClient, outbox: Any, owner: Account, client_id: str
) -> dict[str, str]:
    """One object of each progress id kind for ``client_id`` (tenancy checks)."""
    metric = await client.post(
        f"{API}/progress/metrics",
        headers=owner.headers,
        json={"name": "Probe score", "unit_kind": "score", "direction": "higher"},
    )
    entries = await measure(client, owner, client_id, body_weight=80)
    photo = await upload(client, owner, client_id)
    person = await link_account(client, outbox, owner, client_id)
    check_in = await client.post(
        f"{API}/clients/{client_id}/checkins",
        headers=person.headers,
        json={"scales": {s: 5 for s in ("energy", "sleep", "stress", "hunger", "adherence")}},
    )
    assert check_in.status_code == 201, check_in.text
    return {
        "metric": metric.json()["custom_id"],
        "measurement": entries.json()[0]["id"],
        "photo": photo.json()["id"],
        "check_in": check_in.json()["id"],
    }
