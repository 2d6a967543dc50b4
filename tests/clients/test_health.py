"""Health history: who may see it, sealed at rest, never logged, key rotation."""

from __future__ import annotations

import io
import uuid

import pytest
import sqlalchemy as sa
import structlog

from spotter.clients.models import Client, HealthHistory
from spotter.config import Settings, get_settings
from spotter.core import security
from spotter.core.db import db
from spotter.core.observability import configure_logging
from tests.builders import make_client_world

SECRET_CONDITION = "Zebra-stripe arrhythmia 7731"
HEALTH = {
    "parq": {
        "heart_condition": {"answer": True, "details": SECRET_CONDITION},
        "chest_pain": {"answer": False},
    },
    "conditions": [SECRET_CONDITION],
    "medications": ["Metoprolol 25mg"],
    "injuries": ["Left ACL reconstruction"],
    "surgeries": ["Appendectomy 2015"],
    "clearance": {"cleared": True, "cleared_on": "2026-01-10", "cleared_by": "Dr. Lee"},
    "emergency_contacts": [
        {"name": "Pat Doe", "relationship": "partner", "phone": "+44 7700 900123"}
    ],
}


def url(client_id: str) -> str:
    return f"/api/v1/clients/{client_id}/health-history"


async def test_health_history_role_matrix(client, outbox):
    w = await make_client_world(client, outbox)
    r = await client.put(url(w.client_id), headers=w.trainer.headers, json=HEALTH)
    assert r.status_code == 200, r.text
    expected_read = {
        "owner": 200,
        "admin": 200,
        "trainer_own": 200,
        "trainer_other": 404,
        "front_desk": 403,
        "client_self": 200,
        "client_other": 404,
        "api_key": 403,
    }
    got = {
        who: (await client.get(url(w.client_id), headers=h)).status_code
        for who, h in w.actors().items()
    }
    assert got == expected_read
    got_write = {
        who: (await client.put(url(w.client_id), headers=h, json=HEALTH)).status_code
        for who, h in w.actors().items()
    }
    assert got_write == expected_read  # the same people may record it (the client too)
    body = (await client.get(url(w.client_id), headers=w.client_self.headers)).json()
    assert body["recorded"] and body["flagged"]
    assert body["conditions"] == [SECRET_CONDITION]
    assert body["clearance"]["cleared_by"] == "Dr. Lee"
    assert body["emergency_contacts"][0]["name"] == "Pat Doe"
    assert set(body["questions"]) == set(HEALTH["parq"]) | {
        "dizziness",
        "chronic_condition",
        "prescribed_medication",
        "bone_joint_problem",
        "supervised_activity_only",
    }


async def test_empty_health_history_and_bad_input(client, outbox):
    w = await make_client_world(client, outbox)
    body = (await client.get(url(w.client_id), headers=w.owner.headers)).json()
    assert body["recorded"] is False and body["conditions"] == []
    bad = [
        {"clearance": {"cleared": True}},  # no date
        {"clearance": {"cleared": True, "cleared_on": "2999-01-01"}},
        {"parq": {"heart_condition": {"answer": "maybe"}}},
        {"parq": {"no_such_question": {"answer": True}}},
        {"emergency_contacts": [{"name": "X", "phone": "call me"}]},
    ]
    for payload in bad:
        r = await client.put(url(w.client_id), headers=w.owner.headers, json=payload)
        assert r.status_code == 422, (payload, r.text)
        assert r.headers["content-type"] == "application/problem+json"


