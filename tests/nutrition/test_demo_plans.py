"""The demo's meal plans: the organization's template in the list, Jordan's copy of it on
the trainer's page and on Jordan's own /plan."""

from __future__ import annotations

from spotter.core.db import db
from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from tests.test_pages import browser, text  # noqa: F401  (the fixture)


async def test_demo_has_a_template_and_jordans_plan(browser):  # noqa: F811
    async with db.session() as s:
        await load_demo(s)
    alex = await browser()
    await alex.login(DEMO_LOGINS[0].email, DEMO_PASSWORD)
    listed = text(await alex.get("/meal-plans"))
    assert "Balanced three-day rotation" in listed and "the organization's" in listed
    assigned = text(await alex.get("/meal-plans?kind=assigned"))
    assert "Jordan Lee" in assigned
    jordan = await browser()
    await jordan.login(DEMO_LOGINS[2].email, DEMO_PASSWORD)
    page = await jordan.get("/plan")
    assert page.status_code == 200
    mine = text(page)
    assert "Balanced three-day rotation" in mine and "Log this day" in mine
    assert "Overnight oats with berries" in mine or "Chicken, rice and broccoli bowl" in mine
