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
3. Seeds one organization (owner registered through the API) with ~200 clients.
4. For /healthz, login, GET /api/v1/me and GET /api/v1/clients?limit=25, at concurrency 1
   and 16: a fixed number of requests, stopped early at a time bound. Prints requests/s,
   p50/p95/p99 and each endpoint's p50/p95 as a multiple of /healthz's in the same run.
5. Stops the server and exits 0.

The figures are for comparing runs on the same machine, not for capacity planning: the load
generator (one asyncio process) shares the CPU cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from harness import (
    PG_ADMIN_DEFAULT,
    RAISED_LIMIT,
    REDIS_DEFAULT,
    Result,
    Server,
    free_port,
    prepare_database,
    production_env,
    redis_available,
    say,
    upgrade,
)

BENCH_DB = "spotter_bench"
PASSWORD = "bench-password-123"


# --- load ----------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    json: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


async def drive(
    base_url: str, ep: Endpoint, concurrency: int, total: int, seconds: float, warmup: int = 10
) -> Result:
    result = Result(ep.name, concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def one() -> tuple[float, int | str]:
            start = time.perf_counter()
            try:
                resp = await client.request(ep.method, ep.path, json=ep.json, headers=ep.headers)
                status: int | str = resp.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            return time.perf_counter() - start, status

        # Warm up in waves over every connection: open them all, warm caches and pools.
        for _ in range(-(-warmup // concurrency)):
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


async def seed(base_url: str, clients: int) -> tuple[str, str]:
    """Registers an owner and adds clients; returns (email, access token)."""
    email = f"owner-{secrets.token_hex(4)}@bench.example"
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        resp = await http.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": PASSWORD,
                "full_name": "Bench Owner",
                "organization_name": "Bench Gym",
            },
        )
        resp.raise_for_status()
        token = resp.json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        sem = asyncio.Semaphore(8)
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


def table(results: list[Result]) -> list[str]:
    base = {r.concurrency: r for r in results if r.name == "GET /healthz"}
    head = (
        f"{'endpoint':<28}{'conc':>5}{'reqs':>6}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p50 x hz':>10}{'p95 x hz':>10}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        h = base.get(r.concurrency)
        r50 = r.pct(50) / h.pct(50) if h and h.latencies else float("nan")
        r95 = r.pct(95) / h.pct(95) if h and h.latencies else float("nan")
        errors = sum(r.errors.values())
        lines.append(
            f"{r.name:<28}{r.concurrency:>5}{r.count:>6}{errors:>7}{r.rate:>9.1f}"
            f"{r.pct(50):>9.2f}{r.pct(95):>9.2f}{r.pct(99):>9.2f}{r50:>10.1f}{r95:>10.1f}"
        )
    return lines


async def load(
    base_url: str, email: str, token: str, concurrencies: list[int], total: int, seconds: float
) -> list[Result]:
    auth = {"Authorization": f"Bearer {token}"}
    endpoints = [
        Endpoint("GET /healthz", "GET", "/healthz"),
        Endpoint(
            "POST /api/v1/auth/login",
            "POST",
            "/api/v1/auth/login",
            json={"email": email, "password": PASSWORD},
        ),
        Endpoint("GET /api/v1/me", "GET", "/api/v1/me", headers=auth),
        Endpoint("GET /api/v1/clients?limit=25", "GET", "/api/v1/clients?limit=25", headers=auth),
    ]
    results = []
    for c in concurrencies:
        for ep in endpoints:
            r = await drive(base_url, ep, c, total, seconds)
            say(
                f"  {ep.name:<28} c={c:<3} {r.count} requests in {r.seconds:.1f} s"
                + (f"  errors: {r.errors}" if r.errors else "")
            )
            results.append(r)
    return results


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["auto", "postgres", "sqlite"], default="auto")
    ap.add_argument("--requests", type=int, default=300, help="per endpoint and concurrency")
    ap.add_argument("--seconds", type=float, default=20.0, help="time bound per measurement")
    ap.add_argument("--clients", type=int, default=200, help="clients to seed")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server log)")
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
            load(server.base_url, email, token, args.concurrency, args.requests, args.seconds)
        )
        say("")
        for line in table(results):
            say(line)
        say("")
        say(
            "p50 x hz / p95 x hz: the endpoint's p50 / p95 divided by /healthz's at the same "
            "concurrency."
        )
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
