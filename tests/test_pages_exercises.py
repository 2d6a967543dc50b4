"""Exercise library pages: search with filters and paging, the detail page with the
organization's version and substitutions for a client's equipment, custom exercises and
overrides, and who may see and change what."""

from __future__ import annotations

import re

import pytest

from spotter.exercises.dataset import library_id
from tests.builders import make_client_world, make_owner
from tests.exercises.helpers import API, make_custom
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in

SQUAT = str(library_id("exercise", "Barbell_Squat"))
ROW = r'href="/exercises/([0-9a-f-]{36})"'


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


def _ids(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(ROW, html)))


async def test_library_search_filters_paging_and_empty_state(browser, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.get("/exercises")
    assert r.status_code == 200
    assert 'aria-current="page">Exercises' in r.text
    first = _ids(r.text)
    assert len(first) == 24 and "Load more" in r.text
    more = re.search(r'hx-get="(/exercises/rows\?[^"]+)"', r.text)
    assert more
    page2 = await b.client.get(more.group(1).replace("&amp;", "&"), headers=HX)
    assert page2.status_code == 200 and not set(_ids(page2.text)) & set(first)

    # Typo-tolerant live search; the address bar follows the filters.
    r = await b.client.get("/exercises/rows", params={"q": "barbel squat"}, headers=HX)
    assert r.status_code == 200 and "Barbell Squat" in r.text
    assert r.headers["HX-Replace-Url"] == "/exercises?q=barbel+squat"
    assert 'id="ex-status"' in r.text and 'hx-swap-oob="true"' in r.text

    # Filters: a parent category includes its children; level and equipment narrow.
    r = await b.get("/exercises", params={"category": "strength", "muscle": "quadriceps"})
    assert r.status_code == 200 and "Barbell Squat" in text(r)
    r = await b.get(
        "/exercises",
        params={"q": "squat", "equipment": "kettlebells", "level": "beginner"},
    )
    assert r.status_code == 200
    assert "Barbell Squat" not in text(r) and "Kettlebell" in text(r)

    # Nothing found: the empty state offers to clear the filters or add it.
    r = await b.client.get("/exercises/rows", params={"q": "zzqx"}, headers=HX)
    assert "No exercises match" in text(r) and "/exercises/new?name=zzqx" in r.text

    # Bad filters are a 422 with the message next to the filter, never a 500.
    r = await b.get("/exercises", params={"muscle": "gills", "level": "god"})
    assert r.status_code == 422
    assert 'id="ex-muscle-error"' in r.text or 'id="ex-level-error"' in r.text
    r = await b.client.get("/exercises/rows", params={"cursor": "nope"}, headers=HX)
    assert r.status_code == 422 and "invalid cursor" in text(r).lower()
    r = await b.get("/exercises", params={"q": "x" * 101})
    assert r.status_code == 422


async def test_detail_page_and_substitutions_for_a_clients_equipment(
    browser,  # noqa: F811
    client,
    world,
):
    b = await logged_in(browser, world.trainer.email)
    r = await b.get(f"/exercises/{SQUAT}")
    assert r.status_code == 200
    page = text(r)
    assert "Barbell Squat" in page and "Quadriceps" in page and "Library exercise" in page
    assert "Substitutions" in page and "No instructions yet" in page
    assert 'id="customize"' in page  # trainers have exercises:write

    # A client with only dumbbells and bands: no barbell or machine substitutes.
    r = await client.put(
        f"{API}/clients/{world.client_id}/profile",
        headers=world.trainer.headers,
        json={"equipment": ["dumbbell", "bands"]},
    )
    assert r.status_code == 200, r.text
    everything = await b.client.get(f"/exercises/{SQUAT}/substitutions", headers=HX)
    assert everything.status_code == 200
    mine = await b.client.get(
        f"/exercises/{SQUAT}/substitutions", params={"client_id": world.client_id}, headers=HX
    )
    assert mine.status_code == 200
    assert "Sally Self" in text(mine) and "Dumbbell, Bands, or bodyweight" in text(mine)
    assert "Barbell" in text(everything)
    for name in re.findall(r'class="name stretched"[^>]*>([^<]+)<', mine.text):
        assert "Barbell" not in name and "Machine" not in name, name

    # Another trainer's client cannot be chosen, and a bad id is a 4xx.
    other = await b.client.get(
        f"/exercises/{SQUAT}/substitutions",
        params={"client_id": world.other_client_id},
        headers=HX,
    )
    assert other.status_code == 404
    bad = await b.client.get(
        f"/exercises/{SQUAT}/substitutions", params={"client_id": "x"}, headers=HX
    )
    assert bad.status_code == 422

    # The client picker finds only the trainer's own clients.
    r = await b.client.get("/clients/pick", params={"q": "s"}, headers=HX)
    assert "Sally Self" in text(r) and "Otto Elsewhere" not in text(r)


async def test_override_and_remove_it(browser, client, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    r = await b.post(
        f"/exercises/{SQUAT}/override",
        {"name": "Back Squat", "video_url": "http://insecure.example/v", "cues": "Brace"},
    )
    assert r.status_code == 422 and 'id="ov-video_url-error"' in r.text
    assert "https://" in text(r) and 'value="Back Squat"' in r.text  # what was typed stays
    api = await client.get(f"{API}/exercises/{SQUAT}", headers=world.owner.headers)
    assert api.json()["overridden"] is False  # a refused form changes nothing

    r = await b.post(
        f"/exercises/{SQUAT}/override",
        {
            "name": "Back Squat",
            "video_url": "https://video.example.com/squat",
            "cues": "Brace\n\nKnees out",
            "notes": "Bar on the upper back.\nSit between the hips.",
        },
    )
    assert r.status_code == 303, r.text
    page = text(await b.get(r.headers["location"]))
    assert "Back Squat" in page and "library name “Barbell Squat”" in page
    assert "Knees out" in page and "Sit between the hips." in page
    assert "video.example.com" in page and "Remove your version" in page
    r = await b.client.get("/exercises/rows", params={"q": "back squat"}, headers=HX)
    assert "Back Squat" in text(r) and "Customized" in text(r)

    r = await b.post(f"/exercises/{SQUAT}/override/delete")
    assert r.status_code == 303
    page = text(await b.get(f"/exercises/{SQUAT}"))
    assert "back to the library's version" in page and "Remove your version" not in page


async def test_custom_exercise_create_edit_archive(browser, client, world):  # noqa: F811
    b = await logged_in(browser, world.trainer.email)
    form = (await b.get("/exercises/new?name=Landmine+press")).text
    assert 'value="Landmine press"' in form and 'name="primary_muscles"' in form
    r = await b.post("/exercises/new", {"name": "", "category": "strength", "level": "beginner"})
    assert r.status_code == 422
    assert 'id="f-name-error"' in r.text and 'id="f-primary_muscles-error"' in r.text
    r = await b.post(
        "/exercises/new",
        {
            "name": "Landmine press",
            "category": "strength",
            "level": "intermediate",
            "equipment": "barbell",
            "mechanic": "compound",
            "primary_muscles": ["shoulders"],
            "secondary_muscles": ["shoulders"],
        },
    )
    assert r.status_code == 422 and "either primary or secondary" in text(r)
    r = await b.post(
        "/exercises/new",
        {
            "name": "Landmine press",
            "category": "strength",
            "level": "intermediate",
            "equipment": "barbell",
            "mechanic": "compound",
            "force": "push",
            "primary_muscles": ["shoulders"],
            "secondary_muscles": ["triceps"],
            "cues": "Press up and in",
        },
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = text(await b.get(url))
    assert "Landmine press" in page and "Your own exercise" in page and "Triceps" in page
    assert 'id="customize"' not in page  # own exercises are edited, not overridden

    edit = await b.get(f"{url}/edit")
    assert edit.status_code == 200 and 'value="Landmine press"' in edit.text
    r = await b.post(f"{url}/edit", {"name": "Landmine press", "category": "nope"})
    assert r.status_code == 422
    r = await b.post(
        f"{url}/edit",
        {
            "name": "Half-kneeling landmine press",
            "category": "strength",
            "level": "beginner",
            "primary_muscles": ["shoulders"],
            "notes": "One knee down, press up and in.",
        },
    )
    assert r.status_code == 303
    assert "One knee down" in text(await b.get(url))
    shared_edit = await b.get(f"/exercises/{SQUAT}/edit")
    assert shared_edit.status_code == 303 and shared_edit.headers["location"].endswith("#customize")

    r = await b.post(f"{url}/archive")
    assert r.status_code == 303 and r.headers["location"] == "/exercises"
    rows = await b.client.get("/exercises/rows", params={"q": "landmine"}, headers=HX)
    assert "Half-kneeling" not in text(rows)  # archived ones leave the search
    assert "Archived" in text(await b.get(url))  # and stay readable for old programs


async def test_who_may_see_and_change_the_library(browser, client, world):  # noqa: F811
    fd = await logged_in(browser, world.front_desk.email)
    r = await fd.get("/exercises")
    assert r.status_code == 200 and "New exercise" not in r.text
    page = await fd.get(f"/exercises/{SQUAT}")
    assert page.status_code == 200 and 'id="customize"' not in page.text
    assert (await fd.post(f"/exercises/{SQUAT}/override", {"name": "x"})).status_code == 403
    assert (await fd.get("/exercises/new")).status_code == 403

    me = await logged_in(browser, world.client_self.email)
    assert 'href="/exercises"' not in (await me.get("/home")).text
    assert (await me.get("/exercises")).status_code == 403
    assert (await me.get(f"/exercises/{SQUAT}")).status_code == 403

    # Another organization's own exercise is not found; its override is not seen.
    stranger = await make_owner(client, org_name="Elsewhere")
    theirs = await make_custom(client, stranger, name="Secret Lift")
    s = await logged_in(browser, stranger.email)
    r = await s.post(f"/exercises/{SQUAT}/override", {"name": "Their Squat"})
    assert r.status_code == 303
    b = await logged_in(browser, world.trainer.email)
    assert (await b.get(f"/exercises/{theirs['id']}")).status_code == 404
    assert (await b.get(f"/exercises/{theirs['id']}/edit")).status_code == 404
    assert (await b.post(f"/exercises/{theirs['id']}/archive")).status_code == 404
    assert "Their Squat" not in text(await b.get(f"/exercises/{SQUAT}"))
    r = await hx_post(b, f"/exercises/{theirs['id']}/override", {"name": "x"})
    assert r.status_code == 404
