"""The coaching pages run a bounded number of SQL statements: the builder and a workout card
the same whatever the template's size, the exercise library page the same for any query,
and the client's programs tab a fixed number per running program (not per workout)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from sqlalchemy import event

from tests.builders import make_client_world
from tests.programs.helpers import BENCH, PLANK, SQUAT, assign, make_template, rx
from tests.test_pages import browser  # noqa: F401  (the fixture)
from tests.test_pages_coaching import HX, hx_post, logged_in


@asynccontextmanager
async def statements(engine):
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


def _phases(phases: int, days: int) -> list[dict]:
    progression = {"kind": "linear_load", "increment_kg": 2.5}
    return [
        {
            "name": f"Phase {i}",
            "weeks": 3,
            "workouts": [
                {
                    "name": f"Day {j}",
                    "prescriptions": [rx(SQUAT, progression=progression), rx(BENCH), rx(PLANK)],
                }
                for j in range(days)
            ],
        }
        for i in range(phases)
    ]


async def test_page_statement_counts_do_not_grow_with_size(browser, client, engine, outbox):  # noqa: F811
    world = await make_client_world(client, outbox)
    b = await logged_in(browser, world.trainer.email)
    small = await make_template(client, world.trainer, phases=_phases(1, 1))
    big = await make_template(client, world.trainer, phases=_phases(5, 5))
    counts: dict[str, int] = {}
    for name, t in (("small", small), ("big", big)):
        await b.get(f"/programs/{t['id']}")  # warm the exercise index
        async with statements(engine) as n:
            r = await b.get(f"/programs/{t['id']}")
        assert r.status_code == 200
        counts[f"builder {name}"] = n["n"]
        first_rx = t["phases"][0]["workouts"][0]["prescriptions"][0]["id"]
        async with statements(engine) as n:
            r = await hx_post(
                b,
                f"/programs/{t['id']}/prescriptions/{first_rx}/progression",
                {"kind": "linear_load", "linear_increment": "5"},
            )
        assert r.status_code == 200
        counts[f"progression edit {name}"] = n["n"]
    assert counts["builder small"] == counts["builder big"], counts
    assert counts["progression edit small"] == counts["progression edit big"], counts

    for q in ("squat", "db row", ""):
        async with statements(engine) as n:
            r = await b.client.get("/exercises/rows", params={"q": q}, headers=HX)
        assert r.status_code == 200
        counts[f"library {q!r}"] = n["n"]
    assert len({v for k, v in counts.items() if k.startswith("library")}) == 1, counts

    # The programs tab: one running program, then three (one of them big).
    await assign(client, world.trainer, small["id"], world.client_id)
    url = f"/clients/{world.client_id}?tab=programs"
    async with statements(engine) as n:
        assert (await b.get(url)).status_code == 200
    one = n["n"]
    for t in (big, small):
        await assign(client, world.trainer, t["id"], world.client_id)
    async with statements(engine) as n:
        assert (await b.get(url)).status_code == 200
    three = n["n"]
    per_program = (three - one) / 2
    counts |= {"programs tab, 1 program": one, "per more program": int(per_program)}
    # A running program's week: its plan tree (program, plan, phases, workouts,
    # prescriptions) and its schedule overrides and completions, whatever its size.
    assert per_program <= 7, sorted(counts.items())
    print("page statements:", counts)
