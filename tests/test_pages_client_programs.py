"""The client page's programs (where a program is, its week, manual moves, pause/resume/
complete, rescheduling), the strength-goal lift picker and the assign form's client
search."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from spotter.core.db import utcnow
from tests.builders import make_client_world, make_owner
from tests.programs.helpers import API, SQUAT, assign, make_template
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def _program(client, world, **kwargs) -> dict:
    """The trainer's 2-phase template (3 + 2 weeks) assigned to their client, starting
    this week's Monday on Monday and Thursday."""
    t = await make_template(client, world.trainer)
    start = _monday(utcnow().date()).isoformat()
    return await assign(client, world.trainer, t["id"], world.client_id, start_on=start, **kwargs)


async def _api_program(client, world, pid) -> dict:
    r = await client.get(f"{API}/programs/{pid}", headers=world.trainer.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_programs_tab_shows_position_and_this_weeks_schedule(browser, client, world):  # noqa: F811
    p = await _program(client, world, mode="STATIC")
    b = await logged_in(browser, world.trainer.email)
    r = await b.get(f"/clients/{world.client_id}?tab=programs")
    assert r.status_code == 200
    page = text(r)
    assert f'id="program-{p["id"]}"' in r.text
    assert "Phase 1 of 2: Accumulation" in page and "week 1 of 3" in page
    assert "week 1 of 5 overall" in page and "This week" in page
    assert "Day A" in page and "Day B" in page and "Rest" in page  # Mon and Thu; rest days
    assert "Static: you move it on" in page and "Mon, Thu" in page
    assert "Next week \u203a" in page and re.search(r'value="back"\s+disabled', r.text)

    # Another week: next week shows phase 1 week 2 workouts.
    nxt = (_monday(utcnow().date()) + timedelta(days=7)).isoformat()
    r = await b.get(f"/clients/{world.client_id}", params={"tab": "programs", "week": nxt})
    assert r.status_code == 200 and "Phase 1, week 2" in text(r) and "This week</a>" in r.text
    r = await b.get(f"/clients/{world.client_id}", params={"tab": "programs", "week": "soon"})
    assert r.status_code == 422

    # Front desk sees programs but cannot move them.
    fd = await logged_in(browser, world.front_desk.email)
    r = await fd.get(f"/clients/{world.client_id}?tab=programs")
    assert r.status_code == 200 and "Day A" in text(r) and "Next week \u203a" not in text(r)
    url = f"/clients/{world.client_id}/programs/{p['id']}"
    assert (await hx_post(fd, f"{url}/week", {"step": "on"})).status_code == 403


async def test_static_moves_over_htmx_and_without(browser, client, world):  # noqa: F811
    p = await _program(client, world, mode="STATIC")
    b = await logged_in(browser, world.trainer.email)
    url = f"/clients/{world.client_id}/programs/{p['id']}"

    r = await hx_post(b, f"{url}/week", {"step": "back"})  # already at the first week
    assert r.status_code == 422 and "first week" in text(r)
    r = await hx_post(b, f"{url}/week", {"step": "on"})
    assert r.status_code == 200, r.text
    assert r.text.lstrip().startswith(f'<article class="card program-card" id="program-{p["id"]}"')
    assert "now phase 1, week 2" in text(r) and 'role="status" tabindex="-1" autofocus' in r.text
    for _ in range(2):
        r = await hx_post(b, f"{url}/week", {"step": "on"})
    assert "now phase 2, week 1" in text(r)  # across the phase boundary
    r = await hx_post(b, f"{url}/week", {"step": "back"})
    assert "now phase 1, week 3" in text(r)

    # Jump to a phase and week; refusals sit next to the week.
    r = await hx_post(b, f"{url}/position", {"phase": "2", "week": "3"})
    assert r.status_code == 422 and f'id="jw-{p["id"]}-e"' in r.text
    assert "beyond phase 2" in text(r)
    r = await hx_post(b, f"{url}/position", {"phase": "9", "week": "1"})
    assert r.status_code == 422 and "does not exist" in text(r)
    r = await hx_post(b, f"{url}/position", {"phase": "", "week": "x"})
    assert r.status_code == 422
    assert (await _api_program(client, world, p["id"]))["current_week"] == 3  # unchanged
    r = await hx_post(b, f"{url}/position", {"phase": "2", "week": "2"})
    assert r.status_code == 200 and "now phase 2, week 2" in text(r)
    assert 'value="on" disabled' in r.text  # the last week: "next" is off

    # Without JavaScript: a redirect to the card, or the tab with the message.
    r = await b.post(f"{url}/week", {"step": "back"})
    assert r.status_code == 303
    assert r.headers["location"] == f"/clients/{world.client_id}?tab=programs#program-{p['id']}"
    r = await b.post(f"{url}/position", {"phase": "2", "week": "7"})
    assert r.status_code == 422 and "Programs" in text(r) and "beyond phase 2" in text(r)
    r = await b.post(f"{url}/week", {"step": "sideways"})
    assert r.status_code == 422
    program = await _api_program(client, world, p["id"])
    assert (program["current_phase"], program["current_week"]) == (2, 1)


async def test_pause_resume_complete_and_reopen(browser, client, world):  # noqa: F811
    p = await _program(client, world)
    b = await logged_in(browser, world.trainer.email)
    url = f"/clients/{world.client_id}/programs/{p['id']}"
    page = text(await b.get(f"/clients/{world.client_id}?tab=programs"))
    assert "Progressive" in page and "Next week \u203a" not in page  # no manual moves when dynamic
    r = await hx_post(b, f"{url}/status", {"status": "paused"})
    assert r.status_code == 200 and "is paused" in text(r) and "Resume" in text(r)
    assert (await _api_program(client, world, p["id"]))["status"] == "paused"
    # A paused program is not logged against.
    workout = (
        await client.get(f"{API}/programs/{p['id']}/workouts", headers=world.trainer.headers)
    ).json()
    r = await client.post(
        f"{API}/programs/{p['id']}/workouts/{workout['workouts'][0]['id']}/complete",
        headers=world.client_self.headers,
        json={},
    )
    assert r.status_code == 409
    r = await hx_post(b, f"{url}/status", {"status": "active"})
    assert "running again" in text(r)
    r = await hx_post(b, f"{url}/status", {"status": "completed"})
    assert "is complete" in text(r) and "Reopen" in text(r) and "This week" not in text(r)
    assert (await _api_program(client, world, p["id"]))["completed_on"] is not None
    r = await hx_post(b, f"{url}/status", {"status": "exploded"})
    assert r.status_code == 422
    r = await b.post(f"{url}/status", {"status": "active"})
    assert r.status_code == 303
    assert (await _api_program(client, world, p["id"]))["status"] == "active"


async def test_reschedule_a_workout(browser, client, world):  # noqa: F811
    p = await _program(client, world)
    b = await logged_in(browser, world.trainer.email)
    monday = _monday(utcnow().date())
    page = (await b.get(f"/clients/{world.client_id}?tab=programs")).text
    scheduled = re.findall(rf"/programs/{p['id']}/schedule/([0-9a-f-]{{36}})", page)
    assert len(set(scheduled)) == 2  # Day A on Monday, Day B on Thursday
    day_a = scheduled[0]
    url = f"/clients/{world.client_id}/programs/{p['id']}/schedule/{day_a}"

    r = await hx_post(b, url, {"date": (monday - timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and f'id="mv-{day_a}-e"' in r.text and "starts on" in text(r)
    assert re.search(rf'id="mv-{day_a}"[^>]*aria-invalid="true"', r.text)
    r = await hx_post(b, url, {"date": ""})
    assert r.status_code == 422 and "required" in text(r)
    r = await hx_post(b, url, {"date": "31/02/2026"})
    assert r.status_code == 422

    tuesday = monday + timedelta(days=1)
    r = await hx_post(b, url, {"date": tuesday.isoformat()})
    assert r.status_code == 200, r.text
    assert f"Day A moved to {tuesday:%A %-d %B}" in text(r)
    assert f"moved from {monday:%a %-d %b}" in text(r)
    sched = await client.get(f"{API}/programs/{p['id']}/schedule", headers=world.trainer.headers)
    moved = next(i for i in sched.json() if i["id"] == day_a)
    assert moved["date"] == tuesday.isoformat() and moved["moved"] is True

    # Without JavaScript too; an occurrence that does not exist is a 404.
    r = await b.post(url, {"date": (monday + timedelta(days=2)).isoformat()})
    assert r.status_code == 303
    missing = f"/clients/{world.client_id}/programs/{p['id']}/schedule/{p['id']}"
    assert (await hx_post(b, missing, {"date": tuesday.isoformat()})).status_code == 404


async def test_program_routes_answer_404_across_trainers_clients_and_organizations(
    browser,  # noqa: F811
    client,
    world,
):
    p = await _program(client, world, mode="STATIC")
    base = f"/clients/{world.client_id}/programs/{p['id']}"
    actions = [
        (f"{base}/week", {"step": "on"}),
        (f"{base}/position", {"phase": "1", "week": "2"}),
        (f"{base}/status", {"status": "paused"}),
        (f"{base}/schedule/{p['id']}", {"date": "2030-01-01"}),
    ]
    other_trainer = await logged_in(browser, world.trainer_other.email)
    stranger = await make_owner(client, org_name="Elsewhere")
    s = await logged_in(browser, stranger.email)
    for who in (other_trainer, s):
        for url, data in actions:
            r = await hx_post(who, url, data)
            assert r.status_code == 404, (url, r.status_code)
    # The program under another client's id is not found either.
    owner = await logged_in(browser, world.owner.email)
    wrong = f"/clients/{world.other_client_id}/programs/{p['id']}/week"
    assert (await hx_post(owner, wrong, {"step": "on"})).status_code == 404
    program = await _api_program(client, world, p["id"])
    assert (program["status"], program["current_week"]) == ("active", 1)


async def test_strength_goal_picks_its_lift_from_the_library(browser, client, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    base = f"/clients/{world.client_id}"
    page = (await b.get(f"{base}?tab=goals")).text
    assert 'value="strength_lift"' in page and 'hx-get="/exercises/pick"' in page
    r = await b.client.get("/exercises/pick", params={"q": "barbel squat"}, headers=HX)
    assert r.status_code == 200 and f'data-pick-id="{SQUAT}"' in r.text
    assert "No exercise matches" in text(await b.client.get("/exercises/pick?q=zzqx", headers=HX))

    goal = {"type": "strength_lift", "target_value": "140", "unit": "kg"}
    r = await b.post(f"{base}/goals", goal)
    assert r.status_code == 422 and 'id="goal-lift-error"' in r.text
    assert "Choose the lift" in text(r)
    r = await b.post(
        f"{base}/goals",
        {**goal, "exercise_id": world.client_id, "exercise_name": "Not a lift"},
    )
    assert r.status_code == 422 and "no such exercise" in text(r).lower()
    assert 'value="Not a lift"' in r.text  # the chosen name is shown again
    r = await b.post(
        f"{base}/goals", {**goal, "exercise_id": SQUAT, "exercise_name": "Barbell Squat"}
    )
    assert r.status_code == 303, r.text
    assert "Barbell Squat 1RM" in text(await b.get(f"{base}?tab=goals"))
    goals = await client.get(
        f"{API}/clients/{world.client_id}/goals", headers=world.trainer.headers
    )
    lift = next(g for g in goals.json() if g["type"] == "strength_lift")
    assert lift["exercise_id"] == SQUAT and lift["target_value"] == 140

    # Another type ignores a lift left in the picker.
    r = await b.post(
        f"{base}/goals",
        {"type": "custom", "title": "Sessions", "target_value": "10", "exercise_id": SQUAT},
    )
    assert r.status_code == 303, r.text


async def test_assign_form_searches_clients_by_name(browser, client, world):  # noqa: F811
    t = await make_template(client, world.trainer)
    b = await logged_in(browser, world.trainer.email)
    builder = (await b.get(f"/programs/{t['id']}")).text
    assert 'hx-get="/clients/pick"' in builder and "Choose a client" not in builder
    assert "Otto Elsewhere" not in builder  # no list of every client any more
    r = await b.client.get("/clients/pick", params={"q": "sally"}, headers=HX)
    assert f'data-pick-id="{world.client_id}"' in r.text
    r = await b.client.get("/clients/pick", params={"q": "otto"}, headers=HX)
    assert "No client matches" in text(r)  # another trainer's client

    r = await b.post("/programs/assign/new", {"template_id": t["id"], "mode": "STATIC"})
    assert r.status_code == 422 and "Choose a client." in text(r)
    r = await b.post(
        "/programs/assign/new",
        {
            "template_id": t["id"],
            "client_id": world.other_client_id,
            "client_name": "Otto Elsewhere",
            "mode": "STATIC",
            "start_on": "2026-01-05",
            "training_days": ["1"],
        },
    )
    assert r.status_code == 404  # not the trainer's client
    r = await b.post(
        "/programs/assign/new",
        {
            "template_id": t["id"],
            "client_id": world.client_id,
            "client_name": "Sally",
            "mode": "STATIC",
            "start_on": "not a date",
        },
    )
    assert r.status_code == 422 and 'value="Sally"' in r.text  # the choice is kept
    page = await b.get(f"/programs/assign/new?client_id={world.client_id}")
    assert page.status_code == 200 and f'value="{world.client_id}"' in page.text
    assert (
        await b.get(f"/programs/assign/new?client_id={world.other_client_id}")
    ).status_code == 404
    assert (await b.get("/programs/assign/new?client_id=nope")).status_code == 422
