"""Jobs facade: the same job functions run in-process (embedded, the default) or on
workers when scaled out.

* ``@job`` registers an async function under a stable name, with retries and backoff.
* ``enqueue(session, fn, **kwargs)`` records the call on the session; it is sent only
  after that session commits (``Database.session`` calls ``dispatch``), so a job never
  sees data that was rolled back. Arguments are ids and plain values, never ORM objects.
* ``@periodic(seconds=...)`` registers a job the embedded scheduler runs on a cadence.
* Backends: ``embedded`` runs jobs as background tasks on the server's event loop with
  retries; ``eager`` (tests, CLI) runs them inline right after the commit.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog

from spotter.config import get_settings

log = structlog.get_logger("spotter.jobs")
JobFn = Callable[..., Awaitable[Any]]
_PENDING_KEY = "pending_jobs"


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: JobFn
    retries: int = 3
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class PeriodicSpec:
    job: JobSpec
    every_seconds: float


@dataclass
class Call:
    job: JobSpec
    kwargs: dict[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, JobSpec] = {}
PERIODIC: list[PeriodicSpec] = []


def job(
    name: str | None = None, *, retries: int = 3, backoff_seconds: float = 2.0
) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        spec = JobSpec(name or f"{fn.__module__}.{fn.__qualname__}", fn, retries, backoff_seconds)
        if spec.name in REGISTRY and REGISTRY[spec.name].fn is not fn:
            raise RuntimeError(f"job name {spec.name!r} registered twice")
        REGISTRY[spec.name] = spec
        fn.job_spec = spec  # type: ignore[attr-defined]
        return fn

    return register


def periodic(*, seconds: float, retries: int = 0) -> Callable[[JobFn], JobFn]:
    def register(fn: JobFn) -> JobFn:
        job(retries=retries)(fn)
        PERIODIC.append(PeriodicSpec(fn.job_spec, seconds))  # type: ignore[attr-defined]
        return fn

    return register


def enqueue(session: Any, fn: JobFn, **kwargs: Any) -> None:
    """Send ``fn(**kwargs)`` after ``session`` commits; dropped if it rolls back."""
    spec: JobSpec | None = getattr(fn, "job_spec", None)
    if spec is None:
        raise TypeError(f"{fn!r} is not a registered @job")
    info = getattr(session, "sync_session", session).info
    info.setdefault(_PENDING_KEY, []).append(Call(spec, kwargs))


def take_pending(session: Any) -> list[Call]:
    return getattr(session, "sync_session", session).info.pop(_PENDING_KEY, [])


async def run_with_retries(call: Call, *, sleep: bool = True) -> None:
    spec = call.job
    for attempt in range(spec.retries + 1):
        try:
            await spec.fn(**call.kwargs)
            return
        except Exception:
            if attempt >= spec.retries:
                log.exception("job_failed", job=spec.name, attempts=attempt + 1)
                return
            delay = spec.backoff_seconds * (2**attempt) * (0.5 + random.random())
            log.warning("job_retry", job=spec.name, attempt=attempt + 1, delay=round(delay, 2))
            if sleep:
                await asyncio.sleep(delay)


class EmbeddedRunner:
    """Runs jobs as tasks on the running event loop; keeps references until they finish."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self._scheduler: asyncio.Task[None] | None = None

    def submit(self, call: Call) -> None:
        task = asyncio.get_running_loop().create_task(run_with_retries(call))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def start_scheduler(self) -> None:
        if PERIODIC and self._scheduler is None:
            self._scheduler = asyncio.get_running_loop().create_task(self._tick())

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            self._scheduler = None
        await self.drain()

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        next_run = {p.job.name: loop.time() + p.every_seconds for p in PERIODIC}
        # Wake once a second, or more often if a job's period is shorter than that.
        resolution = min([1.0, *(p.every_seconds for p in PERIODIC)])
        while True:
            await asyncio.sleep(resolution)
            now = loop.time()
            for p in PERIODIC:
                if now >= next_run[p.job.name]:
                    next_run[p.job.name] = now + p.every_seconds
                    self.submit(Call(p.job))


runner = EmbeddedRunner()


async def dispatch(calls: list[Call]) -> None:
    if not calls:
        return
    if get_settings().jobs_backend == "eager":
        for call in calls:
            await run_with_retries(call, sleep=False)
        return
    for call in calls:
        runner.submit(call)
