"""Programs: assignment with a deep copy, the week's workouts, dynamic and static
progress, scheduling, and who may do what."""

from __future__ import annotations

from datetime import date

import pytest

from spotter.core.db import db
from spotter.core.tenancy import set_organization
from spotter.programs import service
from tests.builders import invite_and_accept, make_client, make_member, make_owner
from tests.programs.helpers import API, assign, make_template, rx


async def _client_account(client, outbox, trainer):
    """A client with an app account, coached by ``trainer``."""
    account = await invite_and_accept(client, outbox, trainer, role="client", full_name="Cara Fit")
    listed = (await client.get(f"{API}/clients", headers=trainer.headers)).json()["items"]
    return account, next(c["id"] for c in listed if c["user_id"] == account.user_id)


async def _week(client, who, program_id, **params):
    r = await client.get(
        f"{API}/programs/{program_id}/workouts", headers=who.headers, params=params
    )
    assert r.status_code == 200, r.text
    return r.json()


async def _complete(client, who, program_id, workout_id, on="2026-01-05"):
    return await client.post(
        f"{API}/programs/{program_id}/workouts/{workout_id}/complete",
        headers=who.headers,
        json={"completed_on": on},
    )


async def test_assignment_copies_the_template(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    program = await assign(client, owner, t["id"], c["id"])
    assert program["template_id"] == t["id"] and program["client_id"] == c["id"]
    assert (program["current_phase"], program["current_week"], program["status"]) == (
        1,
        1,
        "active",
    )
    assert program["training_days"] == [1, 4] and program["total_weeks"] == 5
    # Later template edits leave the program alone.
    first = t["phases"][0]["workouts"][0]["prescriptions"][0]
    await client.put(
        f"{API}/prescriptions/{first['id']}", headers=owner.headers, json=rx(load_kg=5)
    )
    await client.put(
        f"{API}/phases/{t['phases'][0]['id']}",
        headers=owner.headers,
        json={"name": "X", "weeks": 9},
    )
    week = await _week(client, owner, program["id"])
    assert week["phase_name"] == "Accumulation"
    squat = week["workouts"][0]["prescriptions"][0]
    assert squat["load_kg"] == 100 and squat["exercise_name"] == "Barbell Squat"
    again = (await client.get(f"{API}/programs/{program['id']}", headers=owner.headers)).json()
    assert again["phases"][0]["weeks"] == 3
    listed = (await client.get(f"{API}/clients/{c['id']}/programs", headers=owner.headers)).json()
    assert [p["id"] for p in listed["items"]] == [program["id"]]
    # Program workouts are not template workouts.
    w = week["workouts"][0]["id"]
    assert (
        await client.put(f"{API}/workouts/{w}", headers=owner.headers, json={"name": "x"})
    ).status_code == 404


async def test_dynamic_program_advances_weeks_phases_and_completes(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    p = await assign(client, owner, t["id"], c["id"])
    seen = []
    for _ in range(3):  # phase 1: 3 weeks of 2 workouts
        week = await _week(client, owner, p["id"])
        seen.append(
            (week["phase"], week["week"], week["workouts"][0]["prescriptions"][0]["reps_min"])
        )
        a, b = (w["id"] for w in week["workouts"])
        r = await _complete(client, owner, p["id"], a)
        assert r.json()["current_week"] == week["week"]  # half a week: no advance
        # Completing the same workout twice counts once.
        assert (await _complete(client, owner, p["id"], a)).json()["current_week"] == week["week"]
        done = (await _week(client, owner, p["id"]))["workouts"]
        assert [w["completed"] for w in done] == [True, False]
        await _complete(client, owner, p["id"], b)
    # Double progression on the squat: 5, 6, 7 reps at 100 kg.
    assert seen == [(1, 1, 5), (1, 2, 6), (1, 3, 7)]
    bench = (await _week(client, owner, p["id"], phase=1, week=3))["workouts"][1]["prescriptions"][
        0
    ]
    assert bench["load_kg"] == 65  # linear +2.5 kg a week, reproducible afterwards
    now = (await client.get(f"{API}/programs/{p['id']}", headers=owner.headers)).json()
    assert (now["current_phase"], now["current_week"]) == (2, 1)
    heavy = await _week(client, owner, p["id"])
    assert heavy["workouts"][0]["prescriptions"][0]["percent_1rm"] == 80
    old = (await _week(client, owner, p["id"], phase=1, week=1))["workouts"]
    r = await _complete(client, owner, p["id"], old[0]["id"])
    assert r.status_code == 422  # not a workout of the current phase
    await _complete(client, owner, p["id"], heavy["workouts"][0]["id"])
    week2 = await _week(client, owner, p["id"])
    assert (week2["week"], week2["workouts"][0]["prescriptions"][0]["percent_1rm"]) == (2, 85)
    r = await _complete(client, owner, p["id"], heavy["workouts"][0]["id"], on="2026-02-20")
    done = r.json()
    assert (done["status"], done["completed_on"], done["current_phase"], done["current_week"]) == (
        "completed",
        "2026-02-20",
        2,
        2,
    )
    r = await _complete(client, owner, p["id"], heavy["workouts"][0]["id"])
    assert r.status_code == 409 and r.json()["code"] == "program_not_active"


async def test_record_workout_completed_service(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    p = await assign(client, owner, t["id"], c["id"])
    week = await _week(client, owner, p["id"])
    async with db.session() as s:
        set_organization(s, __import__("uuid").UUID(owner.organization_id))
        for w in week["workouts"]:
            program = await service.record_workout_completed(
                s,
                program_id=__import__("uuid").UUID(p["id"]),
                program_workout_id=__import__("uuid").UUID(w["id"]),
                completed_on=date(2026, 1, 6),
            )
        assert (program.current_phase, program.current_week) == (1, 2)


async def test_static_program_is_moved_by_the_trainer_only(client, outbox):
    owner = await make_owner(client)
    trainer = await make_member(client, outbox, owner, role="trainer")
    member, client_id = await _client_account(client, outbox, trainer)
    t = await make_template(client, trainer)
    p = await assign(client, trainer, t["id"], client_id, mode="STATIC")
    week = await _week(client, member, p["id"])
    for w in week["workouts"]:
        r = await _complete(client, member, p["id"], w["id"])
        assert r.status_code == 200
    assert r.json()["current_week"] == 1  # static: completion does not move it
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=member.headers, json={"current_week": 2}
    )
    assert r.status_code == 403
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=trainer.headers, json={"current_week": 4}
    )
    assert r.status_code == 422 and "beyond phase 1" in r.text
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=trainer.headers, json={"current_phase": 3}
    )
    assert r.status_code == 422
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=trainer.headers, json={"current_phase": 2}
    )
    assert (r.json()["current_phase"], r.json()["current_week"]) == (2, 1)
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=trainer.headers, json={"current_week": 2}
    )
    assert (r.json()["current_phase"], r.json()["current_week"]) == (2, 2)
    r = await client.get(
        f"{API}/programs/{p['id']}/workouts",
        headers=trainer.headers,
        params={"phase": 1, "week": 9},
    )
    assert r.status_code == 422
    r = await client.put(
        f"{API}/programs/{p['id']}", headers=trainer.headers, json={"status": "cancelled"}
    )
    assert r.json()["status"] == "cancelled"
    # The client sees their own program, read-only.
    r = await client.get(f"{API}/clients/{client_id}/programs", headers=member.headers)
    assert [x["id"] for x in r.json()["items"]] == [p["id"]]
    r = await client.post(f"{API}/templates/{t['id']}/assign", headers=member.headers, json={})
    assert r.status_code == 403
    assert (await client.get(f"{API}/templates", headers=member.headers)).status_code == 403


