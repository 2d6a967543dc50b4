"""Kept custom-food answers: a repeated search reads the catalogue versions and nothing
else; every write to a custom food (create, name, portions, archive) shows in the very
next search of whoever can see it, and in no one else's kept answers; kept answers are the
computed ones, byte for byte."""

from __future__ import annotations

import importlib
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from spotter.core.db import db, new_id
from spotter.core.tenancy import set_organization
from spotter.demo import load_demo
from spotter.nutrition import text
from spotter.nutrition.models import CustomFood, CustomFoodCatalog, CustomFoodTerm
from spotter.nutrition.service.custom import catalog_changed
from spotter.nutrition.service.library import shared_foods
from tests.builders import make_client, make_owner
from tests.nutrition.helpers import make_food, names, search
from tests.progress.test_queries import statements

API = "/api/v1"
module = importlib.import_module("spotter.nutrition.service.search")  # not the function


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which custom-food answers were computed (rather than kept) since the last clear."""
    seen: list[str] = []
    for name in ("_matched", "_newest"):
        original = getattr(module, name)

        def spy(*args: Any, _original: Any = original, _name: str = name) -> Any:
            seen.append(_name)
            return _original(*args)

        monkeypatch.setattr(module, name, spy)
    return seen


async def test_a_repeated_search_reads_only_the_catalogue_versions(client, engine):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    for n in range(3):
        await make_food(client, owner, f"Chicken stew {n}")
        await make_food(client, owner, f"Chicken stew for one {n}", client_id=person["id"])
    first = await client.get(
        f"{API}/foods", headers=owner.headers, params={"q": "chicken stew", "limit": 2}
    )
    asked: list[dict[str, Any]] = [
        {"q": "chiken stew"},  # a typo: two spellings
        {"q": "chicken stew", "client_id": person["id"]},  # several words, the head first
        {"q": "stew", "group": "soups_sauces"},
        {"q": "chicken stew", "limit": 2, "cursor": first.json()["next_cursor"]},
        {},  # browsing
        {"client_id": person["id"], "limit": 2},
    ]
    for params in asked:

        def call(p: dict[str, Any] = params) -> Any:
            return client.get(f"{API}/foods", headers=owner.headers, params=p)

        seen = await statements(engine, call)
        # Inside the savepoint that stands in for the request's unit of work (the caller's
        # lookup is kept: tests/test_auth_cache.py), the versions alone, and for a client's
        # foods the check that the caller may read that client, as before.
        read = [s for s in seen if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
        foods = [s for s in read if "custom_food" in s]
        assert len(foods) == 1 and "FROM custom_food_catalogs" in foods[0], (params, seen)
        assert "custom_food_terms" not in foods[0] and "custom_foods" not in foods[0]
        assert len(read) == (2 if "client_id" in params else 1), (params, seen)


async def _put(client: Any, actor: Any, food: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "name": food["name"],
        "energy_kcal": 450,
        "protein_g": 10,
        "fat_g": 18,
        "carbohydrate_g": 60,
        "portions": [
            {"description": p["description"], "gram_weight": p["gram_weight"]}
            for p in food["portions"]
        ],
        **changes,
    }
    r = await client.put(f"{API}/foods/{food['id']}", headers=actor.headers, json=body)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("owned_by", ["organization", "client"])
async def test_every_write_shows_in_the_very_next_search(client, computed, owned_by):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    scope = {"client_id": person["id"]}
    own = scope if owned_by == "client" else {}
    # The organization's staff without a client, and the client's scope: both see an
    # organization food, only the client's scope sees the client's own.
    readers = [scope] if owned_by == "client" else [{}, scope]

    async def found(q: str) -> list[list[dict[str, Any]]]:
        """Each reader's custom matches for ``q``, asked twice: the second is kept."""
        out = []
        for params in readers:
            once = await search(client, owner, q, source="custom", **params)
            computed.clear()
            assert await search(client, owner, q, source="custom", **params) == once
            assert computed == [], "the repeated search was computed again"
            out.append(once)
        return out

    assert await found("walnut loaf") == [[] for _ in readers]
    made = await make_food(
        client, owner, "Walnut loaf", portions=[{"description": "slice", "gram_weight": 40}], **own
    )
    for items in await found("walnut loaf"):  # created
        assert names(items) == ["Walnut loaf"]

    renamed = await _put(client, owner, made, name="Pecan loaf")
    assert await found("walnut loaf") == [[] for _ in readers]  # edited: the name
    for items in await found("pecan loaf"):
        assert names(items) == ["Pecan loaf"] and items[0]["portions"][0]["gram_weight"] == 40

    await _put(client, owner, renamed, portions=[{"description": "slice", "gram_weight": 55}])
    for items in await found("pecan loaf"):  # edited: the portions alone
        assert [p["gram_weight"] for p in items[0]["portions"]] == [55]

    r = await client.delete(f"{API}/foods/{made['id']}", headers=owner.headers)
    assert r.status_code == 204
    assert await found("pecan loaf") == [[] for _ in readers]  # archived
    browse = [
        await client.get(f"{API}/foods", headers=owner.headers, params={"source": "custom", **p})
        for p in readers
    ]
    assert all(r.json()["items"] == [] for r in browse)


