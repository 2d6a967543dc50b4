"""Progress pages: every page renders for the client and their trainer, forms keep what
was typed and say what is wrong, uploads and check-ins work from a form, images are
served only to those allowed, and the links from the rest of the app are there."""

from __future__ import annotations

import re

import pytest

from tests.builders import make_client_world, make_goal
from tests.progress.helpers import days_ago, jpeg, measure, upload
from tests.test_pages import Browser, browser, text  # noqa: F401  (the fixture)

SCALES = {f"scale:{s}": "6" for s in ("energy", "sleep", "stress", "hunger", "adherence")}


async def logged_in(browser, email: str) -> Browser:  # noqa: F811
    b = await browser()
    await b.login(email)
    return b


@pytest.fixture
async def world(client, outbox):
    world = await make_client_world(client, outbox)
    await measure(client, world.trainer, world.client_id, on=days_ago(10), body_weight=82)
    await measure(client, world.trainer, world.client_id, on=days_ago(3), body_weight=81, waist=90)
    return world


def pages(cid: str) -> list[str]:
    base = f"/progress/clients/{cid}"
    return [
        base,
        f"{base}/measurements",
        f"{base}/photos",
        f"{base}/photos?pose=side",
        f"{base}/photos/compare",
        f"{base}/checkins",
    ]


async def test_every_page_renders_for_the_client_and_the_trainer(browser, world):  # noqa: F811
    for email in (world.client_self.email, world.trainer.email, world.owner.email):
        b = await logged_in(browser, email)
        for url in pages(world.client_id):
            r = await b.get(url)
            assert r.status_code == 200, (email, url, r.text[:1500])
            assert 'aria-current="page"' in r.text
    b = await logged_in(browser, world.trainer.email)
    for url in (
        "/progress/checkins",
        "/progress/checkins?state=all",
        "/progress/metrics",
        f"/progress/clients/{world.client_id}/checkin-form",
    ):
        r = await b.get(url)
        assert r.status_code == 200, (url, r.text[:1500])
    owner = await logged_in(browser, world.owner.email)
    assert (await owner.get("/progress/checkin-form")).status_code == 200


async def test_others_get_no_page(browser, world):  # noqa: F811
    url = f"/progress/clients/{world.client_id}"
    for email, status in (
        (world.trainer_other.email, 404),
        (world.client_other.email, 404),
        (world.front_desk.email, 403),
    ):
        b = await logged_in(browser, email)
        assert (await b.get(url)).status_code == status, email
    anonymous = await browser()
    r = await anonymous.get(url)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    client_b = await logged_in(browser, world.client_self.email)
    for url in ("/progress/checkins", "/progress/metrics", "/progress/checkin-form"):
        assert (await client_b.get(url)).status_code == 403, url


