"""Meal-plan generator benchmark: POST /api/v1/meal-plans/generate for a 7-day plan on the
demo's recipes and on a library of 80 recipes, against the bare /healthz in the same run.

    python bench/meal_plans.py                 # PostgreSQL when it answers, else SQLite
    python bench/meal_plans.py --db sqlite     # force one of them
    python bench/meal_plans.py --recipes 120   # a larger library

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench_meal_plans`` (dropped
   and created next to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres``
   database) when PostgreSQL answers, otherwise SQLite in a temporary folder.
2. Runs ``spotter db upgrade`` and ``spotter demo``, and starts ``spotter serve --workers
   2`` with ``SPOTTER_ENV=production``.
3. Logs in as the demo owner, and registers a second organization whose library gets
   ``--recipes`` recipes through the API: breakfasts, mains and snacks made of two to four
   USDA foods in varied amounts (about a third of them with meat or fish).
4. At each concurrency (default 1 and 2: one solve holds a core for up to its time
   limit), a bounded load of GET /healthz (the floor), GET /api/v1/me (authentication
   alone), and three generate lines, each request with another ``seed`` so the solver
   works afresh: Jordan's 7-day vegetarian plan (the demo client, the browser test's
   case), Marcus's 7-day mixed plan, and a 7-day template on the large library. Prints
   requests/s, p50/p95/p99 and each line as a multiple of /healthz, and each generate
   line's p95 against the 2 s target; also the solver's own time from the answers.
5. Stops the server, drops the database and exits 0.

The load generator shares the CPU cores with the server (and, on a shared machine, with
whatever else runs): compare runs on one machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import subprocess
import sys
import tempfile
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
    pooled,
    prepare_database,
    production_env,
    register_owner,
    say,
    spotter_command,
    table,
    upgrade,
)

BENCH_DB = "spotter_bench_meal_plans"
TARGET_SECONDS = 2.0
GENERATE = "/api/v1/meal-plans/generate"
# (ndb, grams low, grams high) per role; recipes pick one or two of each role.
BASES = {
    "breakfast": [("08120", 40, 100), ("18075", 50, 100), ("01256", 150, 300), ("01016", 150, 250)],
    "main": [("20045", 150, 350), ("20121", 150, 350), ("20137", 150, 300), ("11508", 200, 400)],
    "snack": [("09003", 100, 200), ("09040", 100, 150), ("16158", 40, 100), ("12061", 15, 40)],
}
PROTEINS = {
    "veg": [("16426", 100, 250), ("16057", 100, 250), ("01132", 80, 150), ("11212", 80, 200)],
    "meat": [("05062", 100, 250), ("15237", 100, 200), ("23565", 100, 200), ("15121", 80, 160)],
}
EXTRAS = [("11090", 50, 200), ("11457", 30, 120), ("11529", 50, 200), ("04053", 5, 15)]


def library(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` recipes: a base, a protein (a third of the mains meat or fish), an extra."""
    out = []
    roles = ["breakfast", "main", "main", "snack"]
    for n in range(count):
        role = roles[n % len(roles)]
        kind = "meat" if role == "main" and n % 3 == 0 else "veg"
        picks = [rng.choice(BASES[role]), rng.choice(PROTEINS[kind])]
        if role != "snack":
            picks.append(rng.choice(EXTRAS))
        ingredients = [
            {"food_id": _food(ndb), "quantity": rng.randint(lo, hi), "unit": "g"}
            for ndb, lo, hi in dict.fromkeys(picks)
        ]
        out.append(
            {
                "name": f"Bench {role} {n}",
                "servings": 1,
                "meals": [role],
                "ingredients": ingredients,
            }
        )
    return out


def _food(ndb: str) -> str:
    from spotter.nutrition.dataset import food_id

    return str(food_id(ndb))


