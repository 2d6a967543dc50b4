from __future__ import annotations

from tests.builders import PASSWORD, invite_and_accept, make_owner, token_from_email, unique_email


async def test_trainer_invites_client_who_sees_only_themself(client, outbox):
    owner = await make_owner(client)
    trainer = await invite_and_accept(
        client, outbox, owner, role="trainer", full_name="Tara Trainer"
    )
    member = await invite_and_accept(
        client, outbox, trainer, role="client", full_name="Cleo Client"
    )
    other = await invite_and_accept(client, outbox, owner, role="client", full_name="Otto Other")

    mine = (await client.get("/api/v1/clients", headers=trainer.headers)).json()["items"]
    assert [c["full_name"] for c in mine] == ["Cleo Client"]
    everyone = (await client.get("/api/v1/clients", headers=owner.headers)).json()["items"]
    assert {c["full_name"] for c in everyone} == {"Cleo Client", "Otto Other"}
    other_id = next(c["id"] for c in everyone if c["full_name"] == "Otto Other")
    assert (
        await client.get(f"/api/v1/clients/{other_id}", headers=trainer.headers)
    ).status_code == 404
    assert (await client.get("/api/v1/clients", headers=member.headers)).status_code == 403
    me = (await client.get("/api/v1/me", headers=member.headers)).json()
    assert me["role"] == "client" and me["full_name"] == "Cleo Client"
    assert other.organization_id == owner.organization_id


async def test_invitation_is_single_use_and_role_limited(client, outbox):
    owner = await make_owner(client)
    trainer = await invite_and_accept(client, outbox, owner, role="trainer")
    r = await client.post(
        "/api/v1/invitations",
        headers=trainer.headers,
        json={"email": unique_email(), "role": "admin"},
    )
    assert r.status_code == 403 and r.json()["code"] == "role_not_allowed"
    address = unique_email()
    await client.post(
        "/api/v1/invitations", headers=owner.headers, json={"email": address, "role": "front_desk"}
    )
    token = token_from_email(outbox, address, "/invitations/")
    preview = await client.get("/api/v1/invitations/preview", params={"token": token})
    assert preview.json()["role"] == "front_desk" and preview.json()["account_exists"] is False
    ok = await client.post(
        "/api/v1/invitations/accept",
        json={"token": token, "password": PASSWORD, "full_name": "Fran Desk"},
    )
    assert ok.status_code == 200
    again = await client.post(
        "/api/v1/invitations/accept", json={"token": token, "password": PASSWORD}
    )
    assert again.status_code == 400 and again.json()["code"] == "invitation_invalid"


async def test_user_in_two_orgs_picks_with_header(client, outbox):
    first = await make_owner(client, org_name="First Gym")
    second = await make_owner(client, org_name="Second Gym")
    # The first owner is invited to the second gym as a trainer; an existing account confirms
    # with its own password.
    await client.post(
        "/api/v1/invitations",
        headers=second.headers,
        json={"email": first.email, "role": "trainer"},
    )
    token = token_from_email(outbox, first.email, "/invitations/")
    r = await client.post("/api/v1/invitations/accept", json={"token": token, "password": PASSWORD})
    assert r.status_code == 200, r.text
    default = (await client.get("/api/v1/me", headers=first.headers)).json()
    assert default["organization_id"] == first.organization_id and default["role"] == "owner"
    picked = (
        await client.get("/api/v1/me", headers={**first.headers, "X-Organization": "second-gym"})
    ).json()
    assert picked["organization_id"] == second.organization_id and picked["role"] == "trainer"
    stranger = await make_owner(client, org_name="Third Gym")
    r = await client.get("/api/v1/me", headers={**stranger.headers, "X-Organization": "second-gym"})
    assert r.status_code == 404


