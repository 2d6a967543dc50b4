"""Bad measurements, metrics and check-ins: a clear 4xx naming the field, and nothing
stored (the generic JSON checks in tests/test_bad_input.py cover these routes too)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import make_client_world, run_in_loop, table_snapshot
from tests.progress.helpers import API, days_ago


@pytest.fixture
async def world(client, outbox):
    return await make_client_world(client, outbox)


BAD_ENTRIES = [
    ({"metric": "body_weight", "value": -80}, "entries.1.value", "between 20 and 400 kg"),
    ({"metric": "body_weight", "value": 0}, "entries.1.value", "between"),
    ({"metric": "body_weight", "value": 4000}, "entries.1.value", "between"),
    ({"metric": "body_weight", "value": 2000, "unit": "lb"}, "entries.1.value", "between"),
    ({"metric": "body_fat", "value": 90}, "entries.1.value", "between 2 and 75"),
    ({"metric": "waist", "value": 2, "unit": "m"}, "entries.1.unit", "cm or in"),
    ({"metric": "body_fat", "value": 20, "unit": "kg"}, "entries.1.unit", "%"),
    ({"metric": "waist", "value": 1}, "entries.1.value", "between"),
    ({"metric": "biceps_flex", "value": 40}, "entries.1.metric", "unknown metric"),
    ({"metric": "custom:not-an-id", "value": 4}, "entries.1.metric", "unknown metric"),
    (
        {"metric": "custom:0192f0c0-0000-7000-8000-000000000000", "value": 4},
        "entries.1.metric",
        "unknown",
    ),
    ({"metric": "body_weight", "value": "eighty"}, "entries.1.value", None),
    ({"metric": "body_weight", "value": None}, "entries.1.value", None),
    ({"metric": "", "value": 80}, "entries.1.metric", None),
]


@pytest.mark.parametrize(
    ("entry", "field", "words"), BAD_ENTRIES, ids=[str(e) for e, _, _ in BAD_ENTRIES]
)
async def test_bad_measurements_are_refused_and_change_nothing(client, world, entry, field, words):
    before = await table_snapshot()
    r = await client.post(
        f"{API}/clients/{world.client_id}/measurements",
        headers=world.trainer.headers,
        json={"measured_on": days_ago(0), "entries": [{"metric": "chest", "value": 100}, entry]},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert field in {e["field"] for e in problem["errors"]}, problem
    if words:
        assert words in problem["detail"], problem["detail"]
    assert await table_snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"measured_on": days_ago(-2), "entries": [{"metric": "waist", "value": 80}]},
            "measured_on",
        ),
        (
            {"measured_on": "1900-01-01", "entries": [{"metric": "waist", "value": 80}]},
            "measured_on",
        ),
        (
            {"measured_on": "2026-02-30", "entries": [{"metric": "waist", "value": 80}]},
            "measured_on",
        ),
        ({"measured_on": days_ago(0), "entries": []}, "entries"),
        ({"measured_on": days_ago(0), "entries": [{"metric": "waist", "value": 80}] * 2}, None),
        (
            {"measured_on": days_ago(0), "entries": [{"metric": "waist", "value": 80}] * 31},
            "entries",
        ),
        ({"entries": [{"metric": "waist", "value": 80}]}, "measured_on"),
    ],
)
async def test_bad_days_are_refused(client, world, body, field):
    before = await table_snapshot()
    r = await client.post(
        f"{API}/clients/{world.client_id}/measurements", headers=world.trainer.headers, json=body
    )
    assert r.status_code == 422, r.text
    assert field is None or field in {e["field"] for e in r.json()["errors"]}, r.json()
    assert await table_snapshot() == before


async def test_not_a_number_is_refused(client, world):
    raw = b'{"measured_on": "2026-01-05", "entries": [{"metric": "waist", "value": NaN}]}'
    r = await client.post(
        f"{API}/clients/{world.client_id}/measurements",
        headers={**world.trainer.headers, "content-type": "application/json"},
        content=raw,
    )
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_a_measurement_on_someone_elses_client_stores_nothing(client, world):
    before = await table_snapshot()
    for actor, cid in (
        (world.client_other, world.client_id),
        (world.trainer, world.other_client_id),
        (world.client_self, world.other_client_id),
    ):
        r = await client.post(
            f"{API}/clients/{cid}/measurements",
            headers=actor.headers,
            json={"measured_on": days_ago(0), "entries": [{"metric": "waist", "value": 80}]},
        )
        assert r.status_code == 404
    assert await table_snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "unit_kind": "count", "direction": "higher"},
        {"name": "x" * 61, "unit_kind": "count", "direction": "higher"},
        {"name": "Grip", "unit_kind": "furlongs", "direction": "higher"},
        {"name": "Grip", "unit_kind": "mass", "direction": "sideways"},
        {"name": "Grip", "unit_kind": "mass"},
    ],
)
async def test_bad_custom_metrics(client, world, body):
    r = await client.post(f"{API}/progress/metrics", headers=world.trainer.headers, json=body)
    assert r.status_code == 422, r.text


async def test_bad_query_values(client, world):
    base = f"{API}/clients/{world.client_id}"
    for url, field in (
        (f"{base}/measurements?metric=nope", "metric"),
        (f"{base}/measurements?from=yesterday", "from"),
        (f"{base}/measurements?cursor=%%%", "cursor"),
        (f"{base}/measurements?limit=1000", "limit"),
        (f"{base}/photos?pose=upside", "pose"),
        (f"{base}/photos/compare?from=2026-13-01", "from"),
        (f"{base}/charts/body?range=forever", "range"),
        (f"{API}/progress/checkins/due?state=sleeping", "state"),
        (f"{base}/measurements/not-a-uuid", "measurement_id"),
    ):
        r = await client.get(url, headers=world.trainer.headers)
        assert r.status_code == 422, (url, r.text)
        assert field in {e["field"] for e in r.json()["errors"]}, (url, r.json())


async def test_fuzzed_measurements_never_break_the_server(client, world):
    loop = asyncio.get_running_loop()
    url = f"{API}/clients/{world.client_id}/measurements"
    value = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["body_weight", "waist", "custom:x", "kg", "lb", "in", days_ago(0)]),
    )
    entry = st.dictionaries(st.sampled_from(["metric", "value", "unit"]), value, max_size=3)
    body = st.fixed_dictionaries(
        {}, optional={"measured_on": value, "entries": st.lists(entry | value, max_size=3)}
    )
    statuses: list[int] = []

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=body)
    def fuzz(body: Any) -> None:
        r = run_in_loop(loop, client.post(url, json=body, headers=world.trainer.headers))
        statuses.append(r.status_code)
        assert r.status_code < 500, (body, r.text)

    await asyncio.to_thread(fuzz)
    assert 422 in statuses
