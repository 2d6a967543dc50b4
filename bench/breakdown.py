"""Where a logged set and a fresh dashboard spend their time: the application called in
this process (no HTTP, no load generator), layer by layer, every line interleaved round by
round so that each sees the same machine.

    python bench/breakdown.py               # PostgreSQL (the training benchmark's setting)
    python bench/breakdown.py --gap 0.003   # idle 3 ms before each request, as under HTTP
    python bench/breakdown.py --sets 20000  # a smaller history

The HTTP benchmarks (``bench/training.py``) time what a client sees, and on a shared
machine their ratios move from run to run with ``/healthz``'s tail. This one answers the
next question, what costs what, with figures that hold still: one request of each line per
round, the lines' medians over many rounds, in one process. The lines, each adding one
layer to the one before:

    GET  /healthz                      the middleware and the router alone
    GET  no dependencies               a route of this script's, first in the router
    GET  a unit of work                ... with a database session (no statement runs)
    GET  + the caller                  ... and the bearer token resolved (kept lookup)
    PUT  + a set body                  ... and a set's JSON validated (no statement runs)
    PUT  a new set                     the real route: two statements and a commit
    GET  dashboard, 12 weeks / all     the real route, computed afresh each time

Then the set and the dashboard again without FastAPI: the service functions on a session
of their own, so the difference is what the framework, the caller's resolution and the
response cost.

It seeds like ``bench/training.py`` (the same owner, clients and three years of sets, in
database ``spotter_bench_breakdown``), drops the database and exits 0. ``--gap`` sleeps
before each request: a CPU that idled between requests, as one does between HTTP
requests at concurrency 1, runs the same code slower (cold caches).
"""

# No ``from __future__ import annotations``: the layer routes' annotations name
# dependencies imported inside a function, which FastAPI could not resolve from strings.
import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from harness import (
    PG_ADMIN_DEFAULT,
    Server,
    clean_up,
    free_port,
    parser,
    prepare_database,
    production_env,
    say,
    upgrade,
)

BENCH_DB = "spotter_bench_breakdown"
Call = Callable[[], Awaitable[int]]


def asgi_caller(app: Any) -> Callable[..., Awaitable[tuple[int, bytes]]]:
    """``call(method, path, query, headers, body)`` -> (status, body), straight into ``app``."""

    async def call(
        method: str, path: str, query: bytes = b"", headers: Any = (), body: bytes = b""
    ) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects
            raise AssertionError

        status, chunks = [0], []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status[0], b"".join(chunks)

    return call


def layer_routes(app: Any) -> None:
    """This script's routes, each adding one dependency, put first in the router."""
    from fastapi import APIRouter, Response

    from spotter.core.db import DbSession
    from spotter.training.dependencies import TrainingLog
    from spotter.training.schemas import SetIn

    router = APIRouter()
    empty = b"{}"

    @router.get("/bench/bare")
    async def bare() -> Response:
        return Response(empty, media_type="application/json")

    @router.get("/bench/session")
    async def with_session(session: DbSession) -> Response:
        return Response(empty, media_type="application/json")

    @router.get("/bench/caller")
    async def with_caller(session: DbSession, principal: TrainingLog) -> Response:
        return Response(empty, media_type="application/json")

    @router.put("/bench/body/{workout_id}/{set_id}")
    async def with_body(
        session: DbSession,
        principal: TrainingLog,
        workout_id: uuid.UUID,
        set_id: uuid.UUID,
        data: SetIn,
    ) -> Response:
        return Response(empty, media_type="application/json")

    app.router.routes[0:0] = router.routes


