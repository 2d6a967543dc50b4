"""API load benchmark: a production-mode server on loopback, a bounded load, latency figures.

    python bench/api_load.py                # PostgreSQL when it answers, else SQLite
    python bench/api_load.py --db sqlite    # force one of them

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench`` (dropped and created next
   to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres`` database) when PostgreSQL
   answers, otherwise SQLite in a temporary folder. Redis (``SPOTTER_BENCH_REDIS_URL``) is
   used for rate limits when it answers PING.
2. Runs ``spotter db upgrade`` and starts ``spotter serve --workers 2`` as a subprocess with
   ``SPOTTER_ENV=production`` and a generated secret key. The login rate limits are raised
   (the benchmark logs in hundreds of times from one address), and it says so.
3. Seeds one organization (owner registered through the API) with ``--clients`` clients,
   2,000 by default (the size issue 3's latency target names), posted through the API 16 at
   a time (about 10 s on a 2-core machine).
4. For /healthz, login, GET /api/v1/me and GET /api/v1/clients?limit=25, at concurrency 1
   and 16: a fixed number of requests, stopped early at a time bound. Prints requests/s,
   p50/p95/p99 and each endpoint's p50/p95 as a multiple of /healthz's in the same run.
5. Stops the server and exits 0.

The figures are for comparing runs on the same machine, not for capacity planning: the load
generator (one asyncio process) shares the CPU cores with the server.
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
    RAISED_LIMIT,
    REDIS_DEFAULT,
    Load,
    Server,
    free_port,
    measure,
    parser,
    pooled,
    prepare_database,
    production_env,
    redis_available,
    register_owner,
    say,
    table,
    upgrade,
    verdict,
)

BENCH_DB = "spotter_bench"


# --- seed ----------------------------------------------------------------------------------


async def seed(base_url: str, clients: int) -> tuple[str, str]:
    """Registers an owner and adds clients; returns (email, access token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        email, token = await register_owner(http, "Bench Gym")
        auth = {"Authorization": f"Bearer {token}"}
        sem = asyncio.Semaphore(16)
        statuses = ["active", "active", "active", "lead", "paused"]

        async def add(i: int) -> None:
            async with sem:
                r = await http.post(
                    "/api/v1/clients",
                    headers=auth,
                    json={
                        "full_name": f"Client {i:04d}",
                        "email": f"client{i:04d}@bench.example",
                        "status": statuses[i % len(statuses)],
                    },
                )
                r.raise_for_status()

        await asyncio.gather(*(add(i) for i in range(clients)))
    return email, token


def loads(email: str, token: str) -> list[Load]:
    auth = {"Authorization": f"Bearer {token}"}
    return [
        Load(HEALTHZ, [("/healthz", [])]),
        Load(
            "POST /api/v1/auth/login",
            [("/api/v1/auth/login", [])],
            method="POST",
            json={"email": email, "password": PASSWORD},
        ),
        Load("GET /api/v1/me", [("/api/v1/me", [])], auth),
        Load("GET /api/v1/clients?limit=25", [("/api/v1/clients", [("limit", "25")])], auth),
    ]


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    ap = parser(__doc__, requests=300, per="endpoint", bound="measurement")
    ap.add_argument("--clients", type=int, default=2000, help="clients to seed (issue 3: 2,000)")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    redis_url = os.environ.get("SPOTTER_BENCH_REDIS_URL", REDIS_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-"))
    server: Server | None = None
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        use_redis = redis_available(redis_url)
        port = free_port()
        env = production_env(
            db_url=db_url, data_dir=tmp, port=port, redis_url=redis_url if use_redis else None
        )

        cores = os.cpu_count() or 1
        load_before = os.getloadavg()[0]
        say("Spotter API load benchmark")
        say(f"  database:   {db_label}")
        limits = "yes (rate limits shared by the workers)" if use_redis else "no (in memory)"
        say(f"  redis:      {limits}")
        say(
            f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production, "
            "generated secret key, JSON access log to a file"
        )
        py = platform.python_version()
        say(f"  machine:    {cores} CPU cores, Python {py}, {platform.system()}")
        say(
            f"  note:       the load generator (one asyncio process, httpx) shares the {cores} "
            "cores with the server; figures compare runs on this machine, nothing more"
        )
        say(
            f"  note:       login rate limits raised for the benchmark: "
            f"SPOTTER_AUTH__LOGIN_PER_ACCOUNT and SPOTTER_AUTH__LOGIN_PER_IP = {RAISED_LIMIT!r}"
        )
        say(
            f"  load:       {args.requests} requests per endpoint and concurrency, or "
            f"{args.seconds:g} s, whichever comes first, after a warm-up over every connection; "
            "loopback"
        )

        upgrade(env)
        server = Server(env, port, args.workers, tmp / "server.log")
        t0 = time.monotonic()
        server.start()
        say(f"  started:    server ready in {time.monotonic() - t0:.1f} s on {server.base_url}")
        t0 = time.monotonic()
        email, token = asyncio.run(seed(server.base_url, args.clients))
        say(
            f"  seeded:     1 organization, owner + {args.clients} clients through the API "
            f"in {time.monotonic() - t0:.1f} s"
        )
        say("")
        results = asyncio.run(
            measure(
                server.base_url,
                loads(email, token),
                args,
            )
        )
        say("")
        for line in table(results):
            say(line)
        say("")
        say(
            "p50 x hz / p95 x hz: the endpoint's p50 / p95 divided by /healthz's at the same "
            "concurrency."
        )
        label = f"client list with {args.clients} clients"
        for r in pooled(results):
            if r.name.startswith("GET /api/v1/clients"):
                say(verdict(label, results, r.name, r.concurrency, 3))
        say("login verifies an argon2id hash at production cost (time 3, 64 MiB) by design.")
        say(f"load average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
        return 0
    except (RuntimeError, httpx.HTTPError) as exc:
        say(f"benchmark failed: {exc}")
        if server is not None:
            say(server.log_tail())
        return 1
    finally:
        if server is not None:
            server.stop()
            say("server stopped")
        if args.keep:
            say(f"kept {tmp} (server.log)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