async def test_health_data_is_encrypted_at_rest(client, outbox):
    w = await make_client_world(client, outbox)
    await client.put(url(w.client_id), headers=w.owner.headers, json=HEALTH)
    r = await client.put(
        f"/api/v1/clients/{w.client_id}/profile",
        headers=w.owner.headers,
        json={"injuries_and_limitations": "Bad knee from " + SECRET_CONDITION},
    )
    assert r.status_code == 200, r.text
    async with db.session(platform=True) as s:
        cid = uuid.UUID(w.client_id)
        raw = await s.scalar(sa.select(HealthHistory.sealed).where(HealthHistory.client_id == cid))
        limitations = await s.scalar(sa.select(Client.limitations_sealed).where(Client.id == cid))
        # Every column of both rows, as the database holds them.
        rows = (await s.execute(sa.text("SELECT * FROM client_health_histories"))).all()
        client_rows = (await s.execute(sa.text("SELECT * FROM clients"))).all()
    assert raw and limitations
    everything = repr(rows) + repr(client_rows)
    for plain in (SECRET_CONDITION, "Metoprolol", "Pat Doe", "Bad knee"):
        assert plain not in everything
    assert SECRET_CONDITION in security.decrypt(raw)


async def test_health_data_never_reaches_the_logs(client, outbox):
    w = await make_client_world(client, outbox)
    buffer = io.StringIO()
    configure_logging(Settings(log_json=True, log_level="DEBUG"))
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=buffer))
    try:
        r = await client.put(url(w.client_id), headers=w.trainer.headers, json=HEALTH)
        assert r.status_code == 200
        r = await client.put(
            f"/api/v1/clients/{w.client_id}/profile",
            headers=w.trainer.headers,
            json={"injuries_and_limitations": SECRET_CONDITION},
        )
        assert r.status_code == 200
        bad = {**HEALTH, "clearance": {"cleared": True, "cleared_by": SECRET_CONDITION}}
        assert (
            await client.put(url(w.client_id), headers=w.trainer.headers, json=bad)
        ).status_code == 422
        await client.get(url(w.client_id), headers=w.trainer.headers)
    finally:
        configure_logging(get_settings())
    text = buffer.getvalue()
    assert "health_history_saved" in text and "/health-history" in text
    for plain in (SECRET_CONDITION, "Metoprolol", "Pat Doe", "ACL"):
        assert plain not in text


async def test_key_rotation_reencrypts_every_sealed_field(client, outbox, monkeypatch):
    from spotter.cli import rotate_keys

    w = await make_client_world(client, outbox)
    await client.put(url(w.client_id), headers=w.owner.headers, json=HEALTH)
    await client.put(
        f"/api/v1/clients/{w.client_id}/profile",
        headers=w.owner.headers,
        json={"injuries_and_limitations": "Old key limitation"},
    )
    old_secret = "test-secret-key-not-for-production-use-0123456789"
    async with db.session(platform=True) as s:
        before = await s.scalar(sa.select(HealthHistory.sealed))

    # A new secret key; without the old one listed, old values no longer open.
    monkeypatch.setattr(security, "_aes_key", lambda: security._derive("brand-new-secret"))
    monkeypatch.delenv("SPOTTER_OLD_SECRET_KEYS", raising=False)
    security.forget_keys()
    with pytest.raises(security.UndecryptableError):
        security.decrypt(before)
    # Listed as an old key, it still decrypts, so the API keeps working before rotation.
    monkeypatch.setenv("SPOTTER_OLD_SECRET_KEYS", f"something-older,{old_secret}")
    security.forget_keys()
    r = await client.get(url(w.client_id), headers=w.owner.headers)
    assert r.status_code == 200 and r.json()["conditions"] == [SECRET_CONDITION]

    async with db.session(platform=True) as s:
        counts = await rotate_keys(s)
    assert counts["client_health_histories.sealed"] >= 1
    assert counts["clients.limitations_sealed"] >= 1
    async with db.session(platform=True) as s:
        after = await s.scalar(sa.select(HealthHistory.sealed))
        again = await rotate_keys(s)
    assert after != before
    assert set(again.values()) == {0}  # already current: nothing to do

    # The old key can now be dropped: everything opens with the current key alone.
    monkeypatch.delenv("SPOTTER_OLD_SECRET_KEYS")
    security.forget_keys()
    r = await client.get(url(w.client_id), headers=w.owner.headers)
    assert r.status_code == 200 and r.json()["conditions"] == [SECRET_CONDITION]
    profile = await client.get(f"/api/v1/clients/{w.client_id}/profile", headers=w.owner.headers)
    assert profile.json()["injuries_and_limitations"] == "Old key limitation"
    security.forget_keys()
