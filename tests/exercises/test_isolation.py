"""Organizations never see each other's custom exercises or overrides (the generic checks
over every table and /{id} route live in tests/test_tenancy.py)."""

from __future__ import annotations

from tests.builders import make_owner, table_snapshot
from tests.exercises.helpers import API, custom_body, make_custom, search, shared_id


async def test_other_organizations_custom_exercise_is_404_on_every_id_route(client):
    alpha = await make_owner(client, org_name="Alpha")
    beta = await make_owner(client, org_name="Beta")
    mine = await make_custom(client, alpha, name="Alpha Secret Press")
    url = f"{API}/exercises/{mine['id']}"
    before = await table_snapshot(organization_id=alpha.organization_id)
    calls = [
        ("GET", url, None),
        ("PUT", url, custom_body(name="Stolen")),
        ("DELETE", url, None),
        ("PUT", f"{url}/override", {"name": "Stolen"}),
        ("DELETE", f"{url}/override", None),
        ("GET", f"{url}/substitutions", None),
    ]
    for method, path, body in calls:
        r = await client.request(method, path, headers=beta.headers, json=body)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert await table_snapshot(organization_id=alpha.organization_id) == before
    assert await search(client, beta, q="alpha secret press") == []
    assert await search(client, beta, source="custom") == []
    assert [i["id"] for i in await search(client, alpha, source="custom")] == [mine["id"]]


async def test_overrides_stay_home(client):
    alpha = await make_owner(client, org_name="Alpha")
    beta = await make_owner(client, org_name="Beta")
    curl = await shared_id(client, alpha, "Barbell Curl")
    await client.put(
        f"{API}/exercises/{curl}/override",
        headers=alpha.headers,
        json={"name": "Alpha Curl", "notes": "secret notes"},
    )
    theirs = (await client.get(f"{API}/exercises/{curl}", headers=beta.headers)).json()
    assert theirs["name"] == "Barbell Curl" and theirs["notes"] is None
    # Beta removing "its" override does not touch Alpha's.
    assert (
        await client.delete(f"{API}/exercises/{curl}/override", headers=beta.headers)
    ).status_code == 204
    mine = (await client.get(f"{API}/exercises/{curl}", headers=alpha.headers)).json()
    assert mine["name"] == "Alpha Curl" and mine["notes"] == "secret notes"
