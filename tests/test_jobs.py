"""The jobs facade: registration, enqueue-after-commit, retries with backoff, the embedded
runner, and periodic jobs.

Each test works on its own copy of the job registry and periodic list (``registry``
fixture), so nothing it registers leaks into the app or other tests.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from spotter.config import get_settings
from spotter.core import jobs
from spotter.core.db import db


@pytest.fixture
def registry(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(jobs, "REGISTRY", dict(jobs.REGISTRY))
    monkeypatch.setattr(jobs, "PERIODIC", [])
    yield


@pytest.fixture
def embedded(monkeypatch) -> Iterator[jobs.EmbeddedRunner]:
    """The embedded (production default) backend with a private runner."""
    runner = jobs.EmbeddedRunner()
    monkeypatch.setattr(jobs, "runner", runner)
    monkeypatch.setitem(os.environ, "SPOTTER_JOBS_BACKEND", "embedded")
    get_settings.cache_clear()
    assert get_settings().jobs_backend == "embedded"
    yield runner
    monkeypatch.undo()
    get_settings.cache_clear()


async def _until(predicate, timeout: float = 10.0) -> None:
    """Wait for a condition (a bound, not a measurement: fast machines finish at once)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


# --- registration --------------------------------------------------------------------------


def test_job_registration(registry):
    @jobs.job()
    async def default_name() -> None: ...

    @jobs.job("tests.named", retries=5, backoff_seconds=0.5)
    async def named() -> None: ...

    assert default_name.job_spec.name.endswith("test_job_registration.<locals>.default_name")
    spec = jobs.REGISTRY["tests.named"]
    assert spec.fn is named and (spec.retries, spec.backoff_seconds) == (5, 0.5)
    assert jobs.job("tests.named")(named) is named  # the same function again is fine

    async def impostor() -> None: ...

    with pytest.raises(RuntimeError, match="registered twice"):
        jobs.job("tests.named")(impostor)


def test_only_registered_jobs_can_be_enqueued():
    async def plain() -> None: ...

    with pytest.raises(TypeError, match="not a registered @job"):
        jobs.enqueue(object(), plain)


def test_email_delivery_is_a_registered_job():
    from spotter.core import email

    assert jobs.REGISTRY["email.deliver"].fn is email.deliver_email


# --- enqueue after commit ------------------------------------------------------------------


async def test_enqueued_jobs_run_after_commit_and_never_after_rollback(registry):
    ran: list[str] = []

    @jobs.job("tests.after_commit", retries=0)
    async def note(*, text: str) -> None:
        ran.append(text)

    async with db.session(platform=True) as s:
        jobs.enqueue(s, note, text="committed")
        assert ran == []  # not while the unit of work is open
    assert ran == ["committed"]

    with pytest.raises(RuntimeError):
        async with db.session(platform=True) as s:
            jobs.enqueue(s, note, text="rolled back")
            raise RuntimeError("boom")
    assert ran == ["committed"]


async def test_embedded_backend_submits_after_commit(registry, embedded):
    ran: list[str] = []

    @jobs.job("tests.embedded", retries=0)
    async def note(*, text: str) -> None:
        ran.append(text)

    async with db.session(platform=True) as s:
        jobs.enqueue(s, note, text="a")
        jobs.enqueue(s, note, text="b")
        assert not embedded.tasks
    assert len(embedded.tasks) <= 2
    await embedded.drain()
    assert sorted(ran) == ["a", "b"] and not embedded.tasks

    with pytest.raises(RuntimeError):
        async with db.session(platform=True) as s:
            jobs.enqueue(s, note, text="never")
            raise RuntimeError("boom")
    assert not embedded.tasks and "never" not in ran


# --- retries and backoff -------------------------------------------------------------------