async def test_row_rules(client, outbox):
    owner = await make_owner(client)
    trainer = await make_member(client, outbox, owner, role="trainer")
    other = await make_member(client, outbox, owner, role="trainer")
    member, client_id = await _client_account(client, outbox, trainer)
    other_member, other_client = await _client_account(client, outbox, other)
    t = await make_template(client, owner, shared=True)
    mine = await assign(client, trainer, t["id"], client_id)
    theirs = await assign(client, other, t["id"], other_client)
    # A trainer assigns only to their own clients.
    r = await client.post(
        f"{API}/templates/{t['id']}/assign",
        headers=trainer.headers,
        json={
            "client_id": other_client,
            "mode": "STATIC",
            "start_on": "2026-01-05",
            "training_days": [1],
        },
    )
    assert r.status_code == 404
    for who, visible, hidden in (
        (trainer, mine, theirs),
        (member, mine, theirs),
        (other_member, theirs, mine),
    ):
        assert (
            await client.get(f"{API}/programs/{visible['id']}", headers=who.headers)
        ).status_code == 200
        assert (
            await client.get(f"{API}/programs/{hidden['id']}", headers=who.headers)
        ).status_code == 404
        assert (
            await client.get(f"{API}/programs/{hidden['id']}/schedule", headers=who.headers)
        ).status_code == 404
    # Another organization's template cannot be assigned.
    stranger = await make_owner(client, org_name="Elsewhere")
    r = await client.post(
        f"{API}/templates/{t['id']}/assign",
        headers=stranger.headers,
        json={
            "client_id": client_id,
            "mode": "STATIC",
            "start_on": "2026-01-05",
            "training_days": [1],
        },
    )
    assert r.status_code == 404 and r.json()["code"] == "template_not_found"


