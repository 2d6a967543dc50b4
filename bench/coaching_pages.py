"""Coaching pages benchmark: a production-mode server, a trainer with a client on a big
program, the web pages a trainer uses most against the bare /healthz in the same run.

    python bench/coaching_pages.py                # PostgreSQL when it answers, else SQLite
    python bench/coaching_pages.py --db sqlite    # force one of them

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench_ui3`` (dropped and created
   next to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres`` database) when
   PostgreSQL answers, otherwise SQLite in a temporary folder.
2. Runs ``spotter db upgrade`` and starts ``spotter serve --workers 2`` with
   ``SPOTTER_ENV=production``.
3. Registers an owner through the API, adds 30 clients, a template of 3 phases x 4 days x 6
   prescriptions (72, with progression rules), assigns it to one client and logs in
   through the login form (the pages' session cookie).
4. At concurrency 1 and 16, a bounded load of GET /healthz (the floor), the exercise
   library's live search fragment (varied queries and filters), an exercise's page (with
   substitutions), the program builder, the client page's programs tab (the program card
   with this week's schedule) and the client picker's fragment. Prints requests/s,
   p50/p95/p99 in ms and each p95 as a multiple of /healthz's p95.
5. Stops the server, drops the database and exits 0.

The load generator shares the CPU cores with the server: compare runs on one machine.
"""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx
from harness import (
    HEALTHZ,
    PASSWORD,
    PG_ADMIN_DEFAULT,
    Load,
    Result,
    Server,
    drop_pg_database,
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

BENCH_DB = "spotter_bench_ui3"
SEARCHES: list[list[tuple[str, str]]] = [
    [("q", "squat")],
    [("q", "benhc press")],
    [("q", "db row")],
    [("q", "curl"), ("muscle", "biceps")],
    [("q", "press"), ("equipment", "dumbbell")],
    [("category", "strength"), ("level", "beginner")],
    [("muscle", "quadriceps")],
    [],
]
NAMES = ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kai", "Logan"]


async def _exercise_ids(http: httpx.AsyncClient, auth: dict[str, str]) -> list[str]:
    ids = []
    for q in ("barbell squat", "bench press", "deadlift", "row", "pullup", "plank", "lunge"):
        r = await http.get("/api/v1/exercises", params={"q": q, "limit": 1}, headers=auth)
        r.raise_for_status()
        ids.append(r.json()["items"][0]["id"])
    return ids


def _template(exercises: list[str]) -> dict:
    def rx(i: int) -> dict:
        body = {"exercise_id": exercises[i % len(exercises)], "sets": 3}
        if i % 3 == 0:
            body |= {"reps_min": 5, "reps_max": 5, "load_kg": 60.0}
            body["progression"] = {"kind": "linear_load", "increment_kg": 2.5}
        elif i % 3 == 1:
            body |= {"reps_min": 8, "reps_max": 12, "load_kg": 40.0}
            body["progression"] = {"kind": "double_progression", "increment_kg": 2.5}
        else:
            body |= {"reps_min": 10, "reps_max": 10, "rir": 2}
        return body

    return {
        "name": "Bench Block",
        "phases": [
            {
                "name": f"Phase {p}",
                "weeks": 4,
                "workouts": [
                    {
                        "name": f"Day {d}",
                        "prescriptions": [rx(p * 24 + d * 6 + i) for i in range(6)],
                    }
                    for d in range(4)
                ],
            }
            for p in range(3)
        ],
    }


async def seed(base_url: str) -> dict[str, str]:
    """Returns the ids the loads use and the session cookie."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        email, token = await register_owner(http, "Bench Coaching Gym")
        auth = {"Authorization": f"Bearer {token}"}
        client_ids = []
        for i in range(30):
            r = await http.post(
                "/api/v1/clients",
                headers=auth,
                json={"full_name": f"{NAMES[i % 10]} Client {i:02d}"},
            )
            r.raise_for_status()
            client_ids.append(r.json()["id"])
        exercises = await _exercise_ids(http, auth)
        r = await http.post("/api/v1/templates", headers=auth, json=_template(exercises))
        r.raise_for_status()
        template_id = r.json()["id"]
        today = time.strftime("%Y-%m-%d")
        r = await http.post(
            f"/api/v1/templates/{template_id}/assign",
            headers=auth,
            json={
                "client_id": client_ids[0],
                "mode": "STATIC",
                "start_on": today,
                "training_days": [1, 2, 4, 5],
            },
        )
        r.raise_for_status()
        # The pages' session: the login form, with its CSRF cookie.
        await http.get("/login")
        csrf = http.cookies.get("spotter_csrf") or ""
        r = await http.post(
            "/login", data={"csrf_token": csrf, "email": email, "password": PASSWORD}
        )
        if r.status_code != 303:
            raise RuntimeError(f"login form answered {r.status_code}")
        session = http.cookies.get("spotter_session") or ""
    return {
        "cookie": f"spotter_session={session}; spotter_csrf={csrf}",
        "client": client_ids[0],
        "template": template_id,
        "exercise": exercises[0],
    }


def main() -> int:
    ap = parser(__doc__, requests=300, per="line", bound="line")
    args = ap.parse_args()
    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-ui3-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter coaching pages benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {os.cpu_count() or 1} CPU cores, Python "
            f"{platform.python_version()}; the load generator shares these cores"
        )
        say(
            f"  load:       {args.requests} requests or {args.seconds:.0f} s per line, "
            f"at concurrency {', '.join(map(str, args.concurrency))}"
        )
        upgrade(env)
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        ids = asyncio.run(seed(server.base_url))
        say("  seeded:     30 clients, a 3-phase template (72 prescriptions) assigned to one")
        say("")
        page = {"Cookie": ids["cookie"], "Accept": "text/html"}
        fragment = {**page, "HX-Request": "true"}
        loads = [
            Load(HEALTHZ, [("/healthz", [])]),
            Load(
                f"GET /exercises/rows ({len(SEARCHES)} searches)",
                [("/exercises/rows", q) for q in SEARCHES],
                fragment,
            ),
            Load("GET /exercises/{id}", [(f"/exercises/{ids['exercise']}", [])], page),
            Load(
                "GET /programs/{id} (builder, 72 rx)", [(f"/programs/{ids['template']}", [])], page
            ),
            Load(
                "GET /clients/{id}?tab=programs",
                [(f"/clients/{ids['client']}", [("tab", "programs")])],
                page,
            ),
            Load(
                "GET /clients/pick",
                [("/clients/pick", [("q", n.lower()[:3])]) for n in NAMES],
                fragment,
            ),
        ]
        results: list[Result] = asyncio.run(
            measure(server.base_url, loads, args, warmup=lambda load: 4 * len(load.variants) + 10)
        )
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
        if server is not None:
            server.stop()
        if db_url.startswith("postgresql"):
            try:
                drop_pg_database(admin_url, BENCH_DB)
            except Exception as exc:
                say(f"could not drop {BENCH_DB}: {exc}")
        if args.keep:
            say(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
