"""Goals (progress from the latest data) and assessments (ranges, newest first, compare)."""

from __future__ import annotations

import uuid

from tests.builders import make_assessment, make_client_world, make_goal


async def _shared_exercise(client, headers) -> str:
    r = await client.get("/api/v1/exercises", headers=headers, params={"q": "squat", "limit": 1})
    return r.json()["items"][0]["id"]


async def test_goal_progress_follows_the_latest_assessment(client, outbox):
    w = await make_client_world(client, outbox)
    cid, owner = w.client_id, w.owner
    await make_assessment(client, owner, cid, assessed_on="2026-01-01", body_weight_kg=90)
    goal = await make_goal(client, owner, cid, type="body_weight", target_value=80, unit="kg")
    assert goal["start_value"] == 90 and goal["progress_percent"] == 0
    await make_assessment(client, owner, cid, assessed_on="2026-02-01", body_weight_kg=85)
    url = f"/api/v1/clients/{cid}/goals/{goal['id']}"
    got = (await client.get(url, headers=owner.headers)).json()
    assert got["current_value"] == 85 and got["progress_percent"] == 50

    # Strength: a relative target in lb, stored in kg; 1RM from an assessment.
    squat = await _shared_exercise(client, owner.headers)
    lift = await make_goal(
        client,
        owner,
        cid,
        type="strength_lift",
        exercise_id=squat,
        target_kind="relative",
        start_value=220.462,
        target_value=44.0925,
        unit="lb",
    )
    assert lift["unit"] == "kg" and lift["start_value"] == 100 and lift["target_absolute"] == 120
    assert lift["progress_percent"] is None  # no 1RM recorded yet
    await make_assessment(
        client,
        owner,
        cid,
        assessed_on="2026-02-02",
        one_rep_maxes=[{"exercise_id": squat, "kg": 110}],
    )
    goals = (await client.get(f"/api/v1/clients/{cid}/goals", headers=owner.headers)).json()
    assert {g["type"]: g["progress_percent"] for g in goals} == {
        "body_weight": 50,
        "strength_lift": 50,
    }
    # Manual progress for a habit goal.
    habit = await make_goal(
        client, owner, cid, type="habit", start_value=0, target_value=20, current_value=5
    )
    assert habit["progress_percent"] == 25
    # The client reads their goals but does not write them.
    assert (await client.get(url, headers=w.client_self.headers)).status_code == 200
    r = await client.post(
        f"/api/v1/clients/{cid}/goals",
        headers=w.client_self.headers,
        json={"type": "habit", "target_value": 1},
    )
    assert r.status_code == 403
    assert (await client.get(url, headers=w.client_other.headers)).status_code == 404
    assert (await client.get(url, headers=w.trainer_other.headers)).status_code == 404
    r = await client.put(
        url,
        headers=w.trainer.headers,
        json={"type": "body_weight", "target_value": 82, "status": "achieved"},
    )
    assert r.status_code == 200 and r.json()["status"] == "achieved"
    assert (await client.delete(url, headers=w.trainer.headers)).status_code == 204
    assert (await client.get(url, headers=owner.headers)).status_code == 404


async def test_goal_bad_input(client, outbox):
    w = await make_client_world(client, outbox)
    url = f"/api/v1/clients/{w.client_id}/goals"
    bad = [
        {"type": "strength_lift", "target_value": 100},  # no exercise
        {"type": "strength_lift", "target_value": 100, "exercise_id": str(uuid.uuid4())},
        {"type": "habit", "target_value": 3, "exercise_id": str(uuid.uuid4())},
        {"type": "custom", "target_kind": "relative", "target_value": 0, "start_value": 3},
        {"type": "custom", "target_value": -4},
        {"type": "custom", "target_value": 5, "start_value": 5},
        {"type": "custom", "target_value": 5, "start_value": -1},
        {"type": "body_fat", "target_value": 150},
        {"type": "body_weight", "target_value": 70, "unit": "stone"},
        {"type": "moonwalk", "target_value": 1},
        {"type": "custom", "target_value": 1, "status": "done"},
    ]
    for payload in bad:
        r = await client.post(url, headers=w.owner.headers, json=payload)
        assert r.status_code == 422, (payload, r.text)
        assert r.headers["content-type"] == "application/problem+json"


