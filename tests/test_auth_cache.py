"""A worker reuses a live session's lookup for ``auth_cache_seconds`` (``orgs.service``):
writes in the same process forget it at once, a change it cannot see (another worker's)
shows within the TTL, an expired session never passes, and 0 turns it off."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import sqlalchemy as sa

from spotter.config import get_settings
from spotter.core.db import db
from tests.builders import make_owner
from tests.progress.test_queries import count


async def _revoke_unseen(account: Any) -> None:
    """Revoke the account's sessions with plain SQL, as another worker's logout would look
    to this one (no ORM write here)."""
    async with db.session(platform=True) as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        user = uuid.UUID(account.user_id)
        await session.execute(
            sa.text("UPDATE auth_sessions SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = :u"),
            {"u": user.hex if sqlite else user},
        )


async def test_a_repeated_request_skips_the_lookup_and_zero_turns_it_off(
    client, engine, monkeypatch
):
    owner = await make_owner(client)

    def call() -> Any:
        return client.get("/api/v1/clients", headers=owner.headers)

    kept = await count(engine, call)
    monkeypatch.setattr(get_settings(), "auth_cache_seconds", 0.0)
    assert await count(engine, call) == kept + 1  # the lookup itself, on every request


async def test_writes_in_this_worker_take_effect_at_once(client):
    owner = await make_owner(client)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200
    assert (await client.post("/api/v1/auth/logout", headers=owner.headers)).status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


async def test_a_change_this_worker_cannot_see_shows_within_the_ttl(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "auth_cache_seconds", 0.3)
    owner = await make_owner(client)
    owner.user_id = (await client.get("/api/v1/me", headers=owner.headers)).json()["id"]
    await _revoke_unseen(owner)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200  # kept
    await asyncio.sleep(0.35)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401


async def test_without_the_cache_the_same_change_is_seen_at_once(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "auth_cache_seconds", 0.0)
    owner = await make_owner(client)
    owner.user_id = (await client.get("/api/v1/me", headers=owner.headers)).json()["id"]
    await _revoke_unseen(owner)
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401
