"""The training log in a browser: a client logs a full program workout on a phone, the
network is cut halfway (``context.set_offline``), they keep logging and finish offline,
reconnect, and their trainer sees every set exactly once and the new record.

On the way, one answer is lost on its way back to the phone (the server stored the set,
the phone never heard): the phone sends the set again and it is still stored once. The
page is also reloaded without signal: the sets logged offline are still there."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from spotter.exercises.dataset import library_id
from tests.builders import token_from_email
from tests.e2e import test_foundation_flow as foundation

pytestmark = pytest.mark.browser
SQUAT = str(library_id("exercise", "Barbell_Squat"))
BENCH = str(library_id("exercise", "Barbell_Bench_Press_-_Medium_Grip"))


def _api(live_server: Any) -> httpx.Client:
    return httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=20)


def _token_when_sent(live_server: Any, to: str) -> str:
    deadline = time.monotonic() + 15
    while True:
        try:
            return token_from_email(live_server.data_dir / "outbox", to, "/invitations/")
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _setup(live_server: Any) -> dict[str, Any]:
    """A trainer, their client with an app account and one earlier squat session
    (100 kg x 5), and a program whose workout for today is squats and bench presses."""
    trainer_email = foundation.unique("coach")
    client_email = foundation.unique("lifter")
    with _api(live_server) as api:
        r = api.post(
            "/auth/register",
            json={
                "email": trainer_email,
                "password": foundation.PASSWORD,
                "full_name": "Tara Trainer",
                "organization_name": "Offline Barbell",
            },
        )
        r.raise_for_status()
        coach = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = api.post(
            "/invitations",
            headers=coach,
            json={"email": client_email, "role": "client", "full_name": "Lee Lifter"},
        )
        r.raise_for_status()
        token = _token_when_sent(live_server, client_email)
        api.post(
            "/invitations/accept",
            json={"token": token, "password": foundation.PASSWORD, "full_name": "Lee Lifter"},
        ).raise_for_status()
        client_id = api.get("/clients", headers=coach).json()["items"][0]["id"]

        earlier = api.post(
            "/workouts",
            headers=coach,
            json={"client_id": client_id, "name": "Earlier", "performed_on": "2026-01-05"},
        ).json()
        entry = api.post(
            f"/workouts/{earlier['id']}/exercises", headers=coach, json={"exercise_id": SQUAT}
        ).json()
        api.put(
            f"/workouts/{earlier['id']}/sets/11111111-1111-4111-8111-111111111111",
            headers=coach,
            json={"logged_exercise_id": entry["id"], "load_kg": 100, "reps": 5},
        ).raise_for_status()
        api.post(f"/workouts/{earlier['id']}/complete", headers=coach).raise_for_status()

        rx = {"sets": 3, "reps": 5, "rest_seconds": 5}
        template = api.post(
            "/templates",
            headers=coach,
            json={
                "name": "Offline Strength",
                "phases": [
                    {
                        "name": "Base",
                        "weeks": 4,
                        "workouts": [
                            {
                                "name": "Squat day",
                                "prescriptions": [
                                    {"exercise_id": SQUAT, "load_kg": 100, **rx},
                                    {"exercise_id": BENCH, "load_kg": 60, **rx},
                                ],
                            }
                        ],
                    }
                ],
            },
        ).json()
        api.post(
            f"/templates/{template['id']}/assign",
            headers=coach,
            json={
                "client_id": client_id,
                "mode": "DYNAMIC_PROGRESSIVE",
                "start_on": datetime.now(UTC).date().isoformat(),
                "training_days": [1, 2, 3, 4, 5, 6, 7],
            },
        ).raise_for_status()
    return {
        "trainer_email": trainer_email,
        "client_email": client_email,
        "client_id": client_id,
        "coach": coach,
    }


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(foundation.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _card(page: Page, name: str) -> Any:
    return page.locator("section.exercise", has=page.get_by_role("heading", name=name))


def _log(page: Page, card: Any, n: int, *, load: str | None = None) -> None:
    row = card.locator("ol.sets > li").nth(n - 1)
    if load is not None:
        row.get_by_label(f"Set {n} load in kg").fill(load)
    row.get_by_role("button", name=f"Log set {n}").click()
    expect(row.get_by_role("button", name=f"Log set {n}")).to_be_hidden()


def test_offline_logging_syncs_every_set_once_and_the_trainer_sees_the_record(
    new_page, live_server
):
    world = _setup(live_server)
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _login(phone, world["client_email"])
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Train").click()
    phone.get_by_role("button", name="Start Squat day").click()
    expect(phone).to_have_url(re.compile(r"/train/[0-9a-f-]{36}$"))
    workout_id = phone.url.rsplit("/", 1)[1]
    sync = phone.get_by_role("status").filter(has_text=re.compile("saved|Sync|send"))
    expect(sync).to_have_text(re.compile("All saved"))
    phone.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready")

    squat = _card(phone, "Barbell Squat")
    bench = _card(phone, "Barbell Bench Press - Medium Grip")
    expect(squat.get_by_text("3 \u00d7 5 \u00b7 100 kg")).to_be_visible()

    # Online: set 1. Set 2's answer is lost on the way back (the server has it).
    _log(phone, squat, 1)
    expect(sync).to_have_text(re.compile("All saved"))
    lost: list[str] = []

    def lose_answer(route: Route) -> None:
        # Every answer is lost while this route is on (the page's retries too, so the
        # "to send" state cannot race past the check below): the server stores the set...
        if route.request.method == "POST":
            route.fetch()
            lost.append(route.request.url)
            route.abort("connectionreset")  # ...and the phone never hears
        else:
            route.continue_()

    phone.route("**/train/*/sets/*", lose_answer)
    _log(phone, squat, 2)
    expect(sync).to_have_text(re.compile(r"\d+ changes? to send"))
    phone.unroute("**/train/*/sets/*")
    assert lost

    # The gym's signal goes. Set 3 is heavier than ever: a record, noticed on the phone.
    phone.context.set_offline(True)
    _log(phone, squat, 3, load="105")
    expect(phone.get_by_text(re.compile("New record: heaviest load"))).to_be_visible()
    for n in (1, 2, 3):
        _log(phone, bench, n)
    expect(sync).to_have_text(re.compile(r"Offline · \d+ changes saved on this device"))
    expect(phone.get_by_role("timer")).to_be_visible()  # the rest timer runs

    # Reloaded without signal (the service worker serves the page), it still shows every
    # set logged offline.
    reloaded = phone.reload()
    assert reloaded is not None and reloaded.from_service_worker
    squat = _card(phone, "Barbell Squat")
    bench = _card(phone, "Barbell Bench Press - Medium Grip")
    expect(squat.get_by_label("Set 3 load in kg")).to_have_value("105")
    expect(bench.get_by_role("button", name=re.compile(r"^Log set"))).to_have_count(0)

    phone.get_by_label("Session RPE").select_option("8")
    phone.get_by_role("button", name="Finish workout").click()
    expect(phone.get_by_text(re.compile("saved on this device and will be sent"))).to_be_visible()

    # Back online: everything is sent, in order, and the phone shows the saved workout.
    phone.context.set_offline(False)
    expect(phone).to_have_url(re.compile(rf"/workouts/{workout_id}\?finished=1"), timeout=20_000)
    expect(phone.get_by_text(re.compile("Workout saved"))).to_be_visible()

    # The trainer sees every set exactly once, and the record.
    coach = new_page()
    _login(coach, world["trainer_email"])
    coach.goto(f"/clients/{world['client_id']}/workouts")
    coach.get_by_role("link", name="Squat day").click()
    expect(coach.get_by_role("heading", name="Squat day")).to_be_visible()
    squat_sets = coach.locator("section", has=coach.get_by_role("heading", name="Barbell Squat"))
    expect(squat_sets.locator(".set-list > li")).to_have_count(3)
    expect(squat_sets.get_by_text("105 kg · 5 reps")).to_have_count(1)
    bench_sets = coach.locator(
        "section", has=coach.get_by_role("heading", name="Barbell Bench Press - Medium Grip")
    )
    expect(bench_sets.locator(".set-list > li")).to_have_count(3)
    records = coach.locator("section", has=coach.get_by_role("heading", name="New records"))
    expect(records.get_by_text("Barbell Squat: heaviest load")).to_be_visible()
    expect(records.get_by_text(re.compile("105 kg · was 100 kg"))).to_be_visible()

    with _api(live_server) as api:
        detail = api.get(f"/workouts/{workout_id}", headers=world["coach"]).json()
    assert detail["status"] == "completed" and detail["session_rpe"] == 8
    assert [len(e["sets"]) for e in detail["entries"]] == [3, 3]
    assert [s["load_kg"] for s in detail["entries"][0]["sets"]] == [100, 100, 105]
    assert {r["kind"] for r in detail["new_records"]} >= {"load", "e1rm"}