async def test_progress_links_from_the_rest_of_the_app(browser, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    home = (await me.get("/home")).text
    assert f'href="/progress/clients/{world.client_id}/checkins"' in home
    assert 'href="/progress"' in home  # the navigation
    r = await me.get("/progress")
    assert r.status_code == 303 and r.headers["location"] == f"/progress/clients/{world.client_id}"
    coach = await logged_in(browser, world.trainer.email)
    assert 'href="/progress/checkins"' in (await coach.get("/home")).text
    record = (await coach.get(f"/clients/{world.client_id}")).text
    assert f'href="/progress/clients/{world.client_id}"' in record
    assert (await coach.get("/progress")).headers["location"] == "/progress/checkins"


async def test_entering_measurements_in_the_users_units(browser, client, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    url = f"/progress/clients/{world.client_id}/measurements"
    page = await me.get(url)
    assert "Weight" not in text(page) or "Body weight (kg)" in text(page)
    r = await me.post(url, {"measured_on": days_ago(0), "m:body_weight": "80.4", "m:waist": ""})
    assert r.status_code == 303 and "Saved body weight" in r.headers.get("set-cookie", "")
    # Refused: the message sits by the field, what was typed stays, nothing is saved.
    r = await me.post(url, {"measured_on": days_ago(0), "m:body_weight": "900", "m:waist": "88"})
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text and "between 20 and 400 kg" in text(r)
    assert 'value="900"' in r.text and 'value="88"' in r.text
    r = await me.post(url, {"measured_on": days_ago(0)})
    assert r.status_code == 422 and "Enter at least one value" in text(r)
    latest = await client.get(
        f"/api/v1/clients/{world.client_id}/measurements/latest", headers=world.trainer.headers
    )
    assert {m["metric"]: m["value"] for m in latest.json()} == {"body_weight": 80.4, "waist": 90}
    # The quick form on the overview goes back there.
    r = await me.post(
        url,
        {
            "measured_on": days_ago(1),
            "m:body_fat": "21",
            "back": f"/progress/clients/{world.client_id}",
        },
    )
    assert r.headers["location"] == f"/progress/clients/{world.client_id}"
    csv = await me.get(f"{url}/export")
    assert csv.headers["content-type"].startswith("text/csv") and "body_fat" in csv.text


async def test_history_load_more(browser, client, world):  # noqa: F811
    for n in range(12):
        await measure(
            client, world.trainer, world.client_id, on=days_ago(20 + n), neck=38, chest=100
        )
    b = await logged_in(browser, world.trainer.email)
    page = (await b.get(f"/progress/clients/{world.client_id}/measurements")).text
    cursor = re.search(r"cursor=([\w-]+)", page)
    assert cursor
    more = await b.client.get(
        f"/progress/clients/{world.client_id}/measurements?cursor={cursor.group(1)}",
        headers={"HX-Request": "true"},
    )
    assert more.status_code == 200 and "<html" not in more.text and "Neck" in more.text


async def test_photo_upload_gallery_and_image_routes(browser, files, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    url = f"/progress/clients/{world.client_id}/photos"
    token = await me.csrf()
    r = await me.client.post(
        url,
        data={"csrf_token": token, "pose": "side", "taken_on": days_ago(1), "note": "Morning"},
        files={"file": ("me.jpg", jpeg(600, 800), "image/jpeg")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 303, r.text
    gallery = (await me.get(url)).text
    (image,) = set(re.findall(rf"{url}/[0-9a-f-]+/thumbnail", gallery))
    assert (await me.get(image)).headers["content-type"] == "image/jpeg"
    # Refused upload: a script posing as a photo.
    r = await me.client.post(
        url,
        data={"csrf_token": token, "pose": "front", "taken_on": days_ago(0)},
        files={"file": ("x.png", b"#!/bin/sh\necho hi", "image/png")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 422 and "not a JPEG, PNG or WebP" in text(r)
    r = await me.client.post(
        url,
        data={"csrf_token": token, "pose": "front", "taken_on": days_ago(0)},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 422 and "Choose a photo" in text(r)
    # The image route is for those allowed only.
    for email, status in (
        (world.trainer.email, 200),
        (world.client_other.email, 404),
        (world.trainer_other.email, 404),
        (world.front_desk.email, 403),
    ):
        other = await logged_in(browser, email)
        assert (await other.get(image)).status_code == status, email
    anonymous = await browser()
    assert (await anonymous.get(image)).status_code == 303
    compare = await me.get(f"{url}/compare?pose=side")
    assert compare.status_code == 200 and "Before" in compare.text


async def test_a_check_in_from_the_form_with_photo_and_weight(browser, client, files, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    url = f"/progress/clients/{world.client_id}/checkins"
    form = (await me.get(url)).text
    assert "This week's check-in" in form and 'name="scale:energy"' in form
    question = re.search(r'name="(q:[\w]+)"', form)
    assert question
    token = await me.csrf()
    # Missing ratings: refused, and the photo that came with it is not kept.
    r = await me.client.post(
        url,
        data={"csrf_token": token, "scale:energy": "7", question.group(1): "Good week"},
        files={"file": ("me.jpg", jpeg(), "image/jpeg")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 422 and "Rate this from 1 to 10" in text(r)
    assert "Good week" in text(r)
    assert [p for p in files.rglob("*") if p.is_file()] == []
    r = await me.client.post(
        url,
        data={"csrf_token": token, **SCALES, question.group(1): "Good week", "weight": "80.2"},
        files={"file": ("me.jpg", jpeg(), "image/jpeg")},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 303, r.text
    thread = r.headers["location"]
    page = await me.get(thread)
    assert "Good week" in text(page) and "80.2 kg" in text(page) and "/thumbnail" in page.text
    assert "This week's check-in" not in (await me.get(url)).text  # once a week

    coach = await logged_in(browser, world.trainer.email)
    week = (await coach.get("/progress/checkins")).text
    assert "Awaiting your reply" in week and "Sally Self" in week
    r = await coach.post(f"{thread}/messages", {"text": ""})
    assert r.status_code == 422
    r = await coach.post(f"{thread}/messages", {"text": "Strong week! Keep protein up."})
    assert r.status_code == 303 and "#m-" in r.headers["location"]
    assert "Keep protein up" in text(await me.get(thread))
    assert "Every check-in has a reply" in text(await coach.get("/progress/checkins"))


async def test_questions_settings(browser, world):  # noqa: F811
    coach = await logged_in(browser, world.trainer.email)
    url = f"/progress/clients/{world.client_id}/checkin-form"
    r = await coach.client.post(
        url,
        data={
            "csrf_token": await coach.csrf(),
            "scales": ["energy", "sleep"],
            "questions": "Wins?\nStruggles?",
            "ask_weight": "on",
            "due_weekday": "5",
        },
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 303, r.text
    page = text(await coach.get(url))
    assert "Wins?\nStruggles?" in page and "Set for this client" in page
    r = await coach.post(url, {"scales": "energy", "questions": "", "due_weekday": "9"})
    assert r.status_code == 422
    r = await coach.post(url, {"reset": "1"})
    assert r.status_code == 303
    me = await logged_in(browser, world.client_self.email)
    form = (await me.get(f"/progress/clients/{world.client_id}/checkins")).text
    assert "What went well this week?" in form


async def test_custom_metrics_page(browser, world):  # noqa: F811
    coach = await logged_in(browser, world.trainer.email)
    r = await coach.post(
        "/progress/metrics", {"name": "Grip strength", "unit_kind": "mass", "direction": "higher"}
    )
    assert r.status_code == 303
    r = await coach.post(
        "/progress/metrics", {"name": "grip STRENGTH", "unit_kind": "mass", "direction": "higher"}
    )
    assert r.status_code == 409 and "already has a metric" in text(r)
    me = await logged_in(browser, world.client_self.email)
    page = text(await me.get(f"/progress/clients/{world.client_id}/measurements"))
    assert "Grip strength (kg)" in page


async def test_charts_and_forecast_fragments(browser, world):  # noqa: F811
    me = await logged_in(browser, world.client_self.email)
    data = await me.client.get(f"/progress/clients/{world.client_id}/charts/body?range=4w")
    assert data.status_code == 200 and [p["value"] for p in data.json()["weight"]] == [82, 81]
    overview = (await me.get(f"/progress/clients/{world.client_id}")).text
    assert "data-body-charts" in overview and "/static/vendor/chart.umd.min.js" in overview


async def test_deleting_from_the_pages(browser, client, files, world):  # noqa: F811
    coach = await logged_in(browser, world.trainer.email)
    history = (
        await client.get(
            f"/api/v1/clients/{world.client_id}/measurements", headers=world.trainer.headers
        )
    ).json()["items"]
    base = f"/progress/clients/{world.client_id}"
    r = await coach.post(f"{base}/measurements/{history[0]['id']}/delete")
    assert r.status_code == 303 and r.headers["location"] == f"{base}/measurements"
    photo = (await upload(client, world.client_self, world.client_id)).json()
    r = await coach.post(f"{base}/photos/{photo['id']}/delete")
    assert r.status_code == 303
    assert [p for p in files.rglob("*") if p.is_file()] == []
    other = await logged_in(browser, world.trainer_other.email)
    r = await other.post(f"{base}/measurements/{history[1]['id']}/delete")
    assert r.status_code == 404


async def test_archiving_a_metric_from_the_page(browser, client, world):  # noqa: F811
    coach = await logged_in(browser, world.trainer.email)
    await coach.post(
        "/progress/metrics", {"name": "Steps", "unit_kind": "count", "direction": "higher"}
    )
    (made,) = [
        m
        for m in (await client.get("/api/v1/progress/metrics", headers=world.owner.headers)).json()
        if m["name"] == "Steps"
    ]
    r = await coach.post(f"/progress/metrics/{made['custom_id']}/archive", {"archived": "true"})
    assert r.status_code == 303 and "Steps archived" in r.headers.get("set-cookie", "")
    assert "Restore" in (await coach.get("/progress/metrics")).text
    me = await logged_in(browser, world.client_self.email)
    assert "Steps" not in text(await me.get(f"/progress/clients/{world.client_id}/measurements"))


async def test_body_goals_load_their_forecast_line(browser, client, world):  # noqa: F811
    goal = await make_goal(
        client, world.trainer, world.client_id, type="body_weight", target_value=75, unit="kg"
    )
    coach = await logged_in(browser, world.trainer.email)
    tab = (await coach.get(f"/clients/{world.client_id}?tab=goals")).text
    fragment = f"/progress/clients/{world.client_id}/goals/{goal['id']}/forecast"
    assert f'hx-get="{fragment}"' in tab
    r = await coach.client.get(fragment, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text and "forecast" in r.text
    desk = await logged_in(browser, world.front_desk.email)
    assert (
        f'hx-get="{fragment}"' not in (await desk.get(f"/clients/{world.client_id}?tab=goals")).text
    )
