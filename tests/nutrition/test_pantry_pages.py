"""The pantry page: the client's own at /shopping/pantry and staff's at
/clients/{id}/pantry, linked from the shopping page; an inline food search adds a food,
a tap removes one (HTMX, and plain form posts); the shopping list follows at once; bad
input and the wrong people are refused and change nothing."""

from __future__ import annotations

import re

import pytest

from tests.builders import make_owner
from tests.nutrition.helpers import EGG, OIL, make_food
from tests.nutrition.shopping_helpers import client_with_a_week_planned
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in

API = "/api/v1"
OIL_NAME = "Oil, olive, salad or cooking"
EGG_NAME = "Egg, whole, raw, fresh"


@pytest.fixture
async def world(client, outbox, session):
    return await client_with_a_week_planned(client, outbox, session)


async def pantry(client, w) -> list[str]:
    r = await client.get(f"{API}/clients/{w.client_id}/pantry", headers=w.owner.headers)
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


async def test_a_client_keeps_their_pantry_from_the_shopping_page(browser, client, world):  # noqa: F811
    w = world
    me = await logged_in(browser, w.client_self.email)
    shopping = await me.get("/shopping")
    assert 'href="/shopping/pantry"' in shopping.text  # even before there is a list
    page = await me.get("/shopping/pantry")
    assert page.status_code == 200
    assert "What you have at home" in text(page) and "Nothing at home yet" in text(page)
    assert 'href="/shopping"' in page.text
    base = f"/clients/{w.client_id}/pantry"
    assert f'hx-get="{base}/search"' in page.text

    found = await me.client.get(f"{base}/search", params={"q": "olive oil"}, headers=HX)
    assert found.status_code == 200 and OIL_NAME in found.text and "<html" not in found.text
    assert f'aria-label="Add {OIL_NAME} to what is at home"' in found.text
    nothing = await me.client.get(f"{base}/search", params={"q": "zzqqxx"}, headers=HX)
    assert "Nothing matches" in text(nothing)

    added = await hx_post(me, base, {"food_id": OIL, "at_home": "1"})
    assert added.status_code == 200 and 'id="pantry-list"' in added.text
    assert OIL_NAME in text(added) and "1 food" in text(added)
    again = await hx_post(me, base, {"food_id": OIL, "at_home": "1"})  # idempotent
    assert again.status_code == 200 and "1 food" in text(again)
    await hx_post(me, base, {"food_id": EGG, "at_home": "1"})
    assert await pantry(client, w) == [EGG_NAME, OIL_NAME]
    # What is at home is marked in the search, not offered again.
    found = await me.client.get(f"{base}/search", params={"q": "olive oil"}, headers=HX)
    assert "✓ At home" in found.text
    assert f'aria-label="Add {OIL_NAME} to what is at home"' not in found.text

    # The shopping list puts the egg under At home at once, with a link back here.
    r = await me.client.post(
        f"/clients/{w.client_id}/shopping",
        data={"csrf_token": await me.csrf(), "span": "week"},
        follow_redirects=True,
    )
    assert "At home" in text(r) and "0 of 1" in text(r)
    assert "Change what is at home" in r.text

    # Removing the first food moves the focus to the one that took its place.
    removed = await hx_post(me, base, {"food_id": EGG, "at_home": "0", "index": "0"})
    assert removed.status_code == 200 and EGG_NAME not in text(removed)
    assert re.search(rf'aria-label="Remove {re.escape(OIL_NAME)}[^"]*" autofocus', removed.text)
    empty = await hx_post(me, base, {"food_id": OIL, "at_home": "0", "index": "0"})
    assert "Nothing at home yet" in text(empty)
    assert re.search(r'class="empty compact" tabindex="-1" autofocus', empty.text)
    assert await pantry(client, w) == []

    # Without JavaScript: the search reloads the page, the forms redirect back.
    plain = await me.get("/shopping/pantry", params={"q": "olive oil"})
    assert OIL_NAME in plain.text and 'value="olive oil"' in plain.text
    r = await me.post(base, {"food_id": OIL, "at_home": "1"})
    assert r.status_code == 303 and r.headers["location"] == "/shopping/pantry"
    assert await pantry(client, w) == [OIL_NAME]


