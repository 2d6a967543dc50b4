"""Coaching pages: the client record with its tabs, the program builder, the assign form and
the client's home (today's workout, this week, goals)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from spotter.core.db import utcnow
from tests.builders import make_client_world, make_owner
from tests.test_pages import Browser, browser, text  # noqa: F401  (the fixture)

HX = {"HX-Request": "true"}


async def logged_in(browser, email: str) -> Browser:  # noqa: F811
    b = await browser()
    await b.login(email)
    return b


async def hx_post(b: Browser, url: str, data: dict | None = None):
    form = {"csrf_token": await b.csrf(), **(data or {})}
    return await b.client.post(url, data=form, headers={"Accept": "text/html", **HX})


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


TABS = ("overview", "profile", "health", "goals", "assessments", "programs", "notes")


async def test_client_list_filters_and_links_to_the_client_page(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.get("/clients?status=active")
    assert r.status_code == 200
    assert f'href="/clients/{world.client_id}"' in r.text
    r = await b.get("/clients/rows?status=archived")
    assert "No archived clients" in text(r)


async def test_every_tab_renders_for_the_trainer(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    for tab in TABS:
        r = await b.get(f"/clients/{world.client_id}?tab={tab}")
        assert r.status_code == 200, (tab, r.text[:2000])
        assert 'aria-current="page">' in r.text
    assert "Sally Self" in r.text


async def test_new_client_form(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.post("/clients/new", {"first_name": "", "email": "not-an-email"})
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text
    r = await b.post(
        "/clients/new",
        {"first_name": "Nina", "last_name": "New", "email": "nina@example.com", "tags": "a, b"},
    )
    assert r.status_code == 303, r.text
    page = await b.get(r.headers["location"])
    assert "Nina New" in page.text and "was added" in text(page)
    assert 'name="trainer_id"' not in (await b.get("/clients/new")).text  # their own client

    owner = await logged_in(browser, world.owner.email)
    form = (await owner.get("/clients/new")).text
    assert 'name="trainer_id"' in form and "Tia Own" in form
    r = await owner.post(
        "/clients/new", {"first_name": "Tess", "trainer_id": world.trainer.user_id}
    )
    assert r.status_code == 303, r.text
    assert "Tia Own" in (await owner.get(r.headers["location"])).text


async def test_health_goal_assessment_profile_and_notes_forms(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    base = f"/clients/{world.client_id}"
    r = await b.post(
        f"{base}/health",
        {
            "parq_heart_condition": "yes",
            "parq_heart_condition_details": "Mild hypertension",
            "conditions": "Asthma\nHypertension",
            "ec_name": "Eve",
            "ec_phone": "+44 20 1234",
        },
    )
    assert r.status_code == 303, r.text
    page = text(await b.get(f"{base}?tab=health"))
    assert "Asthma\nHypertension" in page and "Ask for medical clearance" in page

    r = await b.post(f"{base}/health", {"cleared": "on"})  # clearance needs a date
    assert r.status_code == 422 and 'id="f-cleared_on-error"' in r.text

    r = await b.post(f"{base}/goals", {"type": "custom", "title": "Sessions", "unit": "x"})
    assert r.status_code == 422 and 'id="f-target_value-error"' in r.text
    r = await b.post(
        f"{base}/goals",
        {"type": "custom", "title": "Train 12 times", "start_value": "0", "target_value": "12"},
    )
    assert r.status_code == 303, r.text
    assert "Train 12 times" in text(await b.get(f"{base}?tab=goals"))

    r = await b.post(f"{base}/assessments", {"assessed_on": "2026-01-05", "bp_systolic": "120"})
    assert r.status_code == 422 and "blood pressure" in text(r).lower()
    r = await b.post(
        f"{base}/assessments",
        {"assessed_on": "2026-01-05", "body_weight_kg": "71.5", "deep_squat": "2"},
    )
    assert r.status_code == 303, r.text
    assert "71.5" in (await b.get(f"{base}?tab=assessments")).text

    r = await b.post(
        f"{base}/profile",
        {"training_days": ["1", "3", "5"], "equipment": ["barbell"], "height_cm": "170"},
    )
    assert r.status_code == 303, r.text
    r = await b.post(f"{base}/notes", {"notes": "Prefers mornings"})
    assert r.status_code == 303
    assert "Prefers mornings" in (await b.get(f"{base}?tab=notes")).text


async def test_front_desk_never_sees_health(browser, world):  # noqa: F811
    b = await logged_in(browser, world.front_desk.email)
    r = await b.get(f"/clients/{world.client_id}")
    assert r.status_code == 200
    assert "tab=health" not in r.text and "tab=notes" not in r.text
    assert (await b.get(f"/clients/{world.client_id}?tab=health")).status_code == 403
    r = await b.post(f"/clients/{world.client_id}/health", {"conditions": "x"})
    assert r.status_code == 403


async def test_other_trainers_and_organizations_get_404(browser, client, world):  # noqa: F811
    other = await logged_in(browser, world.trainer_other.email)
    assert (await other.get(f"/clients/{world.client_id}")).status_code == 404
    stranger = await make_owner(client, org_name="Elsewhere")
    s = await logged_in(browser, stranger.email)
    assert (await s.get(f"/clients/{world.client_id}")).status_code == 404
    r = await s.post(f"/clients/{world.client_id}/notes", {"notes": "x"})
    assert r.status_code == 404


def _ids(html: str, prefix: str) -> list[str]:
    return re.findall(prefix + r"([0-9a-f-]{36})", html)


async def test_builder_assign_and_client_home(browser, client, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    assert "No templates yet" in text(await b.get("/programs"))
    r = await b.post("/programs", {"name": "", "weeks": "4", "days": "9"})
    assert r.status_code == 422
    r = await b.post("/programs", {"name": "Three day split", "weeks": "2", "days": "3"})
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    tid = url.rsplit("/", 1)[1]
    page = (await b.get(url)).text
    workouts = list(dict.fromkeys(_ids(page, 'id="workout-')))
    assert len(workouts) == 3
    day1 = workouts[0]

    r = await b.client.get(
        f"/programs/{tid}/workouts/{day1}/exercises", params={"q": "bench press"}, headers=HX
    )
    assert r.status_code == 200
    exercise_ids = re.findall(r'"exercise_id": "([0-9a-f-]{36})"', text(r))
    assert len(exercise_ids) >= 2
    for ex in exercise_ids[:3]:
        r = await hx_post(b, f"/programs/{tid}/workouts/{day1}/prescriptions", {"exercise_id": ex})
        assert r.status_code == 200, r.text
    rxs = list(dict.fromkeys(_ids(r.text, 'id="rx-')))
    assert len(rxs) == 3

    r = await hx_post(b, f"/programs/{tid}/prescriptions/{rxs[0]}/group")
    assert r.status_code == 200 and "Superset A" in r.text
    r = await hx_post(b, f"/programs/{tid}/prescriptions/{rxs[1]}", {"reps": "12-8"})
    assert r.status_code == 422 and "upside down" in text(r)
    r = await hx_post(
        b,
        f"/programs/{tid}/prescriptions/{rxs[1]}",
        {"sets": "4", "reps": "6", "load": "80", "load_kind": "load_kg", "rest_seconds": "120"},
    )
    assert r.status_code == 200 and 'value="80"' in r.text
    r = await hx_post(b, f"/programs/{tid}/prescriptions/{rxs[2]}/move?to=up")
    assert r.status_code == 200
    assert list(dict.fromkeys(_ids(r.text, 'id="rx-'))) == [rxs[0], rxs[2], rxs[1]]
    r = await hx_post(b, f"/programs/{tid}/prescriptions/{rxs[2]}/delete")
    assert rxs[2] not in r.text
    r = await b.post(f"/programs/{tid}/workouts/{day1}/duplicate")
    assert r.status_code == 303
    page = (await b.get(url)).text
    assert len(set(_ids(page, 'id="workout-'))) == 4

    # Assign: refused without a client, then dynamically from today on every day.
    r = await b.post("/programs/assign/new", {"template_id": tid, "mode": "STATIC"})
    assert r.status_code == 422
    today = utcnow().date()
    r = await b.post(
        "/programs/assign/new",
        {
            "template_id": tid,
            "client_id": world.client_id,
            "mode": "DYNAMIC_PROGRESSIVE",
            "start_on": today.isoformat(),
            "training_days": [str(d) for d in range(1, 8)],
        },
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/clients/{world.client_id}?tab=programs"
    assert "Three day split" in (await b.get(r.headers["location"])).text

    me = await logged_in(browser, world.client_self.email)
    home = text(await me.get("/home"))
    assert "Today" in home and "Day 1" in home and "This week" in home
    assert "Superset" in home and "4 \u00d7 6" in home and "80 kg" in home
    other = await logged_in(browser, world.client_other.email)
    assert "Three day split" not in text(await other.get("/home"))
    assert isinstance(today, date)


async def test_template_pages_are_private_to_their_organization(browser, client, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.post("/programs", {"name": "Mine", "weeks": "1", "days": "1"})
    tid = r.headers["location"].rsplit("/", 1)[1]
    stranger = await make_owner(client, org_name="Elsewhere")
    s = await logged_in(browser, stranger.email)
    assert (await s.get(f"/programs/{tid}")).status_code == 404
    fd = await logged_in(browser, world.front_desk.email)
    assert (await fd.post("/programs", {"name": "x"})).status_code == 403
