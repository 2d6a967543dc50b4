"""Who may read and write the library: every member reads, owner/admin/trainer write."""

from __future__ import annotations

import pytest

from spotter.core.permissions import API_KEY_SCOPES, ROLE_PERMISSIONS, Role
from tests.builders import make_api_key, make_member, make_owner
from tests.exercises.helpers import API, custom_body, make_custom, shared_id

WRITERS = {"owner", "admin", "trainer"}


def test_the_table():
    for role in Role:
        assert "exercises:read" in ROLE_PERMISSIONS[role]
        assert ("exercises:write" in ROLE_PERMISSIONS[role]) == (role.value in WRITERS)
    assert {"exercises:read", "exercises:write"} <= API_KEY_SCOPES


@pytest.mark.parametrize("role", [r.value for r in Role])
async def test_role_matrix(client, outbox, role):
    owner = await make_owner(client)
    actor = await make_member(client, outbox, owner, role=role)
    custom = await make_custom(client, owner)
    squat = await shared_id(client, owner, "Barbell Squat")
    write = 200 if role in WRITERS else 403
    got = {
        "search": (
            await client.get(f"{API}/exercises", headers=actor.headers, params={"q": "squat"})
        ).status_code,
        "get": (
            await client.get(f"{API}/exercises/{custom['id']}", headers=actor.headers)
        ).status_code,
        "subs": (
            await client.get(f"{API}/exercises/{squat}/substitutions", headers=actor.headers)
        ).status_code,
        "categories": (
            await client.get(f"{API}/exercise-categories", headers=actor.headers)
        ).status_code,
        "muscles": (await client.get(f"{API}/muscles", headers=actor.headers)).status_code,
        "equipment": (await client.get(f"{API}/equipment", headers=actor.headers)).status_code,
        "create": (
            await client.post(f"{API}/exercises", headers=actor.headers, json=custom_body())
        ).status_code,
        "update": (
            await client.put(
                f"{API}/exercises/{custom['id']}",
                headers=actor.headers,
                json=custom_body(name="Renamed"),
            )
        ).status_code,
        "override": (
            await client.put(
                f"{API}/exercises/{squat}/override",
                headers=actor.headers,
                json={"name": "House Squat"},
            )
        ).status_code,
        "unoverride": (
            await client.delete(f"{API}/exercises/{squat}/override", headers=actor.headers)
        ).status_code,
        "archive": (
            await client.delete(f"{API}/exercises/{custom['id']}", headers=actor.headers)
        ).status_code,
    }
    assert got == {
        "search": 200,
        "get": 200,
        "subs": 200,
        "categories": 200,
        "muscles": 200,
        "equipment": 200,
        "create": 201 if role in WRITERS else 403,
        "update": write,
        "override": write,
        "unoverride": 204 if role in WRITERS else 403,
        "archive": 204 if role in WRITERS else 403,
    }
    if role not in WRITERS:  # refused writes changed nothing
        again = (await client.get(f"{API}/exercises/{custom['id']}", headers=owner.headers)).json()
        assert again == custom


async def test_anonymous_is_401(client):
    assert (await client.get(f"{API}/exercises")).status_code == 401
    assert (await client.get(f"{API}/muscles")).status_code == 401


async def test_api_key_scopes(client):
    owner = await make_owner(client)
    reader = (await make_api_key(client, owner, scopes=["exercises:read"]))["key"]
    writer = (await make_api_key(client, owner, scopes=["exercises:read", "exercises:write"]))[
        "key"
    ]
    other = (await make_api_key(client, owner, scopes=["clients:read"]))["key"]

    r = await client.get(f"{API}/exercises", headers={"X-API-Key": reader}, params={"q": "curl"})
    assert r.status_code == 200 and r.json()["items"]
    r = await client.post(f"{API}/exercises", headers={"X-API-Key": reader}, json=custom_body())
    assert r.status_code == 403 and "exercises:write" in r.json()["detail"]
    assert (await client.get(f"{API}/exercises", headers={"X-API-Key": other})).status_code == 403

    r = await client.post(f"{API}/exercises", headers={"X-API-Key": writer}, json=custom_body())
    assert r.status_code == 201, r.text
    made = r.json()
    # Made through a key, it belongs to the key's organization.
    seen = await client.get(f"{API}/exercises/{made['id']}", headers=owner.headers)
    assert seen.status_code == 200 and seen.json()["name"] == made["name"]
