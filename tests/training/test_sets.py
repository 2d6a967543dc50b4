"""Sets: written by id (a replay is stored once), deliberate handling of a replay with
other content, records detected when a set is logged, bad input changes nothing."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from spotter.core.db import db
from spotter.training.models import ExerciseDay, LoggedSet, PersonalRecord
from tests.builders import make_client, make_owner, table_snapshot
from tests.training.helpers import (
    API,
    BENCH,
    PULLUP,
    SQUAT,
    add_exercise,
    put_set,
    quick_workout,
    start,
)


@pytest.fixture
async def owner(client):
    return await make_owner(client, org_name="Sets Gym")


@pytest.fixture
async def cid(client, owner):
    return (await make_client(client, owner, full_name="Sam Sets"))["id"]


async def _rows(model, **where):
    async with db.session(platform=True) as s:
        stmt = sa.select(model).filter_by(**where)
        return list((await s.scalars(stmt)).all())


async def test_a_replayed_set_is_stored_once(client, owner, cid):
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    set_id = str(uuid.uuid4())
    body = {"load_kg": 100, "reps": 5, "rpe": 8}
    first = await put_set(
        client, owner, workout["id"], entry["id"], set_id=set_id, expect=201, **body
    )
    assert first["created"] and first["changed"]
    assert first["set"]["e1rm_kg"] == pytest.approx(120.0)  # 100 x 36 / (37 - 7): as 7 reps (RPE 8)
    again = await put_set(
        client, owner, workout["id"], entry["id"], set_id=set_id, expect=200, **body
    )
    assert not again["created"] and not again["changed"]
    assert again["set"]["revision"] == 1 and again["set"] == first["set"]
    assert len(await _rows(LoggedSet, logged_workout_id=uuid.UUID(workout["id"]))) == 1
    day = (await _rows(ExerciseDay, client_id=uuid.UUID(cid)))[0]
    assert (day.sets, day.reps, day.tonnage_kg) == (1, 5, 500)


async def test_a_replay_with_other_content_replaces_unless_the_revision_is_stale(
    client, owner, cid
):
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    set_id = str(uuid.uuid4())
    url = f"{API}/workouts/{workout['id']}/sets/{set_id}"
    await put_set(client, owner, workout["id"], entry["id"], set_id=set_id, load_kg=100, reps=5)
    # A correction (no revision given): it replaces the set, and the day follows.
    fixed = await put_set(
        client, owner, workout["id"], entry["id"], set_id=set_id, load_kg=100, reps=6
    )
    assert fixed["changed"] and fixed["set"]["reps"] == 6 and fixed["set"]["revision"] == 2
    day = (await _rows(ExerciseDay, client_id=uuid.UUID(cid)))[0]
    assert (day.sets, day.reps) == (1, 6)
    # A device that last saw revision 1 does not overwrite revision 2.
    before = await table_snapshot(organization_id=owner.organization_id)
    r = await client.put(
        url,
        headers=owner.headers,
        json={"logged_exercise_id": entry["id"], "load_kg": 90, "reps": 5, "expected_revision": 1},
    )
    assert r.status_code == 409 and r.json()["code"] == "set_changed"
    assert r.json()["current"]["reps"] == 6 and r.json()["current"]["revision"] == 2
    assert await table_snapshot(organization_id=owner.organization_id) == before
    # With the right revision it goes through.
    ok = await put_set(
        client,
        owner,
        workout["id"],
        entry["id"],
        set_id=set_id,
        load_kg=90,
        reps=5,
        expected_revision=2,
    )
    assert ok["set"]["revision"] == 3 and ok["set"]["load_kg"] == 90


async def test_an_id_of_another_workout_or_organization_is_refused(client, owner, cid):
    one = await start(client, owner, cid)
    two = await start(client, owner, cid)
    e1 = await add_exercise(client, owner, one["id"], SQUAT)
    e2 = await add_exercise(client, owner, two["id"], SQUAT)
    set_id = str(uuid.uuid4())
    await put_set(client, owner, one["id"], e1["id"], set_id=set_id, load_kg=60, reps=5)
    r = await client.put(
        f"{API}/workouts/{two['id']}/sets/{set_id}",
        headers=owner.headers,
        json={"logged_exercise_id": e2["id"], "load_kg": 60, "reps": 5},
    )
    assert r.status_code == 409 and r.json()["code"] == "id_taken"
    # Another organization reusing the id (its own workout): 409 too, nothing leaks or breaks.
    other = await make_owner(client, org_name="Elsewhere")
    theirs = await make_client(client, other)
    w = await start(client, other, theirs["id"])
    e = await add_exercise(client, other, w["id"], SQUAT)
    r = await client.put(
        f"{API}/workouts/{w['id']}/sets/{set_id}",
        headers=other.headers,
        json={"logged_exercise_id": e["id"], "load_kg": 60, "reps": 5},
    )
    assert r.status_code == 409 and r.json()["code"] == "id_taken"
    assert len(await _rows(LoggedSet, id=uuid.UUID(set_id))) == 1


async def test_bad_sets_are_refused_and_store_nothing(client, owner, cid):
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    other_client = await make_client(client, owner, full_name="Other Person")
    theirs = await start(client, owner, other_client["id"])
    their_entry = await add_exercise(client, owner, theirs["id"], SQUAT)
    before = await table_snapshot(organization_id=owner.organization_id)
    url = f"{API}/workouts/{workout['id']}/sets/{uuid.uuid4()}"
    cases = [
        ({"logged_exercise_id": entry["id"], "reps": -1, "load_kg": 50}, "reps"),
        ({"logged_exercise_id": entry["id"], "reps": 5, "load_kg": -5}, "load_kg"),
        ({"logged_exercise_id": entry["id"], "reps": 5, "load_kg": 5000}, "load_kg"),
        ({"logged_exercise_id": entry["id"], "reps": 5, "rpe": 11}, "rpe"),
        ({"logged_exercise_id": entry["id"], "reps": 5, "rpe": 8.3}, "rpe"),
        ({"logged_exercise_id": entry["id"], "reps": 5, "rpe": 8, "rir": 2}, None),
        ({"logged_exercise_id": entry["id"], "load_kg": 50}, None),  # completed needs reps
        # A set for an exercise of someone else's workout.
        ({"logged_exercise_id": their_entry["id"], "reps": 5}, "logged_exercise_id"),
    ]
    for body, field in cases:
        r = await client.put(url, headers=owner.headers, json=body)
        assert r.status_code == 422, (body, r.text)
        if field:
            assert field in {e["field"] for e in r.json()["errors"]}, r.json()
    # A set on a workout that does not exist (or is not visible): 404.
    r = await client.put(
        f"{API}/workouts/{uuid.uuid4()}/sets/{uuid.uuid4()}",
        headers=owner.headers,
        json={"logged_exercise_id": entry["id"], "reps": 5},
    )
    assert r.status_code == 404 and r.json()["code"] == "logged_workout_not_found"
    assert await table_snapshot(organization_id=owner.organization_id) == before


async def test_records_are_detected_when_a_set_is_logged(client, owner, cid):
    _, first = await quick_workout(client, owner, cid, [(100, 5), (100, 5)])
    assert all(a["records"] == [] for a in first)  # a baseline is not celebrated
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    heavier = await put_set(client, owner, workout["id"], entry["id"], load_kg=105, reps=5)
    kinds = {r["kind"]: r for r in heavier["records"]}
    assert set(kinds) == {"load", "e1rm", "volume"}
    assert kinds["load"]["previous_value"] == 100 and kinds["load"]["value"] == 105
    assert kinds["e1rm"]["exercise_name"] == "Barbell Squat"
    assert kinds["load"]["label"] == "Heaviest load"
    reps = await put_set(client, owner, workout["id"], entry["id"], load_kg=100, reps=7)
    assert {r["kind"] for r in reps["records"]} == {"reps", "e1rm", "volume"}
    same = await put_set(client, owner, workout["id"], entry["id"], load_kg=100, reps=6)
    assert same["records"] == []  # 7 reps at 100 kg were just done
    warm = await put_set(
        client, owner, workout["id"], entry["id"], load_kg=140, reps=1, set_type="warm_up"
    )
    assert warm["records"] == []  # warm-ups never count
    skipped = await put_set(
        client, owner, workout["id"], entry["id"], load_kg=150, reps=1, status="skipped"
    )
    assert skipped["records"] == []
    # A replay of the record set celebrates it again (its first answer may have been lost).
    again = await put_set(
        client, owner, workout["id"], entry["id"], set_id=heavier["set"]["id"], load_kg=105, reps=5
    )
    assert {r["kind"] for r in again["records"]} == {"load", "e1rm", "volume"}
    # The workout lists them.
    detail = (await client.get(f"{API}/workouts/{workout['id']}", headers=owner.headers)).json()
    assert len(detail["new_records"]) == 6 and detail["records"] == 6


async def test_corrections_and_deletes_replay_the_record_history(client, owner, cid):
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], BENCH)
    a = await put_set(client, owner, workout["id"], entry["id"], load_kg=80, reps=5)
    b = await put_set(client, owner, workout["id"], entry["id"], load_kg=85, reps=5)
    assert {r["kind"] for r in b["records"]} == {"load", "e1rm", "volume"}
    # Correct the first set to be heavier than the second: the record moves to it.
    await put_set(
        client, owner, workout["id"], entry["id"], set_id=a["set"]["id"], load_kg=90, reps=5
    )
    loads = await _rows(PersonalRecord, client_id=uuid.UUID(cid), kind="load")
    assert [(r.value, r.previous_value) for r in loads] == [(90, None)]
    # Delete it: the 85 kg set holds the record again, as a baseline.
    r = await client.delete(
        f"{API}/workouts/{workout['id']}/sets/{a['set']['id']}", headers=owner.headers
    )
    assert r.status_code == 204
    loads = await _rows(PersonalRecord, client_id=uuid.UUID(cid), kind="load")
    assert [(r.value, r.previous_value) for r in loads] == [(85, None)]
    day = (await _rows(ExerciseDay, client_id=uuid.UUID(cid)))[0]
    assert (day.sets, day.max_load_kg) == (1, 85)
    # Deleting again is fine (a device may send it twice).
    r = await client.delete(
        f"{API}/workouts/{workout['id']}/sets/{a['set']['id']}", headers=owner.headers
    )
    assert r.status_code == 204


async def test_a_set_logged_for_an_earlier_day_rebuilds_later_records(client, owner, cid):
    await quick_workout(client, owner, cid, [(100, 5)], performed_on="2026-03-10")
    # Back-filled: a heavier set two weeks earlier. The March 10 set is no record then.
    await quick_workout(client, owner, cid, [(110, 5)], performed_on="2026-02-24")
    loads = await _rows(PersonalRecord, client_id=uuid.UUID(cid), kind="load")
    assert [(str(r.achieved_on), r.value) for r in loads] == [("2026-02-24", 110)]
    days = sorted((str(d.performed_on), d.max_load_kg) for d in await _rows(ExerciseDay))
    assert ("2026-02-24", 110) in days and ("2026-03-10", 100) in days


async def test_bodyweight_and_timed_sets(client, owner, cid):
    workout = await start(client, owner, cid)
    pull = await add_exercise(client, owner, workout["id"], PULLUP)
    await put_set(client, owner, workout["id"], pull["id"], reps=8)
    more = await put_set(client, owner, workout["id"], pull["id"], reps=10)
    assert [(r["kind"], r["value"], r["previous_value"]) for r in more["records"]] == [
        ("reps", 10, 8)
    ]
    timed = await put_set(client, owner, workout["id"], pull["id"], duration_seconds=45)
    assert timed["set"]["e1rm_kg"] is None and timed["set"]["volume_kg"] is None


async def test_deleting_an_exercise_takes_its_sets_and_records(client, owner, cid):
    workout, _ = await quick_workout(client, owner, cid, [(60, 5)], finish=False)
    detail = (await client.get(f"{API}/workouts/{workout['id']}", headers=owner.headers)).json()
    entry = detail["entries"][0]
    r = await client.delete(
        f"{API}/workouts/{workout['id']}/exercises/{entry['id']}", headers=owner.headers
    )
    assert r.status_code == 204
    assert await _rows(LoggedSet, logged_workout_id=uuid.UUID(workout["id"])) == []
    assert await _rows(PersonalRecord, client_id=uuid.UUID(cid)) == []
    assert await _rows(ExerciseDay, client_id=uuid.UUID(cid)) == []


async def test_logging_a_set_costs_a_few_statements(client, owner, cid, engine):
    """The hot path: who is calling, the workout and its exercise, the insert, the records
    read, the day row, the workout touched (and the records written, when any)."""
    from sqlalchemy import event

    await quick_workout(client, owner, cid, [(100, 5)] * 3, performed_on="2026-02-02")
    workout = await start(client, owner, cid)
    entry = await add_exercise(client, owner, workout["id"], SQUAT)
    await put_set(client, owner, workout["id"], entry["id"], load_kg=90, reps=5)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        await put_set(client, owner, workout["id"], entry["id"], load_kg=90, reps=5, expect=201)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert len(statements) <= 7, "\n".join(s.split("\n")[0] for s in statements)
