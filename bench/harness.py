"""Shared parts of the benchmarks: a fresh database, a production-mode server subprocess, an
owner registered through the API, a bounded load loop, latency results and their table. Each
benchmark script imports this module (it sits next to them).

    from harness import Load, Server, measure, prepare_database, production_env, say, table
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"  # away from the test workers' databases (1, 2, ...)
RAISED_LIMIT = "1000000/minute"
PASSWORD = "bench-password-123"  # every benchmark owner's
HEALTHZ = "GET /healthz"  # the floor every other line is compared with
# Inherited settings that would point the server elsewhere.
_SCRUB = {"DATABASE_URL", "REDIS_URL", "SPOTTER_DATABASE_URL", "SPOTTER_REDIS_URL"}


def say(line: str = "") -> None:
    print(line, flush=True)


def parser(doc: str, *, requests: int, per: str, bound: str) -> argparse.ArgumentParser:
    """The options every benchmark takes (``requests`` per ``per`` and concurrency, a time
    bound per ``bound``); a script adds its own and parses."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--db", choices=["auto", "postgres", "sqlite"], default="auto")
    ap.add_argument("--requests", type=int, default=requests, help=f"per {per} and concurrency")
    ap.add_argument("--seconds", type=float, default=20.0, help=f"time bound per {bound}")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="measure every line this many times, round by round; verdicts take the median "
        "of the rounds' ratios",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server log)")
    return ap


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


async def _pg_admin(admin_url: str, *statements: str) -> dict[str, Any]:
    """Runs ``statements`` on the admin database; returns its connection parts."""
    import asyncpg

    parts = _pg_parts(admin_url)
    conn = await asyncpg.connect(**parts, timeout=3)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()
    return parts