async def test_a_clients_food_changes_that_clients_answers_alone(client, computed):
    owner = await make_owner(client)
    anna, ben = await make_client(client, owner), await make_client(client, owner)
    house = await make_food(client, owner, "Oat bake house")
    readers = {"staff": {}, "anna": {"client_id": anna["id"]}, "ben": {"client_id": ben["id"]}}

    async def oat_bakes(reader: str) -> list[str]:
        return names(await search(client, owner, "oat bake", **readers[reader]))

    before = {reader: await oat_bakes(reader) for reader in readers}
    await make_food(client, owner, "Oat bake for Anna", client_id=anna["id"])
    computed.clear()
    assert await oat_bakes("ben") == before["ben"]  # kept: Ben's catalogue did not change
    assert await oat_bakes("staff") == before["staff"]
    assert computed == []
    assert "Oat bake for Anna" in await oat_bakes("anna")
    assert computed == ["_matched"]

    # The organization's food changes every reader's answer.
    await _put(client, owner, house, name="Oat bake house special")
    for reader in readers:
        computed.clear()
        assert "Oat bake house special" in await oat_bakes(reader)
        assert computed == ["_matched"], reader


async def test_one_organizations_catalogue_never_reaches_anothers(client, computed):
    x, y = await make_owner(client), await make_owner(client)
    for owner in (x, y):
        await make_food(client, owner, "Zesty seed bar")
    kept_x, kept_y = await search(client, x, "zesty seed"), await search(client, y, "zesty seed")
    await make_food(client, x, "Zesty seed bar two")
    computed.clear()
    assert await search(client, y, "zesty seed") == kept_y
    assert computed == []
    found_x = await search(client, x, "zesty seed")
    assert found_x != kept_x and "Zesty seed bar two" in names(found_x)
    assert computed == ["_matched"]

    # A catalogue row of X's naming Y as its owner is still X's: Y reads its own.
    async with db.session(platform=True) as s:
        x_org, y_org = uuid.UUID(x.organization_id), uuid.UUID(y.organization_id)
        s.add(CustomFoodCatalog(organization_id=x_org, owner_id=y_org, version=new_id()))
    computed.clear()
    assert await search(client, y, "zesty seed") == kept_y
    assert computed == []


