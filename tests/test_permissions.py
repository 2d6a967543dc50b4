"""Permission matrix: each role against representative routes.

Expectations come from ``core.permissions`` (ROLE_PERMISSIONS, INVITABLE) and the clients
row rule, so the table in code and the behaviour of the API cannot drift apart. Each role's
test compares the whole row ({case: status}) at once, so a failure shows every mismatch.
"""

from __future__ import annotations

from typing import Any

import pytest

from spotter.core.permissions import API_KEY_SCOPES, INVITABLE, ROLE_PERMISSIONS, Role
from tests.builders import (
    invite_and_accept,
    make_api_key,
    make_client,
    make_invitation,
    make_member,
    make_owner,
    membership_id,
    unique_email,
)

ROLES = [r.value for r in Role]


def allowed(role: str, permission: str, ok: int) -> int:
    return ok if permission in ROLE_PERMISSIONS[Role(role)] else 403


def test_matrix_covers_every_role():
    assert set(ROLES) == {"owner", "admin", "trainer", "front_desk", "client"}
    assert set(ROLE_PERMISSIONS) == set(Role) and set(INVITABLE) == set(Role)


def test_the_table_says_what_the_product_promises():
    # The matrix below trusts core.permissions; these few facts keep the table itself honest.
    managers = {r for r, perms in ROLE_PERMISSIONS.items() if "apikeys:manage" in perms}
    assert managers == {Role.OWNER}  # owners create, list and revoke API keys
    assert INVITABLE[Role.TRAINER] == {Role.CLIENT}  # trainers invite clients
    assert Role.OWNER not in set().union(*INVITABLE.values())  # nobody invites an owner
    assert "org:read" in ROLE_PERMISSIONS[Role.CLIENT]
    assert ROLE_PERMISSIONS[Role.CLIENT].isdisjoint(
        {  # clients never see other clients
            "org:manage",
            "team:read",
            "team:manage",
            "apikeys:manage",
            "clients:read",
            "clients:write",
            "clients:invite",
            "clients:assign",
        }
    )
    assert "clients:write" not in ROLE_PERMISSIONS[Role.FRONT_DESK]
    # Clients log their own training; front desk sees it but never logs or corrects it.
    assert {"training:read", "training:log"} <= ROLE_PERMISSIONS[Role.CLIENT]
    assert "training:read" in ROLE_PERMISSIONS[Role.FRONT_DESK]
    assert "training:log" not in ROLE_PERMISSIONS[Role.FRONT_DESK]
    assert "training:log" in ROLE_PERMISSIONS[Role.TRAINER]


async def _world(client, outbox, role: str) -> dict[str, Any]:
    owner = await make_owner(client, org_name="Matrix Gym")
    actor = await make_member(client, outbox, owner, role=role, full_name="Actor Person")
    target = await invite_and_accept(client, outbox, owner, role="trainer", full_name="Tom Target")
    staff = role != "client"
    own = await make_client(
        client, owner, full_name="Own Client", trainer_id=actor.user_id if staff else None
    )
    other = await make_client(client, owner, full_name="Other Client", trainer_id=target.user_id)
    return {
        "owner": owner,
        "actor": actor,
        "own_client": own["id"],
        "other_client": other["id"],
        "target_membership": await membership_id(client, owner, target.user_id),
        "invitation": (await make_invitation(client, owner, role="front_desk"))["id"],
        "api_key": (await make_api_key(client, owner, scopes=["clients:read"]))["id"],
    }


