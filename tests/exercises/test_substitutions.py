"""Substitutions: the same primary muscles and mechanic, ranked by muscle overlap."""

from __future__ import annotations

from tests.builders import make_owner
from tests.exercises.helpers import API, make_custom, shared_id, walk


async def test_substitutions_share_primary_muscles_and_mechanic(client):
    owner = await make_owner(client)
    bench = await shared_id(client, owner, "Barbell Bench Press - Medium Grip")
    source = (await client.get(f"{API}/exercises/{bench}", headers=owner.headers)).json()
    subs = await walk(client, owner, f"/exercises/{bench}/substitutions", limit=10)
    assert len(subs) > 10
    assert bench not in [s["id"] for s in subs]
    assert len({s["id"] for s in subs}) == len(subs)
    for s in subs:
        assert s["primary_muscles"] == source["primary_muscles"] == ["chest"]
        assert s["mechanic"] == source["mechanic"] == "compound"

    def overlap(s):
        a = set(source["primary_muscles"] + source["secondary_muscles"])
        b = set(s["primary_muscles"] + s["secondary_muscles"])
        return len(a & b) * 100 // len(a | b)

    scores = [overlap(s) for s in subs]
    assert scores == sorted(scores, reverse=True)  # most shared muscles first


async def test_equipment_filter(client):
    owner = await make_owner(client)
    bench = await shared_id(client, owner, "Barbell Bench Press - Medium Grip")
    subs = await walk(client, owner, f"/exercises/{bench}/substitutions", equipment="dumbbell")
    assert subs and {s["equipment"] for s in subs} <= {"dumbbell", "body_only", None}
    assert "dumbbell" in {s["equipment"] for s in subs}
    r = await client.get(
        f"{API}/exercises/{bench}/substitutions",
        headers=owner.headers,
        params=[("equipment", "cable"), ("equipment", "machine")],
    )
    assert {s["equipment"] for s in r.json()["items"]} <= {"cable", "machine", "body_only", None}
    r = await client.get(
        f"{API}/exercises/{bench}/substitutions",
        headers=owner.headers,
        params={"equipment": "jetpack"},
    )
    assert r.status_code == 422 and "barbell, body_only" in r.json()["detail"]


async def test_custom_exercises_take_part(client):
    owner = await make_owner(client)
    floor = await make_custom(
        client,
        owner,
        name="Floor Press",
        primary_muscles=["chest"],
        secondary_muscles=["shoulders", "triceps"],
        mechanic="compound",
        equipment="dumbbell",
    )
    bench = await shared_id(client, owner, "Barbell Bench Press - Medium Grip")
    subs = await walk(client, owner, f"/exercises/{bench}/substitutions", equipment="dumbbell")
    assert floor["id"] in [s["id"] for s in subs]
    # And the other way round: a custom exercise has shared substitutions.
    back = await walk(client, owner, f"/exercises/{floor['id']}/substitutions", limit=5)
    assert bench in [s["id"] for s in back]
    await client.delete(f"{API}/exercises/{floor['id']}", headers=owner.headers)
    subs = await walk(client, owner, f"/exercises/{bench}/substitutions", equipment="dumbbell")
    assert floor["id"] not in [s["id"] for s in subs]  # archived ones are not suggested
