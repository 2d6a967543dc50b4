"""Who reaches a client's progress, route by route: the client themself, their trainer,
owners and admins; not another trainer's client, not front desk, not another client, not
an API key (body data and photos are for people, like health data)."""

from __future__ import annotations

from typing import Any

import pytest

from spotter.core.permissions import API_KEY_SCOPES, ROLE_PERMISSIONS, Role
from tests.builders import make_client_world
from tests.progress.helpers import API, measure, upload

SCALES = {s: 5 for s in ("energy", "sleep", "stress", "hunger", "adherence")}
ACTORS = [
    "owner",
    "admin",
    "trainer_own",
    "trainer_other",
    "front_desk",
    "client_self",
    "client_other",
    "api_key",
]


def test_the_table_keeps_progress_for_people():
    readers = {r for r, p in ROLE_PERMISSIONS.items() if "progress:read" in p}
    assert readers == {Role.OWNER, Role.ADMIN, Role.TRAINER}
    assert {r for r, p in ROLE_PERMISSIONS.items() if "progress:self" in p} == {Role.CLIENT}
    assert not {p for p in API_KEY_SCOPES if p.startswith("progress:")}


# (case, method, path, body): {cid} is the client, {mid} a measurement, {pid} a photo,
# {chk} a check-in. Expected status per actor, in ACTORS order.
# fmt: off
CASES: list[tuple[str, str, str, Any, list[int]]] = [
    ("read measurements", "GET", "/clients/{cid}/measurements", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("record a measurement", "POST", "/clients/{cid}/measurements",
     {"measured_on": "2026-01-05", "entries": [{"metric": "waist", "value": 80, "unit": "cm"}]},
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("delete a measurement", "DELETE", "/clients/{cid}/measurements/{mid}", None,
     [204, 404, 404, 404, 403, 404, 404, 403]),  # gone after the first delete
    ("export", "GET", "/clients/{cid}/measurements/export", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("gallery", "GET", "/clients/{cid}/photos", None, [200, 200, 200, 404, 403, 200, 404, 403]),
    ("a photo", "GET", "/clients/{cid}/photos/{pid}", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("compare", "GET", "/clients/{cid}/photos/compare", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("chart", "GET", "/clients/{cid}/charts/body", None, [200, 200, 200, 404, 403, 200, 404, 403]),
    ("check-in questions", "GET", "/clients/{cid}/checkin-form", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("set check-in questions", "PUT", "/clients/{cid}/checkin-form", {"scales": ["energy"]},
     [200, 200, 200, 404, 403, 403, 403, 403]),
    # Organization settings (org:manage), which an API key may hold: no one's data.
    ("organization questions", "PUT", "/progress/checkin-form", {"scales": ["energy"]},
     [200, 200, 403, 403, 403, 403, 403, 200]),
    ("check-ins", "GET", "/clients/{cid}/checkins", None, [200, 200, 200, 404, 403, 200, 404, 403]),
    ("a check-in", "GET", "/clients/{cid}/checkins/{chk}", None,
     [200, 200, 200, 404, 403, 200, 404, 403]),
    ("reply", "POST", "/clients/{cid}/checkins/{chk}/messages", {"text": "Nice"},
     [201, 201, 201, 404, 403, 201, 404, 403]),
    ("due list", "GET", "/progress/checkins/due", None, [200, 200, 200, 200, 403, 403, 403, 403]),
    ("inbox", "GET", "/progress/checkins/inbox", None, [200, 200, 200, 200, 403, 403, 403, 403]),
    ("metrics", "GET", "/progress/metrics", None, [200, 200, 200, 200, 403, 200, 200, 403]),
    ("define a metric", "POST", "/progress/metrics",
     {"name": "Grip", "unit_kind": "mass", "direction": "higher"},
     [201, 409, 409, 409, 403, 403, 403, 403]),
]
# fmt: on


@pytest.fixture
async def world(client, outbox):
    world = await make_client_world(client, outbox)
    cid = world.client_id
    mid = (await measure(client, world.trainer, cid, body_weight=80)).json()[0]["id"]
    pid = (await upload(client, world.client_self, cid)).json()["id"]
    r = await client.post(
        f"{API}/clients/{cid}/checkins", headers=world.client_self.headers, json={"scales": SCALES}
    )
    assert r.status_code == 201, r.text
    world.ids = {"cid": cid, "mid": mid, "pid": pid, "chk": r.json()["id"]}  # type: ignore[attr-defined]
    return world


async def test_progress_matrix(client, world):
    actors = world.actors()
    mismatches = []
    for case, method, path, body, statuses in CASES:
        url = API + path.format(**world.ids)
        for actor, expected in zip(ACTORS, statuses, strict=True):
            r = await client.request(method, url, headers=actors[actor], json=body)
            if r.status_code != expected:
                mismatches.append(f"{case} as {actor}: {r.status_code} (expected {expected})")
            if r.status_code >= 400:
                assert r.headers["content-type"] == "application/problem+json"
    assert not mismatches, "\n".join(mismatches)


async def test_submitting_is_for_the_client_only(client, world):
    url = f"{API}/clients/{world.client_id}/checkins"
    got = {
        name: (await client.post(url, headers=h, json={"scales": SCALES})).status_code
        for name, h in world.actors().items()
    }
    # The client already checked in this week (409); everyone else may not submit for them.
    assert got == {
        "owner": 403,
        "admin": 403,
        "trainer_own": 403,
        "trainer_other": 404,
        "front_desk": 403,
        "client_self": 409,
        "client_other": 404,
        "api_key": 403,
    }
