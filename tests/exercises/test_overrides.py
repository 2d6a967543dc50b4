"""Overrides: an organization's own version of a shared exercise."""

from __future__ import annotations

from tests.builders import make_owner
from tests.exercises.helpers import API, custom_body, make_custom, search, shared_id


async def test_override_is_merged_for_its_organization_only(client):
    alpha = await make_owner(client, org_name="Alpha Gym")
    beta = await make_owner(client, org_name="Beta Gym")
    squat = await shared_id(client, alpha, "Barbell Squat")
    url = f"{API}/exercises/{squat}"
    library = (await client.get(url, headers=alpha.headers)).json()

    r = await client.put(
        f"{url}/override",
        headers=alpha.headers,
        json={
            "name": "Back Squat",
            "video_url": "https://videos.example.com/back-squat",
            "cues": ["Big breath", "Knees out"],
            "notes": "Our house standard",
        },
    )
    assert r.status_code == 200, r.text
    mine = r.json()
    assert mine["name"] == "Back Squat" and mine["shared_name"] == "Barbell Squat"
    assert mine["overridden"] is True and mine["cues"] == ["Big breath", "Knees out"]
    assert mine["id"] == squat and mine["primary_muscles"] == library["primary_muscles"]
    assert (await client.get(url, headers=alpha.headers)).json() == mine

    # The merged view is what search shows, under the new name (and not the old one twice).
    found = await search(client, alpha, q="back squat")
    assert found[0]["id"] == squat and found[0]["name"] == "Back Squat"
    quads = await search(client, alpha, muscle="quadriceps", limit=100, q="squat")
    assert [i["id"] for i in quads].count(squat) == 1

    # Beta sees the library as it is; the shared row is untouched.
    theirs = (await client.get(url, headers=beta.headers)).json()
    assert theirs == library and theirs["overridden"] is False
    assert squat not in [i["id"] for i in await search(client, beta, q="back squat", limit=3)]

    # Changing the override replaces it; removing it restores the library's version.
    r = await client.put(f"{url}/override", headers=alpha.headers, json={"cues": ["Sit down"]})
    assert r.json()["name"] == "Barbell Squat" and r.json()["cues"] == ["Sit down"]
    assert r.json()["video_url"] is None and r.json()["overridden"] is True
    assert (await client.delete(f"{url}/override", headers=alpha.headers)).status_code == 204
    assert (await client.get(url, headers=alpha.headers)).json() == library
    assert (await client.delete(f"{url}/override", headers=alpha.headers)).status_code == 204


async def test_override_validation_and_custom_exercises(client):
    owner = await make_owner(client)
    squat = await shared_id(client, owner, "Barbell Squat")
    r = await client.put(
        f"{API}/exercises/{squat}/override",
        headers=owner.headers,
        json={"video_url": "http://insecure.example.com/v"},
    )
    assert r.status_code == 422 and "https://" in r.text
    r = await client.put(
        f"{API}/exercises/{squat}/override", headers=owner.headers, json={"name": ""}
    )
    assert r.status_code == 422
    custom = await make_custom(client, owner)
    r = await client.put(
        f"{API}/exercises/{custom['id']}/override", headers=owner.headers, json={"name": "Nope"}
    )
    assert r.status_code == 409 and r.json()["code"] == "not_a_shared_exercise"
    r = await client.delete(f"{API}/exercises/{custom['id']}/override", headers=owner.headers)
    assert r.status_code == 409


async def test_search_follows_every_change(client):
    """Search keeps each organization's own entries in memory under a version that every
    write changes: each change shows at once."""
    owner = await make_owner(client)
    curl = await shared_id(client, owner, "Barbell Curl")

    async def names(q):
        return [i["name"] for i in await search(client, owner, q=q, limit=5)]

    assert "Barbell Curl" in await names("barbell curl")
    await client.put(
        f"{API}/exercises/{curl}/override", headers=owner.headers, json={"name": "Quokka Curl"}
    )
    assert (await names("quokka"))[0] == "Quokka Curl"
    await client.put(
        f"{API}/exercises/{curl}/override", headers=owner.headers, json={"name": "Narwhal Curl"}
    )
    assert await names("quokka") == [] and (await names("narwhal"))[0] == "Narwhal Curl"
    await client.delete(f"{API}/exercises/{curl}/override", headers=owner.headers)
    assert await names("narwhal") == [] and "Barbell Curl" in await names("barbell curl")

    made = await make_custom(client, owner, name="Zottman Hammer Hybrid")
    assert await names("zottman hammer") == ["Zottman Hammer Hybrid"]
    r = await client.put(
        f"{API}/exercises/{made['id']}",
        headers=owner.headers,
        json={
            **custom_body(name="Zottman Hammer Hybrid"),
            "primary_muscles": ["forearms"],
            "secondary_muscles": [],
        },
    )
    assert r.status_code == 200
    found = await search(client, owner, q="zottman hammer", muscle="forearms")
    assert [i["id"] for i in found] == [made["id"]]
    await client.delete(f"{API}/exercises/{made['id']}", headers=owner.headers)
    assert await names("zottman hammer") == []
