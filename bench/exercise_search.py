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

import argparse
import asyncio
import itertools
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "spotter_bench_ex"
PASSWORD = "bench-password-123"
RAISED_LIMIT = "1000000/minute"

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


def say(line: str = "") -> None:
    print(line, flush=True)


# --- environment ---------------------------------------------------------------------------


def _pg_parts(url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    u = sa.engine.make_url(url)
    return {
        "host": u.host or "127.0.0.1",
        "port": u.port or 5432,
        "user": u.username or "postgres",
        "password": u.password,
        "database": u.database or "postgres",
    }


async def _fresh_pg_database(admin_url: str) -> str:
    import asyncpg

    parts = _pg_parts(admin_url)
    conn = await asyncpg.connect(**parts, timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    finally:
        await conn.close()
    auth = parts["user"] + (f":{parts['password']}" if parts["password"] else "")
    return f"postgresql+asyncpg://{auth}@{parts['host']}:{parts['port']}/{BENCH_DB}"


async def _drop_pg_database(admin_url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(**_pg_parts(admin_url), timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    finally:
        await conn.close()


def prepare_database(kind: str, admin_url: str, tmp: Path) -> tuple[str, str]:
    if kind in ("auto", "postgres"):
        try:
            url = asyncio.run(_fresh_pg_database(admin_url))
            return url, f"PostgreSQL (fresh database {BENCH_DB})"
        except Exception as exc:
            if kind == "postgres":
                raise SystemExit(f"PostgreSQL is not available: {exc}") from exc
            say(f"PostgreSQL not available ({type(exc).__name__}); using SQLite")
    return f"sqlite+aiosqlite:///{tmp / 'bench.db'}", "SQLite (fresh file in a temporary folder)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spotter_command() -> list[str]:
    script = Path(sys.executable).parent / "spotter"
    return [str(script)] if script.exists() else [sys.executable, "-m", "spotter.cli"]


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log_path = env, port, workers, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                *spotter_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.base_url + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the server did not become ready within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 20), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if hasattr(self, "_log"):
            self._log.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- load ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def pct(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


@dataclass
class Load:
    """One line of the table: requests cycling through ``variants`` (path, params)."""

    name: str
    variants: list[tuple[str, list[tuple[str, str]]]]
    headers: dict[str, str] | None = None


async def drive(
    base_url: str, load: Load, concurrency: int, total: int, seconds: float, warmup: int
) -> Result:
    result = Result(load.name, concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    cycle = itertools.cycle(load.variants)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def one() -> tuple[float, int | str]:
            path, params = next(cycle)
            start = time.perf_counter()
            try:
                resp = await client.get(path, params=params, headers=load.headers)
                status: int | str = resp.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            return time.perf_counter() - start, status

        # Warm up: open connections and let every worker build its library index and cache
        # the query words (each variant several times, so both workers see them).
        for _ in range(-(-warmup // concurrency)):  # in waves, over every connection
            await asyncio.gather(*(one() for _ in range(concurrency)))
        issued = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal issued
            while issued < total and time.perf_counter() < deadline:
                issued += 1
                elapsed, status = await one()
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors[str(status)] = result.errors.get(str(status), 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - began
    return result


async def seed(base_url: str, customs: int) -> tuple[dict[str, str], str, float]:
    """An owner with ``customs`` custom exercises and some overrides; returns (auth headers,
    an exercise id for substitutions, the first search's latency in ms)."""
    email = f"owner-{secrets.token_hex(4)}@bench.example"
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        r = await http.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": PASSWORD,
                "full_name": "Bench Owner",
                "organization_name": "Bench Exercise Gym",
            },
        )
        r.raise_for_status()
        auth = {"Authorization": f"Bearer {r.json()['access_token']}"}

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


def table(results: list[Result]) -> list[str]:
    base = {r.concurrency: r for r in results if r.name == "GET /healthz"}
    head = (
        f"{'endpoint':<40}{'conc':>5}{'reqs':>6}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95 x hz':>10}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        h = base.get(r.concurrency)
        ratio = r.pct(95) / h.pct(95) if h and h.latencies else float("nan")
        lines.append(
            f"{r.name:<40}{r.concurrency:>5}{r.count:>6}{sum(r.errors.values()):>7}"
            f"{r.rate:>9.1f}{r.pct(50):>9.2f}{r.pct(95):>9.2f}{r.pct(99):>9.2f}{ratio:>10.1f}"
        )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["auto", "postgres", "sqlite"], default="auto")
    ap.add_argument("--requests", type=int, default=500, help="per line and concurrency")
    ap.add_argument("--seconds", type=float, default=20.0, help="time bound per line")
    ap.add_argument("--customs", type=int, default=50, help="custom exercises to add")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server log)")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-ex-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp)
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "SPOTTER_DATABASE_URL", "SPOTTER_REDIS_URL"}
            and not k.startswith("SPOTTER_AUTH__")
        }
        port = free_port()
        env.update(
            SPOTTER_ENV="production",
            SPOTTER_SECRET_KEY=secrets.token_urlsafe(48),
            SPOTTER_DATA_DIR=str(tmp),
            SPOTTER_DATABASE_URL=db_url,
            SPOTTER_BASE_URL=f"http://127.0.0.1:{port}",
            # Raised in case a run logs in repeatedly; this benchmark registers once.
            SPOTTER_AUTH__LOGIN_PER_ACCOUNT=RAISED_LIMIT,
            SPOTTER_AUTH__LOGIN_PER_IP=RAISED_LIMIT,
            PYTHONUNBUFFERED="1",
        )
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
        subprocess.run(
            [*spotter_command(), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
        )
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
            Load("GET /healthz", [("/healthz", [])]),
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
        results: list[Result] = []
        for c in args.concurrency:
            for load in loads:
                warmup = 4 * len(load.variants) + 10
                r = asyncio.run(
                    drive(server.base_url, load, c, args.requests, args.seconds, warmup)
                )
                say(
                    f"  {load.name:<40} c={c:<3} {r.count} requests in {r.seconds:.1f} s"
                    + (f"  errors: {r.errors}" if r.errors else "")
                )
                results.append(r)
        say("")
        for line in table(results):
            say(line)
        say("")
        base = {r.concurrency: r for r in results if r.name == "GET /healthz"}
        for r in results:
            if r.name.startswith("GET /api/v1/exercises ("):
                ratio = r.pct(95) / base[r.concurrency].pct(95)
                verdict = "within" if ratio < 3 else "over"
                say(
                    f"search p95 / healthz p95 at concurrency {r.concurrency}: {ratio:.1f}x "
                    f"({verdict} the 3x target)"
                )
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
                asyncio.run(_drop_pg_database(admin_url))
            except Exception as exc:
                say(f"could not drop {BENCH_DB}: {exc}")
        if args.keep:
            say(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
