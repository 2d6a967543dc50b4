"""Training log benchmark: logging a set, and the progress dashboard of a client with three
years of training (about 50,000 sets), against the bare /healthz in the same run.

    python bench/training.py                # PostgreSQL when it answers, else SQLite
    python bench/training.py --db sqlite    # force one of them
    python bench/training.py --sets 20000   # a smaller history

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench_training`` (dropped and
   created next to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres``
   database) when PostgreSQL answers, otherwise SQLite in a temporary folder.
2. Runs ``spotter db upgrade`` and starts ``spotter serve --workers 2`` as a subprocess with
   ``SPOTTER_ENV=production``.
3. Seeds through the API an owner, the client with the long history and eight more
   clients each with a workout in progress (the set-logging targets), and a program
   assigned twelve weeks ago. Then, in this process, through the service layer
   (``training.service.bulk``, no HTTP): three years of workouts, five a week, eight
   exercises each out of 24, about ``--sets`` sets in all with a slow progression, the
   last twelve weeks counted in the program; and the derived data rebuilt (day rows,
   records). Then ANALYZE on PostgreSQL, as autovacuum would for tables that grew over time.
4. At concurrency 1 and 16, a bounded load of: GET /healthz (the floor), GET /api/v1/me
   (authentication alone), POST /api/v1/clients (a plain write transaction, for what any
   write costs here), PUT a new set (each request a new id and set number, as the
   logging page sends them, spread over the eight workouts in progress), PUT the same
   set again (an offline replay), the client's
   dashboard data for 12 weeks and all three years (kept between requests while the log
   is unchanged, as when a page is reloaded), the same computed afresh on every request
   (another choice of lifts each time: what the first view after a set logged today
   costs; the past's grouped rows and workouts stay kept, under their own stamp, as they
   do after such a set; a change to an earlier day reads them again), and one lift's
   history. All the lines ``--rounds`` times over (3), round by round.
   Prints requests/s, p50/p95/p99 of the rounds together and each p95 as a multiple of
   /healthz's p95; the verdicts take each round's ratio against the /healthz of that
   round and their median (a burst of noise on a shared machine moves one round, not the
   verdict), against the targets: set logging under 3x, dashboard under 10x.
5. Checks that every set logged during the run is counted exactly once in the derived
   day rows, stops the server, drops the database and exits 0.

The load generator (one asyncio process) shares the CPU cores with the server: compare runs
on the same machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
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
    table,
    upgrade,
    verdict,
)

BENCH_DB = "spotter_bench_training"
LOGGING_CLIENTS = 8
YEARS = 3
EXERCISES_PER_WORKOUT = 8
WORKOUTS_PER_WEEK = 5
# Dataset slugs: four days' worth of exercises, six each.
SPLIT = [
    [
        "Barbell_Squat",
        "Leg_Press",
        "Leg_Extensions",
        "Lying_Leg_Curls",
        "Standing_Calf_Raises",
        "Plank",
        "Barbell_Lunge",
        "Goblet_Squat",
    ],
    [
        "Barbell_Bench_Press_-_Medium_Grip",
        "Incline_Dumbbell_Press",
        "Dumbbell_Flyes",
        "Standing_Military_Press",
        "Side_Lateral_Raise",
        "Triceps_Pushdown",
        "Dips_-_Triceps_Version",
        "Pushups",
    ],
    [
        "Barbell_Deadlift",
        "Bent_Over_Barbell_Row",
        "Wide-Grip_Lat_Pulldown",
        "Seated_Cable_Rows",
        "Face_Pull",
        "Barbell_Curl",
        "Hammer_Curls",
        "Pullups",
    ],
]
TARGETS = {"set": 3.0, "dashboard": 10.0}


# --- seed ------------------------------------------------------------------------------------


async def seed_api(base_url: str) -> dict[str, Any]:
    """An owner, the long-history client (with a program from twelve weeks ago), and
    ``LOGGING_CLIENTS`` clients with a squat workout in progress."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        _, token = await register_owner(http, "Bench Training Gym")
        auth = {"Authorization": f"Bearer {token}"}
        me = (await http.get("/api/v1/me", headers=auth)).json()
        org = (await http.get("/api/v1/organization", headers=auth)).json()
        r = await http.post("/api/v1/clients", headers=auth, json={"full_name": "Vera Veteran"})
        r.raise_for_status()
        veteran = r.json()["id"]
        from spotter.exercises.dataset import library_id

        squat = str(library_id("exercise", "Barbell_Squat"))
        bench = str(library_id("exercise", "Barbell_Bench_Press_-_Medium_Grip"))
        r = await http.post(
            "/api/v1/templates",
            headers=auth,
            json={
                "name": "Bench block",
                "phases": [
                    {
                        "name": "Block",
                        "weeks": 16,
                        "workouts": [
                            {
                                "name": f"Day {d}",
                                "prescriptions": [
                                    {"exercise_id": squat, "sets": 3, "reps": 5, "load_kg": 100},
                                    {"exercise_id": bench, "sets": 3, "reps": 5, "load_kg": 70},
                                ],
                            }
                            for d in "ABC"
                        ],
                    }
                ],
            },
        )
        r.raise_for_status()
        monday = date.today() - timedelta(days=date.today().weekday())
        r = await http.post(
            f"/api/v1/templates/{r.json()['id']}/assign",
            headers=auth,
            json={
                "client_id": veteran,
                "mode": "STATIC",
                "start_on": (monday - timedelta(weeks=12)).isoformat(),
                "training_days": [1, 3, 5],
            },
        )
        r.raise_for_status()
        program = r.json()["id"]
        targets = []
        for i in range(LOGGING_CLIENTS):
            r = await http.post("/api/v1/clients", headers=auth, json={"full_name": f"Lifter {i}"})
            r.raise_for_status()
            w = (
                await http.post(
                    "/api/v1/workouts", headers=auth, json={"client_id": r.json()["id"]}
                )
            ).json()
            entry = (
                await http.post(
                    f"/api/v1/workouts/{w['id']}/exercises",
                    headers=auth,
                    json={"exercise_id": squat},
                )
            ).json()
            targets.append((w["id"], entry["id"]))
    return {
        "auth": auth,
        "user_id": uuid.UUID(me["id"]),
        "organization_id": uuid.UUID(org["id"]),
        "veteran": uuid.UUID(veteran),
        "program": uuid.UUID(program),
        "targets": targets,
    }


