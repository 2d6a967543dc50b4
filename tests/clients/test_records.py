"""Client records: search and filters, status lifecycle, trainer reassignment with
history, private notes, profile."""

from __future__ import annotations

from tests.builders import make_client, make_client_world, make_owner


async def test_create_list_filter_and_paginate(client):
    owner = await make_owner(client)
    made = await make_client(
        client,
        owner,
        full_name="Ana Lopez",
        first_name="Ana",
        last_name="Lopez",
        tags=["VIP", "rehab"],
    )
    assert made["tags"] == ["rehab", "vip"] and made["first_name"] == "Ana"
    r = await client.post(
        "/api/v1/clients", headers=owner.headers, json={"first_name": "Bo", "last_name": "Diaz"}
    )
    assert r.status_code == 201 and r.json()["full_name"] == "Bo Diaz"
    await make_client(client, owner, full_name="Cy Lead", status="lead", tags=["vip"])
    for i in range(4):
        await make_client(client, owner, full_name=f"Page Person {i}")

    def names(r):
        assert r.status_code == 200, r.text
        return [c["full_name"] for c in r.json()["items"]]

    h = owner.headers
    assert names(await client.get("/api/v1/clients?tag=vip", headers=h)) == ["Ana Lopez", "Cy Lead"]
    assert names(await client.get("/api/v1/clients?status=lead", headers=h)) == ["Cy Lead"]
    assert names(await client.get("/api/v1/clients?q=lope", headers=h)) == ["Ana Lopez"]
    assert names(await client.get("/api/v1/clients?tag=nobody", headers=h)) == []
    tags = (await client.get("/api/v1/client-tags", headers=h)).json()
    assert tags == [{"tag": "rehab", "clients": 1}, {"tag": "vip", "clients": 2}]
    listed = {
        c["full_name"]: c["tags"]
        for c in (await client.get("/api/v1/clients", headers=h)).json()["items"]
    }
    assert listed["Ana Lopez"] == ["rehab", "vip"] and listed["Bo Diaz"] == []
    one = (await client.get(f"/api/v1/clients/{made['id']}", headers=h)).json()
    assert one["tags"] == ["rehab", "vip"]
    r = await client.post(
        "/api/v1/clients", headers=h, json={"full_name": "Ctl Char", "tags": ["a\x1fb"]}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("tags")

    seen, cursor = [], None
    while True:
        params = {"limit": 2, "q": "page person", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/clients", headers=h, params=params)).json()
        seen += [c["full_name"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Page Person {i}" for i in range(4)]
    r = await client.get("/api/v1/clients?cursor=garbage", headers=h)
    assert r.status_code == 422


async def test_status_lifecycle(client):
    owner = await make_owner(client)
    c = await make_client(client, owner, status="lead")
    url = f"/api/v1/clients/{c['id']}"

    async def to(status):
        return await client.put(url, headers=owner.headers, json={"status": status})

    r = await to("paused")  # a lead must start first
    assert r.status_code == 422 and r.json()["code"] == "invalid_status_transition"
    assert r.headers["content-type"] == "application/problem+json"
    assert (await to("active")).status_code == 200
    assert (await to("paused")).status_code == 200
    assert (await to("lead")).status_code == 422
    assert (await client.delete(url, headers=owner.headers)).status_code == 204
    assert (await client.get(url, headers=owner.headers)).json()["status"] == "archived"
    assert (await to("paused")).status_code == 422
    assert (await to("active")).status_code == 200  # reactivated, history kept
    assert (await to("bogus")).status_code == 422


async def test_reassignment_is_owner_admin_only_and_recorded(client, outbox):
    w = await make_client_world(client, outbox)
    url = f"/api/v1/clients/{w.client_id}"
    r = await client.put(
        url, headers=w.trainer.headers, json={"trainer_id": w.trainer_other.user_id}
    )
    assert r.status_code == 403
    r = await client.put(url, headers=w.trainer.headers, json={"phone": "+44 20 7946 0000"})
    assert r.status_code == 200 and r.json()["phone"] == "+44 20 7946 0000"
    r = await client.put(
        url, headers=w.admin.headers, json={"trainer_id": w.client_other.user_id}
    )  # a client is not staff
    assert r.status_code == 422
    r = await client.put(url, headers=w.admin.headers, json={"trainer_id": w.trainer_other.user_id})
    assert r.status_code == 200 and r.json()["trainer_id"] == w.trainer_other.user_id
    # The old trainer no longer reaches the client; the new one does.
    assert (await client.get(url, headers=w.trainer.headers)).status_code == 404
    assert (await client.get(url, headers=w.trainer_other.headers)).status_code == 200
    history = (await client.get(f"{url}/assignments", headers=w.owner.headers)).json()
    assert history[-1]["from_trainer_id"] == w.trainer.user_id
    assert history[-1]["to_trainer_id"] == w.trainer_other.user_id
    assert history[-1]["changed_by_id"] == w.admin.user_id


async def test_private_notes_are_staff_only(client, outbox):
    w = await make_client_world(client, outbox)
    url = f"/api/v1/clients/{w.client_id}"
    r = await client.put(url, headers=w.trainer.headers, json={"notes": "Needs encouragement"})
    assert r.status_code == 200 and r.json()["notes"] == "Needs encouragement"
    assert (await client.get(url, headers=w.owner.headers)).json()["notes"] == "Needs encouragement"
    assert (await client.get(url, headers=w.front_desk.headers)).json()["notes"] is None
    assert (await client.get(url, headers={"X-API-Key": w.api_key})).json()["notes"] is None
    listed = (await client.get("/api/v1/clients", headers=w.front_desk.headers)).json()["items"]
    assert all(c["notes"] is None for c in listed)
    # The client never sees their record's notes (they cannot read the record at all).
    assert (await client.get(url, headers=w.client_self.headers)).status_code == 403
    profile = await client.get(f"{url}/profile", headers=w.client_self.headers)
    assert profile.status_code == 200 and "Needs encouragement" not in profile.text


async def test_profile(client, outbox):
    w = await make_client_world(client, outbox)
    url = f"/api/v1/clients/{w.client_id}/profile"
    body = {
        "born_on": "1990-04-02",
        "sex": "female",
        "height_in": 65,
        "unit_system": "imperial",
        "timezone": "Europe/London",
        "experience": "intermediate",
        "equipment": ["dumbbell", "bands", "dumbbell"],
        "training_days": [5, 1, 3],
        "session_minutes": 45,
        "injuries_and_limitations": "Tight left shoulder",
    }
    r = await client.put(url, headers=w.trainer.headers, json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["height_cm"] == 165.1 and out["height_display"] == "65 in"
    assert out["equipment"] == ["dumbbell", "bands"] and out["training_days"] == [1, 3, 5]
    assert out["injuries_and_limitations"] == "Tight left shoulder"
    # Front desk sees the profile but not the health part; the client sees their own.
    desk = (await client.get(url, headers=w.front_desk.headers)).json()
    assert desk["injuries_and_limitations"] is None and desk["injuries_and_limitations_hidden"]
    mine = (await client.get(url, headers=w.client_self.headers)).json()
    assert mine["injuries_and_limitations"] == "Tight left shoulder"
    roles = {who: (await client.get(url, headers=h)).status_code for who, h in w.actors().items()}
    assert roles == {
        "owner": 200,
        "admin": 200,
        "trainer_own": 200,
        "trainer_other": 404,
        "front_desk": 200,
        "client_self": 200,
        "client_other": 404,
        "api_key": 200,
    }
    # A client reads, but does not edit, their profile; an API key cannot write injuries.
    assert (await client.put(url, headers=w.client_self.headers, json={})).status_code == 403
    key = {"X-API-Key": w.api_key}
    assert (await client.put(url, headers=key, json=body)).status_code == 403
    r = await client.put(url, headers=key, json={**body, "injuries_and_limitations": None})
    assert r.status_code == 200  # the sealed field is kept as it was
    assert (await client.get(url, headers=w.owner.headers)).json()["injuries_and_limitations"]

    bad = [
        {"training_days": [0]},
        {"training_days": [8]},
        {"equipment": ["jetpack"]},
        {"height_cm": -5},
        {"height_cm": 170, "height_in": 67},
        {"timezone": "Mars/Olympus"},
        {"born_on": "2999-01-01"},
        {"session_minutes": 0},
        {"sex": "robot"},
    ]
    for payload in bad:
        r = await client.put(url, headers=w.owner.headers, json=payload)
        assert r.status_code == 422, (payload, r.text)