async def test_the_trainer_keeps_a_clients_pantry(browser, client, world):  # noqa: F811
    w = world
    trainer = await logged_in(browser, w.trainer.email)
    shopping = await trainer.get(f"/clients/{w.client_id}/shopping")
    assert f'href="/clients/{w.client_id}/pantry"' in shopping.text
    page = await trainer.get(f"/clients/{w.client_id}/pantry")
    assert page.status_code == 200 and re.search(r"What Sally Self \w+ has at home", text(page))
    # The client's own foods are found for them (and only theirs).
    own = await make_food(client, w.trainer, "Sally's seed mix", client_id=w.client_id)
    others = await make_food(client, w.owner, "Otto's seed mix", client_id=w.other_client_id)
    found = await trainer.client.get(
        f"/clients/{w.client_id}/pantry/search", params={"q": "seed mix"}, headers=HX
    )
    assert "Sally&#39;s seed mix" in found.text and "Otto" not in found.text
    r = await hx_post(trainer, f"/clients/{w.client_id}/pantry", {"food_id": own["id"]})
    assert r.status_code == 200 and "Sally&#39;s seed mix" in r.text
    r = await trainer.post(f"/clients/{w.client_id}/pantry", {"food_id": OIL, "at_home": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"/clients/{w.client_id}/pantry"
    assert await pantry(client, w) == [OIL_NAME, "Sally's seed mix"]
    # Another client's own food is refused and changes nothing (to the trainer, who does
    # not see that client, it does not exist).
    r = await hx_post(trainer, f"/clients/{w.client_id}/pantry", {"food_id": others["id"]})
    assert r.status_code == 422 and "No such food" in r.text and "alert-error" in r.text
    owner = await logged_in(browser, w.owner.email)
    r = await hx_post(owner, f"/clients/{w.client_id}/pantry", {"food_id": others["id"]})
    assert r.status_code == 422 and "another client" in r.text
    assert await pantry(client, w) == [OIL_NAME, "Sally's seed mix"]
    # Staff have no pantry of their own.
    r = await trainer.get("/shopping/pantry")
    assert r.status_code == 303 and r.headers["location"] == "/nutrition"


async def test_bad_input_changes_nothing(browser, client, world):  # noqa: F811
    w = world
    me = await logged_in(browser, w.client_self.email)
    base = f"/clients/{w.client_id}/pantry"
    for form, words in (
        ({"food_id": "oil"}, "Choose a food"),
        ({}, "Choose a food"),
        ({"food_id": "018f0000-0000-7000-8000-000000000000"}, "No such food"),
    ):
        r = await hx_post(me, base, form)
        assert r.status_code == 422 and words in r.text and 'id="pantry-list"' in r.text, form
    r = await me.post(base, {"food_id": "oil"})
    assert r.status_code == 303  # back to the page, with the message
    assert "Choose a food" in text(await me.get(r.headers["location"]))
    r = await me.client.get(f"{base}/search", params={"q": "x" * 101}, headers=HX)
    assert r.status_code == 422
    assert await pantry(client, w) == []

    # A pantry keeps 200 foods.
    ids: list[str] = []
    cursor = None
    while len(ids) < 201:
        params = {"limit": 100, "source": "usda", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"{API}/foods", headers=w.owner.headers, params=params)).json()
        ids += [f["id"] for f in page["items"]]
        cursor = page["next_cursor"]
    r = await client.put(
        f"{API}/clients/{w.client_id}/pantry",
        headers=w.owner.headers,
        json={"food_ids": ids[:200]},
    )
    assert r.status_code == 200, r.text
    full = await hx_post(me, base, {"food_id": ids[200]})
    assert full.status_code == 422 and "200 foods at most" in full.text, full.text
    assert "the most a pantry keeps" in full.text
    assert len(await pantry(client, w)) == 200


async def test_who_reaches_a_clients_pantry(browser, client, world):  # noqa: F811
    w = world
    url = f"/clients/{w.client_id}/pantry"
    expected = {
        "owner": 200,
        "admin": 200,
        "trainer": 200,
        "trainer_other": 404,
        "front_desk": 404,
        "client_self": 200,
        "client_other": 404,
    }
    for role, status in expected.items():
        b = await logged_in(browser, getattr(w, role).email)
        assert (await b.get(url)).status_code == status, role
        search = await b.client.get(f"{url}/search", params={"q": "oil"}, headers=HX)
        assert search.status_code == status, role
        r = await hx_post(b, url, {"food_id": OIL, "at_home": "1"})
        assert r.status_code == status, role
        if status == 200:
            await hx_post(b, url, {"food_id": OIL, "at_home": "0"})
    assert await pantry(client, w) == []
    # Another organization's owner: not found, whatever the form says.
    stranger = await make_owner(client)
    b = await logged_in(browser, stranger.email)
    assert (await b.get(url)).status_code == 404
    assert (await hx_post(b, url, {"food_id": OIL, "at_home": "1"})).status_code == 404
    assert await pantry(client, w) == []
