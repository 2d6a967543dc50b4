"""Workouts: started from a program workout (this week's prescriptions, progression
applied) or free-style, exercises added and swapped mid-session, completion driving the
program's advance, discarding, history, and who may do what."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from spotter.core.db import db
from spotter.training.models import ExerciseDay
from tests.builders import make_assessment, make_client, make_client_world, make_owner
from tests.programs.helpers import assign, make_template
from tests.training.helpers import (
    API,
    BENCH,
    SQUAT,
    add_exercise,
    complete,
    put_set,
    quick_workout,
    start,
)


async def _program(client, who, client_id, **fields):
    template = await make_template(client, who)
    program = await assign(client, who, template["id"], client_id, **fields)
    week = (
        await client.get(f"{API}/programs/{program['id']}/workouts", headers=who.headers)
    ).json()
    return program, week["workouts"]


async def test_a_program_workout_starts_with_this_weeks_prescriptions(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    program, workouts = await _program(client, owner, c["id"])
    day_a = workouts[0]
    w = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=day_a["id"]
    )
    assert w["name"] == "Day A" and w["status"] == "in_progress"
    assert (w["phase"], w["week"]) == (1, 1)
    squat, bench, pullup = w["entries"]
    assert squat["exercise_name"] == "Barbell Squat" and squat["target"]["reps_min"] == 5
    assert squat["target"]["load_kg"] == 100 and squat["target"]["sets"] == 3
    assert bench["group_label"] == "A" and bench["rest_seconds"] == 90
    assert pullup["target"]["rir"] == 2
    # Completing every workout of the week moves a DYNAMIC program on, and week 2's
    # double progression shows in the next workout's targets.
    done = await complete(client, owner, w["id"], session_rpe=7.5)
    assert done["program_counted"] and done["workout"]["session_rpe"] == 7.5
    day_b = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=workouts[1]["id"]
    )
    await complete(client, owner, day_b["id"])
    moved = (await client.get(f"{API}/programs/{program['id']}", headers=owner.headers)).json()
    assert (moved["current_phase"], moved["current_week"]) == (1, 2)
    again = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=day_a["id"]
    )
    assert again["week"] == 2 and again["entries"][0]["target"]["reps_min"] == 6
    # Completing again corrects RPE; the program is not counted twice.
    fixed = await complete(client, owner, w["id"], session_rpe=8)
    assert not fixed["program_counted"] and fixed["workout"]["session_rpe"] == 8


async def test_percent_of_1rm_targets_use_the_latest_max(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    await make_assessment(client, owner, c["id"], one_rep_maxes=[{"exercise_id": SQUAT, "kg": 150}])
    program, _ = await _program(client, owner, c["id"])
    await client.put(
        f"{API}/programs/{program['id']}", headers=owner.headers, json={"current_phase": 2}
    )
    week = (
        await client.get(f"{API}/programs/{program['id']}/workouts", headers=owner.headers)
    ).json()
    heavy = week["workouts"][0]
    w = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=heavy["id"]
    )
    target = w["entries"][0]["target"]
    assert target["percent_1rm"] == 80 and target["load_kg"] == 120  # 80 % of 150
    # Once the log has a better estimate, it is the one used.
    await quick_workout(client, owner, c["id"], [(150, 3)])  # e1RM 150 * 36 / 34 = 158.8
    w = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=heavy["id"]
    )
    assert w["entries"][0]["target"]["load_kg"] == 127.5  # 80 % of 158.8, to 2.5 kg


async def test_starting_a_program_workout_is_checked(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    other = await make_client(client, owner, full_name="Other Client")
    program, workouts = await _program(client, owner, c["id"])
    cases = [
        (
            {
                "client_id": other["id"],
                "program_id": program["id"],
                "program_workout_id": workouts[0]["id"],
            },
            422,
            "program_id",
        ),
        (
            {
                "client_id": c["id"],
                "program_id": program["id"],
                "program_workout_id": str(uuid.uuid4()),
            },
            422,
            "program_workout_id",
        ),
        ({"client_id": c["id"], "program_id": program["id"]}, 422, None),
        (
            {
                "client_id": c["id"],
                "program_id": str(uuid.uuid4()),
                "program_workout_id": workouts[0]["id"],
            },
            404,
            None,
        ),
        ({}, 422, "client_id"),  # staff must say whose workout
    ]
    for body, status, field in cases:
        r = await client.post(f"{API}/workouts", headers=owner.headers, json=body)
        assert r.status_code == status, (body, r.text)
        if field:
            assert field in {e["field"] for e in r.json()["errors"]}


async def test_starting_twice_with_one_id_answers_the_same_workout(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    wid = str(uuid.uuid4())
    first = await start(client, owner, c["id"], id=wid, name="Legs")
    r = await client.post(
        f"{API}/workouts", headers=owner.headers, json={"id": wid, "client_id": c["id"]}
    )
    assert r.status_code == 200 and r.json()["id"] == wid == first["id"]
    listed = await client.get(f"{API}/clients/{c['id']}/workout-history", headers=owner.headers)
    assert [w["id"] for w in listed.json()["items"]] == [wid]


async def test_exercises_mid_session_and_a_swap_for_this_session_only(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    r = await client.put(
        f"{API}/clients/{c['id']}/profile",
        headers=owner.headers,
        json={"equipment": ["dumbbell", "body_only"]},
    )
    assert r.status_code == 200, r.text
    program, workouts = await _program(client, owner, c["id"])
    w = await start(
        client, owner, c["id"], program_id=program["id"], program_workout_id=workouts[0]["id"]
    )
    bench = w["entries"][1]
    subs = await client.get(
        f"{API}/workouts/{w['id']}/exercises/{bench['id']}/substitutes", headers=owner.headers
    )
    assert subs.status_code == 200
    options = subs.json()["items"]
    assert options and all(o["equipment"] in ("dumbbell", "body_only", None) for o in options)
    swap = options[0]["id"]
    url = f"{API}/workouts/{w['id']}/exercises/{bench['id']}/swap"
    r = await client.post(url, headers=owner.headers, json={"exercise_id": swap})
    assert r.status_code == 200
    swapped = r.json()
    assert swapped["exercise_id"] == swap and swapped["swapped_from_id"] == BENCH
    assert swapped["swapped_from_name"].startswith("Barbell Bench Press")
    # The program still prescribes the barbell bench press.
    week = (
        await client.get(f"{API}/programs/{program['id']}/workouts", headers=owner.headers)
    ).json()
    assert week["workouts"][0]["prescriptions"][1]["exercise_id"] == BENCH
    # Swapping back clears it; once a set is logged, a swap is refused.
    r = await client.post(url, headers=owner.headers, json={"exercise_id": BENCH})
    assert r.json()["swapped_from_id"] is None
    await put_set(client, owner, w["id"], bench["id"], load_kg=60, reps=8)
    r = await client.post(url, headers=owner.headers, json={"exercise_id": swap})
    assert r.status_code == 409 and r.json()["code"] == "exercise_has_sets"
    # Add one mid-session, with an id chosen offline: sending it twice adds it once.
    eid = str(uuid.uuid4())
    body = {"id": eid, "exercise_id": SQUAT, "rest_seconds": 120}
    r1 = await client.post(f"{API}/workouts/{w['id']}/exercises", headers=owner.headers, json=body)
    r2 = await client.post(f"{API}/workouts/{w['id']}/exercises", headers=owner.headers, json=body)
    assert (r1.status_code, r2.status_code) == (201, 200)
    detail = (await client.get(f"{API}/workouts/{w['id']}", headers=owner.headers)).json()
    assert [e["id"] for e in detail["entries"]][-1] == eid and len(detail["entries"]) == 4
    r = await client.post(
        f"{API}/workouts/{w['id']}/exercises",
        headers=owner.headers,
        json={"exercise_id": str(uuid.uuid4())},
    )
    assert r.status_code == 404  # not in the library


async def test_notes_day_and_discarding(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    w, _ = await quick_workout(client, owner, c["id"], [(100, 5)], performed_on="2026-04-01")
    r = await client.patch(
        f"{API}/workouts/{w['id']}",
        headers=owner.headers,
        json={"notes": "Knees felt good", "performed_on": "2026-04-02"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["notes"] == "Knees felt good" and body["performed_on"] == "2026-04-02"
    assert body["entries"][0]["sets"][0]["performed_on"] == "2026-04-02"
    sets = await client.get(f"{API}/clients/{c['id']}/lifts/{SQUAT}/sets", headers=owner.headers)
    assert [s["performed_on"] for s in sets.json()["items"]] == ["2026-04-02"]
    async with db.session(platform=True) as s:
        days = (await s.scalars(sa.select(ExerciseDay.performed_on))).all()
    assert [str(d) for d in days] == ["2026-04-02"]
    # Discard: the sets go (and leave the derived data); late writes are told why.
    r = await client.post(f"{API}/workouts/{w['id']}/discard", headers=owner.headers)
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    lift = await client.get(f"{API}/clients/{c['id']}/lifts/{SQUAT}", headers=owner.headers)
    assert lift.json()["e1rm"] == [] and lift.json()["best_load_kg"] is None
    entry = body["entries"][0]["id"]
    r = await client.put(
        f"{API}/workouts/{w['id']}/sets/{uuid.uuid4()}",
        headers=owner.headers,
        json={"logged_exercise_id": entry, "reps": 5, "load_kg": 100},
    )
    assert r.status_code == 409 and r.json()["code"] == "workout_discarded"
    history = await client.get(f"{API}/clients/{c['id']}/workout-history", headers=owner.headers)
    assert history.json()["items"] == []
    shown = await client.get(
        f"{API}/clients/{c['id']}/workout-history",
        headers=owner.headers,
        params={"status": "discarded"},
    )
    assert [x["id"] for x in shown.json()["items"]] == [w["id"]]


async def test_history_is_newest_first_and_paginated(client):
    owner = await make_owner(client)
    c = await make_client(client, owner)
    days = [f"2026-05-{d:02d}" for d in (3, 1, 7, 5, 2)]
    for day in days:
        await quick_workout(client, owner, c["id"], [(60, 5), (60, 5)], performed_on=day)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        r = await client.get(
            f"{API}/clients/{c['id']}/workout-history", headers=owner.headers, params=params
        )
        page = r.json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [w["performed_on"] for w in seen] == sorted(days, reverse=True)
    assert all(w["sets"] == 2 and w["tonnage_kg"] == 600 and w["exercises"] == 1 for w in seen)
    r = await client.get(
        f"{API}/clients/{c['id']}/workout-history",
        headers=owner.headers,
        params={"cursor": "bm90LWEtY3Vyc29y"},
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("actor", "read", "log"),
    [
        ("owner", 200, 201),
        ("admin", 200, 201),
        ("trainer_own", 200, 201),
        ("trainer_other", 404, 404),
        ("front_desk", 200, 403),
        ("client_self", 200, 201),
        ("client_other", 404, 404),
        ("api_key", 200, 201),
    ],
)
async def test_who_may_read_and_log(client, outbox, actor, read, log):
    w = await make_client_world(client, outbox)
    who = w.actors()[actor]
    cid = w.client_id
    workout = await start(client, w.trainer, cid)
    entry = await add_exercise(client, w.trainer, workout["id"], SQUAT)
    r = await client.get(f"{API}/workouts/{workout['id']}", headers=who)
    assert r.status_code == read, r.text
    r = await client.get(f"{API}/clients/{cid}/workout-history", headers=who)
    assert r.status_code == read
    r = await client.get(f"{API}/clients/{cid}/training-dashboard", headers=who)
    assert r.status_code == read
    r = await client.put(
        f"{API}/workouts/{workout['id']}/sets/{uuid.uuid4()}",
        headers=who,
        json={"logged_exercise_id": entry["id"], "reps": 5, "load_kg": 50},
    )
    assert r.status_code == (201 if log == 201 else log), r.text
    body = {"client_id": cid} if actor != "client_self" else {}
    r = await client.post(f"{API}/workouts", headers=who, json=body)
    assert r.status_code == log, r.text


async def test_a_client_logs_their_own_workout_without_naming_themself(client, outbox):
    w = await make_client_world(client, outbox)
    mine = await start(client, w.client_self, None, name="Morning run")
    assert mine["client_id"] == w.client_id and mine["name"] == "Morning run"
    # And cannot log for someone else, even by naming them.
    r = await client.post(
        f"{API}/workouts", headers=w.client_self.headers, json={"client_id": w.other_client_id}
    )
    assert r.status_code == 404
