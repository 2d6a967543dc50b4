"""Statement counts: the progress reads cost the same number of queries whatever the
size of the data (no N+1)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from spotter.core.db import db
from spotter.core.tenancy import set_organization
from spotter.progress.models import CheckIn, Measurement
from tests.builders import make_client, make_client_world
from tests.progress.helpers import API, link_account, today, upload


async def statements(engine: Any, call: Callable[[], Awaitable[Any]]) -> list[str]:
    """The SQL a call runs, after one call to warm what it keeps."""
    seen: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    await call()  # warm caches
    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        r = await call()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)
    assert r.status_code == 200, r.text
    return seen


async def count(engine: Any, call: Callable[[], Awaitable[Any]]) -> int:
    return len(await statements(engine, call))


async def weigh_ins(world, days: int) -> None:
    async with db.session() as session:
        set_organization(session, uuid.UUID(world.owner.organization_id))
        session.add_all(
            Measurement(
                client_id=uuid.UUID(world.client_id),
                metric=metric,
                measured_on=today() - timedelta(days=n),
                value=value,
            )
            for n in range(days)
            for metric, value in (("body_weight", 80.0 + n % 3), ("waist", 90.0))
        )


async def test_reads_cost_the_same_for_a_week_and_a_year(client, outbox, engine):
    small = await make_client_world(client, outbox)
    large = await make_client_world(client, outbox)
    await weigh_ins(small, 7)
    await weigh_ins(large, 365)
    for _ in range(3):
        await upload(client, small.trainer, small.client_id)
    for _ in range(30):
        await upload(client, large.trainer, large.client_id)
    counts: dict[str, list[int]] = {}
    for world in (small, large):
        h = world.trainer.headers
        base = f"{API}/clients/{world.client_id}"
        calls = {
            "chart": lambda b=base, h=h: client.get(f"{b}/charts/body?range=1y", headers=h),
            "history": lambda b=base, h=h: client.get(f"{b}/measurements", headers=h),
            "latest": lambda b=base, h=h: client.get(f"{b}/measurements/latest", headers=h),
            "photos": lambda b=base, h=h: client.get(f"{b}/photos", headers=h),
            "compare": lambda b=base, h=h: client.get(f"{b}/photos/compare", headers=h),
        }
        for name, call in calls.items():
            counts.setdefault(name, []).append(await count(engine, call))
    for name, (a, b) in counts.items():
        assert a == b, (name, counts)
    assert counts["chart"][0] <= 8, counts


async def test_the_week_view_and_inbox_cost_the_same_for_2_and_12_clients(client, outbox, engine):
    world = await make_client_world(client, outbox)
    counts = []
    for extra in (0, 10):
        for i in range(extra):
            made = await make_client(
                client, world.owner, full_name=f"Extra {i}", trainer_id=world.trainer.user_id
            )
            await link_account(client, outbox, world.owner, made["id"])
        async with db.session() as session:
            set_organization(session, uuid.UUID(world.owner.organization_id))
            monday = today() - timedelta(days=today().weekday())
            for n in range(4):
                session.add(
                    CheckIn(
                        client_id=uuid.UUID(world.client_id),
                        week_starts_on=monday - timedelta(weeks=n + 1 + extra),
                        due_on=monday,
                        scales={"energy": 5},
                        answers=[],
                    )
                )
        counts.append(
            tuple(
                [
                    await count(
                        engine,
                        lambda u=url: client.get(f"{API}{u}", headers=world.trainer.headers),
                    )
                    for url in ("/progress/checkins/due?state=all", "/progress/checkins/inbox")
                ]
            )
        )
    assert counts[0] == counts[1], counts