async def test_assignment_needs_training_days_and_a_live_template(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    body = {"client_id": c["id"], "mode": "STATIC", "start_on": "2026-01-05"}
    r = await client.post(f"{API}/templates/{t['id']}/assign", headers=owner.headers, json=body)
    assert r.status_code == 422 and "training_days" in r.text
    for days in (["funday"], [1, 1], [8]):
        r = await client.post(
            f"{API}/templates/{t['id']}/assign",
            headers=owner.headers,
            json={**body, "training_days": days},
        )
        assert r.status_code == 422, days
    await client.delete(f"{API}/templates/{t['id']}", headers=owner.headers)
    r = await client.post(
        f"{API}/templates/{t['id']}/assign",
        headers=owner.headers,
        json={**body, "training_days": [1]},
    )
    assert r.status_code == 409


async def test_schedule_on_training_days_and_moving_a_workout(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    p = await assign(
        client, owner, t["id"], c["id"], start_on="2026-01-06", training_days=["mon", "thu"]
    )
    r = await client.get(
        f"{API}/programs/{p['id']}/schedule",
        headers=owner.headers,
        params={"from": "2026-01-01", "to": "2026-01-31"},
    )
    items = r.json()
    # Starts Tuesday the 6th: Thursday, Monday, Thursday, ... Day A, Day B alternating.
    assert [(i["date"], i["workout_name"], i["week"]) for i in items[:4]] == [
        ("2026-01-08", "Day A", 1),
        ("2026-01-12", "Day B", 1),
        ("2026-01-15", "Day A", 2),
        ("2026-01-19", "Day B", 2),
    ]
    everything = (
        await client.get(
            f"{API}/programs/{p['id']}/schedule",
            headers=owner.headers,
            params={"from": "2026-01-01", "to": "2026-12-31"},
        )
    ).json()
    assert len(everything) == 3 * 2 + 2 * 1
    assert [i["phase"] for i in everything[-2:]] == [2, 2] and everything[-1]["week"] == 2
    moved = await client.put(
        f"{API}/programs/{p['id']}/schedule/{items[1]['id']}",
        headers=owner.headers,
        json={"date": "2026-01-13"},
    )
    assert moved.status_code == 200 and moved.json()["moved"] is True
    again = (
        await client.get(
            f"{API}/programs/{p['id']}/schedule",
            headers=owner.headers,
            params={"from": "2026-01-01", "to": "2026-01-20"},
        )
    ).json()
    assert [(i["date"], i["planned_date"], i["moved"]) for i in again[:2]] == [
        ("2026-01-08", "2026-01-08", False),
        ("2026-01-13", "2026-01-12", True),
    ]
    r = await client.put(
        f"{API}/programs/{p['id']}/schedule/{items[1]['id']}",
        headers=owner.headers,
        json={"date": "2025-12-01"},
    )
    assert r.status_code == 422
    r = await client.put(
        f"{API}/programs/{p['id']}/schedule/{p['id']}",
        headers=owner.headers,
        json={"date": "2026-01-13"},
    )
    assert r.status_code == 404
    r = await client.get(
        f"{API}/programs/{p['id']}/schedule",
        headers=owner.headers,
        params={"from": "2026-02-01", "to": "2026-01-01"},
    )
    assert r.status_code == 422


async def test_client_profile_training_days_are_the_default(client):
    owner = await make_owner(client)
    t = await make_template(client, owner)
    c = await make_client(client, owner)
    from spotter.clients.models import Client

    if not hasattr(Client, "training_days"):
        pytest.skip("client profiles have no training days yet")
    async with db.session(platform=True) as s:
        row = await s.get(Client, __import__("uuid").UUID(c["id"]))
        row.training_days = [2, 5]
    r = await client.post(
        f"{API}/templates/{t['id']}/assign",
        headers=owner.headers,
        json={"client_id": c["id"], "mode": "STATIC", "start_on": "2026-01-05"},
    )
    assert r.status_code == 201 and r.json()["training_days"] == [2, 5]


ROLES = ["owner", "admin", "trainer", "front_desk", "client"]


@pytest.mark.parametrize("role", ROLES)
async def test_role_matrix(client, outbox, role):
    from spotter.core.permissions import ROLE_PERMISSIONS, Role

    owner = await make_owner(client)
    actor = await make_member(client, outbox, owner, role=role)
    perms = ROLE_PERMISSIONS[Role(role)]
    t = await make_template(client, owner, shared=True)
    trainer_id = actor.user_id if role in ("trainer",) else None
    c = await make_client(client, owner, trainer_id=trainer_id)
    if role == "client":
        listed = (await client.get(f"{API}/clients", headers=owner.headers)).json()["items"]
        c = next(x for x in listed if x["user_id"] == actor.user_id)
    p = await assign(client, owner, t["id"], c["id"])
    h = actor.headers
    got = {
        "list templates": (await client.get(f"{API}/templates", headers=h)).status_code,
        "create template": (
            await client.post(f"{API}/templates", headers=h, json={"name": "Mine"})
        ).status_code,
        "edit shared": (
            await client.put(f"{API}/templates/{t['id']}", headers=h, json={"name": "S"})
        ).status_code,
        "read program": (await client.get(f"{API}/programs/{p['id']}", headers=h)).status_code,
        "move program": (
            await client.put(f"{API}/programs/{p['id']}", headers=h, json={"current_week": 2})
        ).status_code,
    }

    def ok(perm, status):
        return status if perm in perms else 403

    expected = {
        "list templates": ok("templates:read", 200),
        "create template": ok("templates:write", 201),
        "edit shared": 200 if "templates:manage" in perms else 403,
        "read program": ok("programs:read", 200),
        "move program": ok("programs:write", 200),
    }
    assert got == expected
