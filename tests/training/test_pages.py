"""Training pages: the client's start page and logging page (and the JSON requests it
sends), a workout's detail, history with export and import, progress and one lift, for
the client and for their trainer; the service worker."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.builders import make_client_world
from tests.programs.helpers import assign, make_template
from tests.test_pages import Browser, browser, text  # noqa: F401  (the fixture)
from tests.training.helpers import API, SQUAT, quick_workout

JSON = {"Accept": "application/json"}
FIXTURES = Path(__file__).parent / "fixtures"


async def logged_in(browser, email: str) -> Browser:  # noqa: F811
    b = await browser()
    await b.login(email)
    return b


async def send(b: Browser, method: str, url: str, body: dict | None = None):
    headers = {**JSON, "X-CSRF-Token": await b.csrf()}
    return await b.client.request(method, url, json=body, headers=headers)


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def test_a_client_starts_logs_and_finishes_a_program_workout(client, browser, world):  # noqa: F811
    template = await make_template(client, world.trainer)
    program = await assign(client, world.trainer, template["id"], world.client_id)
    me = await logged_in(browser, world.client_self.email)
    page = await me.get("/train")
    assert page.status_code == 200 and "Free workout" in text(page)
    assert 'href="/train"' in page.text  # the nav (its "Progress" is the body data's)

    week = (
        await client.get(f"{API}/programs/{program['id']}/workouts", headers=world.trainer.headers)
    ).json()
    r = await me.post(
        "/train/start",
        {"program_id": program["id"], "program_workout_id": week["workouts"][0]["id"]},
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/train/")
    workout_id = r.headers["location"].rsplit("/", 1)[1]
    log = await me.get(f"/train/{workout_id}")
    assert log.status_code == 200
    assert 'id="log-state"' in log.text and "Barbell Squat" in log.text
    assert "/static/training/log.js" in log.text

    detail = (
        await client.get(f"{API}/workouts/{workout_id}", headers=world.trainer.headers)
    ).json()
    squat = detail["entries"][0]["id"]
    set_id = str(uuid.uuid4())
    body = {"logged_exercise_id": squat, "load_kg": 100, "reps": 5}
    first = await send(me, "POST", f"/train/{workout_id}/sets/{set_id}", body)
    again = await send(me, "POST", f"/train/{workout_id}/sets/{set_id}", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["changed"] is False
    # Errors are JSON for the page's script (not an HTML page).
    bad = await send(me, "POST", f"/train/{workout_id}/sets/{uuid.uuid4()}", {**body, "reps": -1})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    missing = await send(me, "POST", f"/train/{uuid.uuid4()}/sets/{uuid.uuid4()}", body)
    assert missing.status_code == 404 and missing.json()["code"] == "logged_workout_not_found"
    # Without the CSRF header, nothing is written.
    r = await me.client.post(f"/train/{workout_id}/sets/{uuid.uuid4()}", json=body, headers=JSON)
    assert r.status_code == 403

    done = await send(me, "POST", f"/train/{workout_id}/complete", {"session_rpe": 8})
    assert done.status_code == 200 and done.json()["workout"]["status"] == "completed"
    shown = await me.get(f"/workouts/{workout_id}?finished=1")
    assert shown.status_code == 200 and "Workout saved" in text(shown)
    assert "100 kg" in text(shown) and "5 reps" in text(shown)


async def test_adding_and_swapping_exercises_from_the_page(browser, client, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    r = await me.post("/train/start", {})
    workout_id = r.headers["location"].rsplit("/", 1)[1]
    found = await me.client.get("/train/exercise-search", params={"q": "bench press"}, headers=JSON)
    assert found.status_code == 200 and found.json()
    entry_id = str(uuid.uuid4())
    added = await send(
        me,
        "POST",
        f"/train/{workout_id}/exercises",
        {"id": entry_id, "exercise_id": found.json()[0]["id"]},
    )
    assert added.status_code == 201
    subs = await me.client.get(
        f"/train/{workout_id}/exercises/{entry_id}/substitutes", headers=JSON
    )
    assert subs.status_code == 200 and subs.json()
    swapped = await send(
        me,
        "POST",
        f"/train/{workout_id}/exercises/{entry_id}/swap",
        {"exercise_id": subs.json()[0]["id"]},
    )
    assert swapped.status_code == 200 and swapped.json()["swapped_from_id"]
    r = await me.post(f"/train/{workout_id}/discard")
    assert r.status_code == 303 and r.headers["location"] == "/train"


async def test_the_trainer_sees_history_workout_progress_and_a_lift(browser, client, world):  # noqa: F811
    await quick_workout(
        client, world.trainer, world.client_id, [(100, 5)], performed_on="2026-03-02"
    )
    workout, _ = await quick_workout(
        client, world.trainer, world.client_id, [(100, 6), (105, 5)], performed_on="2026-03-05"
    )
    coach = await logged_in(browser, world.trainer.email)
    base = f"/clients/{world.client_id}"
    overview = await coach.get(base)
    assert f'href="{base}/workouts"' in overview.text and f'href="{base}/progress"' in overview.text
    history = await coach.get(f"{base}/workouts")
    assert history.status_code == 200 and "Log a workout for" in text(history)
    assert f"/workouts/{workout['id']}" in history.text and "PR" in history.text
    detail = await coach.get(f"/workouts/{workout['id']}")
    assert detail.status_code == 200 and "New records" in text(detail)
    assert "105 kg" in text(detail)
    for range_ in ("4w", "12w", "1y", "all"):
        progress = await coach.get(f"{base}/progress?range={range_}")
        assert progress.status_code == 200, progress.text[:500]
        assert 'id="chart-data"' in progress.text and "Training progress" in text(progress)
        # The progress domain's body charts, with their own data route.
        assert f'data-url="/progress/clients/{world.client_id}/charts/body"' in progress.text
    lift = await coach.get(f"{base}/progress/lifts/{SQUAT}")
    assert (
        lift.status_code == 200 and "Barbell Squat" in text(lift) and 'id="lift-data"' in lift.text
    )
    csv = await coach.get(f"{base}/workouts.csv")
    assert csv.status_code == 200 and csv.text.startswith("Date,Workout Name")
    # Another trainer's client does not exist for this trainer.
    assert (await coach.get(f"/clients/{world.other_client_id}/progress")).status_code == 404
    # The client's own pages show the same, in their units.
    me = await logged_in(browser, world.client_self.email)
    assert (await me.get("/history")).status_code == 200
    lift = await me.get(f"{base}/progress/lifts/{SQUAT}")
    assert lift.status_code == 200 and "Your training progress" in text(lift)
    own = await me.get(f"{base}/progress")  # their own record
    assert own.status_code == 200 and "Your training progress" in text(own)
    assert "data-body-charts" in own.text and f'href="{base}/workouts"' not in own.text
    assert (await me.get(f"/clients/{world.other_client_id}/progress")).status_code == 404


async def test_import_through_the_pages(browser, world):  # noqa: F811
    coach = await logged_in(browser, world.trainer.email)
    url = f"/clients/{world.client_id}/workouts/import"
    assert (await coach.get(url)).status_code == 200
    upload = {"file": ("strong.csv", (FIXTURES / "strong.csv").read_bytes(), "text/csv")}
    form = {"csrf_token": await coach.csrf(), "format": "auto"}
    preview = await coach.client.post(url, data=form, files=upload, headers={"Accept": "text/html"})
    assert preview.status_code == 200, preview.text[:500]
    shown = text(preview)
    assert "Import preview" in shown and "Zottman Curl Deluxe (Machine)" in shown
    assert (
        "rest timer row, not a set" in shown and 'name="map:Zottman Curl Deluxe (Machine)"' in shown
    )
    r = await coach.post(
        url,
        {
            "confirm": "1",
            "format": "strong",
            "csv": (FIXTURES / "strong.csv").read_text(),
            "map:Zottman Curl Deluxe (Machine)": "create",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{world.client_id}/workouts"
    history = await coach.get(r.headers["location"])
    assert "Imported 3 workouts (13 sets)" in text(history)
    # A file that is not an export comes back with the message next to the field.
    bad = await coach.client.post(
        url,
        data=form,
        files={"file": ("x.csv", b"name,age\nalice,30\n", "text/csv")},
        headers={"Accept": "text/html"},
    )
    assert bad.status_code == 422 and "not a Strong or Hevy" in text(bad)


async def test_front_desk_reads_but_does_not_log(browser, client, world):  # noqa: F811
    workout, _ = await quick_workout(client, world.trainer, world.client_id, [(60, 5)])
    desk = await logged_in(browser, world.front_desk.email)
    assert (await desk.get(f"/workouts/{workout['id']}")).status_code == 200
    # The training dashboard, without the body charts (progress data is not theirs).
    progress = await desk.get(f"/clients/{world.client_id}/progress")
    assert progress.status_code == 200 and "data-body-charts" not in progress.text
    assert (await desk.get(f"/train/{workout['id']}")).status_code == 403
    assert (await desk.post("/train/start", {"client_id": world.client_id})).status_code == 403


async def test_the_service_worker_covers_the_logging_pages(client):
    r = await client.get("/train/sw.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["service-worker-allowed"] == "/train/"
    assert "__VERSION__" not in r.text and "spotter-train-" in r.text
    offline = await client.get("/train/offline")
    assert offline.status_code == 200 and "No connection" in offline.text


def test_units_show_loads_in_the_viewers_unit():
    from spotter.training.pages.common import Units

    kg, lb = Units("metric"), Units("imperial")
    assert kg.load(680, 0) == "680 kg" and kg.load(102.5) == "102.5 kg" and kg.load(100) == "100 kg"
    assert lb.load(102.058) == "225 lb" and lb.number(None) == "—"
    assert lb.series([45.359237]) == [100.0]