async def seed(base_url: str, recipes: int) -> dict[str, Any]:
    from spotter.demo import DEMO_LOGINS, DEMO_PASSWORD

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        r = await http.post(
            "/api/v1/auth/login",
            json={"email": DEMO_LOGINS[0].email, "password": DEMO_PASSWORD},
        )
        r.raise_for_status()
        demo = {"Authorization": f"Bearer {r.json()['access_token']}"}
        ids = {}
        for name in ("Jordan", "Marcus"):
            r = await http.get("/api/v1/clients", headers=demo, params={"q": name})
            r.raise_for_status()
            ids[name] = r.json()["items"][0]["id"]
        _, token = await register_owner(http, "Bench Meal Plans Gym")
        large = {"Authorization": f"Bearer {token}"}
        for body in library(recipes, random.Random(7)):
            (await http.post("/api/v1/recipes", headers=large, json=body)).raise_for_status()
    return {"demo": demo, "large": large, **ids}


async def solver_seconds(base_url: str, world: dict[str, Any], bodies: dict[str, Any]) -> str:
    """The solver's own time (``seconds`` in the answer) for one request of each line."""
    parts = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        for name, (headers, body) in bodies.items():
            r = await http.post(GENERATE, headers=world[headers], json={**body, "seed": 999})
            answer = r.json()
            if r.status_code == 200:
                parts.append(
                    f"{name}: {answer['seconds'] * 1000:.0f} ms ({answer['status']}, pool "
                    f"{answer['pool_size']})"
                )
            else:
                parts.append(f"{name}: {r.status_code} {answer.get('detail', '')[:120]}")
    return "; ".join(parts)


def main() -> int:
    ap = parser(__doc__, requests=40, per="line", bound="line")
    ap.set_defaults(concurrency=[1, 2], seconds=40.0)
    ap.add_argument("--recipes", type=int, default=80, help="recipes in the large library")
    args = ap.parse_args()
    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-meal-plans-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter meal-plan generator benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {os.cpu_count() or 1} CPU cores, Python "
            f"{platform.python_version()}, {platform.system()}; the load generator shares "
            "these cores with the server"
        )
        say(
            f"  load:       {args.requests} requests or {args.seconds:.0f} s per line, "
            f"whichever comes first, at concurrency {', '.join(map(str, args.concurrency))}"
        )
        upgrade(env)
        done = subprocess.run(
            [*spotter_command(), "demo", "--if-empty"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"spotter demo failed:\n{done.stdout}{done.stderr}")
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        world = asyncio.run(seed(server.base_url, args.recipes))
        say(f"  seeded:     the demo, and a library of {args.recipes} recipes")
        say("")
        week = {"days": 7}
        lines = {
            "generate: Jordan, 7 days vegetarian": (
                "demo",
                {**week, "client_id": world["Jordan"], "diets": ["vegetarian"]},
            ),
            "generate: Marcus, 7 days mixed": ("demo", {**week, "client_id": world["Marcus"]}),
            f"generate: template, {args.recipes} recipes": (
                "large",
                {
                    **week,
                    "targets": {
                        "energy_kcal": 2400,
                        "protein_g": 150,
                        "fat_g": 80,
                        "carbohydrate_g": 270,
                    },
                },
            ),
        }
        say("  solver:     " + asyncio.run(solver_seconds(server.base_url, world, lines)))
        say("")

        def loads() -> list[Load]:
            out = [
                Load(HEALTHZ, [("/healthz", [])]),
                Load("GET /api/v1/me (auth only)", [("/api/v1/me", [])], world["demo"]),
            ]
            for name, (headers, body) in lines.items():
                seeds = range(args.requests + 20)
                out.append(
                    Load(
                        name,
                        [(GENERATE, [])] * len(seeds),
                        world[headers],
                        method="POST",
                        bodies=[{**body, "seed": s} for s in seeds],
                    )
                )
            return out

        results: list[Result] = asyncio.run(
            measure(
                server.base_url, loads, args, warmup=lambda load: 2 if load.method == "POST" else 10
            )
        )
        say("")
        for line in table(results, ratios=(50, 95)):
            say(line)
        say("")
        for r in pooled(results):
            if not r.name.startswith("generate") or not r.latencies:
                continue
            p95 = r.pct(95) / 1000
            verdict = "within" if p95 < TARGET_SECONDS else "over"
            say(
                f"{r.name} at concurrency {r.concurrency}: p50 {r.pct(50) / 1000:.2f} s, "
                f"p95 {p95:.2f} s ({verdict} the {TARGET_SECONDS:g} s target)"
            )
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