async def test_assessment_ranges_and_unknown_exercises(client, outbox):
    w = await make_client_world(client, outbox)
    url = f"/api/v1/clients/{w.client_id}/assessments"
    bad = [
        {"resting_hr": 900},
        {"push_ups": -3},
        {"body_weight_kg": -70},
        {"bp_systolic": 80, "bp_diastolic": 120},
        {"bp_systolic": 120},
        {"movement_screen": {"deep_squat": 4}},
        {"movement_screen": {"moonwalk": 2}},
        {"one_rep_maxes": [{"exercise_id": str(uuid.uuid4()), "kg": 100}]},
        {"one_rep_maxes": [{"exercise_id": str(uuid.uuid4()), "kg": -1}]},
        {"assessed_on": "2999-01-01"},
        {"items": [{"name": "vo2max", "value": 40}, {"name": "VO2max", "value": 41}]},
    ]
    for payload in bad:
        r = await client.post(
            url, headers=w.owner.headers, json={"assessed_on": "2026-01-01", **payload}
        )
        assert r.status_code == 422, (payload, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    r = await client.post(url, headers=w.owner.headers, json={"resting_hr": 60})
    assert r.status_code == 422  # assessed_on is required


async def test_assessments_newest_first_paginated_and_compared(client, outbox):
    w = await make_client_world(client, outbox)
    cid, h = w.client_id, w.trainer.headers
    squat = await _shared_exercise(client, h)
    made = []
    for day, weight, hr, sq in [
        ("2026-01-01", 90, 72, 100),
        ("2026-03-01", 86.5, 64, 115),
        ("2026-02-01", 88, 68, 105),
    ]:
        made.append(
            await make_assessment(
                client,
                w.trainer,
                cid,
                assessed_on=day,
                body_weight_kg=weight,
                resting_hr=hr,
                one_rep_maxes=[{"exercise_id": squat, "kg": sq}],
                movement_screen={"deep_squat": 2, "hurdle_step": 1},
                items=[{"name": "VO2max", "value": 40 + hr / 100, "unit": "ml/kg/min"}],
            )
        )
    assert made[0]["fms_total"] == 3
    url = f"/api/v1/clients/{cid}/assessments"
    seen, cursor = [], None
    while True:
        page = (
            await client.get(
                url, headers=h, params={"limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += [a["assessed_on"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["2026-03-01", "2026-02-01", "2026-01-01"]
    assert (await client.get(url, headers=h, params={"cursor": "nope"})).status_code == 422

    cmp = (await client.get(f"{url}/compare", headers=h)).json()  # first vs latest
    assert cmp["days"] == 59
    assert cmp["changes"]["body_weight_kg"] == {"before": 90, "after": 86.5, "change": -3.5}
    assert cmp["changes"]["resting_hr"]["change"] == -8
    assert cmp["changes"][f"one_rep_max:{squat}"]["change"] == 15
    assert cmp["changes"]["fms:deep_squat"]["change"] == 0
    assert "push_ups" not in cmp["changes"]
    r = await client.get(
        f"{url}/compare", headers=h, params={"from": made[0]["id"], "to": made[2]["id"]}
    )
    assert r.json()["changes"]["body_weight_kg"]["change"] == -2
    r = await client.get(f"{url}/compare", headers=h, params={"from": str(uuid.uuid4())})
    assert r.status_code == 404
    # The client reads their own; others do not reach them.
    one = f"{url}/{made[1]['id']}"
    assert (await client.get(one, headers=w.client_self.headers)).status_code == 200
    assert (await client.get(f"{url}/compare", headers=w.client_self.headers)).status_code == 200
    assert (await client.get(one, headers=w.client_other.headers)).status_code == 404
    assert (await client.get(one, headers=w.trainer_other.headers)).status_code == 404
    assert (await client.delete(one, headers=w.client_self.headers)).status_code == 403
    r = await client.put(one, headers=h, json={"assessed_on": "2026-03-02", "push_ups": 20})
    assert (
        r.status_code == 200 and r.json()["push_ups"] == 20 and r.json()["body_weight_kg"] is None
    )
    assert (await client.delete(one, headers=h)).status_code == 204
    assert (await client.get(one, headers=h)).status_code == 404
