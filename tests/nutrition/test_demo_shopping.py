"""The demo's shopping list: Jordan's list for this week, olive oil at home, three items
ticked."""

from __future__ import annotations

from spotter.core.db import db
from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from tests.test_pages import browser, text  # noqa: F401  (the fixture)


async def test_demo_has_jordans_list_mid_shop(browser):  # noqa: F811
    async with db.session() as s:
        await load_demo(s)
    jordan = await browser()
    await jordan.login(DEMO_LOGINS[2].email, DEMO_PASSWORD)
    page = await jordan.get("/shopping")
    assert page.status_code == 200
    shown = text(page)
    assert "3 of " in shown and "At home" in shown and "Oil, olive" in shown
    assert "Fruit and vegetables" in shown and "eggs (large)" in shown