def expected_row(role: str) -> dict[str, int]:
    r = Role(role)
    reads_clients = "clients:read" in ROLE_PERMISSIONS[r]
    row = {
        "GET /organization": allowed(role, "org:read", 200),
        "PATCH /organization": allowed(role, "org:manage", 200),
        "GET /members": allowed(role, "team:read", 200),
        "PATCH /members/{id}": allowed(role, "team:manage", 200),
        "GET /invitations": allowed(role, "team:read", 200),
        "DELETE /invitations/{id}": allowed(role, "team:manage", 204),
        "GET /api-keys": allowed(role, "apikeys:manage", 200),
        "POST /api-keys": allowed(role, "apikeys:manage", 201),
        "DELETE /api-keys/{id}": allowed(role, "apikeys:manage", 204),
        "GET /clients": allowed(role, "clients:read", 200),
        "POST /clients": allowed(role, "clients:write", 201),
        # Row rule: a trainer sees only the clients assigned to them (others do not exist).
        "GET /clients/{own}": 200 if reads_clients else 403,
        "GET /clients/{other}": (404 if r == Role.TRAINER else 200) if reads_clients else 403,
        "GET /me": 200,
        # Nutrition: the food database for everyone; client data by the clients row rule.
        "GET /foods": allowed(role, "foods:read", 200),
        "POST /foods": 201 if {"foods:write", "nutrition:self"} & ROLE_PERMISSIONS[r] else 403,
        "GET /recipes": allowed(role, "foods:read", 200),
        "POST /nutrition/calculate": allowed(role, "foods:read", 200),
        "GET /nutrition/adherence": allowed(role, "nutrition:read", 200),
        "GET /clients/{own}/diary": 404
        if r == Role.CLIENT
        else allowed(role, "nutrition:read", 200),
        "POST /clients/{own}/nutrition/targets": allowed(role, "nutrition:write", 201),
    }
    # The training log: the client row rule applies (a client's "own" client here is
    # someone else's record, so it does not exist for them).
    row["GET /clients/{own}/workout-history"] = (
        allowed(role, "training:read", 200) if r != Role.CLIENT else 404
    )
    row["POST /workouts for {own}"] = (
        allowed(role, "training:log", 201) if r != Role.CLIENT else 404
    )
    for invited in Role:
        row[f"POST /invitations as {invited.value}"] = 201 if invited in INVITABLE[r] else 403
    row.update(progress_row(r))
    return row


def progress_row(r: Role) -> dict[str, int]:
    """Progress: staff who coach read and record; a client only their own record (neither
    client here is theirs); front desk nothing."""
    perms = ROLE_PERMISSIONS[r]
    coach, own = "progress:read" in perms, "progress:self" in perms
    return {
        "GET /clients/{own}/measurements": 200 if coach else (404 if own else 403),
        "GET /clients/{other}/measurements": (404 if r == Role.TRAINER else 200)
        if coach
        else (404 if own else 403),
        "POST /progress/metrics": allowed(r.value, "progress:manage", 201),
        "GET /progress/checkins/due": allowed(r.value, "progress:read", 200),
    }