async def test_retries_until_success(registry):
    attempts: list[int] = []

    @jobs.job("tests.flaky", retries=3, backoff_seconds=0.01)
    async def flaky(*, n: int) -> None:
        attempts.append(n)
        if len(attempts) < 3:
            raise ConnectionError("try again")

    await jobs.run_with_retries(jobs.Call(flaky.job_spec, {"n": 7}), sleep=False)
    assert attempts == [7, 7, 7]


async def test_gives_up_after_the_last_retry_without_raising(registry):
    attempts = 0

    @jobs.job("tests.broken", retries=2)
    async def broken() -> None:
        nonlocal attempts
        attempts += 1
        raise ValueError("always")

    await jobs.run_with_retries(jobs.Call(broken.job_spec), sleep=False)
    assert attempts == 3


async def test_backoff_grows_exponentially_with_jitter(registry, monkeypatch):
    delays: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(jobs.asyncio, "sleep", fake_sleep)

    @jobs.job("tests.backoff", retries=4, backoff_seconds=2.0)
    async def failing() -> None:
        raise ConnectionError

    await jobs.run_with_retries(jobs.Call(failing.job_spec))
    monkeypatch.undo()
    assert len(delays) == 4  # one wait between each of the 5 attempts
    for attempt, delay in enumerate(delays):
        base = 2.0 * 2**attempt
        assert 0.5 * base <= delay <= 1.5 * base, (attempt, delay)


async def test_sleep_false_never_waits(registry, monkeypatch):
    async def no_sleep(seconds: float) -> None:
        raise AssertionError("slept")

    monkeypatch.setattr(jobs.asyncio, "sleep", no_sleep)

    @jobs.job("tests.nosleep", retries=2, backoff_seconds=60)
    async def failing() -> None:
        raise ConnectionError

    await jobs.run_with_retries(jobs.Call(failing.job_spec), sleep=False)


# --- the embedded runner -------------------------------------------------------------------


async def test_embedded_runner_runs_submitted_jobs_and_drains(registry):
    runner = jobs.EmbeddedRunner()
    done: list[int] = []
    failed_once: set[int] = set()
    gate = asyncio.Event()

    @jobs.job("tests.runner", retries=1, backoff_seconds=0)
    async def work(*, n: int) -> None:
        await gate.wait()
        if n == 3 and n not in failed_once:
            failed_once.add(n)
            raise ConnectionError("first try fails")
        done.append(n)

    for n in range(5):
        runner.submit(jobs.Call(work.job_spec, {"n": n}))
    assert len(runner.tasks) == 5 and done == []
    gate.set()
    await runner.drain()
    assert sorted(done) == [0, 1, 2, 3, 4]
    assert failed_once == {3}  # job 3 failed once and was retried
    assert not runner.tasks


async def test_a_failing_job_does_not_stop_the_others(registry):
    runner = jobs.EmbeddedRunner()
    done: list[str] = []

    @jobs.job("tests.bad", retries=0)
    async def bad() -> None:
        raise ValueError("bad")

    @jobs.job("tests.good", retries=0)
    async def good() -> None:
        done.append("good")

    runner.submit(jobs.Call(bad.job_spec))
    runner.submit(jobs.Call(good.job_spec))
    await runner.drain()
    assert done == ["good"]


async def test_periodic_jobs_tick(registry):
    ticks: list[int] = []

    @jobs.periodic(seconds=0.05)
    async def heartbeat() -> None:
        ticks.append(1)

    assert [p.job.fn for p in jobs.PERIODIC] == [heartbeat]
    runner = jobs.EmbeddedRunner()
    runner.start_scheduler()
    runner.start_scheduler()  # idempotent
    try:
        await _until(lambda: len(ticks) >= 3)
    finally:
        await runner.stop()
    count = len(ticks)
    await asyncio.sleep(0.2)
    assert len(ticks) == count, "the scheduler kept running after stop()"


async def test_no_scheduler_without_periodic_jobs(registry):
    runner = jobs.EmbeddedRunner()
    runner.start_scheduler()
    assert runner._scheduler is None
    await runner.stop()