async def seed_history(db_url: str, world: dict[str, Any], sets: int) -> tuple[int, float]:
    """Three years of the veteran's training, through the service layer; returns (sets
    written, seconds)."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from spotter import registry  # noqa: F401  (every model mapped)
    from spotter.core.db import db, make_engine
    from spotter.core.tenancy import set_organization
    from spotter.exercises.dataset import library_id
    from spotter.programs import service as programs
    from spotter.training.service import derived
    from spotter.training.service.bulk import BulkLog

    started = time.perf_counter()
    engine = make_engine(db_url)
    db.use(async_sessionmaker(engine, expire_on_commit=False))
    rng = random.Random(3)
    today = date.today()
    first = today - timedelta(weeks=52 * YEARS)
    days = [
        first + timedelta(days=i)
        for i in range((today - first).days)
        if (first + timedelta(days=i)).weekday() < WORKOUTS_PER_WEEK
    ]
    workouts = len(days)
    per_exercise = max(1, round(sets / workouts / EXERCISES_PER_WORKOUT))
    written = 0
    try:
        async with db.session() as session:
            set_organization(session, world["organization_id"])
            log = BulkLog(world["organization_id"])
            client = world["veteran"]
            scheduled = {
                item.date: item.workout_id
                for item in await programs.client_schedule(
                    session, client_id=client, from_on=first, to_on=today - timedelta(days=1)
                )
            }
            for n, day in enumerate(days):
                progress = 0.6 + 0.4 * n / workouts
                started_at = datetime.combine(day, clock(7, 0), tzinfo=UTC)
                group = SPLIT[n % len(SPLIT)]
                w = log.workout(
                    client_id=client,
                    name=f"Day {'ABC'[n % 3]}",
                    performed_on=day,
                    started_at=started_at,
                    duration_seconds=75 * 60,
                    session_rpe=8.0,
                    program_id=world["program"] if day in scheduled else None,
                    program_workout_id=scheduled.get(day),
                )
                for position, slug in enumerate(group[:EXERCISES_PER_WORKOUT]):
                    exercise = library_id("exercise", slug)
                    entry = log.exercise(workout_id=w, exercise_id=exercise, position=position)
                    base = 40 + 10 * (position % 5)
                    for k in range(1, per_exercise + 1):
                        log.set(
                            workout_id=w,
                            entry_id=entry,
                            client_id=client,
                            exercise_id=exercise,
                            performed_on=day,
                            position=k,
                            reps=rng.choice((5, 6, 8, 10)),
                            load_kg=round(base * progress * 2) / 2,
                            done_at=started_at + timedelta(minutes=2 * k + 10 * position),
                        )
            written = await log.write(session)
            trained = set(days)
            for day, workout_id in sorted(scheduled.items()):
                if day in trained:
                    await programs.record_workout_completed(
                        session,
                        program_id=world["program"],
                        program_workout_id=workout_id,
                        completed_on=day,
                    )
            await derived.rebuild_client(session, client)
        if engine.dialect.name == "postgresql":
            # Statistics for the bulk-loaded tables, as autovacuum keeps them for tables that
            # grew over time (without them the planner takes the log for empty).
            async with engine.begin() as conn:
                await conn.execute(sa.text("ANALYZE"))
    finally:
        db.use(None)
        await engine.dispose()
    return written, time.perf_counter() - started


async def count_check(db_url: str, world: dict[str, Any]) -> str:
    """Every set logged during the run is counted exactly once in the day rows."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from spotter.core.db import db, make_engine
    from spotter.core.tenancy import set_organization
    from spotter.training.models import ExerciseDay, LoggedSet

    engine = make_engine(db_url)
    db.use(async_sessionmaker(engine, expire_on_commit=False))
    try:
        async with db.session() as session:
            set_organization(session, world["organization_id"])
            logged = await session.scalar(
                sa.select(sa.func.count())
                .select_from(LoggedSet)
                .where(LoggedSet.client_id != world["veteran"])
            )
            counted = await session.scalar(
                sa.select(sa.func.coalesce(sa.func.sum(ExerciseDay.sets), 0)).where(
                    ExerciseDay.client_id != world["veteran"]
                )
            )
    finally:
        db.use(None)
        await engine.dispose()
    verdict = "every one counted once" if logged == counted else "MISMATCH"
    return f"sets logged during the run: {logged}; counted in day rows: {counted} ({verdict})"


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    ap = parser(__doc__, requests=400, per="line", bound="line")
    ap.add_argument("--sets", type=int, default=50_000, help="sets in the long history")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-training-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        cores = os.cpu_count() or 1
        say("Spotter training log benchmark")
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
        upgrade(env)
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        world = asyncio.run(seed_api(server.base_url))
        written, seconds = asyncio.run(seed_history(db_url, world, args.sets))
        say(
            f"  seeded:     {written} sets in three years of workouts for one client, "
            f"{LOGGING_CLIENTS} clients logging, in {seconds:.1f} s (service layer, bulk)"
        )
        say("")

        auth = world["auth"]
        veteran = world["veteran"]
        body = {"load_kg": 100, "reps": 5, "rpe": 8}
        first_workout, first_entry = world["targets"][0]
        replay = f"/api/v1/workouts/{first_workout}/sets/{uuid.uuid4()}"
        replay_body = {"logged_exercise_id": first_entry, **body}
        # The replayed set exists before the run.
        httpx.put(
            server.base_url + replay, headers=auth, json=replay_body, timeout=30
        ).raise_for_status()
        dashboard = f"/api/v1/clients/{veteran}/training-dashboard"
        from spotter.exercises.dataset import library_id

        squat = library_id("exercise", "Barbell_Squat")

        lift_ids = [str(library_id("exercise", slug)) for group in SPLIT for slug in group]

        def picks(n: int) -> list[list[tuple[str, str]]]:
            """``lifts`` choices never asked before: each request computes the dashboard
            (none is kept), as after every change to the log."""
            out = []
            for i in range(len(picked), len(picked) + n + 60):
                a, b, c = i % 24, (i // 24) % 24, (i // 576) % 24
                out.append([("lifts", lift_ids[a]), ("lifts", lift_ids[b]), ("lifts", lift_ids[c])])
            picked.update(tuple(p) for p in out)
            return out

        picked: set[tuple[tuple[str, str], ...]] = set()

        positions: dict[str, int] = {}

        def numbered(workout: str, entry: str) -> dict[str, Any]:
            """A set body with its set number, as the logging page sends it (numbers go
            up to 100, the most an exercise takes, then start again: the runs at each
            concurrency log more sets into these workouts than anyone would)."""
            positions[workout] = positions.get(workout, 1) % 100 + 1
            return {"logged_exercise_id": entry, "position": positions[workout], **body}

        def loads() -> list[Load]:
            """The lines; new set ids each time (a second run must not replay them)."""
            targets = [world["targets"][i % LOGGING_CLIENTS] for i in range(args.requests + 50)]
            return [
                Load(HEALTHZ, [("/healthz", [])]),
                Load("GET /api/v1/me (auth only)", [("/api/v1/me", [])], auth),
                Load(
                    "POST /api/v1/clients (a plain write)",
                    [("/api/v1/clients", [])],
                    auth,
                    method="POST",
                    json={"full_name": "Walk-in Client"},
                ),
                Load(
                    "PUT a new set",
                    [(f"/api/v1/workouts/{w}/sets/{uuid.uuid4()}", []) for w, _ in targets],
                    auth,
                    method="PUT",
                    bodies=[numbered(w, e) for w, e in targets],
                ),
                Load(
                    "PUT the same set again",
                    [(replay, [])],
                    auth,
                    method="PUT",
                    json=replay_body,
                ),
                Load("GET dashboard, 12 weeks", [(dashboard, [("range", "12w")])], auth),
                Load("GET dashboard, all (3 years)", [(dashboard, [("range", "all")])], auth),
                Load(
                    "GET dashboard, 12 weeks, not kept",
                    [(dashboard, [("range", "12w"), *pick]) for pick in picks(args.requests)],
                    auth,
                ),
                Load(
                    "GET dashboard, all, not kept",
                    [(dashboard, [("range", "all"), *pick]) for pick in picks(args.requests)],
                    auth,
                ),
                Load("GET one lift, all", [(f"/api/v1/clients/{veteran}/lifts/{squat}", [])], auth),
            ]

        results: list[Result] = asyncio.run(measure(server.base_url, loads, args))
        say("")
        for line in table(results, ratios=(50, 95)):
            say(line)
        say("")
        for r in pooled(results):
            kind = (
                "set"
                if r.name == "PUT a new set"
                else "dashboard"
                if "dashboard" in r.name
                else None
            )
            if kind is not None:
                say(verdict(r.name, results, r.name, r.concurrency, TARGETS[kind]))
        say(asyncio.run(count_check(db_url, world)))
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