async def actual_row(client, world: dict[str, Any]) -> dict[str, int]:
    h = world["actor"].headers
    requests: dict[str, tuple[str, str, Any]] = {
        "GET /organization": ("GET", "/api/v1/organization", None),
        "PATCH /organization": ("PATCH", "/api/v1/organization", {"display_name": "Renamed"}),
        "GET /members": ("GET", "/api/v1/members", None),
        "PATCH /members/{id}": (
            "PATCH",
            f"/api/v1/members/{world['target_membership']}",
            {"role": "front_desk"},
        ),
        "GET /invitations": ("GET", "/api/v1/invitations", None),
        "DELETE /invitations/{id}": ("DELETE", f"/api/v1/invitations/{world['invitation']}", None),
        "GET /api-keys": ("GET", "/api/v1/api-keys", None),
        "POST /api-keys": (
            "POST",
            "/api/v1/api-keys",
            {"name": "matrix", "scopes": ["clients:read"]},
        ),
        "DELETE /api-keys/{id}": ("DELETE", f"/api/v1/api-keys/{world['api_key']}", None),
        "GET /clients": ("GET", "/api/v1/clients", None),
        "POST /clients": ("POST", "/api/v1/clients", {"full_name": "Made By Actor"}),
        "GET /clients/{own}": ("GET", f"/api/v1/clients/{world['own_client']}", None),
        "GET /clients/{other}": ("GET", f"/api/v1/clients/{world['other_client']}", None),
        "GET /me": ("GET", "/api/v1/me", None),
        "GET /clients/{own}/measurements": (
            "GET",
            f"/api/v1/clients/{world['own_client']}/measurements",
            None,
        ),
        "GET /clients/{other}/measurements": (
            "GET",
            f"/api/v1/clients/{world['other_client']}/measurements",
            None,
        ),
        "POST /progress/metrics": (
            "POST",
            "/api/v1/progress/metrics",
            {"name": "Matrix metric", "unit_kind": "count", "direction": "higher"},
        ),
        "GET /progress/checkins/due": ("GET", "/api/v1/progress/checkins/due", None),
        "GET /foods": ("GET", "/api/v1/foods?q=egg", None),
        "POST /foods": ("POST", "/api/v1/foods", {"name": "Matrix bar", "energy_kcal": 400}),
        "GET /recipes": ("GET", "/api/v1/recipes", None),
        "POST /nutrition/calculate": (
            "POST",
            "/api/v1/nutrition/calculate",
            {"weight_kg": 70, "height_cm": 175, "age_years": 35},
        ),
        "GET /nutrition/adherence": ("GET", "/api/v1/nutrition/adherence", None),
        "GET /clients/{own}/diary": ("GET", f"/api/v1/clients/{world['own_client']}/diary", None),
        "POST /clients/{own}/nutrition/targets": (
            "POST",
            f"/api/v1/clients/{world['own_client']}/nutrition/targets",
            {"energy_kcal": 2000, "protein_g": 150, "fat_g": 70, "carbohydrate_g": 190},
        ),
        "GET /clients/{own}/workout-history": (
            "GET",
            f"/api/v1/clients/{world['own_client']}/workout-history",
            None,
        ),
        "POST /workouts for {own}": (
            "POST",
            "/api/v1/workouts",
            {"client_id": world["own_client"]},
        ),
    }
    for invited in Role:
        requests[f"POST /invitations as {invited.value}"] = (
            "POST",
            "/api/v1/invitations",
            {"email": unique_email(invited.value), "role": invited.value, "full_name": "New One"},
        )
    row = {}
    for case, (method, url, body) in requests.items():
        r = await client.request(method, url, headers=h, json=body)
        row[case] = r.status_code
        if r.status_code >= 400:
            assert r.headers["content-type"] == "application/problem+json", (case, r.text)
    return row


@pytest.mark.parametrize("role", ROLES)
async def test_permission_matrix(client, outbox, role):
    world = await _world(client, outbox, role)
    assert (await client.get("/api/v1/me", headers=world["actor"].headers)).json()["role"] == role
    assert await actual_row(client, world) == expected_row(role)


@pytest.mark.parametrize("role", ROLES)
async def test_me_lists_exactly_the_roles_permissions(client, outbox, role):
    owner = await make_owner(client)
    actor = await make_member(client, outbox, owner, role=role)
    me = (await client.get("/api/v1/me", headers=actor.headers)).json()
    assert me["role"] == role
    assert set(me["permissions"]) == ROLE_PERMISSIONS[Role(role)]


# --- API keys ------------------------------------------------------------------------------