async def test_removed_from_the_remembered_organization_falls_back(client, outbox):
    # A token remembers the organization it was issued for; once that membership is removed
    # the caller acts for another of their organizations (or has none), never a dead end.
    first = await make_owner(client, org_name="First Gym")
    second = await make_owner(client, org_name="Second Gym")
    await client.post(
        "/api/v1/invitations",
        headers=second.headers,
        json={"email": first.email, "role": "trainer"},
    )
    token = token_from_email(outbox, first.email, "/invitations/")
    r = await client.post("/api/v1/invitations/accept", json={"token": token, "password": PASSWORD})
    assert r.status_code == 200, r.text
    login = await client.post(
        "/api/v1/auth/login",
        json={"email": first.email, "password": PASSWORD, "organization": second.organization_id},
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert me["organization_id"] == second.organization_id and me["role"] == "trainer"

    members = (await client.get("/api/v1/members", headers=second.headers)).json()
    membership = next(m["id"] for m in members if m["email"] == first.email)
    r = await client.delete(f"/api/v1/members/{membership}", headers=second.headers)
    assert r.status_code == 204, r.text

    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["organization_id"] == first.organization_id and me.json()["role"] == "owner"
    named = await client.get(
        "/api/v1/me", headers={**headers, "X-Organization": second.organization_id}
    )
    assert named.status_code == 404 and named.json()["code"] == "organization_not_found"


async def test_api_keys(client):
    owner = await make_owner(client)
    r = await client.post(
        "/api/v1/api-keys",
        headers=owner.headers,
        json={"name": "CRM sync", "scopes": ["clients:read"]},
    )
    assert r.status_code == 201, r.text
    key = r.json()["key"]
    listed = (await client.get("/api/v1/api-keys", headers=owner.headers)).json()
    assert "key" not in listed[0] and listed[0]["prefix"] == key[:12]
    assert listed[0]["last_used_at"] is None
    assert (await client.get("/api/v1/clients", headers={"X-API-Key": key})).status_code == 200
    # A GET is read-only: the last-used stamp is written by a job after it.
    listed = (await client.get("/api/v1/api-keys", headers=owner.headers)).json()
    assert listed[0]["last_used_at"] is not None
    assert (
        await client.post("/api/v1/clients", headers={"X-API-Key": key}, json={"full_name": "X"})
    ).status_code == 403
    await client.delete(f"/api/v1/api-keys/{listed[0]['id']}", headers=owner.headers)
    assert (await client.get("/api/v1/clients", headers={"X-API-Key": key})).status_code == 401


async def test_api_key_rate_limit(client):
    owner = await make_owner(client)
    key = (
        await client.post(
            "/api/v1/api-keys",
            headers=owner.headers,
            json={"name": "tight", "scopes": ["clients:read"], "rate_limit_per_minute": 3},
        )
    ).json()["key"]
    codes = [
        (await client.get("/api/v1/clients", headers={"X-API-Key": key})).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


async def test_org_settings(client):
    owner = await make_owner(client)
    r = await client.patch(
        "/api/v1/organization", headers=owner.headers, json={"timezone": "Mars/Olympus"}
    )
    assert r.status_code == 422 and "time zone" in r.json()["errors"][0]["message"]
    r = await client.patch(
        "/api/v1/organization",
        headers=owner.headers,
        json={
            "timezone": "Europe/Berlin",
            "currency": "eur",
            "primary_color": "#112233",
            "unit_system": "imperial",
            "display_name": "Berlin Barbell",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["currency"] == "EUR" and r.json()["unit_system"] == "imperial"


async def test_trainer_sees_only_own_client_invitations(client, outbox):
    owner = await make_owner(client)
    t1 = await invite_and_accept(client, outbox, owner, role="trainer")
    t2 = await invite_and_accept(client, outbox, owner, role="trainer")
    mine, theirs = unique_email("mine"), unique_email("theirs")
    for trainer, address in ((t1, mine), (t2, theirs)):
        r = await client.post(
            "/api/v1/invitations",
            headers=trainer.headers,
            json={"email": address, "role": "client"},
        )
        assert r.status_code == 201
    seen = {
        i["email"] for i in (await client.get("/api/v1/invitations", headers=t1.headers)).json()
    }
    assert mine in seen and theirs not in seen
    everyone = {
        i["email"] for i in (await client.get("/api/v1/invitations", headers=owner.headers)).json()
    }
    assert {mine, theirs} <= everyone
