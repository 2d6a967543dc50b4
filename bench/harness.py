"""Shared parts of the benchmarks: a fresh database, a production-mode server subprocess,
latency results. Each benchmark script imports this module (it sits next to them).

    from harness import Result, Server, prepare_database, production_env, say
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_ADMIN_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"  # away from the test workers' databases (1, 2, ...)
RAISED_LIMIT = "1000000/minute"
# Inherited settings that would point the server elsewhere.
_SCRUB = {"DATABASE_URL", "REDIS_URL", "SPOTTER_DATABASE_URL", "SPOTTER_REDIS_URL"}


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


async def _fresh_pg_database(admin_url: str, name: str) -> str:
    """Drops and creates database ``name`` next to ``admin_url``; returns its SQLAlchemy URL."""
    import asyncpg

    parts = _pg_parts(admin_url)
    conn = await asyncpg.connect(**parts, timeout=3)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    auth = parts["user"] + (f":{parts['password']}" if parts["password"] else "")
    return f"postgresql+asyncpg://{auth}@{parts['host']}:{parts['port']}/{name}"


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


def upgrade(env: dict[str, str]) -> None:
    """``spotter db upgrade`` with the server's environment; raises with its output."""
    done = subprocess.run(
        [*spotter_command(), "db", "upgrade"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"spotter db upgrade failed:\n{done.stdout}{done.stderr}")