async def test_api_key_scopes_limit_what_it_can_do(client):
    owner = await make_owner(client)
    existing = await make_client(client, owner)
    read_only = {"X-API-Key": (await make_api_key(client, owner, scopes=["clients:read"]))["key"]}
    expectations = [
        ("GET", "/api/v1/clients", None, 200),
        ("GET", f"/api/v1/clients/{existing['id']}", None, 200),
        ("POST", "/api/v1/clients", {"full_name": "Nope"}, 403),
        ("GET", "/api/v1/organization", None, 403),
        ("PATCH", "/api/v1/organization", {"display_name": "Nope"}, 403),
        ("GET", "/api/v1/members", None, 403),
        ("GET", "/api/v1/invitations", None, 403),
    ]
    got = [
        (m, u, (await client.request(m, u, headers=read_only, json=b)).status_code)
        for m, u, b, _ in expectations
    ]
    assert got == [(m, u, s) for m, u, _, s in expectations]

    writer = {
        "X-API-Key": (
            await make_api_key(client, owner, scopes=["clients:read", "clients:write", "org:read"])
        )["key"]
    }
    assert (
        await client.post("/api/v1/clients", headers=writer, json={"full_name": "Via Writer"})
    ).status_code == 201
    assert (await client.get("/api/v1/organization", headers=writer)).status_code == 200
    assert (
        await client.patch("/api/v1/organization", headers=writer, json={"display_name": "Nope"})
    ).status_code == 403


async def test_api_key_cannot_manage_api_keys_or_act_as_a_member(client, outbox):
    owner = await make_owner(client)
    trainer = await invite_and_accept(client, outbox, owner, role="trainer")
    target = await membership_id(client, owner, trainer.user_id)
    full = await make_api_key(client, owner)  # every scope an API key may have
    assert set(full["scopes"]) == set(API_KEY_SCOPES)
    assert "apikeys:manage" not in API_KEY_SCOPES
    headers = {"X-API-Key": full["key"]}
    refused = [
        ("GET", "/api/v1/api-keys", None),
        ("POST", "/api/v1/api-keys", {"name": "child", "scopes": ["clients:read"]}),
        ("DELETE", f"/api/v1/api-keys/{full['id']}", None),
        ("POST", "/api/v1/invitations", {"email": unique_email(), "role": "client"}),
        ("PATCH", f"/api/v1/members/{target}", {"role": "front_desk"}),
        ("DELETE", f"/api/v1/members/{target}", None),
        ("GET", "/api/v1/me", None),
    ]
    for method, url, body in refused:
        r = await client.request(method, url, headers=headers, json=body)
        assert r.status_code == 403, (method, url, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    # The key still works, and is still listed as live by the owner.
    assert (await client.get("/api/v1/clients", headers=headers)).status_code == 200
    keys = (await client.get("/api/v1/api-keys", headers=owner.headers)).json()
    assert next(k for k in keys if k["id"] == full["id"])["revoked_at"] is None
    # Nor can an owner mint a key that manages keys.
    r = await client.post(
        "/api/v1/api-keys",
        headers=owner.headers,
        json={"name": "too much", "scopes": ["apikeys:manage"]},
    )
    assert r.status_code == 422


async def test_anonymous_requests_are_401(client):
    for method, url in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/clients"),
        ("GET", "/api/v1/organization"),
        ("GET", "/api/v1/api-keys"),
    ]:
        r = await client.request(method, url)
        assert r.status_code == 401 and r.json()["code"] == "unauthorized", url
    r = await client.get("/api/v1/clients", headers={"X-API-Key": "spk_not-a-real-key"})
    assert r.status_code == 401
    r = await client.get("/api/v1/clients", headers={"Authorization": "Bearer not.a.jwt"})
    assert r.status_code == 401


def test_health_data_and_notes_are_for_people_not_keys():
    # Health history: the client themself, trainers (own clients, by the row rule), owners
    # and admins; never front desk, never an API key. Notes: staff who coach, not clients.
    readers = {r for r, perms in ROLE_PERMISSIONS.items() if "health:read" in perms}
    assert readers == {Role.OWNER, Role.ADMIN, Role.TRAINER, Role.CLIENT}
    assert {"health:read", "health:write", "clients:notes"}.isdisjoint(API_KEY_SCOPES)
    notes = {r for r, perms in ROLE_PERMISSIONS.items() if "clients:notes" in perms}
    assert notes == {Role.OWNER, Role.ADMIN, Role.TRAINER}
    assigners = {r for r, perms in ROLE_PERMISSIONS.items() if "clients:assign" in perms}
    assert assigners == {Role.OWNER, Role.ADMIN}