async def test_an_answer_kept_inside_a_rolled_back_write_is_never_served(client):
    """A transaction that changed the catalogue, searched (keeping what it saw, its own
    uncommitted food) and rolled back: its version is never seen again, so the next
    change's search cannot be answered with what it kept (a counter would give the next
    change the same version)."""
    owner = await make_owner(client)
    org = uuid.UUID(owner.organization_id)
    plum = await make_food(client, owner, "Plum cake")
    assert names(await search(client, owner, "plum", source="custom", limit=10)) == ["Plum cake"]
    with pytest.raises(RuntimeError):
        async with db.session() as s:
            set_organization(s, org)
            await catalog_changed(s, client_id=None)
            ghost = CustomFood(id=new_id(), name="Plum ghost", created_by_id=None)
            s.add(ghost)
            s.add_all(
                CustomFoodTerm(
                    custom_food_id=ghost.id,
                    term=term,
                    whole=whole,
                    name_len=text.name_length(ghost.name),
                )
                for term, whole in text.terms(ghost.name).items()
            )
            await s.flush()
            library = await shared_foods(s)
            seen = await module._custom_matches(
                await s.connection(), org, library, [("plum",)], module.Scope(None), None, None, 11
            )
            assert [view.name for _, view in seen] == ["Plum cake", "Plum ghost"]
            raise RuntimeError("roll back")
    await _put(client, owner, plum, brand="Bakehouse")
    found = await search(client, owner, "plum", source="custom", limit=10)
    assert names(found) == ["Plum cake"] and found[0]["brand"] == "Bakehouse"


async def test_an_answer_is_kept_ten_minutes_at_most(client, monkeypatch):
    """A writer that gives no versions (a worker of the release before them, during a
    rolling deploy) leaves a kept answer stale for ``ANSWER_SECONDS`` at most."""
    custom = importlib.import_module("spotter.nutrition.service.custom")
    clock = [1_000.0]
    monkeypatch.setattr(module, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    owner = await make_owner(client)
    await make_food(client, owner, "Plum cake")
    assert names(await search(client, owner, "plum", source="custom")) == ["Plum cake"]

    async def unversioned(*_: Any, **__: Any) -> None:
        return None

    monkeypatch.setattr(custom, "catalog_changed", unversioned)
    await make_food(client, owner, "Plum jam")
    assert names(await search(client, owner, "plum", source="custom")) == ["Plum cake"]
    clock[0] += module.ANSWER_SECONDS
    found = names(await search(client, owner, "plum", source="custom"))
    assert found == ["Plum jam", "Plum cake"]  # shorter names first


async def test_kept_answers_are_the_computed_ones_byte_for_byte(client):
    owner = await make_owner(client)
    person = await make_client(client, owner)
    for n in range(12):
        await make_food(client, owner, f"Protein bar {n} crunch", brand="Grafter")
        await make_food(client, owner, f"Protein barbecue sauce {n}", client_id=person["id"])
    await make_food(
        client,
        owner,
        "Greek yogurt honey pot",
        portions=[{"description": "pot", "gram_weight": 150}],
    )
    asked: list[dict[str, Any]] = [
        {"q": "protein bar", "limit": 10},  # the head
        {"q": "protein bar", "limit": 10, "client_id": person["id"]},
        {"q": "sauce protein", "limit": 20, "client_id": person["id"]},  # a short head
        {"q": "chiken"},  # corrected
        {"q": "yog", "limit": 5},  # a prefix
        {"q": "greek yogurt", "group": "dairy_egg"},
        {"q": "grafter", "source": "custom"},
        {"limit": 5},  # browsing
        {"limit": 5, "client_id": person["id"], "group": "snacks"},
    ]
    pages = []
    for params in asked:  # each query's second page too, where there is one
        first = await client.get(f"{API}/foods", headers=owner.headers, params=params)
        pages.append(params)
        if first.json()["next_cursor"]:
            pages.append({**params, "cursor": first.json()["next_cursor"]})
    for params in pages:
        module._answers.clear()
        fresh = await client.get(f"{API}/foods", headers=owner.headers, params=params)
        kept = await client.get(f"{API}/foods", headers=owner.headers, params=params)
        assert fresh.status_code == kept.status_code == 200, fresh.text
        assert kept.content == fresh.content, params


async def test_the_demo_gives_its_foods_a_catalogue_version(client):
    """The demo writes its custom foods and their terms itself (past the service), so it
    versions their catalogue itself."""
    async with db.session() as s:
        await load_demo(s)
    async with db.session(platform=True) as s:
        org = await s.scalar(
            sa.select(CustomFood.organization_id).where(CustomFood.name == "House granola")
        )
        owners = await s.scalars(
            sa.select(CustomFoodCatalog.owner_id).where(CustomFoodCatalog.organization_id == org)
        )
        assert list(owners) == [org]
