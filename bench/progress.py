"""Progress benchmark: a production-mode server, a client with a year of daily weigh-ins,
body fat, photos and check-ins; chart data, history, forecasts, photo files, the staff's
week view and photo uploads, against the bare /healthz in the same run.

    python bench/progress.py                # PostgreSQL when it answers, else SQLite
    python bench/progress.py --db sqlite    # force one of them

What it does:

1. Prepares a fresh database: PostgreSQL database ``spotter_bench_progress`` (dropped and
   created next to ``SPOTTER_BENCH_POSTGRES_URL``, default the local ``postgres``
   database) when PostgreSQL answers, otherwise SQLite in a temporary folder.
2. Runs ``spotter db upgrade`` and starts ``spotter serve --workers 2`` with
   ``SPOTTER_ENV=production`` (files in the local folder backend).
3. Registers an owner, creates a client, records 365 days of weigh-ins (one request per
   day) and weekly body fat through the API, sets a body-weight goal, uploads
   ``--photos`` photos (1.9 megapixel JPEGs, timed: decode, clean, re-encode, thumbnail).
4. At concurrency 1 and 16, a bounded load (``--requests`` or ``--seconds`` per line) of:
   GET /healthz (the floor), GET /api/v1/me (authentication alone), the body chart for
   12 weeks and for a year (bucketed to weekly means), one page of measurement history,
   the goal forecast, a photo thumbnail, and the staff's "who has not checked in" list.
   Prints requests/s, p50/p95/p99 in ms and each as a multiple of /healthz in the same
   run, plus the upload timings.
5. Stops the server, drops the database and exits 0.

The load generator shares the CPU cores with the server: compare runs on the same
machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import io
import os
import platform
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from harness import (
    HEALTHZ,
    PG_ADMIN_DEFAULT,
    Load,
    Result,
    Server,
    clean_up,
    free_port,
    measure,
    parser,
    prepare_database,
    production_env,
    register_owner,
    say,
    table,
    upgrade,
)
from PIL import Image

BENCH_DB = "spotter_bench_progress"
DAYS = 365


def photo(seed: int) -> bytes:
    """A 1200x1600 JPEG with some texture (a flat colour would compress to nothing)."""
    noise = Image.effect_noise((1200, 1600), 40 + seed).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=85)
    return out.getvalue()


async def seed(base_url: str, photos: int) -> tuple[dict[str, str], str, str, str, Result]:
    """Returns (auth headers, client id, goal id, a photo id, the upload timings)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        _, token = await register_owner(http, "Bench Progress Gym")
        auth = {"Authorization": f"Bearer {token}"}
        r = await http.post("/api/v1/clients", headers=auth, json={"full_name": "Bea Bench"})
        r.raise_for_status()
        cid = r.json()["id"]
        today = date.today()
        for n in range(DAYS):
            day = today - timedelta(days=DAYS - 1 - n)
            entries = [{"metric": "body_weight", "value": round(92 - 0.02 * n + (n % 5) * 0.1, 1)}]
            if n % 7 == 0:
                entries.append({"metric": "body_fat", "value": round(28 - 0.01 * n, 1)})
            r = await http.post(
                f"/api/v1/clients/{cid}/measurements",
                headers=auth,
                json={"measured_on": day.isoformat(), "entries": entries},
            )
            r.raise_for_status()
        r = await http.post(
            f"/api/v1/clients/{cid}/goals",
            headers=auth,
            json={"type": "body_weight", "target_value": 80, "unit": "kg"},
        )
        r.raise_for_status()
        goal = r.json()["id"]
        uploads = Result("POST /clients/{id}/photos (1.9 MP JPEG)", 1)
        photo_id = ""
        began = time.perf_counter()
        for i in range(photos):
            content = photo(i)
            start = time.perf_counter()
            r = await http.post(
                f"/api/v1/clients/{cid}/photos",
                headers=auth,
                files={"file": ("p.jpg", content, "image/jpeg")},
                data={"pose": ["front", "side", "back"][i % 3], "taken_on": today.isoformat()},
            )
            if r.status_code == 201:
                uploads.latencies.append(time.perf_counter() - start)
                photo_id = r.json()["id"]
            else:
                uploads.errors[str(r.status_code)] = uploads.errors.get(str(r.status_code), 0) + 1
        uploads.seconds = time.perf_counter() - began
    return auth, cid, goal, photo_id, uploads


def main() -> int:
    ap = parser(__doc__, requests=400, per="line", bound="line")
    ap.add_argument("--photos", type=int, default=12, help="photos to upload (timed)")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-progress-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter progress benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {os.cpu_count() or 1} CPU cores, Python {platform.python_version()}, "
            f"{platform.system()}; the load generator shares these cores with the server"
        )
        upgrade(env)
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        started = time.perf_counter()
        auth, cid, goal, photo_id, uploads = asyncio.run(seed(server.base_url, args.photos))
        say(
            f"  seeded:     {DAYS} days of weigh-ins, weekly body fat, a goal, "
            f"{args.photos} photos in {time.perf_counter() - started:.1f} s"
        )
        say("")
        base = f"/api/v1/clients/{cid}"
        loads = [
            Load(HEALTHZ, [("/healthz", [])]),
            Load("GET /api/v1/me (auth only)", [("/api/v1/me", [])], auth),
            Load("GET body chart 12w", [(f"{base}/charts/body", [("range", "12w")])], auth),
            Load("GET body chart 1y (weekly)", [(f"{base}/charts/body", [("range", "1y")])], auth),
            Load("GET measurements (25)", [(f"{base}/measurements", [])], auth),
            Load("GET goal forecast", [(f"{base}/goals/{goal}/forecast", [])], auth),
            Load("GET photo thumbnail", [(f"{base}/photos/{photo_id}/thumbnail", [])], auth),
            Load("GET check-ins due", [("/api/v1/progress/checkins/due", [])], auth),
        ]
        results = asyncio.run(measure(server.base_url, loads, args))
        say("")
        for line in table(results):
            say(line)
        say("")
        say(
            f"photo upload, one at a time: p50 {uploads.pct(50):.0f} ms, "
            f"p95 {uploads.pct(95):.0f} ms over {len(uploads.latencies)} uploads"
            + (f", errors {uploads.errors}" if uploads.errors else "")
        )
        say(f"load average after the run: {os.getloadavg()[0]:.1f}")
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
