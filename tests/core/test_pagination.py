"""Keyset pagination: every row exactly once, in order, stable under inserts; cursors are
client input, so a tampered one is a 422 and never reaches the database."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotter.clients.models import Client
from spotter.core.db import db
from spotter.core.pagination import MAX_LIMIT, _encode
from spotter.core.tenancy import set_organization
from tests.builders import make_client, make_owner, run_in_loop

NAMES = ["Alvarez", "Baker", "Chen", "Dubois", "Evans", "Fischer", "Garcia"]


async def _add_clients(organization_id: str, names: list[str]) -> None:
    async with db.session() as s:
        set_organization(s, uuid.UUID(organization_id))
        s.add_all(Client(full_name=name) for name in names)


async def _all_pages(client, headers, limit: int, **params) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/api/v1/clients", headers=headers, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "pagination does not end"


async def test_55_clients_in_pages_of_20(client):
    owner = await make_owner(client)
    # Many equal names: the id breaks ties, so no row is skipped or repeated at a boundary.
    await _add_clients(owner.organization_id, [NAMES[i % len(NAMES)] for i in range(55)])
    pages = await _all_pages(client, owner.headers, limit=20)
    assert [len(p) for p in pages] == [20, 20, 15]
    rows = [c for page in pages for c in page]
    assert len({c["id"] for c in rows}) == 55
    keys = [(c["full_name"], uuid.UUID(c["id"])) for c in rows]
    assert keys == sorted(keys)


async def test_exactly_full_last_page_has_no_next_cursor(client):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, ["Same"] * 40)
    pages = await _all_pages(client, owner.headers, limit=20)
    assert [len(p) for p in pages] == [20, 20]


async def test_pages_are_stable_under_inserts(client):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, [f"Member{n:02d}" for n in range(30)])
    first = (
        await client.get("/api/v1/clients", headers=owner.headers, params={"limit": 10})
    ).json()
    # New rows before and after the cursor: the earlier one is not shown again later, the
    # later one is, and nothing already seen comes back.
    await make_client(client, owner, full_name="Member00a")
    await make_client(client, owner, full_name="Member25a")
    rest, cursor = [], first["next_cursor"]
    while cursor:
        body = (
            await client.get(
                "/api/v1/clients", headers=owner.headers, params={"limit": 10, "cursor": cursor}
            )
        ).json()
        rest += body["items"]
        cursor = body["next_cursor"]
    names = [c["full_name"] for c in first["items"] + rest]
    assert "Member00a" not in names and "Member25a" in names
    assert len(names) == len(set(names)) == 31


async def test_filtered_pages(client):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, ["Ann Smith"] * 12 + ["Bob Jones"] * 5)
    pages = await _all_pages(client, owner.headers, limit=5, q="smith")
    assert [len(p) for p in pages] == [5, 5, 2]
    assert {c["full_name"] for p in pages for c in p} == {"Ann Smith"}


async def test_limits(client):
    owner = await make_owner(client)
    ok = await client.get("/api/v1/clients", headers=owner.headers, params={"limit": MAX_LIMIT})
    assert ok.status_code == 200
    for bad in (0, -1, MAX_LIMIT + 1):
        r = await client.get("/api/v1/clients", headers=owner.headers, params={"limit": bad})
        assert r.status_code == 422


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def test_tampered_cursors_are_422(client):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, NAMES * 4)
    good = (await client.get("/api/v1/clients", headers=owner.headers, params={"limit": 5})).json()[
        "next_cursor"
    ]
    assert good
    tampered = [
        good[:-3],  # truncated
        good + "AAAA",  # extended
        good[::-1],  # scrambled
        "not a cursor",
        _b64(b"not json"),
        _b64(b'{"a": 1}'),  # JSON, but not a list
        _b64(b"5"),
        _encode(["Baker"]),  # too few values
        _encode(["Baker", uuid.uuid4(), "extra"]),  # too many
        _encode([1, 2]),  # wrong types (PostgreSQL would refuse to compare them)
        _encode(["Baker", "not-a-uuid"]),
        _encode([{"u": str(uuid.uuid4())}, uuid.uuid4()]),
        _b64(b'["Baker", {"u": 5}]'),
        _b64(b'["Baker", {"u": "zzz"}]'),
        _b64(b'["Baker", {"t": "yesterday"}]'),
        _b64(json.dumps(["Baker", True]).encode()),
    ]
    for cursor in tampered:
        r = await client.get(
            "/api/v1/clients", headers=owner.headers, params={"cursor": cursor, "limit": 5}
        )
        assert r.status_code == 422, (cursor, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["field"] == "cursor"


async def test_random_cursors_never_break_the_server(client):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, NAMES)
    loop = asyncio.get_running_loop()
    json_values = st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=10)
        | st.builds(lambda u: {"u": str(u)}, st.uuids())
        | st.builds(lambda t: {"t": t}, st.text(max_size=20)),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
        ),
        max_leaves=6,
    )
    cursors = st.text(max_size=60) | json_values.map(lambda v: _b64(json.dumps(v).encode()))

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(cursor=cursors)
    def fuzz(cursor: str) -> None:
        r = run_in_loop(
            loop, client.get("/api/v1/clients", headers=owner.headers, params={"cursor": cursor})
        )
        assert r.status_code in (200, 422), (cursor, r.status_code, r.text)

    await asyncio.to_thread(fuzz)


@pytest.mark.parametrize("limit", [1, 7, 25])
async def test_any_page_size_gives_every_row_once(client, limit):
    owner = await make_owner(client)
    await _add_clients(owner.organization_id, [NAMES[i % 3] for i in range(23)])
    rows = [c["id"] for page in await _all_pages(client, owner.headers, limit=limit) for c in page]
    assert len(rows) == len(set(rows)) == 23