async def _fresh_pg_database(admin_url: str, name: str) -> str:
    """Drops and creates database ``name`` next to ``admin_url``; returns its SQLAlchemy URL."""
    parts = await _pg_admin(
        admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    auth = parts["user"] + (f":{parts['password']}" if parts["password"] else "")
    return f"postgresql+asyncpg://{auth}@{parts['host']}:{parts['port']}/{name}"


def drop_pg_database(admin_url: str, name: str) -> None:
    """Drops database ``name`` next to ``admin_url`` (after a run)."""
    asyncio.run(_pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def prepare_database(kind: str, admin_url: str, tmp: Path, name: str) -> tuple[str, str]:
    """A fresh database: PostgreSQL ``name`` (auto/postgres) or SQLite under ``tmp``.

    Returns (SQLAlchemy URL, label)."""
    if kind in ("auto", "postgres"):
        try:
            url = asyncio.run(_fresh_pg_database(admin_url, name))
            return url, f"PostgreSQL (fresh database {name})"
        except Exception as exc:
            if kind == "postgres":
                raise SystemExit(f"PostgreSQL is not available: {exc}") from exc
            say(f"PostgreSQL not available ({type(exc).__name__}); using SQLite")
    return f"sqlite+aiosqlite:///{tmp / 'bench.db'}", "SQLite (fresh file in a temporary folder)"


def redis_available(url: str) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spotter_command() -> list[str]:
    script = Path(sys.executable).parent / "spotter"
    return [str(script)] if script.exists() else [sys.executable, "-m", "spotter.cli"]


# --- server --------------------------------------------------------------------------------


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


# --- results -------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    round: int = 1

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


def pooled(results: list[Result]) -> list[Result]:
    """The rounds' results of each line and concurrency as one (latencies, errors and
    time added up), in the order first measured."""
    out: dict[tuple[str, int], Result] = {}
    for r in results:
        into = out.setdefault((r.name, r.concurrency), Result(r.name, r.concurrency))
        into.latencies += r.latencies
        into.seconds += r.seconds
        for error, n in r.errors.items():
            into.errors[error] = into.errors.get(error, 0) + n
    return list(out.values())


def healthz(results: list[Result]) -> dict[int, Result]:
    """The /healthz result at each concurrency (all rounds)."""
    return {r.concurrency: r for r in pooled(results) if r.name == HEALTHZ}


def round_ratios(results: list[Result], name: str, concurrency: int, p: float = 95) -> list[float]:
    """Line ``name``'s percentile ``p`` over /healthz's, each round against the /healthz
    measured in the same round (a burst of noise on the machine moves one round, not the
    verdict)."""
    base = {r.round: r for r in results if r.name == HEALTHZ and r.concurrency == concurrency}
    return [
        r.pct(p) / base[r.round].pct(p)
        for r in results
        if r.name == name and r.concurrency == concurrency and r.latencies and r.round in base
    ]


def verdict(label: str, results: list[Result], name: str, concurrency: int, target: float) -> str:
    """``label``'s p95 as a multiple of /healthz's p95: the median of the rounds' ratios,
    each round's shown, against ``target``."""
    ratios = round_ratios(results, name, concurrency)
    if not ratios:
        return f"{label} at concurrency {concurrency}: no successful requests"
    median = statistics.median(ratios)
    rounds = ", ".join(f"{r:.1f}" for r in ratios)
    where = "within" if median < target else "over"
    return (
        f"{label} p95 / healthz p95 at concurrency {concurrency}: {median:.1f}x "
        f"(median of {len(ratios)} rounds: {rounds}; {where} the {target:g}x target)"
    )


def table(results: list[Result], ratios: tuple[int, ...] = (50, 95)) -> list[str]:
    """Requests/s, p50/p95/p99 in ms of all rounds together and, for each percentile in
    ``ratios``, the line's figure as a multiple of /healthz's at the same concurrency."""
    results = pooled(results)
    base = healthz(results)
    width = max(len("endpoint"), *(len(r.name) for r in results))
    head = (
        f"{'endpoint':<{width}}{'conc':>5}{'reqs':>6}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    ) + "".join(f"{f'p{p} x hz':>10}" for p in ratios)
    lines = [head, "-" * len(head)]
    for r in results:
        h = base.get(r.concurrency)
        times = [r.pct(p) / h.pct(p) if h and h.latencies else float("nan") for p in ratios]
        lines.append(
            f"{r.name:<{width}}{r.concurrency:>5}{r.count:>6}{sum(r.errors.values()):>7}"
            f"{r.rate:>9.1f}{r.pct(50):>9.2f}{r.pct(95):>9.2f}{r.pct(99):>9.2f}"
            + "".join(f"{t:>10.1f}" for t in times)
        )
    return lines


# --- seed and load -------------------------------------------------------------------------


async def register_owner(http: httpx.AsyncClient, organization: str) -> tuple[str, str]:
    """Registers a new owner and organization through the API; returns (email, access token)."""
    email = f"owner-{secrets.token_hex(4)}@bench.example"
    resp = await http.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": PASSWORD,
            "full_name": "Bench Owner",
            "organization_name": organization,
        },
    )
    resp.raise_for_status()
    return email, resp.json()["access_token"]


@dataclass
class Load:
    """One line of the table: ``method`` requests cycling through ``variants`` (path, query
    parameters; none keeps the path as it is), each with ``json`` and ``headers``."""

    name: str
    variants: list[tuple[str, list[tuple[str, str]]]]
    headers: dict[str, str] | None = None
    method: str = "GET"
    json: dict[str, Any] | None = None
    # One JSON body per variant (same order), when they differ; else ``json`` for all.
    bodies: list[dict[str, Any]] | None = None


async def drive(
    base_url: str, load: Load, concurrency: int, total: int, seconds: float, warmup: int = 10
) -> Result:
    """``concurrency`` connections send ``load`` until ``total`` requests are issued or
    ``seconds`` have passed, after ``warmup`` requests (rounded up to whole waves) that are
    not measured. Latencies of 2xx answers are kept; anything else counts as an error."""
    result = Result(load.name, concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    cycle = itertools.cycle(range(len(load.variants)))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def one() -> tuple[float, int | str]:
            i = next(cycle)
            path, params = load.variants[i]
            start = time.perf_counter()
            try:
                resp = await client.request(
                    load.method,
                    path,
                    params=tuple(params) or None,
                    json=load.bodies[i] if load.bodies else load.json,
                    headers=load.headers,
                )
                status: int | str = resp.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            return time.perf_counter() - start, status

        # Warm up in waves over every connection: open them all, warm caches and pools (and
        # whatever each server worker builds on its first requests).
        for _ in range(-(-warmup // concurrency)):
            await asyncio.gather(*(one() for _ in range(concurrency)))
        issued = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal issued
            while issued < total and time.perf_counter() < deadline:
                issued += 1
                elapsed, status = await one()
                if isinstance(status, int) and 200 <= status < 300:
                    result.latencies.append(elapsed)
                else:
                    result.errors[str(status)] = result.errors.get(str(status), 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - began
    return result


async def measure(
    base_url: str,
    loads: list[Load] | Callable[[], list[Load]],
    args: argparse.Namespace,
    warmup: Callable[[Load], int] = lambda load: 10,
) -> list[Result]:
    """Every load at every concurrency of ``args`` (concurrency by concurrency), its
    ``--rounds`` times over, all the loads in each round, each ``--requests`` or
    ``--seconds`` long, one progress line each. ``loads`` may be a function that makes
    them anew for each round (new ids for writes)."""
    total, seconds = args.requests, args.seconds
    results = []
    for c in args.concurrency:
        for n in range(1, args.rounds + 1):
            this_round = loads() if callable(loads) else loads
            width = max(len(load.name) for load in this_round)
            for load in this_round:
                r = await drive(base_url, load, c, total, seconds, warmup(load))
                r.round = n
                say(
                    f"  {load.name:<{width}} c={c:<3} round {n}: {r.count} requests in "
                    f"{r.seconds:.1f} s" + (f"  errors: {r.errors}" if r.errors else "")
                )
                results.append(r)
    return results


# --- server environment --------------------------------------------------------------------


def production_env(
    *, db_url: str, data_dir: Path, port: int, redis_url: str | None
) -> dict[str, str]:
    """The server's environment: production mode, a generated secret key, this database,
    Redis when given, and login limits raised (a benchmark logs in from one address)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _SCRUB and not k.startswith("SPOTTER_AUTH__")
    }
    env.update(
        SPOTTER_ENV="production",
        SPOTTER_SECRET_KEY=secrets.token_urlsafe(48),
        SPOTTER_DATA_DIR=str(data_dir),
        SPOTTER_DATABASE_URL=db_url,
        SPOTTER_BASE_URL=f"http://127.0.0.1:{port}",
        SPOTTER_AUTH__LOGIN_PER_ACCOUNT=RAISED_LIMIT,
        SPOTTER_AUTH__LOGIN_PER_IP=RAISED_LIMIT,
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["SPOTTER_REDIS_URL"] = redis_url
    return env


def clean_up(
    server: Server | None, *, db_url: str, admin_url: str, database: str, tmp: Path, keep: bool
) -> None:
    """After a run: stop the server, drop the PostgreSQL database ``database`` (when one
    was used) and remove the temporary folder (unless ``keep``)."""
    if server is not None:
        server.stop()
    if db_url.startswith("postgresql"):
        try:
            drop_pg_database(admin_url, database)
        except Exception as exc:
            say(f"could not drop {database}: {exc}")
    if keep:
        say(f"kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def upgrade(env: dict[str, str]) -> None:
    """``spotter db upgrade`` with the server's environment; raises with its output."""
    done = subprocess.run(
        [*spotter_command(), "db", "upgrade"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"spotter db upgrade failed:\n{done.stdout}{done.stderr}")
