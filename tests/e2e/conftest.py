"""Browser tests: the real server in a subprocess, driven by Debian's Chromium.

* ``live_server`` runs ``spotter db upgrade`` and ``spotter serve`` with their own data folder
  (SQLite), secret key and base URL, and waits for ``/healthz``. It shares nothing with the
  rolled-back test transaction, so the ``transaction`` fixture is replaced by a no-op here.
* ``new_page`` opens pages in fresh browser contexts (one per person); when a test fails,
  every page it opened is saved as a screenshot under ``test-artifacts/``.
* Without ``/usr/bin/chromium`` the tests are skipped ("Debian chromium not installed"),
  unless ``SPOTTER_REQUIRE_BROWSER=1``: then they fail.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Variables of the in-process test harness that must not reach the server.
_SCRUB = re.compile(r"^(SPOTTER_|DATABASE_URL$|REDIS_URL$)")


@pytest.fixture(autouse=True)
def transaction() -> Iterator[None]:
    """The server is another process with its own database: no rolled-back transaction."""
    yield


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    spotter = Path(sys.executable).parent / "spotter"
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="spotter-e2e-") as tmp:
        data_dir = Path(tmp) / "data"
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not _SCRUB.match(k)}
        env.update(
            SPOTTER_ENV="development",
            SPOTTER_DATA_DIR=str(data_dir),
            SPOTTER_SECRET_KEY=secrets.token_urlsafe(48),
            SPOTTER_BASE_URL=url,
            SPOTTER_AUTH__ARGON2_TIME_COST="1",
            SPOTTER_AUTH__ARGON2_MEMORY_KIB="8192",
            SPOTTER_LOG_LEVEL="WARNING",
            # The plan generator's solver time, generous as in tests/conftest.py: on a busy
            # machine 0.9 s may find no plan at all.
            SPOTTER_MEAL_PLAN_SECONDS="10",
        )
        log = Path(tmp) / "server.log"
        subprocess.run(
            [str(spotter), "db", "upgrade"],
            env=env,
            cwd=tmp,
            check=True,
            capture_output=True,
            timeout=120,
        )
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(spotter), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=tmp,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            server = LiveServer(url, data_dir, log)
            try:
                _wait_healthy(proc, server)
                yield server
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)


def _wait_healthy(proc: subprocess.Popen[bytes], server: LiveServer) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"spotter serve exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"spotter serve did not answer /healthz in time:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("SPOTTER_REQUIRE_BROWSER") == "1":
            pytest.fail("Debian chromium not installed (SPOTTER_REQUIRE_BROWSER=1)")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, chromium: Any, live_server: LiveServer
) -> Iterator[Callable[..., Any]]:
    """``new_page(**context_options)``: a page in a fresh context (its own cookies)."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        # Assertions wait as long as actions: on a busy two-core CI machine a page that
        # redraws over HTMX can take longer than Playwright's default 5 s.
        expect.set_options(timeout=10_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
        for i, page in enumerate(pages):
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the real failure
                print(f"screenshot {i} failed: {exc}")
        print(f"server log (last lines):\n{live_server.log_tail()}")
    for context in contexts:
        context.close()
