"""What ``make test`` runs: the suite in parts, then one closing line with the totals.

1. SQLite with the embedded defaults (no Redis), including the browser tests (marker
   ``browser``) when ``/usr/bin/chromium`` exists.
2. PostgreSQL (``SPOTTER_TEST_DATABASE_URL``, default below) when it answers, with Redis
   (``SPOTTER_TEST_REDIS_URL``) when it answers PING; the browser tests are not repeated.

Whatever cannot run is named with the reason. ``SPOTTER_REQUIRE_ALL=1`` (set by ``.ci/run``)
turns every missing part into a failure. Other knobs:

* ``SPOTTER_TEST_WORKERS``: pytest-xdist processes per part (default 0). Measured on the
  two-core machine: ``-n 2`` saves about a fifth of the SQLite part when the machine is
  idle and loses time when it is busy (each worker runs the migrations, the browser tests
  start their own server and Chromium), so it is opt-in. With workers, tests are spread by
  file (``--dist loadfile``), so one module's browser tests share one server.
* ``SPOTTER_TEST_PART_TIMEOUT``: seconds before a hung part is stopped (default 1500; CI
  allows 30 minutes in all).
* Extra arguments are passed to every pytest run: ``python -m tests.run -k login -x``.

The last line printed is always ``total: N passed, N failed, N skipped``; the exit status
is non-zero when any part failed, a required part is missing, or nothing ran at all.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
PROBE_SECONDS = 3.0
# Variables the harness sets itself; inherited values would leak into the wrong part.
SCRUB = (
    "SPOTTER_TEST_DATABASE_URL",
    "SPOTTER_TEST_REDIS_URL",
    "SPOTTER_DATABASE_URL",
    "DATABASE_URL",
    "SPOTTER_REDIS_URL",
    "REDIS_URL",
    "PYTEST_ADDOPTS",
)
PYTEST_EXIT = {2: "interrupted", 3: "internal error", 4: "usage error", 5: "no tests collected"}


@dataclass
class Part:
    name: str
    marker: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    exit_code: int | None = None
    seconds: float = 0.0
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code in (0, 5)


def say(line: str = "") -> None:
    print(line, flush=True)


def flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def shown(url: str) -> str:
    """A URL fit to print: any password hidden."""
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


# --- probes ------------------------------------------------------------------------------


async def _pg_connect(url: str, database: str | None = None):  # type: ignore[no-untyped-def]
    import asyncpg
    import sqlalchemy as sa

    u = sa.engine.make_url(url)
    return await asyncpg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        database=database or u.database,
        timeout=PROBE_SECONDS,
    )


async def _probe_pg(url: str) -> str | None:
    """None when the database answers; otherwise why not. Creates the database if missing."""
    import asyncpg
    import sqlalchemy as sa

    try:
        conn = await asyncio.wait_for(_pg_connect(url), PROBE_SECONDS + 1)
    except asyncpg.InvalidCatalogNameError:
        name = sa.engine.make_url(url).database
        try:
            admin = await asyncio.wait_for(_pg_connect(url, "postgres"), PROBE_SECONDS + 1)
            try:
                await admin.execute(f'CREATE DATABASE "{name}"')
            finally:
                await admin.close()
        except Exception as exc:
            return f"database {name!r} does not exist and could not be created ({exc})"
        say(f"created PostgreSQL database {name!r}")
        return None
    except Exception as exc:  # refused, timeout, auth: all mean "not available here"
        return f"{type(exc).__name__}: {exc}".rstrip(": ")
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close()
    return None


def probe_postgres(url: str) -> str | None:
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        return "asyncpg is not installed"
    return asyncio.run(_probe_pg(url))


def probe_redis(url: str) -> str | None:
    try:
        import redis
    except ImportError:
        return "the redis package is not installed"
    try:
        client = redis.Redis.from_url(
            url, socket_timeout=PROBE_SECONDS, socket_connect_timeout=PROBE_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".rstrip(": ")
    return None


# --- running one part ----------------------------------------------------------------------


def count_junit(path: Path, part: Part) -> bool:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return False
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for suite in suites:
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        part.failed += failed
        part.skipped += skipped
        part.passed += max(0, total - failed - skipped)
    return True


def run_part(part: Part, extra: list[str], timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="spotter-run-") as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={junit}"]
        if part.marker:
            cmd += ["-m", part.marker]
        if part.workers:
            cmd += ["-n", str(part.workers), "--dist", "loadfile"]
        cmd += extra
        env = {k: v for k, v in os.environ.items() if k not in SCRUB}
        env.update(part.env)
        say("")
        say(f"=== {part.name} ===")
        say("$ " + shlex.join(["pytest", *cmd[3:]]))
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        try:
            part.exit_code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            part.exit_code = -1
            part.note = f"stopped after {timeout:.0f} s (SPOTTER_TEST_PART_TIMEOUT)"
        except KeyboardInterrupt:
            _stop(proc)
            raise
        part.seconds = time.monotonic() - start
        counted = count_junit(junit, part)
    if part.exit_code in PYTEST_EXIT:
        part.note = part.note or PYTEST_EXIT[part.exit_code]
    elif part.exit_code not in (0, 1, -1):
        part.note = part.note or f"pytest exited with {part.exit_code}"
    if not counted and part.exit_code != 5:
        part.note = part.note or "no junit report"
    if not part.ok and part.failed == 0:
        part.failed = 1  # a crash or a timeout with no failing test still counts as a failure


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the whole run -------------------------------------------------------------------------


def default_workers() -> int:
    raw = os.environ.get("SPOTTER_TEST_WORKERS", "").strip() or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        say(f"SPOTTER_TEST_WORKERS={raw!r} is not a number; running without workers")
        return 0


def main(argv: list[str]) -> int:
    require_all = flag("SPOTTER_REQUIRE_ALL")
    timeout = float(os.environ.get("SPOTTER_TEST_PART_TIMEOUT", "1500"))
    missing: list[str] = []  # parts that could not run, with the reason
    parts: list[Part] = []
    workers = default_workers()

    have_browser = CHROMIUM.exists()
    if not have_browser:
        missing.append(f"browser tests: {CHROMIUM} not found (install Debian's chromium)")
    browser_env = {"SPOTTER_REQUIRE_BROWSER": "1"} if require_all else {}
    parts.append(
        Part(
            "SQLite (embedded defaults, no Redis)" + (" + browser tests" if have_browser else ""),
            marker=None if have_browser else "not browser",
            env=browser_env,
            workers=workers,
        )
    )

    pg_url = os.environ.get("SPOTTER_TEST_DATABASE_URL") or DEFAULT_PG
    redis_url = os.environ.get("SPOTTER_TEST_REDIS_URL") or DEFAULT_REDIS
    pg_problem = probe_postgres(pg_url)
    if pg_problem:
        missing.append(f"PostgreSQL: not reachable at {shown(pg_url)} ({pg_problem})")
        missing.append("Redis: only tested together with PostgreSQL, which is missing")
    else:
        redis_problem = probe_redis(redis_url)
        env = {"SPOTTER_TEST_DATABASE_URL": pg_url}
        name = "PostgreSQL"
        if redis_problem:
            missing.append(f"Redis: no answer to PING at {shown(redis_url)} ({redis_problem})")
        else:
            env["SPOTTER_TEST_REDIS_URL"] = redis_url
            name += " + Redis"
        parts.append(Part(name, marker="not browser", env=env, workers=workers))

    say(
        "spotter tests: "
        + ", ".join(p.name for p in parts)
        + (" (SPOTTER_REQUIRE_ALL: every part is required)" if require_all else "")
    )
    for line in missing:
        say(f"  not run: {line}")

    try:
        for part in parts:
            run_part(part, argv, timeout)
    except KeyboardInterrupt:
        say("\ninterrupted")
        return 130

    say("")
    say("=== summary ===")
    for p in parts:
        state = "ok" if p.ok and p.failed == 0 else "FAILED"
        note = f"; {p.note}" if p.note else ""
        say(
            f"  {p.name}: {p.passed} passed, {p.failed} failed, {p.skipped} skipped "
            f"in {p.seconds:.0f} s [{state}{note}]"
        )
    for line in missing:
        say(f"  skipped part - {line}" + (" [REQUIRED: failing]" if require_all else ""))

    passed = sum(p.passed for p in parts)
    failed = sum(p.failed for p in parts)
    skipped = sum(p.skipped for p in parts)
    status = 0
    if any(not p.ok or p.failed for p in parts):
        status = 1
    if require_all and missing:
        status = 1
    if passed + failed == 0:
        say("  nothing ran at all: that is a failure")
        status = 1
    say(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
