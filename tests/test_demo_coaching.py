"""The demo shows the coaching pages with data: the organization's version of the back
squat and its own exercise, templates with progression rules, and programs in every state
(dynamic with workouts done, static moved on, paused) with a rescheduled workout."""

from __future__ import annotations

import re

from spotter.core.db import db
from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from tests.programs.helpers import SQUAT
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX


async def test_demo_has_coaching_data_on_every_page(browser):  # noqa: F811
    async with db.session() as s:
        await load_demo(s)
    b = await browser()
    await b.login(DEMO_LOGINS[0].email, DEMO_PASSWORD)
    page = text(await b.get(f"/exercises/{SQUAT}"))
    assert "Back Squat" in page and "Knees out over the toes" in page
    rows = text(await b.client.get("/exercises/rows", params={"q": "landmine"}, headers=HX))
    assert "Landmine Press" in rows and "Your own" in rows
    templates = text(await b.get("/programs"))
    assert "Strength Foundations" in templates

    clients = (await b.get("/clients", params={"q": "Jordan"})).text
    jordan = re.search(r'href="/clients/([0-9a-f-]{36})"', clients)
    assert jordan
    programs = text(await b.get(f"/clients/{jordan.group(1)}?tab=programs"))
    assert "Strength Foundations" in programs and "This week" in programs
    goals = text(await b.get(f"/clients/{jordan.group(1)}?tab=goals"))
    assert "Back Squat 1RM" in goals and "now 92.5 kg" in goals

    for name, state in (("Priya", "week 3 of 4"), ("Aiko", "Paused")):
        found = (await b.get("/clients", params={"q": name})).text
        cid = re.search(r'href="/clients/([0-9a-f-]{36})"', found)
        assert cid
        assert state in text(await b.get(f"/clients/{cid.group(1)}?tab=programs"))
