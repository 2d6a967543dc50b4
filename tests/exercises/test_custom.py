"""Custom exercises: create, read, replace, archive, and validation of bad input."""

from __future__ import annotations

import pytest

from tests.builders import make_owner
from tests.exercises.helpers import API, custom_body, make_custom, search, shared_id


@pytest.fixture
async def owner(client):
    return await make_owner(client)


async def test_create_read_update_archive(client, owner):
    made = await make_custom(client, owner)
    assert made["source"] == "custom" and made["slug"] is None and not made["archived"]
    assert made["primary_muscles"] == ["shoulders"]
    assert made["secondary_muscles"] == ["chest", "triceps"]
    assert made["video_url"] == "https://video.example.com/landmine.mp4"
    assert made["cues"] == ["Brace", "Press up and in"] and made["level"] == "intermediate"

    url = f"{API}/exercises/{made['id']}"
    assert (await client.get(url, headers=owner.headers)).json() == made
    # It is found by search like any library exercise, typos included.
    assert made["id"] in [i["id"] for i in await search(client, owner, q="landmin pres")]
    assert made["id"] in [
        i["id"] for i in await search(client, owner, muscle="shoulders", source="custom")
    ]

    r = await client.put(
        url,
        headers=owner.headers,
        json=custom_body(
            name="Half-Kneeling Landmine Press",
            primary_muscles=["shoulders", "chest"],
            secondary_muscles=["triceps"],
            equipment=None,
            video_url=None,
            cues=[],
            mechanic=None,
        ),
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["name"] == "Half-Kneeling Landmine Press"
    assert changed["primary_muscles"] == ["chest", "shoulders"]
    assert changed["secondary_muscles"] == ["triceps"]
    assert changed["equipment"] is None and changed["video_url"] is None
    assert changed["cues"] == [] and changed["mechanic"] is None
    assert (await client.get(url, headers=owner.headers)).json() == changed

    assert (await client.delete(url, headers=owner.headers)).status_code == 204
    assert (await client.delete(url, headers=owner.headers)).status_code == 204  # idempotent
    archived = (await client.get(url, headers=owner.headers)).json()
    assert archived["archived"] is True  # still readable: programs keep their exercises
    assert made["id"] not in [i["id"] for i in await search(client, owner, q="landmine")]
    listed = await search(client, owner, q="landmine", include_archived="true")
    assert made["id"] in [i["id"] for i in listed]


async def test_vocabulary_is_matched_leniently(client, owner):
    made = await make_custom(
        client,
        owner,
        category="Olympic weightlifting",
        equipment="EZ curl bar",
        primary_muscles=["Lower Back"],
        secondary_muscles=["middle-back"],
    )
    assert made["category"] == "olympic_weightlifting" and made["equipment"] == "ez_curl_bar"
    assert made["primary_muscles"] == ["lower_back"]
    assert made["secondary_muscles"] == ["middle_back"]


@pytest.mark.parametrize(
    ("fields", "field", "needle"),
    [
        ({"primary_muscles": ["wings"]}, "primary_muscles", "allowed: abdominals"),
        ({"secondary_muscles": ["fins"]}, "secondary_muscles", "unknown muscle 'fins'"),
        ({"equipment": "rocket"}, "equipment", "barbell, body_only"),
        ({"category": "yoga"}, "category", "allowed: strength"),
        ({"video_url": "http://video.example.com/a.mp4"}, "video_url", "https://"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "valid"),
        ({"video_url": "ftp://example.com/a.mp4"}, "video_url", ""),
        ({"name": ""}, "name", ""),
        ({"name": "   "}, "name", ""),
        ({"name": "x" * 121}, "name", "120"),
        ({"primary_muscles": []}, "primary_muscles", ""),
        ({"level": "legendary"}, "level", "beginner"),
        ({"mechanic": "magic"}, "mechanic", "compound"),
        ({"force": "telekinesis"}, "force", "push"),
        ({"cues": [""]}, "cues.0", ""),
        ({"cues": ["c"] * 21}, "cues", ""),
        ({"secret": 1}, "secret", "unknown field"),
        ({"primary_muscles": ["chest"], "secondary_muscles": ["chest"]}, None, "either"),
    ],
)
async def test_bad_input_is_422_with_a_clear_message(client, owner, fields, field, needle):
    r = await client.post(f"{API}/exercises", headers=owner.headers, json=custom_body(**fields))
    assert r.status_code == 422, r.text
    body = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    text = r.text
    if field is not None:
        assert any(e["field"] == field for e in body["errors"]), body
    assert needle in text


async def test_name_is_required(client, owner):
    body = custom_body()
    del body["name"]
    r = await client.post(f"{API}/exercises", headers=owner.headers, json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"


async def test_same_muscle_spelled_two_ways_is_refused(client, owner):
    r = await client.post(
        f"{API}/exercises",
        headers=owner.headers,
        json=custom_body(primary_muscles=["lower_back"], secondary_muscles=["Lower back"]),
    )
    assert r.status_code == 422 and "either primary or secondary" in r.text


async def test_shared_exercises_are_read_only(client, owner):
    squat = await shared_id(client, owner, "Barbell Squat")
    url = f"{API}/exercises/{squat}"
    r = await client.put(url, headers=owner.headers, json=custom_body())
    assert r.status_code == 409 and r.json()["code"] == "shared_exercise_read_only"
    assert "/override" in r.json()["detail"]
    r = await client.delete(url, headers=owner.headers)
    assert r.status_code == 409
    shared = (await client.get(url, headers=owner.headers)).json()
    assert shared["name"] == "Barbell Squat" and shared["slug"] == "Barbell_Squat"
    assert shared["source"] == "shared" and shared["overridden"] is False


async def test_unknown_ids(client, owner):
    missing = "01890000-0000-7000-8000-000000000000"
    for method, path in [
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("PUT", "/override"),
        ("DELETE", "/override"),
        ("GET", "/substitutions"),
    ]:
        body = custom_body() if (method, path) == ("PUT", "") else ({} if method == "PUT" else None)
        r = await client.request(
            method, f"{API}/exercises/{missing}{path}", headers=owner.headers, json=body
        )
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["code"] == "exercise_not_found"
    r = await client.get(f"{API}/exercises/not-a-uuid", headers=owner.headers)
    assert r.status_code == 422


async def test_repeated_searches_see_every_change(client, owner):
    """Search pages are cached per process by the organization's library version: the same
    search after a write (create, rename, archive) answers the new state."""

    async def names(q: str) -> list[str]:
        return [i["name"] for i in await search(client, owner, q=q)]

    assert "Zercher Carry March" not in await names("zercher carry march")
    made = await make_custom(client, owner, name="Zercher Carry March")
    assert (await names("zercher carry march"))[0] == "Zercher Carry March"
    url = f"{API}/exercises/{made['id']}"
    r = await client.put(url, headers=owner.headers, json=custom_body(name="Zercher Walk"))
    assert r.status_code == 200, r.text
    assert "Zercher Carry March" not in await names("zercher carry march")
    assert (await names("zercher walk"))[0] == "Zercher Walk"
    assert (await client.delete(url, headers=owner.headers)).status_code == 204
    assert "Zercher Walk" not in await names("zercher walk")
