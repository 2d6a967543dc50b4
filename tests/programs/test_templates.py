"""Templates: CRUD of the tree, validation, copy, reorder, and the nested fetch's cost."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event

from spotter.core.db import db
from tests.builders import make_member, make_owner
from tests.programs.helpers import API, BENCH, PLANK, SQUAT, make_template, rx, template_body


async def test_create_and_read_the_whole_tree(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    assert t["duration_weeks"] == 5 and t["shared"] is False and t["owner_id"] == owner.user_id
    day_a = t["phases"][0]["workouts"][0]
    assert [p["exercise_name"] for p in day_a["prescriptions"]] == [
        "Barbell Squat",
        "Barbell Bench Press - Medium Grip",
        "Pullups",
    ]
    assert [p["group_kind"] for p in day_a["prescriptions"]] == [None, "superset", "superset"]
    assert day_a["prescriptions"][0]["reps_min"] == 5 and day_a["prescriptions"][0]["reps_max"] == 7
    r = await client.get(f"{API}/templates/{t['id']}", headers=owner.headers)
    assert r.status_code == 200 and r.json() == t
    listed = (await client.get(f"{API}/templates", headers=owner.headers)).json()["items"]
    assert [(i["id"], i["duration_weeks"]) for i in listed] == [(t["id"], 5)]


async def test_circuit_of_three(client):
    owner = await make_owner(client)
    body = template_body(
        phases=[
            {
                "name": "P",
                "workouts": [
                    {
                        "name": "Circuit",
                        "prescriptions": [rx(e, group_label="C1") for e in (SQUAT, BENCH, PLANK)],
                    }
                ],
            }
        ]
    )
    r = await client.post(f"{API}/templates", headers=owner.headers, json=body)
    kinds = {p["group_kind"] for p in r.json()["phases"][0]["workouts"][0]["prescriptions"]}
    assert kinds == {"circuit"}


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"exercise_id": str(uuid.uuid4())}, "No such exercise"),
        ({"sets": -1}, "greater than or equal to 1"),
        ({"reps": None, "reps_min": 8, "reps_max": 5}, "rep range upside down"),
        ({"reps": None, "reps_min": 8}, "needs both"),
        ({"rpe": 8}, "one load kind per prescription"),
        ({"load_kg": None, "rpe": 11}, "less than or equal to 10"),
        ({"load_kg": None, "rir": 11}, "less than or equal to 10"),
        ({"tempo": "slow"}, "invalid tempo"),
        ({"tempo": "3-1-1"}, "invalid tempo"),
        ({"set_type": "giant"}, "Input should be"),
        ({"progression": {"kind": "double_progression", "increment_kg": 5}}, "rep range"),
        ({"load_kg": None, "progression": {"kind": "linear_load", "increment_kg": 2}}, "load_kg"),
        ({"progression": {"kind": "percentage_steps", "steps": [70]}}, "percent_1rm"),
        ({"progression": {"kind": "sideways"}}, "does not match any of the expected tags"),
    ],
)
async def test_bad_prescriptions_are_clear_4xx(client, change, needle):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    workout_id = t["phases"][0]["workouts"][0]["id"]
    r = await client.post(
        f"{API}/workouts/{workout_id}/prescriptions", headers=owner.headers, json=rx(**change)
    )
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert needle in r.text, r.text


async def test_nested_crud_reorder_duplicate_and_archive(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    h = owner.headers
    phase = (
        await client.post(
            f"{API}/templates/{t['id']}/phases", headers=h, json={"name": "Peak", "weeks": 1}
        )
    ).json()
    assert phase["position"] == 2
    r = await client.put(
        f"{API}/phases/{phase['id']}", headers=h, json={"name": "Peak", "weeks": 2, "focus": "x"}
    )
    assert r.status_code == 200 and r.json()["weeks"] == 2
    workout = (
        await client.post(f"{API}/phases/{phase['id']}/workouts", headers=h, json={"name": "W"})
    ).json()
    added = await client.post(f"{API}/workouts/{workout['id']}/prescriptions", headers=h, json=rx())
    assert added.status_code == 201 and added.json()["exercise_name"] == "Barbell Squat"
    second = (
        await client.post(
            f"{API}/workouts/{workout['id']}/prescriptions", headers=h, json=rx(BENCH)
        )
    ).json()
    r = await client.put(
        f"{API}/prescriptions/{second['id']}", headers=h, json=rx(BENCH, reps=8, load_kg=70)
    )
    assert r.json()["reps_min"] == 8 and r.json()["load_kg"] == 70
    order = [second["id"], added.json()["id"]]
    r = await client.put(
        f"{API}/workouts/{workout['id']}/prescriptions/order", headers=h, json={"ids": order}
    )
    assert [p["id"] for p in r.json()] == order
    r = await client.put(
        f"{API}/workouts/{workout['id']}/prescriptions/order", headers=h, json={"ids": order[:1]}
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_order"
    dup = await client.post(f"{API}/workouts/{workout['id']}/duplicate", headers=h)
    assert dup.status_code == 201 and dup.json()["name"] == "W (copy)"
    assert [p["exercise_id"] for p in dup.json()["prescriptions"]] == [BENCH, SQUAT]
    phases = [p["id"] for p in t["phases"]] + [phase["id"]]
    r = await client.put(
        f"{API}/templates/{t['id']}/phases/order", headers=h, json={"ids": phases[::-1]}
    )
    assert [p["id"] for p in r.json()] == phases[::-1]
    full = (await client.get(f"{API}/templates/{t['id']}", headers=h)).json()
    assert [p["name"] for p in full["phases"]] == ["Peak", "Intensification", "Accumulation"]
    assert [w["name"] for w in full["phases"][0]["workouts"]] == ["W", "W (copy)"]
    assert full["duration_weeks"] == 7
    assert (
        await client.delete(f"{API}/prescriptions/{second['id']}", headers=h)
    ).status_code == 204
    assert (await client.delete(f"{API}/workouts/{workout['id']}", headers=h)).status_code == 204
    assert (await client.delete(f"{API}/phases/{phase['id']}", headers=h)).status_code == 204
    r = await client.put(f"{API}/workouts/{workout['id']}", headers=h, json={"name": "gone"})
    assert r.status_code == 404
    r = await client.put(f"{API}/templates/{t['id']}", headers=h, json={"name": "Renamed"})
    assert r.json()["name"] == "Renamed" and r.json()["duration_weeks"] == 5
    assert (await client.delete(f"{API}/templates/{t['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{API}/templates", headers=h)).json()["items"] == []
    archived = await client.get(f"{API}/templates", headers=h, params={"include_archived": True})
    assert [i["archived"] for i in archived.json()["items"]] == [True]


async def test_copy_is_independent(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    r = await client.post(f"{API}/templates/{t['id']}/copy", headers=owner.headers, json={})
    assert r.status_code == 201
    copy = r.json()
    assert copy["name"] == "Strength Base (copy)" and copy["id"] != t["id"]
    first = copy["phases"][0]["workouts"][0]["prescriptions"][0]
    await client.put(
        f"{API}/prescriptions/{first['id']}", headers=owner.headers, json=rx(load_kg=200)
    )
    original = (await client.get(f"{API}/templates/{t['id']}", headers=owner.headers)).json()
    assert original["phases"][0]["workouts"][0]["prescriptions"][0]["load_kg"] == 100


async def test_shared_library_and_personal_templates(client, outbox):
    owner = await make_owner(client)
    trainer = await make_member(client, outbox, owner, role="trainer")
    other = await make_member(client, outbox, owner, role="trainer")
    shared = await make_template(client, owner, shared=True, name="House Program")
    mine = await make_template(client, trainer, name="Mine")
    theirs = await make_template(client, other, name="Theirs")
    # Trainers cannot publish to the shared library.
    r = await client.post(
        f"{API}/templates", headers=trainer.headers, json=template_body(shared=True)
    )
    assert r.status_code == 403 and r.json()["code"] == "template_read_only"
    seen = (await client.get(f"{API}/templates", headers=trainer.headers)).json()["items"]
    assert {i["name"] for i in seen} == {"House Program", "Mine"}
    r = await client.get(f"{API}/templates/{theirs['id']}", headers=trainer.headers)
    assert r.status_code == 404
    # A shared template is readable, not editable, by a trainer; a copy is theirs.
    r = await client.put(
        f"{API}/templates/{shared['id']}", headers=trainer.headers, json={"name": "x"}
    )
    assert r.status_code == 403
    workout = shared["phases"][0]["workouts"][0]["id"]
    r = await client.post(f"{API}/workouts/{workout}/duplicate", headers=trainer.headers)
    assert r.status_code == 403
    r = await client.post(f"{API}/templates/{shared['id']}/copy", headers=trainer.headers, json={})
    assert r.status_code == 201 and r.json()["owner_id"] == trainer.user_id
    # The owner maintains everything.
    r = await client.put(
        f"{API}/templates/{mine['id']}", headers=owner.headers, json={"name": "Ok"}
    )
    assert r.status_code == 200
    everything = (await client.get(f"{API}/templates", headers=owner.headers)).json()["items"]
    assert len(everything) == 4
    only_shared = await client.get(
        f"{API}/templates", headers=owner.headers, params={"shared": True}
    )
    assert [i["name"] for i in only_shared.json()["items"]] == ["House Program"]


def _count_statements():
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    return counter, before


async def test_nested_fetch_is_a_bounded_number_of_queries(client, engine):
    owner = await make_owner(client)
    small = await make_template(
        client,
        owner,
        phases=[{"name": "P", "workouts": [{"name": "W", "prescriptions": [rx()]}]}],
    )
    big_phases = [
        {
            "name": f"P{i}",
            "weeks": 2,
            "workouts": [
                {"name": f"W{j}", "prescriptions": [rx(SQUAT), rx(BENCH), rx(PLANK)]}
                for j in range(5)
            ],
        }
        for i in range(6)
    ]
    big = await make_template(client, owner, phases=big_phases)
    counts = {}
    for name, t in (("small", small), ("big", big)):
        await client.get(f"{API}/templates/{t['id']}", headers=owner.headers)  # warm caches
        counter, listener = _count_statements()
        event.listen(engine.sync_engine, "before_cursor_execute", listener)
        try:
            r = await client.get(f"{API}/templates/{t['id']}", headers=owner.headers)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", listener)
        assert r.status_code == 200
        counts[name] = counter["n"]
    assert len(r.json()["phases"]) == 6 and len(r.json()["phases"][5]["workouts"]) == 5
    # Same number of statements whatever the size: no N+1.
    assert counts["small"] == counts["big"], counts
    assert counts["big"] <= 12, counts
    print("nested fetch statements:", counts)
    assert db is not None
