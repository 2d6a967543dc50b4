"""The program builder's reordering (phases, days) and in-place progression rules, over
HTMX and without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.builders import make_client_world, make_owner
from tests.programs.helpers import API, make_template
from tests.test_pages import browser, text  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


async def _template(client, who) -> dict:
    return await make_template(client, who)


def _order(html: str, prefix: str) -> list[str]:
    return list(dict.fromkeys(re.findall(prefix + r"([0-9a-f-]{36})", html)))


async def _api_template(client, who, tid) -> dict:
    r = await client.get(f"{API}/templates/{tid}", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_phases_and_days_move_up_and_down(browser, client, world):  # noqa: F811
    t = await _template(client, world.trainer)
    tid = t["id"]
    p1, p2 = (ph["id"] for ph in t["phases"])
    day_a, day_b = (w["id"] for w in t["phases"][0]["workouts"])
    b = await logged_in(browser, world.trainer.email)

    page = (await b.get(f"/programs/{tid}")).text
    assert f'id="up-{p1}"' in page and f'id="down-{p2}"' in page
    assert re.search(rf'id="up-{p1}"[^>]*disabled', page)  # the first cannot go up

    # Over HTMX the phases come back in their new order, focus on the moved one's button.
    r = await hx_post(b, f"/programs/{tid}/phases/{p2}/move?to=up")
    assert r.status_code == 200, r.text
    assert r.text.lstrip().startswith('<div id="phases">')
    assert _order(r.text, 'id="phase-') == [p2, p1]
    assert re.search(rf'id="down-{p2}"[^>]*autofocus', r.text)  # at the top: its ↓ keeps focus
    t_now = await _api_template(client, world.trainer, tid)
    assert [ph["id"] for ph in t_now["phases"]] == [p2, p1]

    # Without JavaScript: a redirect back to the moved phase.
    r = await b.post(f"/programs/{tid}/phases/{p2}/move?to=down")
    assert r.status_code == 303 and r.headers["location"] == f"/programs/{tid}#phase-{p2}"
    t_now = await _api_template(client, world.trainer, tid)
    assert [ph["id"] for ph in t_now["phases"]] == [p1, p2]

    # Days within their phase; the phase section comes back.
    r = await hx_post(b, f"/programs/{tid}/workouts/{day_b}/move?to=up")
    assert r.status_code == 200
    assert r.text.lstrip().startswith(f'<section class="phase" id="phase-{p1}"')
    assert _order(r.text, 'id="workout-') == [day_b, day_a]
    assert re.search(rf'id="down-{day_b}"[^>]*autofocus', r.text)
    r = await hx_post(b, f"/programs/{tid}/workouts/{day_b}/move?to=up")  # already first
    assert _order(r.text, 'id="workout-') == [day_b, day_a]
    r = await b.post(f"/programs/{tid}/workouts/{day_b}/move?to=down")
    assert r.status_code == 303
    t_now = await _api_template(client, world.trainer, tid)
    assert [w["id"] for w in t_now["phases"][0]["workouts"]] == [day_a, day_b]

    # Prescriptions keep the focus on the moved exercise too.
    rx_ids = [rx["id"] for rx in t_now["phases"][0]["workouts"][0]["prescriptions"]]
    r = await hx_post(b, f"/programs/{tid}/prescriptions/{rx_ids[1]}/move?to=up")
    assert _order(r.text, 'id="rx-')[:2] == [rx_ids[1], rx_ids[0]]
    assert re.search(rf'id="down-{rx_ids[1]}"[^>]*autofocus', r.text)

    # Bad input: a direction that is not up or down, a phase or day of another template.
    assert (await hx_post(b, f"/programs/{tid}/phases/{p1}/move?to=left")).status_code == 422
    other = await _template(client, world.trainer)
    foreign_phase = other["phases"][0]["id"]
    foreign_day = other["phases"][0]["workouts"][0]["id"]
    assert (await hx_post(b, f"/programs/{tid}/phases/{foreign_phase}/move")).status_code == 404
    assert (await hx_post(b, f"/programs/{tid}/workouts/{foreign_day}/move")).status_code == 404


async def test_only_editors_move_and_other_organizations_get_404(browser, client, world):  # noqa: F811
    t = await _template(client, world.trainer)
    tid, p2 = t["id"], t["phases"][1]["id"]
    day_b = t["phases"][0]["workouts"][1]["id"]
    other_trainer = await logged_in(browser, world.trainer_other.email)
    # A personal template of someone else: not even visible to another trainer.
    r = await hx_post(other_trainer, f"/programs/{tid}/phases/{p2}/move?to=up")
    assert r.status_code == 404
    fd = await logged_in(browser, world.front_desk.email)
    assert (await hx_post(fd, f"/programs/{tid}/workouts/{day_b}/move?to=up")).status_code == 403
    stranger = await make_owner(client, org_name="Elsewhere")
    s = await logged_in(browser, stranger.email)
    assert (await hx_post(s, f"/programs/{tid}/phases/{p2}/move?to=up")).status_code == 404
    assert (await hx_post(s, f"/programs/{tid}/workouts/{day_b}/move?to=up")).status_code == 404
    t_now = await _api_template(client, world.trainer, tid)
    assert [ph["id"] for ph in t_now["phases"]] == [ph["id"] for ph in t["phases"]]


async def test_progression_rules_are_edited_in_place(browser, client, world):  # noqa: F811
    t = await _template(client, world.trainer)
    tid = t["id"]
    day_a, day_b = t["phases"][0]["workouts"]
    squat, bench, pullup = (rx["id"] for rx in day_a["prescriptions"])
    heavy = t["phases"][1]["workouts"][0]["prescriptions"][0]["id"]
    b = await logged_in(browser, world.trainer.email)
    url = f"/programs/{tid}/prescriptions"

    page = text(await b.get(f"/programs/{tid}"))
    assert "Progression: 5\u20137, then +5 kg" in page  # the squat's double progression
    assert "Week 1: 3 \u00d7 5 @ 100 kg → week 3: 3 \u00d7 7 @ 100 kg" in page
    assert "Progression: 80 → 85 %1RM" in page

    # The form loads when its disclosure is opened (a big builder stays light).
    assert f'hx-get="{url}/{bench}/progression"' in page
    assert 'name="linear_increment"' not in page
    form = await b.client.get(f"{url}/{squat}/progression", headers=HX)
    assert form.status_code == 200 and 'name="double_increment"' in form.text
    assert 'value="5"' in form.text and 'value="5\u20137"' in form.text

    # Linear load on the bench (100 kg, 3 \u00d7 5): 2.5 kg a week over the 3-week phase.
    r = await hx_post(
        b, f"{url}/{bench}/progression", {"kind": "linear_load", "linear_increment": "2,5"}
    )
    assert r.status_code == 200, r.text
    assert "+2.5 kg a week" in text(r) and "week 3: 3 \u00d7 5 @ 105 kg" in text(r)
    assert re.search(rf'id="prog-{bench}"[^>]*autofocus', r.text)  # back where you were

    # Refusals: a message next to the field, what was typed kept, nothing saved.
    r = await hx_post(
        b, f"{url}/{bench}/progression", {"kind": "linear_load", "linear_increment": ""}
    )
    assert r.status_code == 422
    assert f'id="pl-{bench}-e"' in r.text and "required" in text(r)
    r = await hx_post(
        b, f"{url}/{bench}/progression", {"kind": "linear_load", "linear_increment": "-1"}
    )
    assert r.status_code == 422 and "greater than 0" in text(r)
    r = await hx_post(
        b, f"{url}/{pullup}/progression", {"kind": "linear_load", "linear_increment": "2"}
    )
    assert r.status_code == 422 and "needs a load in kg" in text(r)  # the pull-up is at RIR 2
    r = await hx_post(
        b,
        f"{url}/{bench}/progression",
        {"kind": "double_progression", "double_reps": "5", "double_increment": "2.5"},
    )
    assert r.status_code == 422 and f'id="pr-{bench}-e"' not in r.text
    assert "rep range" in text(r)
    r = await hx_post(
        b,
        f"{url}/{bench}/progression",
        {"kind": "double_progression", "double_reps": "12-8", "double_increment": "2.5"},
    )
    assert r.status_code == 422 and "upside down" in text(r) and 'value="12-8"' in r.text
    r = await hx_post(
        b, f"{url}/{heavy}/progression", {"kind": "percentage_steps", "steps": "80, x"}
    )
    assert r.status_code == 422 and f'id="ps-{heavy}-e"' in r.text
    r = await hx_post(b, f"{url}/{bench}/progression", {"kind": "sideways"})
    assert r.status_code == 422 and f'id="pk-{bench}-e"' in r.text
    saved = await _api_template(client, world.trainer, tid)
    rules = {
        rx["id"]: rx["progression"]
        for ph in saved["phases"]
        for w in ph["workouts"]
        for rx in w["prescriptions"]
    }
    assert rules[bench] == {"kind": "linear_load", "increment_kg": 2.5}

    # Double progression sets the rep range with the rule; steps accept "70% 75%".
    r = await hx_post(
        b,
        f"{url}/{bench}/progression",
        {"kind": "double_progression", "double_reps": "8\u201312", "double_increment": "2.5"},
    )
    assert r.status_code == 200 and "Progression: 8\u201312, then +2.5 kg" in text(r)
    r = await hx_post(
        b, f"{url}/{heavy}/progression", {"kind": "percentage_steps", "steps": "75% 80%; 85"}
    )
    assert r.status_code == 200 and "75 → 80 → 85 %1RM" in text(r)
    # And no rule at all.
    r = await hx_post(b, f"{url}/{squat}/progression", {"kind": ""})
    assert r.status_code == 200 and f'id="prog-{squat}"' in r.text
    saved = await _api_template(client, world.trainer, tid)
    day = saved["phases"][0]["workouts"][0]["prescriptions"]
    assert {rx["id"]: rx["progression"] for rx in day}[squat] is None
    bench_now = next(rx for rx in day if rx["id"] == bench)
    assert (bench_now["reps_min"], bench_now["reps_max"]) == (8, 12)

    # Without JavaScript: a redirect with the message.
    r = await b.post(f"{url}/{bench}/progression", {"kind": "linear_load"})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#workout-{day_a['id']}")
    assert day_b  # the other day is untouched

    # Another organization: 404; front desk: 403.
    stranger = await make_owner(client, org_name="Elsewhere")
    s = await logged_in(browser, stranger.email)
    assert (await hx_post(s, f"{url}/{bench}/progression", {"kind": ""})).status_code == 404
    fd = await logged_in(browser, world.front_desk.email)
    assert (await hx_post(fd, f"{url}/{bench}/progression", {"kind": ""})).status_code == 403
