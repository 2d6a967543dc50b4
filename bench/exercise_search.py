"""Exercise search benchmark: a production-mode server, an organization with its own
exercises and overrides, varied searches against the bare /healthz in the same run.

    python bench/exercise_search.py                # PostgreSQL when it answers, else SQLite
    python bench/exercise_search.py --db sqlite    # force one of them

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench_ex`` (dropped and created
   next to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres`` database) when
   PostgreSQL answers, otherwise SQLite in a temporary folder.
2. Runs ``spotter db upgrade`` (which loads the 873 shared exercises) and starts
   ``spotter serve --workers 2`` as a subprocess with ``SPOTTER_ENV=production``.
3. Registers an owner through POST /api/v1/auth/register, adds 50 custom exercises and 10
   overrides (renamed shared exercises).
4. At concurrency 1 and 16, a bounded load (``--requests`` requests or ``--seconds``, whichever
   comes first) of: GET /healthz (the floor), GET /api/v1/me (authentication alone), varied
   GET /api/v1/exercises searches (typos, prefixes, filters, categories, pages) and
   substitutions. Prints requests/s, p50/p95/p99 in ms and each p95 as a multiple of
   /healthz's p95 (the issue's target for search: under 3x).
5. Stops the server and exits 0.

The load generator (one asyncio process) shares the CPU cores with the server: compare runs
on the same machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

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
    table,
    upgrade,
    verdict,
)

BENCH_DB = "spotter_bench_ex"

# Varied searches: typos, prefixes, abbreviations, filters, category trees, list pages.
SEARCHES: list[list[tuple[str, str]]] = [
    [("q", "bench press")],
    [("q", "bench pres")],
    [("q", "benhc press")],
    [("q", "squt")],
    [("q", "squat"), ("equipment", "barbell")],
    [("q", "deadlfit")],
    [("q", "curl"), ("muscle", "biceps")],
    [("q", "db curl")],
    [("q", "pullup")],
    [("q", "lat pulldwn")],
    [("q", "hamstring strech")],
    [("q", "row"), ("equipment", "cable"), ("equipment", "dumbbell")],
    [("q", "press"), ("limit", "50")],
    [("q", "lunge"), ("level", "beginner")],
    [("q", "plank")],
    [("q", "house")],  # the organization's own (custom) exercises
    [("q", "club squat")],  # an override's new name
    [("muscle", "chest")],
    [("muscle", "quadriceps"), ("include_secondary", "true")],
    [("category", "strength")],
    [("category", "conditioning"), ("level", "intermediate")],
    [("equipment", "kettlebells"), ("mechanic", "compound")],
    [("force", "pull"), ("muscle", "lats")],
    [("source", "custom")],
    [],
    [("limit", "100")],
]

MUSCLES = [
    "chest",
    "lats",
    "quadriceps",
    "hamstrings",
    "shoulders",
    "biceps",
    "triceps",
    "glutes",
    "abdominals",
    "calves",
]
EQUIPMENT = ["barbell", "dumbbell", "kettlebells", "cable", "machine", "bands", "body_only"]
OVERRIDDEN = [
    "Barbell Squat",
    "Barbell Deadlift",
    "Pullups",
    "Dumbbell Bench Press",
    "Barbell Curl",
    "Plank",
    "Leg Press",
    "Front Barbell Squat",
    "Push Press",
    "Goblet Squat",
]


# --- seed ----------------------------------------------------------------------------------


async def seed(base_url: str, customs: int) -> tuple[dict[str, str], str, float]:
    """An owner with ``customs`` custom exercises and some overrides; returns (auth headers,
    an exercise id for substitutions, the first search's latency in ms)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        _, token = await register_owner(http, "Bench Exercise Gym")
        auth = {"Authorization": f"Bearer {token}"}

        started = time.perf_counter()
        r = await http.get("/api/v1/exercises", params={"q": "squat"}, headers=auth)
        r.raise_for_status()
        first = (time.perf_counter() - started) * 1000

        for i in range(customs):
            primary = MUSCLES[i % len(MUSCLES)]
            r = await http.post(
                "/api/v1/exercises",
                headers=auth,
                json={
                    "name": f"House {['Press', 'Row', 'Squat', 'Carry', 'Hinge'][i % 5]} #{i:02d}",
                    "category": ["strength", "powerlifting", "cardio", "stretching"][i % 4],
                    "level": ["beginner", "intermediate", "expert"][i % 3],
                    "mechanic": ["compound", "isolation"][i % 2],
                    "force": ["push", "pull", "static"][i % 3],
                    "equipment": EQUIPMENT[i % len(EQUIPMENT)],
                    "primary_muscles": [primary],
                    "secondary_muscles": [
                        m for m in MUSCLES[(i + 3) % 10 : (i + 3) % 10 + 2] if m != primary
                    ],
                    "cues": ["Brace", "Control the eccentric"],
                    "video_url": f"https://videos.example.com/house-{i}.mp4",
                },
            )
            r.raise_for_status()
        squat_id = ""
        for name in OVERRIDDEN:
            r = await http.get("/api/v1/exercises", params={"q": name, "limit": 1}, headers=auth)
            r.raise_for_status()
            item = r.json()["items"][0]
            squat_id = squat_id or item["id"]
            new_name = "Club Squat" if name == "Barbell Squat" else f"Club {name}"
            r = await http.put(
                f"/api/v1/exercises/{item['id']}/override",
                headers=auth,
                json={"name": new_name, "cues": ["Our way"]},
            )
            r.raise_for_status()
    return auth, squat_id, first


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    ap = parser(__doc__, requests=500, per="line", bound="line")
    ap.add_argument("--customs", type=int, default=50, help="custom exercises to add")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-ex-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        # No Redis (limits in memory); the raised login limits do not matter here: this
        # benchmark registers once.
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        cores = os.cpu_count() or 1
        say("Spotter exercise search benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {cores} CPU cores, Python {platform.python_version()}, "
            f"{platform.system()}; the load generator shares these cores with the server"
        )
        say(
            f"  load:       {args.requests} requests or {args.seconds:.0f} s per line, "
            f"whichever comes first, at concurrency {', '.join(map(str, args.concurrency))}"
        )

        started = time.perf_counter()
        upgrade(env)
        say(
            f"  migrated:   {time.perf_counter() - started:.1f} s (includes loading the "
            "873 shared exercises)"
        )
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        auth, squat_id, first = asyncio.run(seed(server.base_url, args.customs))
        say(
            f"  seeded:     1 organization, {args.customs} custom exercises, "
            f"{len(OVERRIDDEN)} overrides; first search {first:.0f} ms (builds the index)"
        )
        say("")

        loads = [
            Load(HEALTHZ, [("/healthz", [])]),
            Load("GET /api/v1/me (auth only)", [("/api/v1/me", [])], auth),
            Load(
                f"GET /api/v1/exercises ({len(SEARCHES)} searches)",
                [("/api/v1/exercises", p) for p in SEARCHES],
                auth,
            ),
            Load(
                "GET /api/v1/exercises/{id}/substitutions",
                [
                    (f"/api/v1/exercises/{squat_id}/substitutions", []),
                    (
                        f"/api/v1/exercises/{squat_id}/substitutions",
                        [("equipment", "dumbbell"), ("equipment", "kettlebells")],
                    ),
                ],
                auth,
            ),
        ]
        results: list[Result] = asyncio.run(
            measure(
                server.base_url,
                loads,
                args,
                # Warm-up: let every worker build its library index and cache the query
                # words (each variant several times, so both workers see them).
                warmup=lambda load: 4 * len(load.variants) + 10,
            )
        )
        say("")
        for line in table(results, ratios=(95,)):
            say(line)
        say("")
        for r in pooled(results):
            if r.name.startswith("GET /api/v1/exercises ("):
                say(verdict("search", results, r.name, r.concurrency, 3))
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
