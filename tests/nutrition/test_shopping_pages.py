"""The shopping list pages: the client's /shopping (make a list for this week, tick over
HTMX, at home, manual items, print view), the trainer's view; who reaches which list."""

from __future__ import annotations

import re

import pytest

from tests.nutrition.shopping_helpers import client_with_a_week_planned
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import hx_post, logged_in


@pytest.fixture
async def world(client, outbox, session):
    return await client_with_a_week_planned(client, outbox, session)


async def test_a_client_makes_and_ticks_a_list(browser, world):  # noqa: F811
    b = await logged_in(browser, world.client_self.email)
    empty = await b.get("/shopping")
    assert empty.status_code == 200
    assert "No shopping list yet" in text(empty) and "This week" in empty.text
    assert 'href="/shopping"' in empty.text  # in the navigation
    r = await b.client.post(
        f"/clients/{world.client_id}/shopping",
        data={"csrf_token": await b.csrf(), "span": "week"},
        follow_redirects=True,
    )
    assert r.status_code == 200
    page = text(r)
    # 7 days x 100 g of egg = 14 large eggs; 7 x 200 g chicken = 1.4 kg
    assert "14 eggs (large)" in page and "1.4 kg" in page and "0 of 2" in page
    assert "Meat and fish" in page and "Dairy and eggs" in page
    assert 'hx-trigger="every 20s' in r.text  # stays in step with the other devices
    list_id = re.search(r"/shopping-lists/([0-9a-f-]{36})/list", r.text).group(1)
    egg_item = re.search(
        rf"/shopping-lists/{list_id}/items/([0-9a-f-]{{36}})/tick\"[^>]*>\s*<input[^>]*>\s*<label>"
        r"\s*<input[^>]*>\s*<span class=\"s-qty\">14 eggs",
        r.text,
    ).group(1)
    ticked = await hx_post(b, f"/shopping-lists/{list_id}/items/{egg_item}/tick", {"ticked": "1"})
    assert ticked.status_code == 200 and 'id="shopping-list"' in ticked.text
    assert "1 of 2" in text(ticked) and "is-ticked" in ticked.text
    # The other device (the trainer here) sees the tick on its next refresh.
    trainer = await logged_in(browser, world.trainer.email)
    polled = await trainer.client.get(f"/shopping-lists/{list_id}/list")
    assert "1 of 2" in text(polled)
    home = await hx_post(b, f"/shopping-lists/{list_id}/items/{egg_item}/home", {"at_home": "1"})
    assert "At home" in text(home) and "0 of 1" in text(home)
    back = await hx_post(b, f"/shopping-lists/{list_id}/items/{egg_item}/home", {"at_home": "0"})
    assert "1 of 2" in text(back)
    added = await hx_post(
        b, f"/shopping-lists/{list_id}/items", {"name": "Kitchen roll", "label": "1 pack"}
    )
    assert "Kitchen roll" in text(added) and "1 of 3" in text(added)
    bad = await hx_post(b, f"/shopping-lists/{list_id}/items", {"name": ""})
    assert bad.status_code == 422 and "alert" in bad.text
    printed = await b.get(f"/shopping-lists/{list_id}/print")
    assert printed.status_code == 200 and "14 eggs (large)" in printed.text
    assert "window.print()" in printed.text
    # The page's export links work with the session cookie.
    assert f'href="/shopping-lists/{list_id}.pdf"' in r.text
    pdf = await b.get(f"/shopping-lists/{list_id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    csv_file = await b.get(f"/shopping-lists/{list_id}.csv")
    assert csv_file.status_code == 200 and "14 eggs (large)" not in csv_file.text
    assert '"Egg, whole, raw, fresh",14,eggs (large),700,yes' in csv_file.text
    # The trainer's view of the client's lists, linked from the client's nutrition page.
    targets = await trainer.get(f"/clients/{world.client_id}/nutrition")
    assert f"/clients/{world.client_id}/shopping" in targets.text
    theirs = await trainer.get(f"/clients/{world.client_id}/shopping")
    assert theirs.status_code == 200 and "Kitchen roll" in theirs.text


async def test_another_client_cannot_open_the_list(browser, world):  # noqa: F811
    b = await logged_in(browser, world.client_self.email)
    r = await b.client.post(
        f"/clients/{world.client_id}/shopping",
        data={"csrf_token": await b.csrf(), "span": "week"},
        follow_redirects=True,
    )
    list_id = re.search(r"/shopping-lists/([0-9a-f-]{36})/list", r.text).group(1)
    other = await logged_in(browser, world.client_other.email)
    assert (await other.get(f"/shopping-lists/{list_id}/list")).status_code == 404
    assert (await other.get(f"/shopping-lists/{list_id}/print")).status_code == 404
    assert (await other.get(f"/shopping-lists/{list_id}.csv")).status_code == 404
    assert (await other.get(f"/clients/{world.client_id}/shopping")).status_code == 404
    r = await hx_post(other, f"/shopping-lists/{list_id}/delete")
    assert r.status_code == 404
    own = await other.get("/shopping")
    assert own.status_code == 200 and "No shopping list yet" in text(own)
    # Nor make one for a client they are not.
    r = await other.client.post(
        f"/clients/{world.other_client_id}/shopping",
        data={"csrf_token": await other.csrf(), "span": "week"},
        follow_redirects=True,
    )
    assert r.status_code == 404
