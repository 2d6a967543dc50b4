"""Shopping list benchmark: generating a 4-week list from a 7-day plan with recipes, on
PostgreSQL, beside the bare /healthz in the same run.

    python bench/shopping_lists.py                # PostgreSQL (the target's setting)
    python bench/shopping_lists.py --db sqlite    # SQLite instead

What it does:

1. Prepares a fresh database ``spotter_bench_shopping`` next to
   ``SPOTTER_BENCH_POSTGRES_URL`` (default the local ``postgres`` database), runs
   ``spotter db upgrade`` and starts ``spotter serve --workers 2`` with
   ``SPOTTER_ENV=production``.
2. Through the API: an owner, a client, three recipes (one of them using another), a
   7-day plan of four meals a day (foods and recipes, about 45 items) assigned to the
   client from this week's Monday, two pantry staples.
3. At concurrency 1 and 4, a bounded load of GET /healthz (the floor), POST
   /api/v1/clients/{id}/shopping-lists for the 4 weeks from that Monday (the same dates,
   so each request regenerates the list: reads the plan, the foods and recipes, adds up
   28 days, rewrites the items, keeps the ticks) and GET /api/v1/shopping-lists/{id}.
   Prints requests/s, p50/p95/p99 and each as a multiple of /healthz's.
4. Stops the server, drops the database and exits 0.

The load generator shares the CPU cores with the server (and, on a shared machine, with
whatever else runs): compare runs on one machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from harness import (
    HEALTHZ,
    PG_ADMIN_DEFAULT,
    Load,
    Result,
    Server,
    clean_up,
    free_port,
    measure,
    parser,
    prepare_database,
    production_env,
    register_owner,
    say,
    table,
    upgrade,
)

from spotter.nutrition.dataset import food_id

BENCH_DB = "spotter_bench_shopping"
WEEKS = 4


def usda(ndb: str) -> str:
    return str(food_id(ndb))


EGG, OATS, MILK, BANANA, CHICKEN = (
    usda("01123"),
    usda("20038"),
    usda("01077"),
    usda("09040"),
    usda("05062"),
)
RICE, OIL, BROCCOLI, SALMON, YOGURT = (
    usda("20045"),
    usda("04053"),
    usda("11090"),
    usda("15236"),
    usda("01256"),
)
TOMATOES, LENTILS, ONION, SALT, BREAD = (
    usda("11531"),
    usda("16069"),
    usda("11282"),
    usda("02047"),
    usda("18075"),
)


def grams(food: str, amount: float) -> dict[str, Any]:
    return {"food_id": food, "quantity": amount, "unit": "g"}


async def setup(base_url: str) -> tuple[dict[str, str], str, dict[str, Any]]:
    """(auth headers, client id, the list request's body)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        _, token = await register_owner(http, "Bench Shopping Gym")
        auth = {"Authorization": f"Bearer {token}"}

        async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            r = await http.post(path, headers=auth, json=body)
            if r.status_code >= 300:
                raise RuntimeError(f"POST {path}: {r.status_code} {r.text[:300]}")
            return r.json()

        client = await post("/api/v1/clients", {"full_name": "Bench Client"})
        sauce = await post(
            "/api/v1/recipes",
            {
                "name": "Tomato sauce",
                "servings": 4,
                "ingredients": [grams(TOMATOES, 400), grams(ONION, 110), grams(OIL, 15)],
            },
        )
        curry = await post(
            "/api/v1/recipes",
            {
                "name": "Lentil curry",
                "servings": 4,
                "ingredients": [
                    grams(LENTILS, 300),
                    {"recipe_id": sauce["id"], "quantity": 2},
                    grams(SALT, 4),
                ],
            },
        )
        bowl = await post(
            "/api/v1/recipes",
            {
                "name": "Chicken rice bowl",
                "servings": 2,
                "ingredients": [grams(CHICKEN, 300), grams(RICE, 300), grams(BROCCOLI, 160)],
            },
        )
        days = []
        for n in range(7):
            days.append(
                {
                    "name": f"Day {n + 1}",
                    "meals": [
                        {
                            "name": "Breakfast",
                            "items": [grams(OATS, 60 + n), grams(MILK, 200), grams(BANANA, 118)],
                        },
                        {
                            "name": "Lunch",
                            "items": [
                                {"recipe_id": bowl["id"], "quantity": 1},
                                grams(BREAD, 40),
                            ],
                        },
                        {
                            "name": "Dinner",
                            "items": [
                                {"recipe_id": curry["id"], "quantity": 1.5}
                                if n % 2
                                else grams(SALMON, 150),
                                grams(RICE, 150),
                            ],
                        },
                        {"name": "Snacks", "items": [grams(YOGURT, 170), grams(EGG, 50)]},
                    ],
                }
            )
        plan = await post("/api/v1/meal-plans", {"name": "Bench week", "days": days})
        today = date.today()
        monday = today - timedelta(days=today.weekday())
        await post(
            f"/api/v1/meal-plans/{plan['id']}/assign",
            {"client_id": client["id"], "starts_on": monday.isoformat()},
        )
        r = await http.put(
            f"/api/v1/clients/{client['id']}/pantry",
            headers=auth,
            json={"food_ids": [SALT, OIL]},
        )
        r.raise_for_status()
        body = {
            "starts_on": monday.isoformat(),
            "ends_on": (monday + timedelta(days=7 * WEEKS - 1)).isoformat(),
        }
        return auth, client["id"], body


def main() -> int:
    ap = parser(__doc__, requests=200, per="line", bound="line")
    ap.set_defaults(concurrency=[1, 4])
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-shopping-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter shopping list benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {os.cpu_count() or 1} CPU cores, Python {platform.python_version()}, "
            f"{platform.system()}; the load generator shares these cores with the server"
        )
        say(
            f"  load:       {args.requests} requests or {args.seconds:.0f} s per line, "
            f"whichever comes first, at concurrency {', '.join(map(str, args.concurrency))}"
        )
        upgrade(env)
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        auth, client_id, body = asyncio.run(setup(server.base_url))
        first = httpx.post(
            f"{server.base_url}/api/v1/clients/{client_id}/shopping-lists",
            headers=auth,
            json=body,
            timeout=60,
        )
        first.raise_for_status()
        listed = first.json()
        lines = sum(len(a["items"]) for a in listed["aisles"]) + len(listed["at_home"])
        say(f"  list:       {lines} lines over {WEEKS * 7} days, {body['starts_on']} on")
        say("")
        loads = [
            Load(HEALTHZ, [("/healthz", [])]),
            Load(
                f"POST shopping-lists ({WEEKS} weeks)",
                [(f"/api/v1/clients/{client_id}/shopping-lists", [])],
                auth,
                method="POST",
                json=body,
            ),
            Load("GET shopping-lists/{id}", [(f"/api/v1/shopping-lists/{listed['id']}", [])], auth),
        ]
        results: list[Result] = asyncio.run(measure(server.base_url, loads, args))
        say("")
        for line in table(results, ratios=(50, 95)):
            say(line)
        say("")
        say(f"load average after the run: {os.getloadavg()[0]:.1f}")
        if any(r.errors for r in results):
            say("note: some requests failed (see the errors column)")
    except Exception as exc:  # a benchmark reports and exits 0; the figures say what ran
        say(f"benchmark did not complete: {type(exc).__name__}: {exc}")
        if server is not None:
            say(server.log_tail())
    finally:
        clean_up(
            server, db_url=db_url, admin_url=admin_url, database=BENCH_DB, tmp=tmp, keep=args.keep
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