async def measure(
    db_url: str, world: dict[str, Any], rounds: int, gap: float
) -> tuple[dict[str, list[float]], dict[str, list[tuple[int, float]]]]:
    """Every line once per round (after warm-up rounds): seconds per request by line, and
    (statements, seconds in them) per request: SQLAlchemy's cursor calls, which leave
    out BEGIN and COMMIT."""
    os.environ.update(SPOTTER_DATABASE_URL=db_url)
    from spotter.config import get_settings

    get_settings.cache_clear()
    import training
    from spotter.exercises.dataset import library_id
    from spotter.main import create_app

    app = create_app()
    layer_routes(app)
    call = asgi_caller(app)
    times: dict[str, list[float]] = {}
    sql: dict[str, list[tuple[int, float]]] = {}
    async with app.router.lifespan_context(app):
        # The owner's token from the seed (this process has the server's secret key).
        auth = [(b"authorization", world["auth"]["Authorization"].encode())]
        as_json = [*auth, (b"content-type", b"application/json")]
        targets = world["targets"]
        lifts = [str(library_id("exercise", slug)) for group in training.SPLIT for slug in group]
        dashboard = f"/api/v1/clients/{world['veteran']}/training-dashboard"
        n = [0]

        def set_request(path: str) -> Call:
            async def run() -> int:
                n[0] += 1
                workout, entry = targets[n[0] % len(targets)]
                data = {"logged_exercise_id": entry, "load_kg": 100, "reps": 5, "rpe": 8}
                data["position"] = 1 + (n[0] // len(targets)) % 100
                target = f"{path}/{workout}/sets/{uuid.uuid4()}"
                if path == "/bench/body":
                    target = f"{path}/{workout}/{uuid.uuid4()}"
                status, _ = await call("PUT", target, b"", as_json, json.dumps(data).encode())
                return status

            return run

        def get(path: str, headers: Any = ()) -> Call:
            async def run() -> int:
                return (await call("GET", path, b"", headers))[0]

            return run

        def fresh_dashboard(range_: str) -> Call:
            async def run() -> int:
                n[0] += 1  # a choice of lifts not asked before: nothing kept
                i = n[0] + 1000
                picks = (lifts[i % 24], lifts[(i // 24) % 24], lifts[(i // 576) % 24])
                query = f"range={range_}" + "".join(f"&lifts={p}" for p in picks)
                return (await call("GET", dashboard, query.encode(), auth))[0]

            return run

        lines: dict[str, Call] = {
            "GET  /healthz": get("/healthz"),
            "GET  no dependencies": get("/bench/bare"),
            "GET  a unit of work": get("/bench/session"),
            "GET  + the caller": get("/bench/caller", auth),
            "PUT  + a set body": set_request("/bench/body"),
            "PUT  a new set": set_request("/api/v1/workouts"),
            "GET  dashboard, 12 weeks, afresh": fresh_dashboard("12w"),
            "GET  dashboard, all, afresh": fresh_dashboard("all"),
        }
        lines |= service_lines(world, lifts)
        for _ in range(10):
            for name, run in lines.items():
                status = await run()
                assert status < 300, f"{name}: {status}"
        from sqlalchemy import event

        from spotter.core.db import db

        in_sql = [0, 0.0]  # statements, seconds, of the request running

        def before(
            conn: Any, cursor: Any, statement: Any, params: Any, ctx: Any, many: Any
        ) -> None:
            ctx._bench_started = time.perf_counter()

        def after(conn: Any, cursor: Any, statement: Any, params: Any, ctx: Any, many: Any) -> None:
            in_sql[0] += 1
            in_sql[1] += time.perf_counter() - ctx._bench_started

        event.listen(db.engine.sync_engine, "before_cursor_execute", before)
        event.listen(db.engine.sync_engine, "after_cursor_execute", after)
        gc.collect()
        gc.freeze()
        for _ in range(rounds):
            for name, run in lines.items():
                if gap:
                    await asyncio.sleep(gap)
                in_sql[:] = [0, 0.0]
                started = time.perf_counter()
                status = await run()
                times.setdefault(name, []).append(time.perf_counter() - started)
                sql.setdefault(name, []).append((int(in_sql[0]), in_sql[1]))
                assert status < 300, f"{name}: {status}"
    return times, sql


def service_lines(world: dict[str, Any], lifts: list[str]) -> dict[str, Call]:
    """The set write and the fresh dashboard through the service layer, each on a session
    of its own with the caller built once: what the route adds is the difference."""
    from spotter.clients.models import Client
    from spotter.core.db import db
    from spotter.core.permissions import ROLE_PERMISSIONS, Role
    from spotter.core.tenancy import set_organization
    from spotter.identity.dependencies import Principal
    from spotter.identity.models import User
    from spotter.orgs.models import Organization
    from spotter.training import present, service
    from spotter.training.schemas import Range, SetIn

    org_id, n = world["organization_id"], [0]
    targets = world["targets"]
    known: dict[str, Any] = {}

    async def caller() -> tuple[Principal, Client]:
        if not known:  # loaded once, then used detached (their columns are read)
            async with db.session(read_only=True) as session:
                set_organization(session, org_id)
                organization = await session.get(Organization, org_id)
                user = await session.get(User, world["user_id"])
                client = await session.get(Client, world["veteran"])
            assert organization is not None and user is not None and client is not None
            known["principal"] = Principal(
                organization=organization,
                role=Role.OWNER,
                permissions=ROLE_PERMISSIONS[Role.OWNER],
                user=user,
            )
            known["client"] = client
        return known["principal"], known["client"]

    async def put_set() -> int:
        principal, _ = await caller()
        n[0] += 1
        workout, entry = targets[n[0] % len(targets)]
        data = SetIn.model_validate(
            {"logged_exercise_id": entry, "load_kg": 100, "reps": 5, "rpe": 8}
            | {"position": 1 + (n[0] // len(targets)) % 100}
        )
        async with db.session() as session:
            set_organization(session, org_id)
            written = await service.put_set(
                session,
                principal=principal,
                workout_id=uuid.UUID(workout),
                set_id=uuid.uuid4(),
                data=data,
            )
            present.set_write(written).model_dump_json()
        return 201

    async def dashboard() -> int:
        _, client = await caller()
        n[0] += 1
        i = n[0] + 5000  # lifts not asked before: computed afresh
        picks = [uuid.UUID(lifts[k]) for k in (i % 24, (i // 24) % 24, (i // 576) % 24)]
        async with db.session(read_only=True) as session:
            set_organization(session, org_id)
            out, _ = await service.dashboard(session, client=client, range_=Range.ALL, lifts=picks)
            out.model_dump_json()
        return 200

    return {
        "     a new set, service layer only": put_set,
        "     dashboard, all, service layer only": dashboard,
    }


def main() -> int:
    ap = parser(__doc__, requests=300, per="line", bound="run")
    ap.add_argument("--sets", type=int, default=50_000, help="sets in the long history")
    ap.add_argument("--gap", type=float, default=0.0, help="seconds idle before each request")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-breakdown-"))
    server: Server | None = None
    db_url = ""
    try:
        import training

        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter request breakdown (in process, lines interleaved)")
        say(f"  database:   {db_label}")
        say(f"  rounds:     {args.requests}, idle before each request: {args.gap * 1000:g} ms")
        upgrade(env)
        server = Server(env, port, 1, tmp / "server.log")
        server.start()
        world = asyncio.run(training.seed_api(server.base_url))
        server.stop()
        server = None
        written, seconds = asyncio.run(training.seed_history(db_url, world, args.sets))
        say(f"  seeded:     {written} sets in {seconds:.1f} s")
        world["targets"] = [(str(w), str(e)) for w, e in world["targets"]]
        # The server's environment, in this process (production, this database).
        os.environ.update({k: v for k, v in env.items() if k.startswith("SPOTTER_")})
        # The access log goes to a file, as the server's does (its cost stays in the figures).
        log = (tmp / "requests.log").open("w")
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)
        try:
            times, sql = asyncio.run(measure(db_url, world, args.requests, args.gap))
        finally:
            os.dup2(saved, 2)
            log.close()
        say("")
        width = max(len(name) for name in times)
        base = statistics.median(times["GET  /healthz"])
        say(
            f"{'line':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'p50-healthz':>11}"
            f"  {'statements':>10}  {'in them ms':>10}"
        )
        for name, seconds_each in times.items():
            ordered = sorted(seconds_each)
            p50, p95 = statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]
            count = statistics.median(c for c, _ in sql[name])
            inside = statistics.median(t for _, t in sql[name])
            say(
                f"{name:<{width}}  {p50 * 1000:>7.2f}  {p95 * 1000:>7.2f}  "
                f"{(p50 - base) * 1000:>11.2f}  {count:>10g}  {inside * 1000:>10.2f}"
            )
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
